"""Telegram's refusals as people notice them: a double tap costs nothing, a block is undone."""

from __future__ import annotations

import asyncio
import time

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Notification, Person
from bot.emulator import BotApiEmulator, SimulatedPerson
from bot.emulator._model import ApiError
from bot.emulator._server import Fault
from tests.support.clock import FixedClock
from tests.support.journeys import anna_in_the_middle_of_a_survey, assert_telegram_was_happy
from tests.support.running import RunningBot
from tests.support.scheduling import due_times, reminders, team_with_survey

QUICK = 1.0
"""Seconds: "well under a second" on a busy test machine; a retried refusal took 7.7 s."""


async def blocked_at(sessions: async_sessionmaker[AsyncSession], person: SimulatedPerson) -> object:
    async with sessions() as session:
        return await session.scalar(
            select(Person.blocked_at).where(Person.user_id == person.user_id))


async def test_a_double_tap_leaves_the_next_tap_answered_at_once(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, anna: SimulatedPerson, manon: SimulatedPerson,
) -> None:
    await anna_in_the_middle_of_a_survey(sessions, clock, anna, manon)
    question = anna.last_message
    [data] = [data for label, data in question.buttons() if label.endswith("3")]
    await asyncio.gather(anna.tap_data(data, question), anna.tap_data(data, question))
    # The second tap drew the screen the first had drawn: Telegram said "not modified".
    [refusal] = emulator.refused_calls()
    assert refusal.method == "editMessageText"
    assert refusal.description.startswith("Bad Request: message is not modified")

    started = time.monotonic()
    await anna.tap("4")
    assert time.monotonic() - started < QUICK
    await anna.wait_for(lambda m: "onderwerp 3 van 7" in m.text)
    assert emulator.unanswered_callback_queries() == []


async def test_mydata_after_a_redelivered_tap_comes_at_once(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, anna: SimulatedPerson, manon: SimulatedPerson,
) -> None:
    await anna_in_the_middle_of_a_survey(sessions, clock, anna, manon)
    await anna.tap("4")
    await anna.resend_last_update()
    started = time.monotonic()
    await anna.send("/mydata")
    await anna.wait_for(lambda m: "Wat ik over je bewaar" in m.text)
    assert time.monotonic() - started < QUICK


async def test_a_manager_who_blocked_and_unblocked_the_bot_gets_the_reminder_and_the_report(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson, anna: SimulatedPerson,
) -> None:
    await team_with_survey(bot, manon, [(anna, "Nederlands")])
    await manon.block()
    for _ in range(50):  # Telegram tells the bot with a my_chat_member update
        if await blocked_at(sessions, manon) is not None:
            break
        await asyncio.sleep(0.02)
    assert await blocked_at(sessions, manon) is not None

    await manon.unblock()
    await manon.send("/resume")
    await manon.wait_for(lambda m: "onderwerp 1 van 7" in m.text)
    assert await blocked_at(sessions, manon) is None

    clock.set(min(await due_times(sessions, "remind")))
    await bot.sweep()
    assert len(reminders(manon)) == 1
    await manon.send("/close")
    await manon.tap("Ja, afsluiten")
    await manon.wait_for(lambda m: "afgesloten" in m.text)
    await bot.sweep()
    await manon.wait_for(lambda m: "Niveau per hoofdstuk" in m.text or "Te weinig" in m.text)
    assert_telegram_was_happy(emulator)


async def test_someone_marked_as_blocked_who_writes_again_hears_from_the_bot_again(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson, anna: SimulatedPerson, bram: SimulatedPerson,
) -> None:
    """The mark set by a 403 during a sweep (no my_chat_member seen) clears with any update."""
    await team_with_survey(bot, manon, [(anna, "Nederlands"), (bram, "English")])
    async with sessions.begin() as session:
        await session.execute(update(Person).where(Person.user_id == anna.user_id)
                              .values(blocked_at=clock.now()))
    await anna.send("/mydata")
    await anna.wait_for(lambda m: "Wat ik over je bewaar" in m.text)
    assert await blocked_at(sessions, anna) is None

    clock.set(min(await due_times(sessions, "remind")))
    await bot.sweep()
    assert len(reminders(anna)) == 1 and len([m for m in bram.messages if "reminder" in m.text])


async def test_a_blocked_person_is_not_tried_until_they_come_back(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson, anna: SimulatedPerson,
) -> None:
    await team_with_survey(bot, manon, [(anna, "Nederlands")])
    await anna.block()
    for _ in range(50):
        if await blocked_at(sessions, anna) is not None:
            break
        await asyncio.sleep(0.02)
    clock.set(min(await due_times(sessions, "remind")))
    await bot.sweep()
    assert emulator.calls_to("sendMessage", anna.user_id)[-1].ok  # no 403 provoked
    async with sessions() as session:
        statuses = (await session.scalars(select(Notification.status).where(
            Notification.user_id == anna.user_id, Notification.kind == "remind"))).all()
    assert "skipped" in statuses
    assert reminders(anna) == []


async def test_a_reply_refused_with_403_marks_the_person_and_is_not_retried(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson, anna: SimulatedPerson,
) -> None:
    await anna_in_the_middle_of_a_survey(sessions, clock, anna, manon)
    emulator.faults.append(Fault(ApiError(403, "Forbidden: bot was blocked by the user"),
                                 "sendMessage", anna.user_id))
    await anna.send("/mydata")
    for _ in range(50):
        if await blocked_at(sessions, anna) is not None:
            break
        await asyncio.sleep(0.02)
    assert await blocked_at(sessions, anna) is not None
    refused = [c for c in emulator.calls_to("sendMessage", anna.user_id) if not c.ok]
    assert len(refused) == 1
    await anna.send("/mydata")  # she is back: the mark clears and the answer comes
    await anna.wait_for(lambda m: "Wat ik over je bewaar" in m.text)
    assert await blocked_at(sessions, anna) is None
