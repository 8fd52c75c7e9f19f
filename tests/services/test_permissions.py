"""The services decide who may act, whoever calls them (a chat, the CLI, a future screen)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Membership
from bot.db.repositories import Repository
from bot.services import cycles, improvement, joining, members, teams
from bot.services.actor import Actor
from bot.services.permissions import Permission, PermissionsError
from tests.support.clock import FixedClock

MANAGER, ANNA, OUTSIDER = 1, 2, 3


async def _team(sessions: async_sessionmaker[AsyncSession], clock: FixedClock
                ) -> tuple[int, int, str]:
    """Manon's team with Anna in it and a survey open: (team id, cycle id, invite token)."""
    now = clock.now()
    async with sessions.begin() as session:
        repo = Repository(session)
        for user, name in ((MANAGER, "Manon"), (ANNA, "Anna"), (OUTSIDER, "Otto")):
            await repo.touch_person(user, name, "nl", now)
        team, _ = await teams.create_team(repo, "Zorg", MANAGER, teams.TeamSettings(), now)
        invite = await teams.create_invite(repo, team.id, MANAGER, None, now)
        await joining.join(repo, invite.token, ANNA, None, now)
        cycle = await cycles.open_cycle(repo, team.id, "quick", now + timedelta(days=7),
                                        MANAGER, now)
    return team.id, cycle.id, invite.token


async def _membership(sessions: async_sessionmaker[AsyncSession], user: int) -> int:
    async with sessions() as session:
        found = await session.scalar(select(Membership.id).where(Membership.user_id == user))
    assert found is not None
    return found


@pytest.mark.parametrize("actor", [ANNA, OUTSIDER])
async def test_every_manager_service_refuses_a_non_manager(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock, actor: int,
) -> None:
    team, cycle, _ = await _team(sessions, clock)
    manons = await _membership(sessions, MANAGER)
    now = clock.now()
    attempts: list[Callable[[Repository], Awaitable[Any]]] = [
        lambda repo: teams.create_invite(repo, team, actor, None, now),
        lambda repo: teams.revoke_invites(repo, actor, team, now),
        lambda repo: teams.change_setting(repo, actor, team, "reminders-off"),
        lambda repo: members.member_lines(repo, Actor(actor), team, now),
        lambda repo: members.member_line(repo, Actor(actor), manons, now),
        lambda repo: members.set_manager(repo, actor, manons, False, now),
        lambda repo: members.remove(repo, actor, manons, now),
        lambda repo: cycles.remind_now(repo, actor, cycle, now),
        lambda repo: improvement.set_target(repo, actor, team, "5", 5),
        lambda repo: improvement.add_action(repo, actor, cycle, "5.2", "x", "Anna", now),
        lambda repo: improvement.finish(repo, actor, 424242, now),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionsError) as refused:
            async with sessions.begin() as session:
                await attempt(Repository(session))
        assert refused.value.actor_id == actor
        assert refused.value.permission is Permission.MANAGE_TEAM


async def test_a_cycle_is_opened_by_a_manager_or_by_the_rhythm_only(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock,
) -> None:
    team, cycle, _ = await _team(sessions, clock)
    later = clock.now() + timedelta(days=8)
    async with sessions.begin() as session:
        await cycles.close_cycle(Repository(session), cycle, later)
    with pytest.raises(PermissionsError):
        async with sessions.begin() as session:
            await cycles.open_cycle(Repository(session), team, "quick",
                                    later + timedelta(days=7), ANNA, later)
    async with sessions.begin() as session:  # the reassessment rhythm acts as no one
        opened = await cycles.open_cycle(Repository(session), team, "quick",
                                         later + timedelta(days=7), None, later)
    assert opened.opened_by is None


async def test_admin_ids_decide_who_creates_teams(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock,
) -> None:
    async with sessions.begin() as session:
        repo = Repository(session)
        with pytest.raises(PermissionsError) as refused:
            await teams.create_team(repo, "Stiekem", ANNA, teams.TeamSettings(), clock.now(),
                                    creator=Actor.of(ANNA, frozenset({MANAGER})))
    assert refused.value.permission is Permission.CREATE_TEAMS
    async with sessions.begin() as session:
        repo = Repository(session)
        await repo.touch_person(MANAGER, "Manon", "nl", clock.now())
        created, _ = await teams.create_team(repo, "Officieel", MANAGER,
                                             teams.TeamSettings(), clock.now(),
                                             creator=Actor.of(MANAGER, frozenset({MANAGER})))
        assert created.name == "Officieel"


async def test_rejoining_takes_the_invites_role_not_the_old_rows(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock,
) -> None:
    _, _, token = await _team(sessions, clock)
    annas = await _membership(sessions, ANNA)
    now = clock.now()
    async with sessions.begin() as session:
        repo = Repository(session)
        line, refusal = await members.set_manager(repo, MANAGER, annas, True, now)
        assert refusal is None and line is not None and line.is_manager
        _, refusal = await members.remove(repo, MANAGER, annas, now)
        assert refusal is None
    async with sessions.begin() as session:
        joined = await joining.join(Repository(session), token, ANNA, None, now)
    assert isinstance(joined, joining.Joined)
    assert joined.membership.active and joined.membership.role == "participant"
