"""Linking the team's group: who may, what a deep-link token allows, moving and refusing links,
and the bot's presence as Telegram reports it. Real database (SQLite file or PostgreSQL)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.repositories import Repository
from bot.services import groups, joining, teams
from bot.services.permissions import PermissionsError
from tests.support.clock import FixedClock

T = TypeVar("T")
MANON, ANNA, BRAM = 1, 2, 3
MT = groups.GroupChat(-1001, "MT Zorg & Co")
OTHER = groups.GroupChat(-1002, "MT nieuw")


async def run(sessions: async_sessionmaker[AsyncSession],
              work: Callable[[Repository], Awaitable[T]]) -> T:
    async with sessions.begin() as session:
        return await work(Repository(session))


@pytest.fixture
async def two_teams(sessions: async_sessionmaker[AsyncSession], clock: FixedClock
                    ) -> tuple[int, int]:
    """Manon's Zorg & Co (Anna is a participant) and Bram's Bakery."""
    now = clock.now()
    async with sessions.begin() as session:
        repo = Repository(session)
        for user, name in ((MANON, "Manon"), (ANNA, "Anna"), (BRAM, "Bram")):
            await repo.touch_person(user, name, "nl", now)
        zorg, _ = await teams.create_team(repo, "Zorg & Co", MANON, teams.TeamSettings(), now)
        bakery, _ = await teams.create_team(repo, "Bakery", BRAM, teams.TeamSettings(), now)
        invite = await teams.create_invite(repo, zorg.id, MANON, None, now)
        await joining.join(repo, invite.token, ANNA, None, now)
    return zorg.id, bakery.id


async def test_a_manager_links_and_the_group_then_names_her_team(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock, two_teams: tuple[int, int],
) -> None:
    zorg, _ = two_teams
    outcome = await run(sessions, lambda r: groups.link_group(r, MANON, zorg, MT, "en", True,
                                                              clock.now()))
    assert (outcome.group.team_name, outcome.group.language, outcome.group.bot_is_admin) == (
        "Zorg & Co", "en", True)
    assert outcome.moved_from is None and not outcome.again
    assert await run(sessions, lambda r: groups.group_language(r, MT.chat_id)) == "en"
    assert await run(sessions, lambda r: groups.group_language(r, OTHER.chat_id)) is None
    again = await run(sessions, lambda r: groups.link_group(r, MANON, zorg, MT, "nl", False,
                                                            clock.now()))
    assert again.again and again.group.language == "en"


@pytest.mark.parametrize("actor", [ANNA, BRAM, 99])
async def test_only_an_active_manager_of_the_team_links_or_steers(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock, two_teams: tuple[int, int],
    actor: int,
) -> None:
    zorg, _ = two_teams
    with pytest.raises(PermissionsError):
        await run(sessions, lambda r: groups.link_group(r, actor, zorg, MT, "nl", False,
                                                        clock.now()))
    with pytest.raises(PermissionsError):
        await run(sessions, lambda r: groups.create_link_token(r, actor, zorg, clock.now()))
    await run(sessions, lambda r: groups.link_group(r, MANON, zorg, MT, "nl", False,
                                                    clock.now()))
    for steer in (lambda r: groups.set_group_language(r, actor, MT.chat_id, "en"),
                  lambda r: groups.unlink_group(r, actor, MT.chat_id)):
        with pytest.raises(PermissionsError):
            await run(sessions, steer)
    group = await run(sessions, lambda r: groups.linked_team(r, MT.chat_id))
    assert group is not None and group.team_id == zorg and group.language == "nl"


async def test_another_teams_group_is_refused_until_unlinked_and_a_second_group_moves_the_link(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock, two_teams: tuple[int, int],
) -> None:
    zorg, bakery = two_teams
    now = clock.now()
    await run(sessions, lambda r: groups.link_group(r, MANON, zorg, MT, "nl", False, now))
    with pytest.raises(groups.LinkRefused) as refused:
        await run(sessions, lambda r: groups.link_group(r, BRAM, bakery, MT, "en", False, now))
    assert refused.value.reason is groups.LinkRefusal.LINKED_ELSEWHERE

    moved = await run(sessions, lambda r: groups.link_group(r, MANON, zorg, OTHER, "en", False,
                                                            now))
    assert moved.moved_from == "MT Zorg & Co" and moved.group.language == "nl"  # kept
    assert await run(sessions, lambda r: groups.linked_team(r, MT.chat_id)) is None
    await run(sessions, lambda r: groups.link_group(r, BRAM, bakery, MT, "en", False, now))
    await run(sessions, lambda r: groups.unlink_group(r, BRAM, MT.chat_id))
    assert await run(sessions, lambda r: groups.linked_team(r, MT.chat_id)) is None
    with pytest.raises(groups.LinkRefused):  # a private chat is no group
        await run(sessions, lambda r: groups.link_group(
            r, MANON, zorg, groups.GroupChat(MANON, "Manon"), "nl", False, now))


async def test_a_deep_link_token_links_for_a_manager_until_it_expires_and_for_one_group(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock, two_teams: tuple[int, int],
) -> None:
    zorg, _ = two_teams
    now = clock.now()
    token = await run(sessions, lambda r: groups.create_link_token(r, MANON, zorg, now))
    assert len(token) >= 22 and groups.startgroup_link("bot", token).endswith(
        f"?startgroup={token}")
    with pytest.raises(PermissionsError):  # a participant who got the link forwarded
        await run(sessions, lambda r: groups.link_with_token(r, ANNA, MT, token, "nl", False,
                                                             now))
    outcome = await run(sessions, lambda r: groups.link_with_token(r, MANON, MT, token, "nl",
                                                                   False, now))
    assert outcome.group.team_id == zorg
    again = await run(sessions, lambda r: groups.link_with_token(r, MANON, MT, token, "nl",
                                                                 False, now))
    assert again.again  # the same group once more: fine
    for chat, moment, bad in ((OTHER, now, token), (OTHER, now, "forged-token-123"),
                              (MT, now + groups.LINK_VALIDITY + timedelta(seconds=1), None)):
        fresh = bad or await run(sessions, lambda r: groups.create_link_token(r, MANON, zorg,
                                                                              now))
        with pytest.raises(groups.LinkRefused) as refused:
            await run(sessions, lambda r: groups.link_with_token(
                r, MANON, chat, fresh, "nl", False, moment))  # noqa: B023
        assert refused.value.reason is groups.LinkRefusal.TOKEN_INVALID


async def test_the_bot_leaving_and_coming_back_and_its_admin_flag(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock, two_teams: tuple[int, int],
) -> None:
    zorg, _ = two_teams
    now = clock.now()
    await run(sessions, lambda r: groups.link_group(r, MANON, zorg, MT, "en", False, now))
    await run(sessions, lambda r: groups.bot_admin_changed(r, MT.chat_id, True))
    group = await run(sessions, lambda r: groups.linked_team(r, MT.chat_id))
    assert group is not None and group.bot_is_admin
    await run(sessions, lambda r: groups.bot_left(r, MT.chat_id, now))
    assert await run(sessions, lambda r: groups.linked_team(r, MT.chat_id)) is None
    with pytest.raises(PermissionsError):
        await run(sessions, lambda r: groups.check_can_steer(r, MANON, MT.chat_id))
    assert await run(sessions, lambda r: groups.bot_joined(r, ANNA, MT, False)) is None
    back = await run(sessions, lambda r: groups.bot_joined(r, MANON, MT, False))
    assert back is not None and back.language == "en" and not back.bot_is_admin
    assert await run(sessions, lambda r: groups.bot_joined(
        r, ANNA, groups.GroupChat(-5, "x"), False)) is None


async def test_a_fresh_deep_link_of_a_team_she_manages_means_its_start_follows(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock, two_teams: tuple[int, int],
) -> None:
    zorg, _ = two_teams
    now = clock.now()
    assert not await run(sessions, lambda r: groups.deep_link_on_the_way(r, MANON, now))
    token = await run(sessions, lambda r: groups.create_link_token(r, MANON, zorg, now))
    assert await run(sessions, lambda r: groups.deep_link_on_the_way(r, MANON, now))
    assert not await run(sessions, lambda r: groups.deep_link_on_the_way(r, ANNA, now))
    later = now + groups.LINK_ON_THE_WAY + timedelta(seconds=1)  # an old link: say how to link
    assert not await run(sessions, lambda r: groups.deep_link_on_the_way(r, MANON, later))
    await run(sessions, lambda r: groups.link_with_token(r, MANON, MT, token, "nl", False, now))
    assert not await run(sessions, lambda r: groups.deep_link_on_the_way(r, MANON, now))
