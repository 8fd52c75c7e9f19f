"""Forgetting a person, at the service level: the hand-over rule and a team left alone."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Cycle, Response, Team
from bot.db.repositories import Repository
from bot.services import account, cycles, joining, survey, teams
from tests.support.clock import FixedClock

MANAGER, ANNA = 1, 2


async def test_a_sole_manager_with_members_must_hand_over_and_nothing_is_deleted(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock,
) -> None:
    now = clock.now()
    async with sessions.begin() as session:
        repo = Repository(session)
        for user, name in ((MANAGER, "Manon"), (ANNA, "Anna")):
            await repo.touch_person(user, name, "nl", now)
        team, _ = await teams.create_team(repo, "Zorg", MANAGER, teams.TeamSettings(), now)
        invite = await teams.create_invite(repo, team.id, MANAGER, None, now)
        await joining.join(repo, invite.token, ANNA, None, now)
    async with sessions.begin() as session:
        refusal = await account.forget(Repository(session), MANAGER, now)
    assert refusal == account.HandOverFirst(("Zorg",))
    async with sessions.begin() as session:  # Anna, a participant, may go at any time
        assert await account.forget(Repository(session), ANNA, now) is None
    async with sessions() as session:
        assert await Repository(session).person(MANAGER) is not None


async def test_a_manager_alone_in_her_team_may_go_and_the_team_stops(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock,
) -> None:
    now = clock.now()
    async with sessions.begin() as session:
        repo = Repository(session)
        await repo.touch_person(MANAGER, "Manon", "nl", now)
        team, _ = await teams.create_team(repo, "Alleen", MANAGER, teams.TeamSettings(), now)
        cycle = await cycles.open_cycle(repo, team.id, "quick", now + timedelta(days=7),
                                        MANAGER, now)
    async with sessions.begin() as session:
        repo = Repository(session)
        view = await survey.show(repo, MANAGER, cycle.id, now)
        assert not isinstance(view, survey.AnswerRefusal)
        await survey.answer(repo, MANAGER, cycle.id, 0, 4, None, now)
    async with sessions.begin() as session:
        assert await account.forget(Repository(session), MANAGER, now) is None
    async with sessions() as session:
        stopped = await session.get(Team, team.id)
        closed = await session.get(Cycle, cycle.id)
    assert stopped is not None and stopped.reassessment == "off"
    assert stopped.next_reassessment_at is None
    assert closed is not None and closed.closed_at is not None and closed.opened_by is None
    async with sessions() as session:  # her answer in the survey that was open is gone
        assert await session.scalar(select(func.count()).select_from(Response)) == 0
