"""A team's answers turned into the figures a management team discusses.

Anonymity is decided here, once, by the rule in `domain.disclosure`, so no report, chart, export
or group breakdown can show a figure that fewer than `threshold` people other than the viewer
produced: such a figure does not exist (it is None). `team_figures` is the one entry point for
a report; `aggregate` alone serves comparisons and tests.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from math import log2
from statistics import fmean, median, pstdev

from domain import disclosure
from domain.catalog import LEVELS, AssessmentModel
from domain.disclosure import AnswerSet, Respondent, as_respondent

__all__ = ["AnswerSet", "Respondent"]


INFORMATION_GAP = Fraction(1, 3)
"""From this share of "don't know" on, a topic is an information gap on the meeting's agenda."""


class Consensus(StrEnum):
    """How much a team agrees on one element, read from Tastle and Wierman's consensus measure."""

    STRONG = "strong"      # consensus ≥ 0.8: practically everyone picked the same or a neighbour
    MODERATE = "moderate"  # consensus ≥ 0.6
    WEAK = "weak"          # people see this element very differently: worth a conversation


@dataclass(frozen=True, slots=True)
class ElementResult:
    element_id: str
    chapter_id: str
    answered: int | None
    not_applicable: int | None
    mean: float | None
    median: float | None
    spread: float | None
    distribution: tuple[int, int, int, int, int] | None
    agreement: float | None
    """Tastle and Wierman's consensus: 1 when everyone agrees, 0 when split between the extremes."""
    dont_know: int | None = None
    """How many did not know (`disclosure.unknown_count`); not counted in `not_applicable`."""
    information_gap: bool = False
    """At least `INFORMATION_GAP` of those who answered the topic did not know."""

    @property
    def consensus(self) -> Consensus | None:
        if self.agreement is None:
            return None
        if self.agreement >= 0.8:
            return Consensus.STRONG
        return Consensus.MODERATE if self.agreement >= 0.6 else Consensus.WEAK

    @property
    def shown(self) -> bool:
        return self.mean is not None


@dataclass(frozen=True, slots=True)
class ChapterResult:
    chapter_id: str
    mean: float | None
    element_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TeamResult:
    model_id: str
    scope_id: str
    respondents: int
    threshold: int
    chapters: tuple[ChapterResult, ...]
    elements: Mapping[str, ElementResult]
    overall: float | None
    disclosed: bool = True
    """False while the cycle is open or with fewer than `threshold` respondents but the viewer."""

    @property
    def shown(self) -> bool:
        return self.disclosed

    def chapter(self, chapter_id: str) -> ChapterResult:
        return next(c for c in self.chapters if c.chapter_id == chapter_id)


def agreement_of(levels: Sequence[int]) -> float:
    """Tastle and Wierman (2007): 1 + Σ pᵢ·log₂(1 − |i − μ| / (5 − 1)) over the levels chosen.

    Unlike the standard deviation it is made for ordinal scales: a team split evenly between 1 and
    5 scores 0, and a team on one level scores 1, whatever the level.
    """
    mean = fmean(levels)
    width = LEVELS[-1] - LEVELS[0]
    total = 0.0
    for level in set(levels):
        share = levels.count(level) / len(levels)
        total += share * log2(1 - abs(level - mean) / width)
    return max(0.0, min(1.0, 1 + total))


def aggregate(
    model: AssessmentModel, scope_id: str, people: Sequence[Respondent | AnswerSet],
    threshold: int, *, allowed: Collection[str] | None = None, closed: bool = True,
) -> TeamResult:
    """Per element, chapter and overall; a figure from fewer than `threshold` others is None.

    `allowed` narrows the elements further (a group breakdown may not show every element), and
    nothing is shown while the cycle is open. A chapter's level is the mean of its element means,
    and the overall level the mean of the chapter levels, so each element and each chapter weighs
    the same however many people answered it.
    """
    disclosure.check_threshold(threshold)
    everyone = [as_respondent(p) for p in people]
    disclosed = closed and disclosure.enough(disclosure.others(everyone), threshold)
    elements: dict[str, ElementResult] = {}
    for element in model.scope_elements(scope_id):
        known = [level for p in everyone if (level := p.answers.get(element.id)) is not None]
        from_others = sum(1 for p in everyone
                          if not p.is_viewer and p.answers.get(element.id) is not None)
        visible = (disclosed and disclosure.enough(from_others, threshold)
                   and (allowed is None or element.id in allowed))
        unknown = (disclosure.unknown_count(everyone, element.id, threshold)
                   if disclosed and (allowed is None or element.id in allowed) else None)
        responded = sum(1 for p in everyone if element.id in p.answers)
        elements[element.id] = ElementResult(
            element_id=element.id,
            chapter_id=element.chapter_id,
            answered=len(known) if visible else None,
            not_applicable=sum(1 for p in everyone if element.id in p.answers
                               and p.answers[element.id] is None
                               and element.id not in p.unknown) if visible else None,
            mean=fmean(known) if visible else None,
            median=float(median(known)) if visible else None,
            spread=pstdev(known) if visible else None,
            distribution=_distribution(known) if visible else None,
            agreement=agreement_of(known) if visible else None,
            dont_know=unknown,
            information_gap=bool(unknown) and unknown is not None
            and Fraction(unknown, responded) >= INFORMATION_GAP,
        )
    chapters = []
    for chapter in model.scope_chapters(scope_id):
        ids = tuple(e for e in model.scope(scope_id).element_ids
                    if model.elements[e].chapter_id == chapter.id)
        means = [m for e in ids if (m := elements[e].mean) is not None]
        chapters.append(ChapterResult(chapter.id, fmean(means) if means else None, ids))
    chapter_means = [c.mean for c in chapters if c.mean is not None]
    return TeamResult(
        model_id=model.id, scope_id=scope_id, respondents=len(everyone), threshold=threshold,
        chapters=tuple(chapters), elements=elements,
        overall=fmean(chapter_means) if chapter_means else None, disclosed=disclosed,
    )


def _distribution(levels: Sequence[int]) -> tuple[int, int, int, int, int]:
    counts = tuple(sum(1 for level in levels if level == wanted) for wanted in LEVELS)
    return counts  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class GroupResult:
    group: str
    result: TeamResult


@dataclass(frozen=True, slots=True)
class TeamFigures:
    """Everything one viewer may see of one cycle: the team, and the parts shown beside it."""

    team: TeamResult
    groups: tuple[GroupResult, ...]
    managers: TeamResult | None


def team_figures(
    model: AssessmentModel, scope_id: str, people: Sequence[Respondent], threshold: int, *,
    closed: bool,
) -> TeamFigures:
    """The team, its stakeholder groups and its managers, as far as `domain.disclosure` allows.

    Groups are offered in name order, then the managers; `disclosure.breakdown` keeps those that
    can be shown together (from who answered and their group and role, never from the answers).
    Per element, the parts carry a figure only if no atom of the shown parts gives away fewer
    than k answers; the team figure itself needs only its own k.
    """
    team = aggregate(model, scope_id, people, threshold, closed=closed)
    if not team.disclosed:
        return TeamFigures(team, (), None)
    names = sorted({p.group for p in people if p.group})
    candidates = [frozenset(i for i, p in enumerate(people) if p.group == name)
                  for name in names]
    candidates.append(frozenset(i for i, p in enumerate(people) if p.is_manager))
    chosen = disclosure.breakdown(people, candidates, threshold)
    if not chosen:
        return TeamFigures(team, (), None)
    cells = disclosure.atoms(len(people), [candidates[c] for c in chosen])
    allowed = frozenset(e for e in model.scope(scope_id).element_ids
                        if disclosure.element_allowed(people, cells, e, threshold))

    def part(members: frozenset[int]) -> TeamResult:
        return aggregate(model, scope_id, [people[i] for i in sorted(members)], threshold,
                         allowed=allowed)

    groups = tuple(GroupResult(names[c], part(candidates[c])) for c in chosen if c < len(names))
    managers = part(candidates[-1]) if len(names) in chosen else None
    return TeamFigures(team, groups, managers)
