"""The history of a report's team in rows, words and a picture (`bot.rendering.trend`).

Reads `ReportView.history`, whose points are copies of each cycle's own report for this reader
(`domain.history`): nothing here computes a figure, a hidden one stays None and is written as
"fewer than k answers" or left as a gap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date

from bot.rendering.texts import Texts
from bot.rendering.trend import TrendData, TrendWords
from bot.services.report_view import ReportView
from domain.history import History


@dataclass(frozen=True, slots=True)
class SeriesRow:
    """One chapter or topic over the cycles."""

    id: str
    title: str
    values: tuple[float | None, ...]
    agreed: tuple[float | None, ...] = ()


def trend_of(view: ReportView) -> History | None:
    """The history when it makes a trend (this cycle and two or more before it) and this
    cycle's figures can be shown at all."""
    found = view.history
    if found is None or not found.is_trend or not view.report.result.shown:
        return None
    return found


def cycle_dates(found: History, language: str, timezone: str) -> list[str]:
    zone = ZoneInfo(timezone)
    return [format_date(p.opened_at.astimezone(zone).date(), "MMM yyyy", locale=language)
            for p in found.points]


def chapter_series(view: ReportView, language: str) -> list[SeriesRow]:
    found = trend_of(view)
    if found is None:
        return []
    model = view.report.model
    return [SeriesRow(c, model.chapter(c).title(language), found.chapter_series(c),
                      found.agreed_chapter(c, [e for e in found.element_ids
                                               if model.elements[e].chapter_id == c]))
            for c in found.chapter_ids]


def median_series(view: ReportView, language: str) -> dict[str, list[SeriesRow]]:
    """Per chapter, each topic's medians over the cycles (for the PDF's chapter pages)."""
    found = trend_of(view)
    if found is None:
        return {}
    model = view.report.model
    rows: dict[str, list[SeriesRow]] = {}
    for e in found.element_ids:
        element = model.elements[e]
        rows.setdefault(element.chapter_id, []).append(SeriesRow(
            e, element.title(language), found.median_series(e),
            tuple(p.agreed.get(e) for p in found.points)))
    return rows


def context(texts: Texts, language: str, view: ReportView) -> dict[str, Any]:
    """What the report templates get about the history; `has_trend` False hides all of it."""
    found = trend_of(view)
    if found is None:
        return {"has_trend": False, "trend_dates": [], "trend_chapters": [],
                "trend_medians": {}}
    return {"has_trend": True,
            "trend_dates": cycle_dates(found, language, view.report.team.timezone),
            "trend_chapters": chapter_series(view, language),
            "trend_medians": median_series(view, language)}


def trend_data(texts: Texts, language: str, view: ReportView) -> TrendData | None:
    found = trend_of(view)
    if found is None:
        return None
    words = texts.words(language, "report_words")
    rows = chapter_series(view, language)
    targets = view.targets
    return TrendData(
        words=TrendWords(title=str(words.trend_title), level=str(words.level),
                         hidden=str(words.hidden(view.report.result.threshold)),
                         agreed=str(words.agreed), target=str(words.target)),
        dates=tuple(cycle_dates(found, language, view.report.team.timezone)),
        labels=tuple(f"{row.id} {row.title}" for row in rows),
        levels=tuple(row.values for row in rows),
        agreed=tuple(row.agreed for row in rows),
        targets=tuple(targets.get(row.id) for row in rows))


def numbers(values: Sequence[float | None]) -> bool:
    return any(value is not None for value in values)
