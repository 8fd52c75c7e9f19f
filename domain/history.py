"""A team's history: every cycle of one edition on one line, read from each cycle's own report.

The history adds no figure of its own. Each point is copied from the report its reader gets for
that cycle (`TeamResult`, already cut by the disclosure rule for that reader and that cycle), and
a figure the report hides stays None: a gap in the line, never a zero, never filled in from the
neighbours. Nothing here subtracts, averages or otherwise combines two cycles, so a reader who
sees every cycle's report learns nothing more from the series (`tests/domain/test_adversary.py`
checks that the series is a function of the reports alone).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from domain.aggregation import TeamResult

MINIMUM_CYCLES = 3
"""A trend needs this cycle and two or more earlier ones; with fewer the report already compares
with the previous cycle."""


@dataclass(frozen=True, slots=True)
class CyclePoint:
    """One cycle as its reader's report shows it; None wherever that report hides the figure."""

    cycle_id: int
    opened_at: datetime
    closed_at: datetime
    chapters: Mapping[str, float | None]
    """Chapter id → the chapter's level (the mean of its element means)."""
    medians: Mapping[str, float | None]
    """Element id → the median answer."""
    agreed: Mapping[str, int] = field(default_factory=dict)
    """Element id → the level the management team agreed after this cycle (no threshold: it is
    their collective judgement, shown in the report as it is)."""
    shown: bool = True


@dataclass(frozen=True, slots=True)
class History:
    points: tuple[CyclePoint, ...]
    """Oldest first."""
    chapter_ids: tuple[str, ...]
    element_ids: tuple[str, ...]

    @property
    def is_trend(self) -> bool:
        return len(self.points) >= MINIMUM_CYCLES

    def chapter_series(self, chapter_id: str) -> tuple[float | None, ...]:
        return tuple(point.chapters.get(chapter_id) for point in self.points)

    def median_series(self, element_id: str) -> tuple[float | None, ...]:
        return tuple(point.medians.get(element_id) for point in self.points)

    def agreed_chapter(self, chapter_id: str, element_ids: Sequence[str]) -> tuple[
            float | None, ...]:
        """Per cycle, the mean of the levels agreed for the chapter's elements, where any were."""
        series = []
        for point in self.points:
            levels = [point.agreed[e] for e in element_ids if e in point.agreed]
            series.append(sum(levels) / len(levels) if levels else None)
        return tuple(series)


def point(cycle_id: int, opened_at: datetime, closed_at: datetime, result: TeamResult,
          agreed: Mapping[str, int] | None = None) -> CyclePoint:
    """A cycle's point, copied from its reader's result and nothing else."""
    return CyclePoint(
        cycle_id, opened_at, closed_at,
        {c.chapter_id: c.mean if result.shown else None for c in result.chapters},
        {e.element_id: e.median if result.shown else None for e in result.elements.values()},
        dict(agreed or {}), result.shown)


def history(points: Sequence[CyclePoint], chapter_ids: Sequence[str],
            element_ids: Sequence[str]) -> History:
    """The points in the order the cycles were held (oldest first)."""
    ordered = tuple(sorted(points, key=lambda p: (p.opened_at, p.cycle_id)))
    return History(ordered, tuple(chapter_ids), tuple(element_ids))
