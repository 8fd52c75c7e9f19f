"""Linking the team's Telegram group, through the emulator: the deep link from /settings, /link,
the bot removed and promoted, the group's language, and what a group never gets to see."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import GroupLink
from bot.emulator import BotApiEmulator, SimulatedGroup, SimulatedPerson
from tests.e2e.conftest import RunningBot, set_up_team
from tests.e2e.test_participant_journey import assert_telegram_was_happy
from tests.support.clock import FixedClock


async def link_row(sessions: async_sessionmaker[AsyncSession], chat_id: int) -> GroupLink | None:
    async with sessions() as session:
        return await session.scalar(select(GroupLink).where(GroupLink.chat_id == chat_id))


async def join_team(person: SimulatedPerson, start_command: str) -> None:
    await person.send(start_command)
    await person.tap("Ik doe mee")
    await person.tap("Nederlands")
    await person.wait_for(lambda m: "Je bent lid van" in m.text)


def assert_no_429(emulator: BotApiEmulator) -> None:
    assert not [c for c in emulator.calls if not c.ok and "Too Many Requests" in c.description]


async def link_with_slash_link(manon: SimulatedPerson, group: SimulatedGroup) -> None:
    await manon.add_bot_to(group)
    await group.wait_for(lambda m: "/link" in m.text)
    await manon.say_in(group, "/link")
    await group.wait_for(lambda m: "nu gekoppeld aan" in m.text)


async def test_a_manager_links_the_group_with_the_deep_link_from_settings(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson, anna: SimulatedPerson,
) -> None:
    team = await set_up_team(sessions, clock.now(), manager=manon)
    await manon.send("/settings")
    await manon.tap("Telegramgroep van het team koppelen")
    offer = await manon.wait_for(lambda m: "startgroup=" in str(m.keyboard))
    assert "Er is nog geen groep gekoppeld" in offer.text and "Zorg &amp; Co" in offer.html
    [(_, link)] = [b for b in offer.buttons() if "startgroup=" in b[1]]
    assert link.startswith("https://t.me/iso9004_test_bot?startgroup=")

    group = emulator.group("MT Zorg & Co", members=[manon, anna])
    await manon.add_bot_via(group, link)
    linked = await group.wait_for(lambda m: "nu gekoppeld aan" in m.text)
    assert "Zorg & Co" in linked.text
    row = await link_row(sessions, group.chat_id)
    assert row is not None and row.team_id == team.team.id and row.chat_id < 0
    assert row.linked_by == manon.user_id and row.language == "nl" and row.left_at is None
    intro = group.messages[0]
    assert "/meeting" in intro.text and "/link" in intro.text  # said what it does, before linking
    assert_telegram_was_happy(emulator)
    assert_no_429(emulator)


async def test_slash_link_by_the_manager_links_and_a_participant_is_refused(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson, anna: SimulatedPerson,
) -> None:
    team = await set_up_team(sessions, clock.now(), manager=manon)
    await join_team(anna, team.start_command)
    group = emulator.group("MT Zorg & Co", members=[manon, anna])
    await anna.add_bot_to(group)
    await group.wait_for(lambda m: "/link" in m.text)
    await anna.say_in(group, "/link")
    refusal = await group.wait_for(lambda m: "manager" in m.text)
    assert "alleen een manager" in refusal.text
    assert await link_row(sessions, group.chat_id) is None

    await manon.say_in(group, "/link")
    await group.wait_for(lambda m: "nu gekoppeld aan" in m.text)
    await anna.say_in(group, "/language")
    await group.wait_for(lambda m: "alleen een manager" in m.text)
    await anna.say_in(group, "/unlink")
    await group.wait_for(lambda m: "alleen een manager" in m.text)
    row = await link_row(sessions, group.chat_id)
    assert row is not None and row.language == "nl" and row.team_id == team.team.id
    assert_telegram_was_happy(emulator)
