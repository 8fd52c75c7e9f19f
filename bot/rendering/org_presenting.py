"""The organisation report turned into words and a heatmap: for chat and for its document.

It reads the already-anonymous `OrgReport` (a None figure is hidden, and a hidden team is a grey
row "hidden to protect anonymity", never a zero); translation happens here, so the domain and the
drawing stay language-free. The files (HTML, PDF, CSV) are `bot.rendering.org_documents`.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from bot.rendering.charts import Picture, encode
from bot.rendering.heatmap import Heat, heatmap
from bot.rendering.presenting import ElementRow
from bot.rendering.texts import Texts
from bot.services.org_reports import OrgReport
from domain.organisation import Spread

SPREAD_LENGTH = 5
"""The chat names the first three differences, the document five."""


@dataclass(frozen=True, slots=True)
class TeamRow:
    id: int
    name: str
    members: int
    respondents: int
    shown: bool
    overall: float | None
    chapters: tuple[float | None, ...]


@dataclass(frozen=True, slots=True)
class Difference:
    id: str
    title: str
    low: float
    high: float
    lowest: tuple[str, ...]
    highest: tuple[str, ...]


def _elements(report: OrgReport, language: str) -> list[ElementRow]:
    model = report.model
    return [ElementRow(
        e.element_id, model.elements[e.element_id].title(language), e.chapter_id,
        model.chapter(e.chapter_id).title(language), e.mean, e.median, e.spread,
        e.distribution, e.consensus.value if e.consensus else None, e.agreement, e.answered,
        None, None) for e in report.figures.total.elements.values()]


def _differences(report: OrgReport, spreads: tuple[Spread, ...], titles: dict[str, str]
                 ) -> list[Difference]:
    return [Difference(s.id, titles[s.id], s.low, s.high,
                       tuple(report.team_name(t) for t in s.lowest),
                       tuple(report.team_name(t) for t in s.highest))
            for s in spreads[:SPREAD_LENGTH] if s.range > 0]


def context(texts: Texts, language: str, report: OrgReport) -> dict[str, Any]:
    """What every organisation report template gets."""
    model, figures = report.model, report.figures
    elements = _elements(report, language)
    by_id = {e.id: e for e in elements}
    chapter_titles = {c.chapter_id: model.chapter(c.chapter_id).title(language)
                      for c in figures.total.chapters}
    grid = figures.chapter_grid()
    teams = [TeamRow(line.team_id, line.name, line.members, line.respondents, column.shown,
                     column.result.overall if column.result else None, row)
             for line, column, row in zip(report.teams, figures.teams, grid, strict=True)]
    return {
        "report": report, "organisation": report.organisation, "timezone": report.timezone,
        "w": texts.words(language, "org_report_words"),
        "rw": texts.words(language, "report_words"),
        "ww": texts.words(language, "withheld_words"),
        "model_title": model.title(language),
        "scope_title": model.scope(report.scope_id).title(language),
        "period_start": report.opened_at, "period_end": report.closed_at or report.deadline,
        "total": figures.total,
        "chapters": [(c.chapter_id, chapter_titles[c.chapter_id], c.mean)
                     for c in figures.total.chapters],
        "elements": elements, "teams": teams,
        "hidden_teams": [t for t in teams if not t.shown],
        "element_differences": _differences(
            report, figures.element_spread, {e.id: e.title for e in elements}),
        "chapter_differences": _differences(report, figures.chapter_spread, chapter_titles),
        "priorities": [(p, by_id[p.element_id]) for p in figures.priorities],
    }


def summary(texts: Texts, language: str, report: OrgReport) -> str:
    return texts.render(language, "org_report_summary", **context(texts, language, report))


def caption(texts: Texts, language: str, report: OrgReport) -> str:
    return texts.render(language, "org_report_caption", **context(texts, language, report))


def heat(texts: Texts, language: str, report: OrgReport) -> Heat:
    """Teams × chapters, with the whole organisation as the first row."""
    words = texts.words(language, "org_report_words")
    figures = report.figures
    total = tuple(c.mean for c in figures.total.chapters)
    return Heat(
        title=str(words.heat_title),
        rows=(str(words.whole), *(line.name for line in report.teams)),
        columns=tuple(c.chapter_id for c in figures.total.chapters),
        key=tuple(f"{c.chapter_id} {report.model.chapter(c.chapter_id).title(language)}"
                  for c in figures.total.chapters),
        values=(total, *figures.chapter_grid()), hidden=str(words.hidden),
        level=str(words.level), decimal_comma=language == "nl", breaks=(1,),
        row_width=30)


def draw(texts: Texts, language: str, report: OrgReport) -> Picture:
    return encode(heatmap(heat(texts, language, report)))


async def picture(texts: Texts, language: str, report: OrgReport) -> Picture | None:
    """The heatmap, or none while the cycle is open or when the organisation cannot be shown."""
    if not report.figures.total.shown and not report.figures.shown_teams:
        return None
    return await asyncio.to_thread(draw, texts, language, report)
