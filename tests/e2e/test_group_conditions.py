"""The meeting under real group conditions (issue #28), through the emulator.

Telegram's limits in a group (20 new messages a minute, one answer per callback query), a bot
removed without having heard it yet, a supergroup upgrade mid-meeting, a co-manager giving the
reason, the first words after the `startgroup` link, and the survey's remark offer after an
example.
"""

from __future__ import annotations

import time

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.emulator import BotApiEmulator, SimulatedPerson
from tests.support.clock import FixedClock
from tests.support.journeys import assert_telegram_was_happy, join, start_survey
from tests.support.meeting import set_up_meeting
from tests.support.quiet import settled
from tests.support.running import RunningBot, set_up_team

pytestmark = pytest.mark.slow


async def test_a_meeting_tap_delivered_twice_gets_one_answer(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson, anna: SimulatedPerson,
) -> None:
    meeting, _ = await set_up_meeting(emulator, sessions, clock, manon, anna)
    group = meeting.group
    await manon.say_in(group, "/meeting")
    await group.wait_for(lambda m: "onderwerp 1 van 7" in m.text)
    await anna.tap_in(group, "3")
    await group.wait_for(lambda m: "1 gestemd" in m.text)
    await anna.resend_last_update()  # Telegram did not hear our 200 and sends the tap again
    toast = await anna.tap_in(group, "4")  # after the redelivery: a person's updates in order
    assert toast is not None and "Je stem: 4" in toast
    answers = emulator.calls_to("answerCallbackQuery")
    assert len(answers) == 2 and all(call.ok for call in answers)
    assert_telegram_was_happy(emulator)


async def test_the_remark_offer_stays_after_an_example(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, anna: SimulatedPerson, manon: SimulatedPerson,
) -> None:
    team = await set_up_team(sessions, clock.now(), manager=manon)
    await join(anna, team.start_command, "Nederlands")
    await start_survey(anna, "Beginnen")
    await anna.tap("3")
    second = await anna.wait_for(lambda m: "onderwerp 2 van 7" in m.text)
    assert "Opmerking bij hoofdstuk 5" in str(second.keyboard)
    await anna.tap("Voorbeeld bij 5.2?")
    await anna.wait_for(lambda m: "Waarom zeg je dat?" in m.text)
    await anna.send("We horen klanten alleen als ze klagen")
    await anna.wait_for(lambda m: "voorbeeld bij onderwerp 5.2 is bewaard" in m.text)
    again = await anna.wait_for(lambda m: "onderwerp 2 van 7" in m.text)
    assert "Opmerking bij hoofdstuk 5" in str(again.keyboard)
    assert "Voorbeeld bij 5.2" not in str(again.keyboard)  # written already
    await anna.tap("Opmerking bij hoofdstuk 5")
    await anna.wait_for(lambda m: "Typ je opmerking over hoofdstuk 5" in m.text)
    await anna.send("Klachten blijven bij de balie hangen")
    await anna.wait_for(lambda m: "opmerking over hoofdstuk 5 is bewaard" in m.text)
    assert_telegram_was_happy(emulator)


async def test_a_co_managers_reply_or_reason_command_sets_the_reason(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson, anna: SimulatedPerson,
) -> None:
    meeting, _ = await set_up_meeting(emulator, sessions, clock, manon, anna)
    group, (bram, daan) = meeting.group, meeting.managers[1:]
    await manon.say_in(group, "/meeting")
    voting = await group.wait_for(lambda m: "onderwerp 1 van 7" in m.text)
    await daan.say_in(group, "dat weten we nog niet", reply_to=voting)  # nothing agreed yet
    how = await group.wait_for(lambda m: "Zo geef je de reden" in m.text)
    assert "/reason" in how.text
    await manon.tap_in(group, "Toon de stemmen")
    await manon.tap_in(group, "✅ 2")  # Manon chairs; Bram words the reason
    agreed = await group.wait_for(lambda m: "Afgesproken: niveau 2" in m.text)
    assert "Een manager van het team: beantwoord dit bericht met de reden" in agreed.text
    await bram.say_in(group, "Alleen ploeg A werkt met lijsten", reply_to=agreed)
    await group.wait_for(lambda m: "— Alleen ploeg A werkt met lijsten" in m.text)
    await anna.say_in(group, "ik vind 3", reply_to=agreed)  # a member: only how
    assert "Zo geef je de reden" in (await group.wait_for()).text
    await daan.say_in(group, "/reason Ploeg A werkt met lijsten, B en C niet")
    await group.wait_for(lambda m: "— Ploeg A werkt met lijsten, B en C niet" in m.text)
    assert_telegram_was_happy(emulator)


async def test_a_meeting_started_from_the_report_in_a_group_without_the_bot_says_so(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson, anna: SimulatedPerson,
) -> None:
    meeting, _ = await set_up_meeting(emulator, sessions, clock, manon, anna)
    await manon.send("/report")
    offer = await manon.wait_for(lambda m: "Start het overleg in MT Zorg & Co" in str(m.keyboard))
    # someone removed the bot, and Telegram's my_chat_member about it has not reached the bot yet
    meeting.group.bot_status = "left"
    await manon.tap("Start het overleg", message=offer)
    told = await manon.wait_for(lambda m: "MT Zorg & Co" in m.text)
    assert "Ik kon niet posten in MT Zorg & Co" in told.text and "/meeting" in told.text
    assert "overleg loopt" not in told.text
    await manon.tap("Start het overleg", message=offer)  # the link is left now: where to go
    assert "voeg me daar toe" in (await manon.wait_for(lambda m: "groep" in m.text)).text
    assert not any("onderwerp 1 van 7" in m.text for m in meeting.group.messages)
    assert [c.description for c in emulator.refused_calls()] == [
        "Forbidden: bot is not a member of the group chat"]  # one try, never retried
    assert emulator.unanswered_callback_queries() == []


async def test_a_supergroup_upgrade_mid_meeting_shows_the_meeting_in_the_new_chat(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson, anna: SimulatedPerson,
) -> None:
    meeting, _ = await set_up_meeting(emulator, sessions, clock, manon, anna)
    group = meeting.group
    await manon.say_in(group, "/meeting")
    await group.wait_for(lambda m: "onderwerp 1 van 7" in m.text)
    await anna.tap_in(group, "3")
    await group.wait_for(lambda m: "1 gestemd" in m.text)
    old_id = group.chat_id
    await manon.upgrade_to_supergroup(group)
    moved = await group.wait_for(lambda m: m.chat_id == group.chat_id
                                 and "onderwerp 1 van 7" in m.text)
    assert group.chat_id != old_id and "1 gestemd" in moved.text  # where it was
    assert [m.text for m in group.messages] == [moved.text]  # nobody had to type /meeting
    toast = await meeting.everyone[1].tap_in(group, "2")  # Bram votes in the new chat
    assert toast is not None and "Je stem: 2" in toast
    await group.wait_for(lambda m: "2 gestemd" in m.text)
    # the old chat is closed to the bot: saying there where the meeting went is tried once
    refused = emulator.refused_calls()
    assert all(c.chat_id == old_id and "upgraded to a supergroup" in c.description
               for c in refused) and len(refused) <= 1
    assert emulator.unanswered_callback_queries() == []


def _too_many(emulator: BotApiEmulator) -> list[str]:
    return [c.description for c in emulator.calls if "Too Many Requests" in c.description]


async def test_five_people_trying_the_group_menu_do_not_delay_the_chairs_meeting(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson, anna: SimulatedPerson,
) -> None:
    meeting, _ = await set_up_meeting(emulator, sessions, clock, manon, anna)
    group = meeting.group
    guests = [emulator.person(name, "nl") for name in ("Piet", "Sara", "Joris")]
    for guest in guests:
        await manon.add_to(group, guest)
    curious = [*meeting.members, *guests]  # not managers of the team: /meeting is not theirs
    await settled(emulator)
    before = len(group.messages)
    for command in ("/help", "/meeting", "/language", "/link"):  # within a minute, all at once
        for person in curious:
            await person.say_in(group, command)
    await settled(emulator)
    chatter = group.messages[before:]
    refusals = [m for m in chatter if "Alleen een manager" in m.text
                or "alleen een manager" in m.text]
    assert len(refusals) == 5  # one line per person, the later refusals edited into it
    assert len(chatter) <= 10  # and the help: one, or one per person asking at the same moment
    started = time.monotonic()
    await manon.say_in(group, "/meeting")
    await group.wait_for(lambda m: "onderwerp 1 van 7" in m.text)
    assert time.monotonic() - started < 2.0
    assert _too_many(emulator) == []
    await settled(emulator)
    assert "onderwerp 1 van 7" in group.last_message.text  # no old refusal line after it
