"""Answering a survey: every tap is self-contained, validated and stored before anything is shown.

A participant's position is never kept in memory: it is derived from the stored answers each time,
so a restart, a second worker or a redelivered update all see the same truth.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.db.models import Cycle, Team
from bot.db.queries import survey as survey_queries
from bot.db.repositories import Participation, Repository
from bot.services import org_cycles
from domain.catalog import AssessmentModel, Chapter, Element, load_model
from domain.scoring import DONT_KNOW, next_position

MAX_REMARK_LENGTH = 2000
MAX_EXAMPLE_LENGTH = 300


class AnswerRefusal(StrEnum):
    """Why a tap was not applied; each has its own friendly explanation."""

    UNKNOWN_SURVEY = "unknown_survey"
    NOT_YOURS = "not_yours"
    CLOSED = "closed"
    INVALID = "invalid"
    STALE = "stale"
    ELSEWHERE = "elsewhere"  # answered already in another team's part of the organisation cycle


@dataclass(frozen=True, slots=True)
class SurveyView:
    """What the survey message shows: one element, or the summary when `index` is None."""

    cycle_id: int
    team_name: str
    timezone: str
    model: AssessmentModel
    scope_id: str
    deadline: datetime
    index: int | None
    answers: Mapping[str, int | None]
    completed: bool
    message_id: int | None
    language: str | None
    """The participant's chosen language, read along with the survey."""
    unknown: frozenset[str] = frozenset()
    """Elements answered "don't know" (their level in `answers` is None, as for not applicable)."""

    @property
    def element_ids(self) -> tuple[str, ...]:
        return self.model.scope(self.scope_id).element_ids

    @property
    def element(self) -> Element:
        assert self.index is not None
        return self.model.elements[self.element_ids[self.index]]

    @property
    def chapter(self) -> Chapter:
        return self.model.chapter(self.element.chapter_id)

    @property
    def total(self) -> int:
        return len(self.element_ids)

    @property
    def answered(self) -> int:
        return sum(1 for element_id in self.element_ids if element_id in self.answers)

    @property
    def current_answer(self) -> int | None:
        return self.answers.get(self.element.id)

    @property
    def is_answered(self) -> bool:
        return self.element.id in self.answers

    @property
    def current_choice(self) -> int | None:
        """The tapped button: a level, None for not applicable, `DONT_KNOW`."""
        return DONT_KNOW if self.element.id in self.unknown else self.current_answer


@dataclass(frozen=True, slots=True)
class AnswerOutcome:
    view: SurveyView
    finished_chapter: Chapter | None


@dataclass(frozen=True, slots=True)
class _Context:
    participation: Participation
    response_id: int
    model: AssessmentModel


async def _locate(
    repo: Repository, user_id: int, cycle_id: int, now: datetime
) -> _Context | AnswerRefusal:
    found = await repo.participation(cycle_id, user_id)
    if found is None:
        return AnswerRefusal.UNKNOWN_SURVEY
    if found.membership_id is None or not found.active:
        return AnswerRefusal.NOT_YOURS
    if found.closed_at is not None or found.deadline <= now:
        return AnswerRefusal.CLOSED
    if found.response_id is None:
        if found.organisation_cycle_id is not None and await _answering_elsewhere(
                repo, cycle_id, user_id):
            return AnswerRefusal.ELSEWHERE
        found = await repo.start_response(found, now)
    assert found.response_id is not None
    return _Context(found, found.response_id, load_model(found.model_id))


async def _answering_elsewhere(repo: Repository, cycle_id: int, user_id: int) -> bool:
    """One response per person per organisation cycle (`bot.services.org_cycles`): checked only
    when a response would be started, so a tap on a survey already begun costs nothing more."""
    cycle = await repo.cycle(cycle_id)
    return cycle is not None and (
        await org_cycles.response_elsewhere(repo, cycle, user_id) is not None)


def _view(
    context: _Context, answers: Mapping[str, int | None], index: int | None, *,
    completed: bool | None = None, unknown: frozenset[str] = frozenset(),
) -> SurveyView:
    participation = context.participation
    return SurveyView(
        cycle_id=participation.cycle_id,
        team_name=participation.team_name,
        timezone=participation.timezone,
        model=context.model,
        scope_id=participation.scope_id,
        deadline=participation.deadline,
        index=index,
        answers=answers,
        completed=participation.completed_at is not None if completed is None else completed,
        message_id=participation.message_id,
        language=participation.language,
        unknown=unknown,
    )


async def show(
    repo: Repository, user_id: int, cycle_id: int, now: datetime, index: int | None = None
) -> SurveyView | AnswerRefusal:
    """The element at `index`, or where the person left off (the first unanswered element)."""
    context = await _locate(repo, user_id, cycle_id, now)
    if isinstance(context, AnswerRefusal):
        return context
    answers, unknown = await repo.answer_sheet(context.response_id)
    element_ids = context.model.scope(context.participation.scope_id).element_ids
    if index is None:
        index = next_position(element_ids, frozenset(answers), after_index=-1)
    elif not 0 <= index < len(element_ids):
        return AnswerRefusal.INVALID
    return _view(context, answers, index, unknown=unknown)


async def answer(
    repo: Repository,
    user_id: int,
    cycle_id: int,
    index: int,
    level: int | None,
    message_id: int | None,
    now: datetime,
) -> AnswerOutcome | AnswerRefusal:
    """Store one answer (idempotently) and say what comes next. `level` is 1-5, None for "not
    applicable" or `DONT_KNOW`; the last two store no level, "don't know" with its own mark."""
    context = await _locate(repo, user_id, cycle_id, now)
    if isinstance(context, AnswerRefusal):
        return context
    element_ids = context.model.scope(context.participation.scope_id).element_ids
    dont_know = level == DONT_KNOW
    if dont_know:
        level = None
    if not 0 <= index < len(element_ids) or (level is not None and not 1 <= level <= 5):
        return AnswerRefusal.INVALID
    if message_id is not None and context.participation.message_id not in (None, message_id):
        return AnswerRefusal.STALE
    before, unknown = await repo.answer_sheet(context.response_id)
    element = context.model.elements[element_ids[index]]
    await repo.save_answer(context.response_id, element.id, level, now, dont_know=dont_know)
    answers = {**before, element.id: level}
    unknown = unknown | {element.id} if dont_know else unknown - {element.id}
    chapter = context.model.chapter(element.chapter_id)
    in_scope = [e for e in chapter.element_ids if e in element_ids]
    # A remark is offered per chapter in every scope (also the quick scan's one-element chapters):
    # the next screen carries the offer, so it never costs an extra tap. It depends only on the
    # stored answers and the tapped element, so a double tap draws the very same screen.
    finished_now = element.id == in_scope[-1] and all(e in answers for e in in_scope)
    next_index = next_position(element_ids, frozenset(answers), after_index=index)
    return AnswerOutcome(_view(context, answers, next_index, unknown=unknown),
                         chapter if finished_now else None)


async def save_remark(
    repo: Repository, user_id: int, cycle_id: int, chapter_id: str, text: str, now: datetime
) -> SurveyView | AnswerRefusal:
    context = await _locate(repo, user_id, cycle_id, now)
    if isinstance(context, AnswerRefusal):
        return context
    if chapter_id not in {c.id for c in context.model.chapters}:
        return AnswerRefusal.INVALID
    cleaned = text.strip()[:MAX_REMARK_LENGTH]
    if cleaned:
        await repo.save_remark(context.response_id, chapter_id, cleaned, now)
    return await show(repo, user_id, cycle_id, now)


async def save_example(
    repo: Repository, user_id: int, cycle_id: int, index: int, text: str, now: datetime
) -> SurveyView | AnswerRefusal:
    """The one-line reason behind an answered level; anonymous like a remark (see reports)."""
    context = await _locate(repo, user_id, cycle_id, now)
    if isinstance(context, AnswerRefusal):
        return context
    element_ids = context.model.scope(context.participation.scope_id).element_ids
    if not 0 <= index < len(element_ids):
        return AnswerRefusal.INVALID
    cleaned = " ".join(text.split())[:MAX_EXAMPLE_LENGTH]
    if cleaned:
        await survey_queries.save_example(repo, context.response_id, element_ids[index],
                                          cleaned, now)
    return await show(repo, user_id, cycle_id, now)


async def confirm(
    repo: Repository, user_id: int, cycle_id: int, now: datetime
) -> SurveyView | AnswerRefusal:
    """Mark the response complete; only possible once every element has an answer."""
    context = await _locate(repo, user_id, cycle_id, now)
    if isinstance(context, AnswerRefusal):
        return context
    answers = await repo.answers(context.response_id)
    element_ids = context.model.scope(context.participation.scope_id).element_ids
    if any(e not in answers for e in element_ids):
        return AnswerRefusal.INVALID
    if context.participation.completed_at is None:
        await repo.complete_response(context.response_id, now)
    return _view(context, answers, None, completed=True)


async def remember_message(repo: Repository, user_id: int, cycle_id: int, message_id: int) -> None:
    """The survey message that is edited in place; taps on any other message are stale."""
    found = await repo.participation(cycle_id, user_id)
    if found is not None and found.response_id is not None:
        await repo.set_survey_message(found.response_id, message_id)


async def open_surveys(
    repo: Repository, user_id: int, now: datetime
) -> list[tuple[Cycle, Team, bool]]:
    """The person's open surveys, each with whether they already confirmed it.

    An organisation cycle is one survey, however many of its teams the person is in: the one
    where their response is, or else their first team's (`bot.services.org_cycles`)."""
    found: list[tuple[Cycle, Team, bool]] = []
    seen: dict[int, int] = {}  # organisation cycle -> its index in `found`
    for cycle, team, membership in sorted(await repo.open_cycles_for(user_id),
                                          key=lambda row: (row[0].deadline, row[1].id)):
        if cycle.deadline <= now:
            continue
        response = await repo.response(cycle.id, membership.id)
        entry = (cycle, team, response is not None and response.completed_at is not None)
        shared = cycle.organisation_cycle_id
        if shared is None:
            found.append(entry)
        elif shared not in seen:
            seen[shared] = len(found)
            found.append(entry)
        elif response is not None:  # started here: this is where the person answers
            found[seen[shared]] = entry
    return found
