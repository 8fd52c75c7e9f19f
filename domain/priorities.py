"""Which elements to improve first, with the reasons a management team can check and argue with.

The ranking is deliberately simple and explainable: the gap to the team's target level counts most,
then a low level as such, then disagreement (a weak consensus means people see the element
differently, which is itself worth discussing before anything is improved).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from domain.aggregation import Consensus, TeamResult

DEFAULT_TARGET = 4
"""Without a target of their own, teams aim for level 4: improvement built into daily work."""


class Reason(StrEnum):
    BELOW_TARGET = "below_target"
    LOW_LEVEL = "low_level"
    DISAGREEMENT = "disagreement"
    WORSENED = "worsened"


@dataclass(frozen=True, slots=True)
class Priority:
    element_id: str
    mean: float
    target: int | None
    """None where there is no target (an organisation without targets of its own)."""
    gap: float
    weight: float
    reasons: tuple[Reason, ...]


def priorities(
    result: TeamResult,
    targets: Mapping[str, int] | None = None,
    previous: TeamResult | None = None,
    limit: int = 3,
    default_target: int | None = DEFAULT_TARGET,
) -> tuple[Priority, ...]:
    """The `limit` elements most worth improving, strongest case first; ties by model order.

    An element without a target of its own is measured against `default_target`; with None
    (an organisation report) it is never "below target", only low, disputed or worse."""
    targets = targets or {}
    ranked: list[tuple[float, int, Priority]] = []
    for order, element in enumerate(result.elements.values()):
        if element.mean is None:
            continue
        target = targets.get(element.element_id, default_target)
        gap = max(target - element.mean, 0.0) if target is not None else 0.0
        reasons: list[Reason] = []
        weight = 2.0 * gap
        if gap > 0:
            reasons.append(Reason.BELOW_TARGET)
        if element.mean < 2.5:
            reasons.append(Reason.LOW_LEVEL)
            weight += 2.5 - element.mean
        if element.consensus is Consensus.WEAK:
            reasons.append(Reason.DISAGREEMENT)
            weight += 0.5
        before = previous.elements.get(element.element_id) if previous else None
        if before is not None and before.mean is not None and element.mean < before.mean - 0.25:
            reasons.append(Reason.WORSENED)
            weight += before.mean - element.mean
        if reasons and weight > 0:
            ranked.append((-weight, order, Priority(
                element.element_id, element.mean, target, gap, round(weight, 3), tuple(reasons))))
    ranked.sort(key=lambda item: (item[0], item[1]))
    return tuple(priority for _, _, priority in ranked[:limit])


@dataclass(frozen=True, slots=True)
class Change:
    """One chapter or element, before and after."""

    id: str
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


def trend(current: TeamResult, previous: TeamResult | None) -> tuple[Change, ...]:
    """Chapter by chapter against the previous cycle (chapters new to this cycle have no before)."""
    before = {c.chapter_id: c.mean for c in previous.chapters} if previous else {}
    return tuple(Change(c.chapter_id, before.get(c.chapter_id), c.mean) for c in current.chapters)
