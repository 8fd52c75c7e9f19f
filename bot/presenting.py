"""A team report in the forms a manager receives: chat summary, chart, printable HTML, CSV.

Everything here reads the already-anonymous `CycleReport`; translation happens here (titles in the
person's language), so the domain and the chart code stay language-free.
"""

from __future__ import annotations

import base64
import csv
import io
from dataclasses import dataclass

from bot.charts import ChartData, render_png
from bot.services.reports import CycleReport
from bot.texts import Texts, plain


@dataclass(frozen=True, slots=True)
class ChapterRow:
    id: str
    title: str
    level: float | None
    before: float | None
    delta: float | None


@dataclass(frozen=True, slots=True)
class ElementRow:
    id: str
    title: str
    chapter_id: str
    mean: float | None
    median: float | None
    spread: float | None
    distribution: tuple[int, ...] | None
    consensus: str | None


def chapter_rows(report: CycleReport, language: str) -> list[ChapterRow]:
    changes = {c.id: c for c in report.trend}
    rows = []
    for chapter in report.result.chapters:
        change = changes.get(chapter.chapter_id)
        rows.append(ChapterRow(
            chapter.chapter_id, report.model.chapter(chapter.chapter_id).title(language),
            chapter.mean, change.before if change else None, change.delta if change else None))
    return rows


def element_rows(report: CycleReport, language: str) -> list[ElementRow]:
    return [
        ElementRow(e.element_id, report.model.elements[e.element_id].title(language),
                   e.chapter_id, e.mean, e.median, e.spread, e.distribution,
                   e.consensus.value if e.consensus else None)
        for e in report.result.elements.values()
    ]


def context(report: CycleReport, language: str) -> dict[str, object]:
    """What every report template gets."""
    model = report.model
    return {
        "report": report, "team": report.team.name, "timezone": report.team.timezone,
        "model_title": model.title(language),
        "scope_title": model.scope(report.cycle.scope_id).title(language),
        "chapters": chapter_rows(report, language), "elements": element_rows(report, language),
        "priorities": [(p, model.elements[p.element_id].title(language))
                       for p in report.priorities],
        "divided": [row for row in element_rows(report, language) if row.consensus == "weak"],
        "remarks": [(model.chapter(c).title(language), text) for c, text in report.remarks],
        "groups": report.groups,
    }


def summary(texts: Texts, language: str, report: CycleReport) -> str:
    return texts.render(language, "report_summary", **context(report, language))


async def chart(texts: Texts, language: str, report: CycleReport) -> bytes:
    b = texts.buttons(language)
    rows = element_rows(report, language)
    data = ChartData(
        title=plain(report.team.name, 60),
        chapter_labels=tuple(f"{r.id} {r.title}" for r in chapter_rows(report, language)),
        chapter_levels=tuple(c.mean for c in report.result.chapters),
        previous_levels=(tuple(c.before for c in report.trend)
                         if report.previous is not None and report.previous.shown else None),
        element_labels=tuple(f"{r.id} {r.title}" for r in rows),
        element_means=tuple(r.mean for r in rows),
        element_spreads=tuple(r.spread for r in rows),
        now_label=str(b.this_cycle), before_label=str(b.previous_cycle),
    )
    return await render_png(data)


def document(texts: Texts, language: str, report: CycleReport, png: bytes | None) -> bytes:
    picture = base64.b64encode(png).decode("ascii") if png else None
    return texts.document(language, "report_document", picture=picture,
                          **context(report, language)).encode("utf-8")


def export_csv(report: CycleReport, language: str) -> bytes:
    """Aggregates only, for Dutch Excel: semicolons, decimal commas, a BOM so UTF-8 is detected."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")

    def decimal(value: float | None) -> str:
        if value is None:
            return ""
        return f"{value:.2f}".replace(".", ",") if language == "nl" else f"{value:.2f}"

    writer.writerow(["element", "title", "chapter", "mean", "median", "spread", "answered",
                     "level 1", "level 2", "level 3", "level 4", "level 5"])
    for element in report.result.elements.values():
        counts = element.distribution or ("",) * 5
        writer.writerow([
            element.element_id, report.model.elements[element.element_id].title(language),
            element.chapter_id, decimal(element.mean), decimal(element.median),
            decimal(element.spread), element.answered if element.shown else "", *counts])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
