"""The meeting's use cases on the real database: who may do what, and what a refusal leaves."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import AgreedLevel, MeetingRow, MeetingVote
from bot.db.repositories import Repository
from bot.services import groups, meeting, positions, teams
from bot.services.meeting import MeetingRefusal, MeetingRefused
from bot.services.meeting_view import view
from bot.services.permissions import PermissionsError
from domain import meeting as steps
from domain.meeting import Phase
from tests.support.clock import FixedClock
from tests.support.meeting import Group, Person, closed_cycle_with_answers, link_group

T = TypeVar("T")
MANON, BRAM, ANNA, EVA, OUTSIDER = (Person(10 + n, name) for n, name in
                                    enumerate(("Manon", "Bram", "Anna", "Eva", "Olaf")))
GROUP = Group(-1001, "MT")
LEVELS = {"5.2": [1, 5, 1, 5], "6.2": [3, 3, 3, 3], "7.4": [2, 2, 4, 4], "8.4": [4, 4, 4, 5],
          "9.2": [3, 3, 2, 2], "10.2": [5, 5, 5, 5], "11.1": [1, 1, 1, 2]}


async def run(sessions: async_sessionmaker[AsyncSession],
              step: Callable[[Repository], Awaitable[T]]) -> T:
    async with sessions.begin() as session:
        return await step(Repository(session))


@pytest.fixture
async def team_id(sessions: async_sessionmaker[AsyncSession], clock: FixedClock) -> int:
    async def create(repo: Repository) -> int:
        await repo.touch_person(MANON.user_id, MANON.first_name, "nl", clock.now())
        team, _ = await teams.create_team(repo, "Zorg", MANON.user_id, teams.TeamSettings(),
                                          clock.now())
        return team.id

    created = await run(sessions, create)
    await closed_cycle_with_answers(
        sessions, created, MANON, [(MANON, "manager"), (BRAM, "manager"), (ANNA, "member"),
                                   (EVA, "member")], LEVELS, clock.now())
    await link_group(sessions, GROUP, created, MANON, clock.now())
    return created


async def _started(sessions: async_sessionmaker[AsyncSession], clock: FixedClock) -> int:
    started = await run(sessions, lambda r: meeting.start(r, MANON.user_id, GROUP.chat_id,
                                                          clock.now()))
    return started.meeting_id


async def _stored(sessions: async_sessionmaker[AsyncSession]) -> tuple[object, ...]:
    async def read(repo: Repository) -> tuple[object, ...]:
        row = (await repo.session.scalars(select(MeetingRow))).one()
        votes = await repo.session.scalar(select(func.count()).select_from(MeetingVote))
        agreed = await repo.session.scalar(select(func.count()).select_from(AgreedLevel))
        return (tuple(row.agenda), row.position, row.phase, row.paused_at, row.finished_at,
                votes, agreed)
    return await run(sessions, read)


async def test_only_a_manager_of_the_linked_team_starts_and_every_steer_refuses_a_member(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock, team_id: int,
) -> None:
    now = clock.now()
    with pytest.raises(PermissionsError):
        await run(sessions, lambda r: meeting.start(r, ANNA.user_id, GROUP.chat_id, now))
    with pytest.raises(PermissionsError):  # a group that is not linked: refused the same way
        await run(sessions, lambda r: meeting.start(r, MANON.user_id, -999, now))
    m = await _started(sessions, clock)
    before = await _stored(sessions)
    first = before[0][0]  # type: ignore[index]
    attempts: list[Callable[[Repository], Awaitable[object]]] = [
        lambda r: meeting.steer(r, ANNA.user_id, GROUP.chat_id, m, lambda s, _: steps.reveal(s)),
        lambda r: meeting.steer(r, ANNA.user_id, GROUP.chat_id, m, steps.forward),
        lambda r: meeting.steer(r, ANNA.user_id, GROUP.chat_id, m, meeting.pause_at(now)),
        lambda r: meeting.steer(r, ANNA.user_id, GROUP.chat_id, m, meeting.finish_at(now)),
        lambda r: meeting.agree(r, ANNA.user_id, GROUP.chat_id, m, first, 3, now),
        lambda r: meeting.ask_action(r, ANNA.user_id, GROUP.chat_id, m, first, now),
        lambda r: meeting.give_reason(r, ANNA.user_id, GROUP.chat_id,
                                      positions.MeetingReason(m, first), "forged", now),
        lambda r: meeting.add_action(r, ANNA.user_id, GROUP.chat_id,
                                     positions.MeetingAction(m, first), "forged", now),
        lambda r: meeting.start(r, ANNA.user_id, GROUP.chat_id, now, add="8.4"),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionsError):
            await run(sessions, attempt)
    assert await _stored(sessions) == before


async def test_votes_are_upserts_of_team_members_on_the_element_on_screen_until_shown(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock, team_id: int,
) -> None:
    m = await _started(sessions, clock)
    shown = await run(sessions, lambda r: view(r, m))
    first = shown.state.current
    assert first == "5.2"  # split 1/5: the lowest consensus comes first
    assert shown.team is not None and shown.team.answered == 4  # four respondents: k + 1
    assert shown.managers is None  # two managers: never beside the team in the group
    for level in (2, 4):
        await run(sessions, lambda r, level=level: meeting.vote(  # type: ignore[misc]
            r, ANNA.user_id, GROUP.chat_id, m, first, level))
    await run(sessions, lambda r: meeting.vote(r, MANON.user_id, GROUP.chat_id, m, first, 4))
    assert (await run(sessions, lambda r: view(r, m))).votes == (0, 0, 0, 2, 0)
    with pytest.raises(MeetingRefused) as refused:
        await run(sessions, lambda r: meeting.vote(r, OUTSIDER.user_id, GROUP.chat_id, m,
                                                   first, 3))
    assert refused.value.refusal is MeetingRefusal.NOT_A_VOTER
    with pytest.raises(MeetingRefused) as refused:
        await run(sessions, lambda r: meeting.vote(r, EVA.user_id, GROUP.chat_id, m, "10.2", 3))
    assert refused.value.refusal is MeetingRefusal.STALE
    await run(sessions, lambda r: meeting.steer(r, MANON.user_id, GROUP.chat_id, m,
                                                lambda s, _: steps.reveal(s)))
    with pytest.raises(MeetingRefused) as refused:  # shown: no more changing after the others
        await run(sessions, lambda r: meeting.vote(r, EVA.user_id, GROUP.chat_id, m, first, 3))
    assert refused.value.refusal is MeetingRefusal.NOT_NOW


async def test_agreeing_asks_the_chair_for_a_reason_in_the_group_and_resuming_keeps_the_place(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock, team_id: int,
) -> None:
    now = clock.now()
    m = await _started(sessions, clock)
    await run(sessions, lambda r: meeting.agree(r, BRAM.user_id, GROUP.chat_id, m, "5.2", 2, now))
    asked = await run(sessions, lambda r: positions.expected(r, BRAM.user_id,
                                                             chat_id=GROUP.chat_id))
    assert asked == positions.MeetingReason(m, "5.2")
    assert await run(sessions, lambda r: positions.expected(r, BRAM.user_id)) is None
    await run(sessions, lambda r: meeting.give_reason(r, BRAM.user_id, GROUP.chat_id, asked,
                                                      "  Alleen bij klachten  ", now))
    await run(sessions, lambda r: meeting.steer(r, MANON.user_id, GROUP.chat_id, m,
                                                steps.forward))
    await run(sessions, lambda r: meeting.steer(r, MANON.user_id, GROUP.chat_id, m,
                                                meeting.pause_at(now)))
    again = await run(sessions, lambda r: meeting.start(r, MANON.user_id, GROUP.chat_id,
                                                        now + timedelta(days=3)))
    assert (again.meeting_id, again.resumed) == (m, True)
    resumed = await run(sessions, lambda r: view(r, m))
    assert resumed.state.position == 1 and resumed.state.running
    assert resumed.all_agreed["5.2"].level == 2
    assert resumed.all_agreed["5.2"].reason == "Alleen bij klachten"
    await run(sessions, lambda r: meeting.steer(r, MANON.user_id, GROUP.chat_id, m, steps.back))
    assert (await run(sessions, lambda r: view(r, m))).state.phase is Phase.AGREED


async def test_a_group_that_becomes_a_supergroup_takes_its_meeting_along(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock, team_id: int,
) -> None:
    now = clock.now()
    m = await _started(sessions, clock)
    await run(sessions, lambda r: meeting.shown_in(r, m, 55))
    await run(sessions, lambda r: meeting.agree(r, MANON.user_id, GROUP.chat_id, m, "5.2", 3,
                                                now))
    supergroup = -1009999
    await run(sessions, lambda r: groups.group_migrated(r, GROUP.chat_id, supergroup))
    again = await run(sessions, lambda r: meeting.start(r, MANON.user_id, supergroup, now))
    assert (again.meeting_id, again.resumed, again.old_message_id) == (m, True, None)
    asked = await run(sessions, lambda r: positions.expected(r, MANON.user_id,
                                                             chat_id=supergroup))
    assert asked == positions.MeetingReason(m, "5.2")


async def test_any_manager_gives_the_reason_of_the_level_on_screen_and_only_then(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock, team_id: int,
) -> None:
    now = clock.now()
    m = await _started(sessions, clock)
    with pytest.raises(MeetingRefused) as early:  # voting: nothing agreed to give a reason for
        await run(sessions, lambda r: meeting.give_reason_here(r, BRAM.user_id, GROUP.chat_id,
                                                               "te vroeg", now))
    assert early.value.refusal is MeetingRefusal.NOT_NOW
    await run(sessions, lambda r: meeting.agree(r, MANON.user_id, GROUP.chat_id, m, "5.2", 2,
                                                now))
    with pytest.raises(PermissionsError):  # a member does not word the team's agreement
        await run(sessions, lambda r: meeting.give_reason_here(r, ANNA.user_id, GROUP.chat_id,
                                                               "ik vind 3", now))
    assert await run(sessions, lambda r: meeting.give_reason_here(
        r, BRAM.user_id, GROUP.chat_id, " Alleen bij klachten ", now)) == m
    shown = await run(sessions, lambda r: view(r, m))
    assert shown.all_agreed["5.2"].level == 2
    assert shown.all_agreed["5.2"].reason == "Alleen bij klachten"


async def test_a_supergroup_upgrade_names_the_unfinished_meeting_once(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock, team_id: int,
) -> None:
    m = await _started(sessions, clock)
    await run(sessions, lambda r: meeting.shown_in(r, m, 55))
    supergroup = -1009999
    moved = await run(sessions, lambda r: groups.group_migrated(r, GROUP.chat_id, supergroup))
    assert moved == groups.MovedMeeting(m, 55)
    told_again = await run(sessions, lambda r: groups.group_migrated(r, GROUP.chat_id,
                                                                     supergroup))
    assert told_again is None  # Telegram tells it in both chats: shown anew once
    await run(sessions, lambda r: meeting.shown_in(r, m, None))  # a send Telegram refused
    assert await run(sessions, lambda r: meeting.unshown(r, supergroup)) == m
    await run(sessions, lambda r: meeting.shown_in(r, m, 56))
    assert await run(sessions, lambda r: meeting.unshown(r, supergroup)) is None
