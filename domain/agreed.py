"""Where the team moved since it last agreed: a cycle's medians against the levels agreed before.

An agreed level is the management team's collective judgement, recorded in its meeting, and is
shown without a threshold. A median is a figure and obeys the disclosure rule: where the rule hides
it, the comparison is left out as well. "Above what you agreed" beside a known agreed level would
otherwise say on which side of it the hidden median lies, and a count of "above" and "below"
would say it for the one element left over, so only elements whose median is shown are counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from domain.aggregation import TeamResult


class Direction(StrEnum):
    ABOVE = "above"
    SAME = "same"
    BELOW = "below"


@dataclass(frozen=True, slots=True)
class SinceAgreed:
    element_id: str
    agreed: int
    median: float

    @property
    def direction(self) -> Direction:
        if self.median > self.agreed:
            return Direction.ABOVE
        return Direction.BELOW if self.median < self.agreed else Direction.SAME


@dataclass(frozen=True, slots=True)
class Movement:
    """The comparison for every element that has both a shown median and an earlier agreement."""

    elements: tuple[SinceAgreed, ...]

    def count(self, direction: Direction) -> int:
        return sum(1 for e in self.elements if e.direction is direction)

    def ids(self, direction: Direction) -> tuple[str, ...]:
        return tuple(e.element_id for e in self.elements if e.direction is direction)

    def of(self, element_id: str) -> SinceAgreed | None:
        return next((e for e in self.elements if e.element_id == element_id), None)


def since_agreed(result: TeamResult, last_agreed: Mapping[str, int]) -> Movement:
    """Per element in the result's order: its median against the level agreed last time.

    Nothing while the result is not shown (an open cycle, too few respondents), and nothing for an
    element whose median is hidden.
    """
    if not result.shown:
        return Movement(())
    return Movement(tuple(
        SinceAgreed(element_id, last_agreed[element_id], element.median)
        for element_id, element in result.elements.items()
        if element.median is not None and element_id in last_agreed))
