"""The report as files: one Jinja2 template gives the HTML page and, through WeasyPrint, the PDF.

The PDF is what a manager gets in chat (Telegram opens a PDF inside the app on every phone); the
HTML is the same document for a browser or a projector. The CSV carries aggregates only, in the
manager's language, with team, period and chapter titles so it still makes sense in a folder.
"""

from __future__ import annotations

import asyncio
import base64
import csv
import functools
import io
import logging
from collections.abc import Sequence

from bot.rendering import presenting
from bot.rendering.charts import Picture
from bot.rendering.texts import Texts
from bot.services.report_view import ReportView

# WeasyPrint logs every CSS property it does not support (e.g. the screen-only rules) as a warning.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)
log = logging.getLogger(__name__)
PANGO_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b"


PICTURE_SCHEME = "chart:"


def html(
    texts: Texts, language: str, view: ReportView, pictures: Sequence[Picture], *,
    for_print: bool = False,
) -> str:
    """The whole report as one self-contained page, its pictures inlined as PNG.

    `for_print` refers to the pictures as `chart:0`, `chart:1`, … instead: WeasyPrint's HTML
    parser reads a data URI character by character (a megabyte took it 0.4 s), and the PDF
    embeds the JPEG versions as they are.
    """
    return texts.document(language, "report_document",
                          pictures=picture_sources(pictures, for_print=for_print),
                          **presenting.context(texts, language, view))


def pdf(texts: Texts, language: str, view: ReportView, pictures: Sequence[Picture]) -> bytes:
    """The same page printed on A4 by WeasyPrint; CPU work, run it in a thread (`render_pdf`)."""
    return print_pdf(html(texts, language, view, pictures, for_print=True), pictures)


def print_pdf(page: str, pictures: Sequence[Picture]) -> bytes:
    """A page written `for_print` (pictures as `chart:0`, …) printed on A4 by WeasyPrint.

    The fetcher serves the charts and nothing else: making the PDF never touches the network
    or the file system, whatever a remark or a team name contains.
    """
    # Imported late: WeasyPrint loads Pango, which a CLI call or a tap never needs.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ChartsOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
            number = url.removeprefix(PICTURE_SCHEME)
            if not url.startswith(PICTURE_SCHEME) or not number.isdigit():
                raise ValueError(f"the report fetches no {url[:40]!r}")
            return URLFetcherResponse(url, body=pictures[int(number)].jpeg,
                                      headers={"Content-Type": "image/jpeg"})

    return bytes(HTML(string=page, url_fetcher=ChartsOnly()).write_pdf())


def picture_sources(pictures: Sequence[Picture], *, for_print: bool) -> list[str]:
    """`chart:n` for WeasyPrint (its parser reads a data URI character by character, and the
    PDF embeds the JPEG as it is), an inlined PNG for the browser."""
    return [f"{PICTURE_SCHEME}{number}" if for_print
            else f"data:image/png;base64,{base64.b64encode(p.png).decode('ascii')}"
            for number, p in enumerate(pictures)]


async def render_pdf(
    texts: Texts, language: str, view: ReportView, pictures: Sequence[Picture]
) -> bytes:
    return await asyncio.to_thread(pdf, texts, language, view, pictures)


@functools.cache
def pdf_missing() -> str | None:
    """Why no PDF can be made here (WeasyPrint cannot load Pango), or None when it can."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as error:
        return f"WeasyPrint cannot start ({error}); apt-get install -y {PANGO_PACKAGES}"
    return None


async def full_report(
    texts: Texts, language: str, view: ReportView, pictures: Sequence[Picture]
) -> tuple[str, bytes]:
    """The file the chat sends: the PDF, or the web page where the PDF libraries are missing
    (said once in the log), so a manager always gets the whole report."""
    if (missing := pdf_missing()) is None:
        return file_name(view, "pdf"), await render_pdf(texts, language, view, pictures)
    warn_once(missing)
    return file_name(view, "html"), html(texts, language, view, pictures).encode("utf-8")


@functools.cache
def warn_once(missing: str) -> None:
    log.warning("sending the report as a web page: %s", missing)


def file_name(view: ReportView, extension: str) -> str:
    return f"iso9004-report-{view.report.cycle.opened_at:%Y-%m-%d}.{extension}"


def csv_number(value: float | None, language: str) -> str:
    """A figure in a CSV cell: two decimals, a decimal comma in Dutch (the spreadsheet a Dutch
    reader opens it in expects one), empty where there is no figure."""
    if value is None:
        return ""
    text = f"{value:.2f}"
    return text.replace(".", ",") if language == "nl" else text


def export_all_csv(texts: Texts, language: str, views: Sequence[ReportView]) -> bytes:
    """Every cycle's CSV (`export_csv`, each from its own report for this reader) under one
    header: one row per cycle and topic, the same columns, the period telling the cycles apart."""
    rows: list[list[str]] = []
    for number, view in enumerate(views):
        text = export_csv(texts, language, view).decode("utf-8").removeprefix("\ufeff")
        rows += list(csv.reader(io.StringIO(text), delimiter=";"))[0 if number == 0 else 1:]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def history_file_name(view: ReportView) -> str:
    return f"iso9004-all-cycles-{view.report.cycle.opened_at:%Y-%m-%d}.csv"


def export_csv(texts: Texts, language: str, view: ReportView) -> bytes:
    """Aggregates only, for Excel: semicolons, a BOM so UTF-8 is detected, decimal commas in Dutch.

    Hidden figures stay empty cells with the "fewer than k answers" note, so a sum never counts a
    hidden figure as zero. The agreed level and its reason, and the last agreed level, are the
    management team's judgement and stand even where the figures are hidden; the comparison of
    the median with the last agreement is empty wherever the median is.
    """
    report = view.report
    words = texts.words(language, "report_words")
    head = words.csv
    hidden = str(words.hidden(report.result.threshold))
    context = presenting.context(texts, language, view)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    number = functools.partial(csv_number, language=language)
    period = texts.render(language, "report_period", **context)
    writer.writerow([head["team"], head["period"], head["chapter"], head["chapter_title"],
                     head["element"], head["title"], head["level"], head["median"],
                     head["spread"], head["consensus"], head["answered"], head["dont_know"],
                     head["target"],
                     head["previous"], *(f"{head['answers']} {n}" for n in range(1, 6)),
                     head["agreed"], head["reason"], head["last_agreed"], head["since"],
                     head["note"]])
    consensus = words.consensus
    for e in context["elements"]:
        counts = e.distribution or ("",) * 5
        writer.writerow([
            report.team.name, period, e.chapter_id, e.chapter_title, e.id, e.title,
            number(e.mean), number(e.median), number(e.spread),
            consensus[e.consensus] if e.consensus else "",
            e.answered if e.mean is not None else "",
            e.dont_know if e.dont_know is not None else "",
            e.target if e.target is not None else "",
            number(e.before), *counts,
            e.agreed if e.agreed is not None else "", e.reason,
            e.last_agreed if e.last_agreed is not None else "",
            words.since[e.since] if e.since else "",
            hidden if e.mean is None else ""])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
