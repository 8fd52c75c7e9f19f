"""One participant's answers turned into a maturity profile, and where they are in a survey.

"Not applicable" and "don't know" (both None here) are not low scores: they are left out of every
mean, so a person who cannot judge an element does not drag their chapter down. "Don't know" is
stored apart (`answers.dont_know`) because not knowing is a finding in itself: people lack
information. A tap carries it as `DONT_KNOW`, which never reaches a mean.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean

from domain.catalog import AssessmentModel

DONT_KNOW = -1
"""The answer "I don't know" on its way from a button to the database, where it is stored as no
level with its own mark."""


@dataclass(frozen=True, slots=True)
class ChapterScore:
    chapter_id: str
    mean: float | None
    answered: int
    not_applicable: int
    total: int


@dataclass(frozen=True, slots=True)
class Profile:
    chapters: tuple[ChapterScore, ...]
    overall: float | None


@dataclass(frozen=True, slots=True)
class Progress:
    answered: int
    total: int
    first_unanswered: int | None


def profile(model: AssessmentModel, scope_id: str, answers: Mapping[str, int | None]) -> Profile:
    """Mean level per chapter of the scope, and overall as the mean of the chapter means.

    Chapters weigh equally overall: a chapter with eight elements should not outweigh one with
    three, because the standard treats each chapter as one area of the organisation.
    """
    in_scope = set(model.scope(scope_id).element_ids)
    chapters: list[ChapterScore] = []
    for chapter in model.scope_chapters(scope_id):
        ids = [e for e in chapter.element_ids if e in in_scope]
        levels = [answers[e] for e in ids if answers.get(e) is not None]
        not_applicable = sum(1 for e in ids if e in answers and answers[e] is None)
        chapters.append(ChapterScore(
            chapter_id=chapter.id,
            mean=fmean(level for level in levels if level is not None) if levels else None,
            answered=len(levels),
            not_applicable=not_applicable,
            total=len(ids),
        ))
    means = [c.mean for c in chapters if c.mean is not None]
    return Profile(tuple(chapters), fmean(means) if means else None)


def progress(
    model: AssessmentModel, scope_id: str, answered_ids: Collection[str]
) -> Progress:
    element_ids = model.scope(scope_id).element_ids
    return Progress(
        answered=sum(1 for e in element_ids if e in answered_ids),
        total=len(element_ids),
        first_unanswered=next_position(element_ids, answered_ids, after_index=-1),
    )


def next_position(
    scope_element_ids: Sequence[str], answered_ids: Collection[str], after_index: int
) -> int | None:
    """The first unanswered element after `after_index`, else the first unanswered at all.

    After going back to change an earlier answer, a person jumps forward to where they left off
    instead of walking through everything they already answered.
    """
    for index in range(after_index + 1, len(scope_element_ids)):
        if scope_element_ids[index] not in answered_ids:
            return index
    for index in range(min(after_index + 1, len(scope_element_ids))):
        if scope_element_ids[index] not in answered_ids:
            return index
    return None
