"""The organisation report as a reader gets it: the chat summary in both languages, the heatmap
with literal team names and hidden rows, the document (PDF through its text) and the CSV."""

from __future__ import annotations

import csv
import io

import pytest
from pypdf import PdfReader

from bench.org_report import example_report
from bot.rendering import documents, org_documents, org_presenting
from bot.rendering.heatmap import heatmap
from bot.rendering.texts import Texts

TEXTS = Texts()
NAMES = ("Sales", "R&D $^$ <b>", "Support", "Engineering", "Board", "Tiny")


def _report() -> org_presenting.OrgReport:
    return example_report(6, 5, names=NAMES)


@pytest.mark.parametrize(("language", "hidden", "whole"), [
    ("en", "hidden to protect anonymity", "Whole organisation"),
    ("nl", "verborgen voor de anonimiteit", "Hele organisatie"),
])
def test_the_summary_names_hidden_teams_and_never_a_figure_for_them(
    language: str, hidden: str, whole: str,
) -> None:
    report = _report()
    text = org_presenting.summary(TEXTS, language, report)
    hidden_teams = [line.name for line, column in zip(report.teams, report.figures.teams,
                                                      strict=True) if not column.shown]
    assert "Tiny" in hidden_teams  # two people
    for name in hidden_teams:
        line = next(row for row in text.splitlines() if row.startswith(f"{name}:"))
        assert hidden in line and "," not in line.split(":")[1].split("(")[0]
    assert "R&amp;D $^$ &lt;b&gt;" in text  # escaped for Telegram's HTML
    data = org_presenting.heat(TEXTS, language, report)
    assert data.rows[0] == whole and data.rows[1:] == NAMES
    assert all(value is None for value in data.values[1 + NAMES.index("Tiny")])


def test_the_heatmap_draws_names_literally_and_hidden_rows_once() -> None:
    figure = heatmap(org_presenting.heat(TEXTS, "en", _report()))
    texts = [t.get_text() for t in figure.findobj(lambda a: hasattr(a, "get_text"))]
    assert "R&D $^$ <b>" in texts
    assert texts.count("hidden to protect anonymity") >= 2  # a hidden row, and the legend
    picture = org_presenting.draw(TEXTS, "en", _report())
    assert picture.png.startswith(b"\x89PNG") and picture.jpeg.startswith(b"\xff\xd8")


def test_an_open_cycle_gives_counts_of_people_only() -> None:
    report = example_report(3, 4, members=None)
    open_report = org_presenting.OrgReport(**{
        **{name: getattr(report, name) for name in report.__slots__},  # type: ignore[attr-defined]
        "closed_at": None})
    text = org_presenting.summary(TEXTS, "nl", open_report)
    assert "nog open" in text and "4 personen geantwoord" in text
    assert "Totaal" not in text and "Niveau" not in text


def test_the_csv_leaves_hidden_cells_empty_with_a_note() -> None:
    report = _report()
    rows = list(csv.reader(io.StringIO(
        org_documents.export_csv(TEXTS, "nl", report).decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["team", "hoofdstuk"]
    tiny = [row for row in rows if row[0] == "Tiny"]
    assert tiny and all(row[5] == "" and row[8] == "verborgen voor de anonimiteit"
                        for row in tiny)
    whole = [row for row in rows if row[0] == "Hele organisatie"]
    assert all("," in row[5] for row in whole if row[5])


@pytest.mark.skipif(documents.pdf_missing() is not None, reason=str(documents.pdf_missing()))
def test_the_pdf_carries_the_organisation_its_teams_and_the_heatmap() -> None:
    report = _report()
    picture = org_presenting.draw(TEXTS, "en", report)
    pdf = org_documents.pdf(TEXTS, "en", report, [picture])
    text = " ".join(" ".join((page.extract_text() or "").split())
                    for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Bench & Co" in text and "R&D $^$ <b>" in text
    assert "Teams side by side" in text and "hidden to protect anonymity" in text
    assert "Where the teams see it differently" in text
    page = org_documents.html(TEXTS, "en", report, [picture])
    assert page.count("data:image/png;base64,") == 1
