"""A team's answers turned into the figures a management team discusses.

Anonymity is decided here, once, so no report, chart, export or group breakdown can show a figure
that fewer than `threshold` people produced: below it, a figure does not exist (it is None).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from math import log2
from statistics import fmean, median, pstdev

from domain.catalog import LEVELS, AssessmentModel

AnswerSet = Mapping[str, int | None]
"""One person's answers: element id → level 1..5, or None for "not applicable / don't know"."""


class Consensus(StrEnum):
    """How much a team agrees on one element, read from Tastle and Wierman's consensus measure."""

    STRONG = "strong"      # consensus ≥ 0.8: practically everyone picked the same or a neighbour
    MODERATE = "moderate"  # consensus ≥ 0.6
    WEAK = "weak"          # people see this element very differently: worth a conversation


@dataclass(frozen=True, slots=True)
class ElementResult:
    element_id: str
    chapter_id: str
    answered: int
    not_applicable: int
    mean: float | None
    median: float | None
    spread: float | None
    distribution: tuple[int, int, int, int, int] | None
    agreement: float | None
    """Tastle and Wierman's consensus: 1 when everyone agrees, 0 when split between the extremes."""

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

    @property
    def shown(self) -> bool:
        return self.respondents >= self.threshold

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
    model: AssessmentModel, scope_id: str, answer_sets: Sequence[AnswerSet], threshold: int
) -> TeamResult:
    """Per element, chapter and overall; every figure from fewer than `threshold` people is None.

    A chapter's level is the mean of its element means, and the overall level the mean of the
    chapter levels, so each element and each chapter weighs the same however many people answered
    it.
    """
    if threshold < 1:
        raise ValueError("the anonymity threshold must be at least 1")
    respondents = len(answer_sets)
    elements: dict[str, ElementResult] = {}
    for element in model.scope_elements(scope_id):
        levels = [a[element.id] for a in answer_sets if a.get(element.id) is not None]
        known = [level for level in levels if level is not None]
        not_applicable = sum(1 for a in answer_sets if element.id in a and a[element.id] is None)
        visible = respondents >= threshold and len(known) >= threshold
        spread = pstdev(known) if visible else None
        elements[element.id] = ElementResult(
            element_id=element.id,
            chapter_id=element.chapter_id,
            answered=len(known),
            not_applicable=not_applicable,
            mean=fmean(known) if visible else None,
            median=float(median(known)) if visible else None,
            spread=spread,
            distribution=_distribution(known) if visible else None,
            agreement=agreement_of(known) if visible else None,
        )
    chapters = []
    for chapter in model.scope_chapters(scope_id):
        ids = tuple(e for e in model.scope(scope_id).element_ids
                    if model.elements[e].chapter_id == chapter.id)
        means = [m for e in ids if (m := elements[e].mean) is not None]
        chapters.append(ChapterResult(chapter.id, fmean(means) if means else None, ids))
    chapter_means = [c.mean for c in chapters if c.mean is not None]
    return TeamResult(
        model_id=model.id, scope_id=scope_id, respondents=respondents, threshold=threshold,
        chapters=tuple(chapters), elements=elements,
        overall=fmean(chapter_means) if chapter_means else None,
    )


def _distribution(levels: Sequence[int]) -> tuple[int, int, int, int, int]:
    counts = tuple(sum(1 for level in levels if level == wanted) for wanted in LEVELS)
    return counts  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class GroupResult:
    group: str
    result: TeamResult


def by_group(
    model: AssessmentModel, scope_id: str, answer_sets: Sequence[tuple[str | None, AnswerSet]],
    threshold: int,
) -> tuple[GroupResult, ...]:
    """One result per stakeholder group that can be shown without revealing anyone.

    A group is shown only if it has at least `threshold` people *and* the rest of the team does too
    (or is empty): otherwise "team minus group" would expose the answers of the few left over.
    Leaving small groups out entirely keeps their size private as well.
    """
    groups = sorted({group for group, _ in answer_sets if group})
    results = []
    for group in groups:
        members = [answers for g, answers in answer_sets if g == group]
        rest = len(answer_sets) - len(members)
        if len(members) >= threshold and (rest == 0 or rest >= threshold):
            results.append(GroupResult(group, aggregate(model, scope_id, members, threshold)))
    return tuple(results)


def subset_result(
    model: AssessmentModel, scope_id: str, subset: Sequence[AnswerSet], team_size: int,
    threshold: int,
) -> TeamResult | None:
    """A part of the team (e.g. its managers) under the same rule as a group; None if hidden."""
    rest = team_size - len(subset)
    if len(subset) < threshold or 0 < rest < threshold:
        return None
    return aggregate(model, scope_id, subset, threshold)
