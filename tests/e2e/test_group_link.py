"""Linking the team's Telegram group, through the emulator: the deep link from /settings, /link,
the bot removed and promoted, the group's language, and what a group never gets to see."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import GroupLink, Person
from bot.emulator import ApiError, BotApiEmulator, SimulatedGroup, SimulatedPerson
from bot.emulator._commands import menu
from bot.emulator._server import Fault
from tests.support.clock import FixedClock
from tests.support.journeys import assert_telegram_was_happy
from tests.support.quiet import settled
from tests.support.running import RunningBot, set_up_team


async def link_row(sessions: async_sessionmaker[AsyncSession], chat_id: int) -> GroupLink | None:
    async with sessions() as session:
        return await session.scalar(select(GroupLink).where(GroupLink.chat_id == chat_id))


async def link_row_when(
    sessions: async_sessionmaker[AsyncSession], chat_id: int, ready: Callable[[GroupLink], bool]
) -> GroupLink | None:
    """The group's link row once `ready` holds: the bot writes it while handling Telegram's
    update, after the test's own step returned. After 10 s, the row as it is, to fail on."""
    for _ in range(200):
        row = await link_row(sessions, chat_id)
        if row is not None and ready(row):
            return row
        await asyncio.sleep(0.05)
    return await link_row(sessions, chat_id)


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

    await manon.send("/link")  # in private, /link gives the same deep link
    private_offer = await manon.wait_for(lambda m: "startgroup=" in str(m.keyboard))
    assert private_offer.buttons()[0][1] != link  # a fresh token each time

    group = emulator.group("MT Zorg & Co", members=[manon, anna])
    await manon.add_bot_via(group, link)
    linked = await group.wait_for(lambda m: "nu gekoppeld aan" in m.text)
    assert "Zorg & Co" in linked.text
    row = await link_row(sessions, group.chat_id)
    assert row is not None and row.team_id == team.team.id and row.chat_id < 0
    assert row.linked_by == manon.user_id and row.language == "nl" and row.left_at is None
    intro = group.messages[0]  # the first words: what it does, and already linked, to which team
    assert intro.text == linked.text and "/meeting" in intro.text and "/link" not in intro.text
    assert "nu gekoppeld aan Zorg & Co" in intro.text and len(group.messages) == 1
    await anna.rename(group, "MT Zorg & Co 2027")
    await manon.send("/settings")
    await manon.tap("Telegramgroep van het team koppelen")
    current = await manon.wait_for(lambda m: "Nu gekoppeld" in m.text)
    assert "MT Zorg & Co 2027" in current.text
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
    await anna.say_in(group, "/language")  # refused again within the minute: the same line
    await anna.say_in(group, "/unlink")
    await settled(emulator)
    assert sum("alleen een manager" in m.text for m in group.messages) == 1
    row = await link_row(sessions, group.chat_id)
    assert row is not None and row.language == "nl" and row.team_id == team.team.id
    assert_telegram_was_happy(emulator)


async def test_removed_the_bot_sends_nothing_there_and_a_403_is_never_retried(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson, anna: SimulatedPerson,
) -> None:
    await set_up_team(sessions, clock.now(), manager=manon)
    group = emulator.group("MT Zorg & Co", members=[manon, anna])
    await link_with_slash_link(manon, group)
    sent_before = len(emulator.calls_to("sendMessage", group.chat_id))
    await anna.remove_bot_from(group)
    row = await link_row_when(sessions, group.chat_id, lambda r: r.left_at is not None)
    assert row is not None and row.left_at is not None and not row.bot_is_admin
    await manon.say_in(group, "/help")  # the bot is not there: it hears nothing
    assert len(emulator.calls_to("sendMessage", group.chat_id)) == sent_before

    # Back in (re-added by the manager): the link returns, with its language
    await manon.add_bot_to(group)
    back = await group.wait_for(lambda m: "hoort bij" in m.text)
    assert "Zorg & Co" in back.text
    # Telegram refuses the next message (the bot was kicked without our noticing): once, no retry
    emulator.faults.append(Fault(ApiError(403, "Forbidden: bot was kicked from the group chat"),
                                 "sendMessage", group.chat_id))
    before = len(emulator.calls_to("sendMessage", group.chat_id))
    await manon.say_in(group, "/help")
    row = await link_row_when(sessions, group.chat_id, lambda r: r.left_at is not None)
    assert row is not None and row.left_at is not None
    await asyncio.sleep(0.3)
    assert len(emulator.calls_to("sendMessage", group.chat_id)) == before + 1
    assert_telegram_was_happy(emulator)


async def test_promoting_and_demoting_the_bot_sets_its_admin_flag(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson, anna: SimulatedPerson,
) -> None:
    await set_up_team(sessions, clock.now(), manager=manon)
    group = emulator.group("MT Zorg & Co", members=[manon, anna])
    await manon.add_bot_to(group)
    await manon.promote_bot_in(group)  # before linking: linking asks Telegram
    await manon.say_in(group, "/link")
    await group.wait_for(lambda m: "nu gekoppeld aan" in m.text)
    row = await link_row(sessions, group.chat_id)
    assert row is not None and row.bot_is_admin
    await manon.promote_bot_in(group, admin=False)
    row = await link_row_when(sessions, group.chat_id, lambda r: not r.bot_is_admin)
    assert row is not None and not row.bot_is_admin
    await manon.promote_bot_in(group)
    row = await link_row_when(sessions, group.chat_id, lambda r: r.bot_is_admin)
    assert row is not None and row.bot_is_admin
    assert_telegram_was_happy(emulator)


async def test_a_manager_switches_the_groups_language_and_a_participant_cannot(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson, anna: SimulatedPerson,
) -> None:
    team = await set_up_team(sessions, clock.now(), manager=manon)
    await join_team(anna, team.start_command)
    group = emulator.group("MT Zorg & Co", members=[manon, anna])
    await link_with_slash_link(manon, group)
    await manon.say_in(group, "/language")
    choice = await group.wait_for(lambda m: "Welke taal" in m.text)
    toast = await anna.tap_in(group, "English", message=choice)
    assert toast is not None and "alleen een manager" in toast
    row = await link_row(sessions, group.chat_id)
    assert row is not None and row.language == "nl"

    await manon.tap_in(group, "English", message=choice)
    switched = await group.wait_for(lambda m: m.message_id == choice.message_id and m.edited)
    assert "From now on I speak English" in switched.text
    row = await link_row(sessions, group.chat_id)
    assert row is not None and row.language == "en"
    await anna.say_in(group, "/report")  # Anna reads Dutch, but the group speaks English now
    line = await group.wait_for(lambda m: "private chat" in m.text)
    assert "t.me/iso9004_test_bot" in line.html
    await anna.say_in(group, "/language")
    refused = await group.wait_for(lambda m: "only a manager" in m.text)
    assert refused.keyboard == []
    assert_telegram_was_happy(emulator)


async def test_a_manager_of_another_team_cannot_link_or_steer_this_group(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson, bram: SimulatedPerson,
) -> None:
    ours = await set_up_team(sessions, clock.now(), manager=manon)
    await set_up_team(sessions, clock.now(), manager=bram, name="Bram's Bakery")
    group = emulator.group("MT Zorg & Co", members=[manon, bram])
    await link_with_slash_link(manon, group)
    await bram.say_in(group, "/link")
    refused = await group.wait_for(lambda m: "ander team" in m.text)
    assert "/unlink" in refused.text and "Bakery" not in refused.text
    await bram.say_in(group, "/language")  # within the minute: his refusal line is edited
    await group.wait_for(lambda m: m.message_id == refused.message_id
                         and "alleen een manager" in m.text)
    await bram.say_in(group, "/unlink")
    await settled(emulator)
    assert sum("alleen een manager" in m.text or "ander team" in m.text
               for m in group.messages) == 1
    row = await link_row(sessions, group.chat_id)
    assert row is not None and row.team_id == ours.team.id and row.language == "nl"

    await manon.say_in(group, "/unlink")  # the linked team's manager lets it go
    await group.wait_for(lambda m: "niet meer gekoppeld" in m.text)
    await bram.say_in(group, "/link")
    await group.wait_for(lambda m: "nu gekoppeld aan" in m.text and "Bakery" in m.text)
    assert_telegram_was_happy(emulator)


async def test_relinking_moves_the_teams_link_and_says_so(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson,
) -> None:
    await set_up_team(sessions, clock.now(), manager=manon)
    first = emulator.group("MT oud", members=[manon])
    second = emulator.group("MT nieuw", members=[manon])
    await link_with_slash_link(manon, first)
    await manon.add_bot_to(second)
    await second.wait_for(lambda m: "/link" in m.text)
    await manon.say_in(second, "/link")
    moved = await second.wait_for(lambda m: "nu gekoppeld aan" in m.text)
    assert "MT oud" in moved.text and "verhuisd" in moved.text
    assert await link_row(sessions, first.chat_id) is None
    await manon.say_in(first, "/help")
    unlinked_help = await first.wait_for(lambda m: "/meeting" in m.text)
    assert "Zorg" not in unlinked_help.text
    assert_telegram_was_happy(emulator)


async def test_a_manager_of_two_teams_chooses_in_the_group_and_only_she_can_tap(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson, anna: SimulatedPerson,
) -> None:
    await set_up_team(sessions, clock.now(), manager=manon)
    second = await set_up_team(sessions, clock.now(), manager=manon, name="Thuiszorg Oost")
    group = emulator.group("MT Oost", members=[manon, anna])
    await manon.add_bot_to(group)
    await manon.say_in(group, "/link")
    choice = await group.wait_for(lambda m: "Voor welk" in m.text)
    assert [label for label, _ in choice.buttons()] == ["Zorg & Co", "Thuiszorg Oost"]
    toast = await anna.tap_in(group, "Thuiszorg Oost", message=choice)
    assert toast is not None and "alleen een manager" in toast
    assert await link_row(sessions, group.chat_id) is None
    await manon.tap_in(group, "Thuiszorg Oost", message=choice)
    linked = await group.wait_for(lambda m: "nu gekoppeld aan" in m.text)
    assert "Thuiszorg Oost" in linked.text
    assert linked.message_id == choice.message_id and linked.keyboard == []  # no second tap
    row = await link_row(sessions, group.chat_id)
    assert row is not None and row.team_id == second.team.id
    assert_telegram_was_happy(emulator)


async def test_private_commands_in_a_group_get_one_line_and_never_figures(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson, anna: SimulatedPerson,
) -> None:
    team = await set_up_team(sessions, clock.now(), manager=manon)
    await join_team(anna, team.start_command)
    group = emulator.group("MT Zorg & Co", members=[manon, anna])
    await link_with_slash_link(manon, group)
    private_before = len(manon.messages)
    commands = ["/report", "/survey", "/status", "/export", "/members", "/mydata", "/deleteme",
                "/resume", "/settings", f"/close@{emulator.bot_username}"]
    for command in commands:
        await manon.say_in(group, command)
    line = await group.wait_for(lambda m: m.text.startswith("Dat werkt in een privé"))
    assert line.keyboard == [] and "t.me/iso9004_test_bot" in line.html
    await anna.say_in(group, "/mydata")
    await group.wait_for(lambda m: "privégesprek" in m.text)
    await manon.say_in(group, "/report@someotherbot")  # another bot's command: not ours
    await manon.say_in(group, "/help")
    help_text = await group.wait_for(lambda m: "/meeting" in m.text)
    assert "/link" in help_text.text and "Zorg & Co" in help_text.text
    lines = [m for m in group.messages if m.text.startswith("Dat werkt in een privé")]
    assert len(lines) == 2  # one line a person a minute: later ones edit it (issue #28)
    assert len(manon.messages) == private_before  # nothing went to her private chat either
    assert_telegram_was_happy(emulator)
    assert_no_429(emulator)


async def test_the_group_menu_is_registered_in_both_languages(
    bot: RunningBot, emulator: BotApiEmulator,
) -> None:
    for language in ("nl", "en", ""):
        assert menu(emulator, "all_group_chats", language) == ["meeting", "link", "language",
                                                              "help"]
    assert "report" in menu(emulator, "all_private_chats", "en")
    assert "report" not in menu(emulator, "all_group_chats", "en")


async def test_a_group_membership_change_does_not_mark_the_person_blocked(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson, anna: SimulatedPerson,
) -> None:
    team = await set_up_team(sessions, clock.now(), manager=manon)
    await join_team(anna, team.start_command)
    group = emulator.group("Koffiehoek", members=[anna])
    await anna.add_bot_to(group)
    await group.wait_for(lambda m: "/link" in m.text)
    await anna.remove_bot_from(group)
    await anna.send("/help")
    await anna.wait_for(lambda m: "/resume" in m.text)
    async with sessions() as session:
        person = await session.get(Person, anna.user_id)
    assert person is not None and person.blocked_at is None
    assert_telegram_was_happy(emulator)


async def test_the_link_follows_the_group_when_it_becomes_a_supergroup(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson, anna: SimulatedPerson,
) -> None:
    team = await set_up_team(sessions, clock.now(), manager=manon)
    group = emulator.group("MT Zorg & Co", members=[manon, anna])
    await link_with_slash_link(manon, group)
    old_id = group.chat_id
    await manon.upgrade_to_supergroup(group)
    assert group.chat_id != old_id and str(group.chat_id).startswith("-100")
    # Telegram's migration notice and Anna's next command are handled side by side (one person's
    # updates are ordered, two people's are not), so Anna speaks once the link has moved.
    assert await link_row_when(sessions, group.chat_id, lambda r: True) is not None
    await anna.say_in(group, "/help")
    help_text = await group.wait_for(lambda m: "/meeting" in m.text)
    assert "gekoppeld aan" in help_text.text and "Zorg & Co" in help_text.text
    row = await link_row(sessions, group.chat_id)
    assert row is not None and row.team_id == team.team.id
    assert await link_row(sessions, old_id) is None
    assert_telegram_was_happy(emulator)


async def test_a_send_refused_as_migrated_moves_the_link_without_a_retry(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson,
) -> None:
    await set_up_team(sessions, clock.now(), manager=manon)
    group = emulator.group("MT Zorg & Co", members=[manon])
    await link_with_slash_link(manon, group)
    new_id = -1009999999999
    emulator.faults.append(Fault(ApiError(
        400, "Bad Request: group chat was upgraded to a supergroup chat",
        migrate_to_chat_id=new_id), "sendMessage", group.chat_id))
    before = len(emulator.calls_to("sendMessage", group.chat_id))
    await manon.say_in(group, "/help")
    moved = await link_row_when(sessions, new_id, lambda r: True)
    assert moved is not None and moved.left_at is None
    assert await link_row(sessions, group.chat_id) is None
    assert len(emulator.calls_to("sendMessage", group.chat_id)) == before + 1
