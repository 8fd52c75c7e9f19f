"""The report's files: the PDF and the web page from one template, and the CSV, read as a manager
would (the PDF through its extracted text)."""

from __future__ import annotations

import csv
import dataclasses
import html as html_module
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PageObject, PdfReader

from bench.seeding import AGREED_BEFORE, AGREED_NOW, EXAMPLES, REASONS, REMARKS
from bot.rendering import documents, presenting
from bot.rendering.texts import Texts
from bot.services.report_view import ReportView
from bot.services.reports import CycleReport
from tests.support.seeded import seeded_view

TEXTS = Texts()


async def view_of(
    tmp_path: Path, language: str, name: str = "report", **options: bool
) -> ReportView:
    return await seeded_view(language, "R&D $^$ <b>", **options)  # once per run, per kind


def pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join((page.extract_text() or "").split())
                    for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.skipif(documents.pdf_missing() is not None, reason=str(documents.pdf_missing()))
@pytest.mark.parametrize(("language", "hidden", "month", "target"), [
    ("en", "fewer than 4 answers", "October", "Target"),
    ("nl", "minder dan 4 antwoorden", "oktober", "Doel"),
])
async def test_the_pdf_carries_team_period_chapters_targets_and_the_hidden_chapter(
    tmp_path: Path, language: str, hidden: str, month: str, target: str,
) -> None:
    view = await view_of(tmp_path, language)
    cycle = view.report.cycle
    period = TEXTS.render(language, "report_period", period_start=cycle.opened_at,
                          period_end=cycle.closed_at, timezone=view.report.team.timezone)
    assert period.count(month) == 2 and period.count("2026") in (1, 2)  # as the chat writes it
    pictures = await presenting.charts(TEXTS, language, view)
    pdf = await documents.render_pdf(TEXTS, language, view, pictures)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "R&D $^$ <b>" in text
    assert period in text
    for chapter in view.report.model.scope_chapters("full"):
        assert chapter.title(language) in text
    assert hidden in text  # chapter 9 had fewer than k + 1 = 4 answers
    assert f"{target.lower()} 4" in text and f"{target.lower()} 3" in text  # chapters' targets
    assert REMARKS[language]["7"] in text and EXAMPLES[language]["7.3"] in text
    first_page = pdf_text_of_page(pdf, 0)
    assert period in first_page and "R&D $^$ <b>" in first_page  # the picture at a glance
    drawn = [pictures_drawn(page) for page in PdfReader(io.BytesIO(pdf)).pages]
    assert drawn[0] == 1 and sum(drawn) == 3  # the radar stands on page 1 with the chapters


def pictures_drawn(page: PageObject) -> int:
    """How many pictures a page paints (its `Do` operators), whatever resources it shares."""
    contents = page.get_contents()
    return contents.get_data().count(b" Do") if contents is not None else 0


def pdf_text_of_page(pdf: bytes, number: int) -> str:
    return " ".join((PdfReader(io.BytesIO(pdf)).pages[number].extract_text() or "").split())


async def test_a_first_cycle_has_no_previous_column_and_says_where_targets_are_set(
    tmp_path: Path,
) -> None:
    view = await view_of(tmp_path, "en", previous=False, targets=False)
    page = documents.html(TEXTS, "en", view, [])
    assert "Previous cycle" not in page
    assert "No targets set yet" in page
    assert ">Target<" not in page
    later = documents.html(TEXTS, "en", await view_of(tmp_path, "en", "later"), [])
    assert "Previous cycle" in later and ">Target<" in later


@pytest.mark.parametrize(("language", "headers"), [
    ("en", ["team", "period", "chapter", "chapter title", "topic", "title", "level"]),
    ("nl", ["team", "periode", "hoofdstuk", "titel hoofdstuk", "onderwerp", "titel", "niveau"]),
])
async def test_the_csv_speaks_the_managers_language_and_holds_aggregates_only(
    tmp_path: Path, language: str, headers: list[str],
) -> None:
    view = await view_of(tmp_path, language)
    body = documents.export_csv(TEXTS, language, view)
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:7] == headers
    elements = view.report.model.scope("full").element_ids
    assert len(rows) == 1 + len(elements)  # one row per element, never one per person
    leadership = next(row for row in rows if row[4] == "7.1")
    assert leadership[0] == "R&D $^$ <b>" and "2026" in leadership[1]
    assert leadership[3] == view.report.model.chapter("7").title(language)
    hidden = next(row for row in rows if row[4] == "9.1")
    assert hidden[6] == "" and hidden[-1] == TEXTS.words(language, "report_words").hidden(4)
    decimal = "," if language == "nl" else "."
    assert decimal in leadership[6]


@dataclass(frozen=True, slots=True)
class ReportWithExamples(CycleReport):
    examples: tuple[tuple[str, str], ...] = ()


async def test_examples_stand_in_their_chapter_and_never_under_a_hidden_element(
    tmp_path: Path,
) -> None:
    view = await view_of(tmp_path, "en")
    fields = {f.name: getattr(view.report, f.name) for f in dataclasses.fields(view.report)
              if f.name != "examples"}
    report = ReportWithExamples(**fields, examples=(
        ("7.3", "Targets change every month, so nobody knows them"),
        ("9.1", "Only two of us could say anything about resources")))
    page = documents.html(TEXTS, "en", dataclasses.replace(view, report=report), [])
    leadership = page.index("<h3>7 Leadership")
    assert leadership < page.index("Targets change every month") < page.index("<h3>8 ")
    assert "<b>7.3 Objectives</b>: Targets change every month" in page
    assert "Only two of us" not in page  # 9.1 had fewer than 3 answers


@pytest.mark.skipif(documents.pdf_missing() is not None, reason=str(documents.pdf_missing()))
@pytest.mark.parametrize(("language", "agreed", "since", "moved"), [
    ("en", "Agreed", "Since what we agreed last time", ("now above", "now below")),
    ("nl", "Afgesproken", "Sinds de vorige afspraak", ("nu hoger", "nu lager")),
])
async def test_the_pdf_shows_what_was_agreed_and_why_and_where_the_median_moved_since(
    tmp_path: Path, language: str, agreed: str, since: str, moved: tuple[str, str],
) -> None:
    view = await view_of(tmp_path, language)
    text = pdf_text(await documents.render_pdf(
        TEXTS, language, view, await presenting.charts(TEXTS, language, view)))
    for element_id in AGREED_NOW:  # the reasons of this cycle's meeting, 9.1's too
        assert f"{agreed}: {REASONS[language][element_id]}" in text
    pdf = await documents.render_pdf(TEXTS, language, view, [])
    agenda = " ".join(pdf_text_of_page(pdf, page) for page in (1, 2))  # with its questions
    assert since in agenda and all(word in agenda for word in moved)
    rows = {e.id: e for e in presenting.element_rows(view.report, language)}
    assert rows["9.1"].median is None and rows["9.1"].last_agreed == AGREED_BEFORE["9.1"]
    assert rows["9.1"].since is None  # hidden median: no comparison, in no file
    assert "9.1 Planning resources" not in agenda and "9.1 Middelen plannen" not in agenda


@pytest.mark.parametrize("language", ["en", "nl"])
async def test_the_csv_has_the_agreed_level_its_reason_and_the_comparison_where_shown(
    tmp_path: Path, language: str,
) -> None:
    view = await view_of(tmp_path, language)
    rows = list(csv.reader(io.StringIO(
        documents.export_csv(TEXTS, language, view).decode("utf-8-sig")), delimiter=";"))
    head = TEXTS.words(language, "report_words").csv
    columns = [rows[0].index(head[name]) for name in ("agreed", "reason", "last_agreed", "since")]
    by_id = {row[4]: [row[c] for c in columns] for row in rows[1:]}
    since = TEXTS.words(language, "report_words").since
    assert by_id["7.3"] == [str(AGREED_NOW["7.3"]), REASONS[language]["7.3"],
                            str(AGREED_BEFORE["7.3"]), since["below"]]
    assert by_id["5.2"] == ["", "", str(AGREED_BEFORE["5.2"]), since["above"]]
    assert by_id["9.1"] == [str(AGREED_NOW["9.1"]), REASONS[language]["9.1"],
                            str(AGREED_BEFORE["9.1"]), ""]  # its median is hidden
    assert by_id["5.1"] == ["", "", "", ""]


@pytest.mark.parametrize(("language", "hidden_median"), [
    ("en", "9.1 Planning resources: 2 (median fewer than 4 answers)"),
    ("nl", "9.1 Middelen plannen: 2 (mediaan minder dan 4 antwoorden)"),
])
async def test_the_chat_summary_lists_what_was_agreed_and_never_compares_a_hidden_median(
    tmp_path: Path, language: str, hidden_median: str,
) -> None:
    view = await view_of(tmp_path, language)
    summary = plain_text(presenting.summary(TEXTS, language, view))
    assert hidden_median in summary
    moved = next(line for line in summary.splitlines() if line.startswith("↕️"))
    assert "9.1" not in moved and "7.3" in moved  # 9.1 was agreed before; its median is hidden


async def test_agreed_levels_stand_in_the_report_whose_figures_are_hidden(tmp_path: Path) -> None:
    view = await seeded_view("en", respondents=2)
    assert not view.report.result.shown
    page = documents.html(TEXTS, "en", view, [])
    assert "What we agreed" in page and REASONS["en"]["8.4"] in page
    summary = plain_text(presenting.summary(TEXTS, "en", view))
    assert "Too few responses" in summary and "8.4 Managing processes: 3 (median fewer" in summary
    assert "↕️" not in summary  # no median, so no comparison with the last agreement


def plain_text(html: str) -> str:
    """A chat message as the reader sees it: Telegram's HTML without its tags and entities."""
    return html_module.unescape(re.sub(r"<[^>]+>", "", html))


@pytest.mark.parametrize(("language", "column", "did_not_know"), [
    ("en", "don't know", "did not know"), ("nl", "weet ik niet", "wisten het niet"),
])
async def test_the_csv_and_the_report_count_who_did_not_know(
    tmp_path: Path, language: str, column: str, did_not_know: str,
) -> None:
    view = await view_of(tmp_path, language)
    rows = list(csv.reader(io.StringIO(
        documents.export_csv(TEXTS, language, view).decode("utf-8-sig")), delimiter=";"))
    by_id = {row[4]: row[rows[0].index(column)] for row in rows[1:]}
    assert by_id["10.5"] == "10"  # half of the 20 staff: an information gap
    assert by_id["10.4"] == "0" and by_id["9.1"] == "0"  # 9.1: hidden levels, all answered
    page = documents.html(TEXTS, language, view, [])
    assert f"10 {did_not_know}" in html_module.unescape(page)


@pytest.mark.slow
@pytest.mark.skipif(documents.pdf_missing() is not None, reason=str(documents.pdf_missing()))
@pytest.mark.parametrize(("language", "gap", "evidence"), [
    ("en", "Information gap", "What to look at"), ("nl", "Informatietekort", "Waar je naar kijkt"),
])
async def test_the_pdf_agenda_has_discussion_questions_and_chapters_the_consultant_layer(
    tmp_path: Path, language: str, gap: str, evidence: str,
) -> None:
    view = await view_of(tmp_path, language)
    text = pdf_text(await documents.render_pdf(TEXTS, language, view, []))
    audit = view.report.model.elements["10.5"]
    agenda = text[text.index(gap):]
    assert audit.questions(language)[0] in " ".join(agenda.split())
    layer = audit.consultant
    assert layer is not None and evidence in text
    assert layer.evidence[0](language) in text and layer.kpis[0](language) in text
    assert "9.2" in text[text.index(layer.evidence[0](language)):]  # its ISO 9001 clause


async def test_a_management_topic_shows_the_managers_level_beside_everyones(
    tmp_path: Path,
) -> None:
    view = await view_of(tmp_path, "en")
    rows = {e.id: e for e in presenting.element_rows(view.report, "en")}
    managers = view.report.managers
    assert managers is not None  # the seeded team shows its four managers beside it
    assert rows["10.5"].managers_mean == managers.elements["10.5"].mean is not None
    assert rows["9.2"].managers_mean is None  # everyone's topic: no managers' line
    page = html_module.unescape(documents.html(TEXTS, "en", view, []))
    assert "mainly for managers · the managers:" in page
