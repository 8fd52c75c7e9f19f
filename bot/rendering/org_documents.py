"""The organisation report as files: one Jinja2 template for the HTML page and (through
WeasyPrint, as `bot.rendering.documents` prints the team report) the PDF; and a CSV of the shown
cells.

The page carries the organisation's profile per chapter and topic, the teams side by side (the
heatmap and its table, hidden teams as hidden), where the teams differ and what to improve first.
"""

from __future__ import annotations

import asyncio
import csv
import functools
import io
import re
from collections.abc import Sequence

from bot.rendering import documents, org_presenting
from bot.rendering.charts import Picture
from bot.rendering.texts import Texts
from bot.services.org_reports import OrgReport


def html(
    texts: Texts, language: str, report: OrgReport, pictures: Sequence[Picture], *,
    for_print: bool = False,
) -> str:
    return texts.document(
        language, "org_report_document",
        pictures=documents.picture_sources(pictures, for_print=for_print),
        **org_presenting.context(texts, language, report))


def pdf(texts: Texts, language: str, report: OrgReport, pictures: Sequence[Picture]) -> bytes:
    return documents.print_pdf(html(texts, language, report, pictures, for_print=True), pictures)


def file_name(report: OrgReport, extension: str) -> str:
    """`iso9004-<organisation>-<date>`: several organisations' files side by side in a download
    folder are told apart by name (letters and digits kept, accents too; the rest a dash)."""
    name = re.sub(r"[^\w]+", "-", report.organisation.lower(), flags=re.UNICODE).strip("-_")
    return f"iso9004-{name[:60] or 'organisation'}-{report.opened_at:%Y-%m-%d}.{extension}"


async def full_report(
    texts: Texts, language: str, report: OrgReport, pictures: Sequence[Picture]
) -> tuple[str, bytes]:
    """The PDF, or the web page where the PDF libraries are missing (as for the team report)."""
    if (missing := documents.pdf_missing()) is None:
        return file_name(report, "pdf"), await asyncio.to_thread(
            pdf, texts, language, report, pictures)
    documents.warn_once(missing)
    return file_name(report, "html"), html(texts, language, report, pictures).encode("utf-8")


def export_csv(texts: Texts, language: str, report: OrgReport) -> bytes:
    """One row per team (the whole organisation first) and topic: shown cells only, a hidden
    one an empty level with the note, so a sum never counts it as zero."""
    words = texts.words(language, "org_report_words")
    head = words.csv
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    number = functools.partial(documents.csv_number, language=language)

    writer.writerow([head["team"], head["chapter"], head["chapter_title"], head["element"],
                     head["title"], head["level"], head["median"], head["answered"],
                     head["note"]])
    model, figures = report.model, report.figures
    columns = [(str(words.whole), figures.total if figures.total.shown else None)]
    columns += [(line.name, column.result)
                for line, column in zip(report.teams, figures.teams, strict=True)]
    for name, result in columns:
        for element_id in model.scope(report.scope_id).element_ids:
            element = model.elements[element_id]
            cell = result.elements[element_id] if result is not None else None
            shown = cell is not None and cell.mean is not None
            writer.writerow([
                name, element.chapter_id, model.chapter(element.chapter_id).title(language),
                element_id, element.title(language), number(cell.mean if cell else None),
                number(cell.median if cell else None),
                cell.answered if cell is not None and shown else "",
                "" if shown else str(words.hidden)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
