"""Answering a survey, at the service level, on the real database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Example
from bot.db.repositories import Repository
from bot.services import cycles, joining, survey, teams
from bot.services.survey import AnswerOutcome, AnswerRefusal, SurveyView
from tests.support.clock import FixedClock

MANAGER, ANNA, OUTSIDER = 1, 2, 3


@dataclass
class Story:
    sessions: async_sessionmaker[AsyncSession]
    clock: FixedClock
    cycle_id: int
    invite: str

    async def answer(self, user: int, index: int, level: int | None,
                     message_id: int | None = None) -> AnswerOutcome | AnswerRefusal:
        async with self.sessions.begin() as session:
            return await survey.answer(Repository(session), user, self.cycle_id, index, level,
                                       message_id, self.clock.now())

    async def show(self, user: int, index: int | None = None) -> SurveyView | AnswerRefusal:
        async with self.sessions.begin() as session:
            return await survey.show(Repository(session), user, self.cycle_id, self.clock.now(),
                                     index)


async def _story(sessions: async_sessionmaker[AsyncSession], clock: FixedClock,
                 scope: str) -> Story:
    now = clock.now()
    async with sessions.begin() as session:
        repo = Repository(session)
        for user, name in ((MANAGER, "Manon"), (ANNA, "Anna"), (OUTSIDER, "Otto")):
            await repo.touch_person(user, name, "nl", now)
        team, _ = await teams.create_team(repo, "Zorg", MANAGER, teams.TeamSettings(), now)
        invite = await teams.create_invite(repo, team.id, MANAGER, None, now)
        await joining.join(repo, invite.token, ANNA, None, now)
        cycle = await cycles.open_cycle(repo, team.id, scope, now + timedelta(days=7),
                                        MANAGER, now)
    return Story(sessions, clock, cycle.id, invite.token)


@pytest.fixture
async def quick_scan(sessions: async_sessionmaker[AsyncSession],
                     clock: FixedClock) -> AsyncIterator[Story]:
    return await _story(sessions, clock, "quick")


@pytest.fixture
async def full_assessment(sessions: async_sessionmaker[AsyncSession],
                          clock: FixedClock) -> AsyncIterator[Story]:
    return await _story(sessions, clock, "full")


async def test_a_new_participant_starts_at_the_first_element(quick_scan: Story) -> None:
    view = await quick_scan.show(ANNA)
    assert isinstance(view, SurveyView)
    assert view.index == 0 and view.answered == 0 and view.total == 7


async def test_each_answer_is_stored_and_leads_to_the_next_unanswered(quick_scan: Story) -> None:
    first = await quick_scan.answer(ANNA, 0, 3)
    assert isinstance(first, AnswerOutcome) and first.view.index == 1
    await quick_scan.answer(ANNA, 2, None)  # not applicable counts as answered
    back_to_second = await quick_scan.answer(ANNA, 0, 4)
    assert isinstance(back_to_second, AnswerOutcome)
    assert back_to_second.view.index == 1
    assert back_to_second.view.answers == {
        back_to_second.view.element_ids[0]: 4, back_to_second.view.element_ids[2]: None}


async def test_the_same_tap_twice_leaves_one_answer(quick_scan: Story) -> None:
    await quick_scan.answer(ANNA, 0, 3)
    await quick_scan.answer(ANNA, 0, 3)
    view = await quick_scan.show(ANNA)
    assert isinstance(view, SurveyView) and view.answered == 1


@pytest.mark.parametrize(("index", "level"), [(-1, 3), (7, 3), (0, 6), (0, 0)])
async def test_an_impossible_answer_is_refused(quick_scan: Story, index: int, level: int) -> None:
    assert await quick_scan.answer(ANNA, index, level) is AnswerRefusal.INVALID
    view = await quick_scan.show(ANNA)
    assert isinstance(view, SurveyView) and view.answered == 0


async def test_someone_outside_the_team_cannot_answer(quick_scan: Story) -> None:
    assert await quick_scan.answer(OUTSIDER, 0, 3) is AnswerRefusal.NOT_YOURS


async def test_after_the_deadline_answers_are_refused(quick_scan: Story) -> None:
    await quick_scan.answer(ANNA, 0, 3)
    quick_scan.clock.advance(timedelta(days=7, seconds=1))
    assert await quick_scan.answer(ANNA, 1, 3) is AnswerRefusal.CLOSED


async def test_a_tap_on_another_message_than_the_survey_message_is_stale(
    quick_scan: Story,
) -> None:
    await quick_scan.show(ANNA)  # the bot shows the survey, then remembers its message
    async with quick_scan.sessions.begin() as session:
        await survey.remember_message(Repository(session), ANNA, quick_scan.cycle_id, 50)
    assert await quick_scan.answer(ANNA, 0, 3, message_id=49) is AnswerRefusal.STALE
    assert isinstance(await quick_scan.answer(ANNA, 0, 3, message_id=50), AnswerOutcome)


async def test_confirming_needs_every_element_answered(quick_scan: Story) -> None:
    async with quick_scan.sessions.begin() as session:
        refused = await survey.confirm(Repository(session), ANNA, quick_scan.cycle_id,
                                       quick_scan.clock.now())
    assert refused is AnswerRefusal.INVALID
    for index in range(7):
        await quick_scan.answer(ANNA, index, 1 + index % 5)
    async with quick_scan.sessions.begin() as session:
        confirmed = await survey.confirm(Repository(session), ANNA, quick_scan.cycle_id,
                                         quick_scan.clock.now())
    assert isinstance(confirmed, SurveyView) and confirmed.completed


async def test_finishing_a_chapter_of_the_full_assessment_offers_a_remark_once(
    full_assessment: Story,
) -> None:
    view = await full_assessment.show(ANNA)
    assert isinstance(view, SurveyView)
    first_chapter = view.chapter
    size = sum(1 for e in view.element_ids
               if view.model.elements[e].chapter_id == first_chapter.id)
    outcomes = [await full_assessment.answer(ANNA, i, 3) for i in range(size)]
    finished = [o.finished_chapter for o in outcomes if isinstance(o, AnswerOutcome)]
    assert finished[:-1] == [None] * (size - 1)
    assert finished[-1] == first_chapter
    again = await full_assessment.answer(ANNA, 0, 4)
    assert isinstance(again, AnswerOutcome) and again.finished_chapter is None


async def test_the_quick_scan_offers_a_remark_on_each_single_element_chapter(
    quick_scan: Story,
) -> None:
    outcome = await quick_scan.answer(ANNA, 0, 3)
    assert isinstance(outcome, AnswerOutcome) and outcome.finished_chapter is not None
    assert outcome.finished_chapter.id == outcome.view.model.elements[
        outcome.view.element_ids[0]].chapter_id
    again = await quick_scan.answer(ANNA, 0, 3)  # the same tap again: the same offer
    assert isinstance(again, AnswerOutcome) and again.finished_chapter == outcome.finished_chapter


async def _examples(story: Story) -> dict[str, str]:
    async with story.sessions() as session:
        return dict((await session.execute(select(Example.element_id, Example.text))).all())


async def test_an_example_is_one_line_kept_per_topic_and_replaced_when_rewritten(
    quick_scan: Story,
) -> None:
    await quick_scan.answer(ANNA, 1, 4)
    async with quick_scan.sessions.begin() as session:
        shown = await survey.save_example(Repository(session), ANNA, quick_scan.cycle_id, 1,
                                          "  Onze missie\n hangt   overal ", quick_scan.clock.now())
    assert isinstance(shown, SurveyView) and shown.index == 0  # back where Anna left off
    element_id = shown.element_ids[1]
    assert await _examples(quick_scan) == {element_id: "Onze missie hangt overal"}
    async with quick_scan.sessions.begin() as session:
        await survey.save_example(Repository(session), ANNA, quick_scan.cycle_id, 1,
                                  "x" * 1000, quick_scan.clock.now())
    assert await _examples(quick_scan) == {element_id: "x" * survey.MAX_EXAMPLE_LENGTH}


@pytest.mark.parametrize(("user", "index", "refusal"),
                         [(ANNA, 7, AnswerRefusal.INVALID), (OUTSIDER, 0, AnswerRefusal.NOT_YOURS)])
async def test_an_example_for_no_topic_or_from_outside_is_refused(
    quick_scan: Story, user: int, index: int, refusal: AnswerRefusal,
) -> None:
    async with quick_scan.sessions.begin() as session:
        refused = await survey.save_example(Repository(session), user, quick_scan.cycle_id,
                                            index, "Iets", quick_scan.clock.now())
    assert refused is refusal and await _examples(quick_scan) == {}


async def test_dont_know_is_stored_apart_from_not_applicable(quick_scan: Story) -> None:
    from bot.db.models import Answer
    from domain.scoring import DONT_KNOW

    unknown = await quick_scan.answer(ANNA, 0, DONT_KNOW)
    assert isinstance(unknown, AnswerOutcome)
    first = unknown.view.element_ids[0]
    assert unknown.view.answers == {first: None} and unknown.view.unknown == {first}
    shown = await quick_scan.show(ANNA, 0)
    assert isinstance(shown, SurveyView) and shown.current_choice == DONT_KNOW
    async with quick_scan.sessions() as session:
        stored = await session.scalar(select(Answer))
        assert stored is not None and stored.level is None and stored.dont_know

    changed = await quick_scan.answer(ANNA, 0, None)  # on second thought: not applicable
    assert isinstance(changed, AnswerOutcome) and changed.view.unknown == frozenset()
    async with quick_scan.sessions() as session:
        stored = await session.scalar(select(Answer))
        assert stored is not None and stored.level is None and not stored.dont_know
