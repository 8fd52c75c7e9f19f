"""Whatever a person (or Telegram) throws at the bot: a clear answer, no crash, no wrong score."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.emulator import BotApiEmulator, SimulatedPerson
from tests.support.clock import FixedClock
from tests.support.journeys import (
    anna_in_the_middle_of_a_survey,
    assert_telegram_was_happy,
    stored_answers,
)
from tests.support.restart import cut_every_other_connection
from tests.support.running import RunningBot


async def test_free_text_a_sticker_and_a_photo_get_a_hint_and_the_question_again(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, anna: SimulatedPerson, manon: SimulatedPerson,
) -> None:
    await anna_in_the_middle_of_a_survey(sessions, clock, anna, manon)
    for misstep in (anna.send("ik denk een 3"), anna.send_sticker(), anna.send_photo()):
        await misstep
        hint = await anna.wait_for(lambda m: "knoppen" in m.text)
        assert hint.keyboard == []
        question = await anna.wait_for(lambda m: "onderwerp 1 van 7" in m.text)
        assert question.keyboard
    assert await stored_answers(sessions, anna) == {}
    assert_telegram_was_happy(emulator)


async def test_an_unknown_command_is_explained(
    bot: RunningBot, emulator: BotApiEmulator, anna: SimulatedPerson,
) -> None:
    await anna.send("/frobnicate")
    reply = await anna.wait_for(lambda m: "/help" in m.text)
    assert "commando" in reply.text or "command" in reply.text
    assert_telegram_was_happy(emulator)


async def test_forged_callback_data_is_refused_and_writes_nothing(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, anna: SimulatedPerson, manon: SimulatedPerson,
) -> None:
    await anna_in_the_middle_of_a_survey(sessions, clock, anna, manon)
    question = anna.last_message
    for forged in ("a:1:0:9", "a:1:99:3", "a:999:0:3", "<script>", "a:1:0:3:1", "r:424242"):
        await anna.tap_data(forged, question)
    assert await stored_answers(sessions, anna) == {}
    assert_telegram_was_happy(emulator)


async def test_a_redelivered_update_is_counted_once(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, anna: SimulatedPerson, manon: SimulatedPerson,
) -> None:
    await anna_in_the_middle_of_a_survey(sessions, clock, anna, manon)
    await anna.tap("4")
    await anna.wait_for(lambda m: "onderwerp 2 van 7" in m.text)
    await anna.resend_last_update()
    await anna.tap("2")
    await anna.wait_for(lambda m: "onderwerp 3 van 7" in m.text)
    assert sorted((await stored_answers(sessions, anna)).values()) == [2, 4]
    assert_telegram_was_happy(emulator)


async def test_a_database_restart_mid_survey_goes_unnoticed(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, anna: SimulatedPerson, manon: SimulatedPerson, backend: str,
    engine: AsyncEngine,
) -> None:
    if backend != "postgresql":
        pytest.skip("a SQLite file has no connections to lose")
    await anna_in_the_middle_of_a_survey(sessions, clock, anna, manon)
    await anna.tap("4")
    await anna.wait_for(lambda m: "onderwerp 2 van 7" in m.text)
    await cut_every_other_connection(engine)
    await anna.tap("2")
    await anna.wait_for(lambda m: "onderwerp 3 van 7" in m.text)
    assert not any("ging bij mij iets mis" in m.text for m in anna.messages)
    assert sorted((await stored_answers(sessions, anna)).values()) == [2, 4]
    assert_telegram_was_happy(emulator)


async def test_two_quick_taps_on_the_same_question_leave_one_answer(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, anna: SimulatedPerson, manon: SimulatedPerson,
) -> None:
    await anna_in_the_middle_of_a_survey(sessions, clock, anna, manon)
    question = anna.last_message
    await asyncio.gather(anna.tap("3", message=question), anna.tap("5", message=question))
    await anna.wait_for(lambda m: "onderwerp 2 van 7" in m.text)
    answers = await stored_answers(sessions, anna)
    assert len(answers) == 1
    assert next(iter(answers.values())) in (3, 5)
    # The second tap may redraw the screen the first already showed; Telegram answers "not
    # modified", which the bot absorbs. Nothing else may be refused.
    assert all("not modified" in call.description for call in emulator.refused_calls())
    assert emulator.unanswered_callback_queries() == []


async def test_a_tap_on_an_old_message_is_explained_and_the_survey_moves_down(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, anna: SimulatedPerson, manon: SimulatedPerson,
) -> None:
    await anna_in_the_middle_of_a_survey(sessions, clock, anna, manon)
    old_question = anna.last_message
    await anna.send("/resume")
    await anna.wait_for(lambda m: "onderwerp 1 van 7" in m.text and not m.edited)
    await anna.tap_data(old_question.keyboard[0][2][1], old_question)
    await anna.wait_for(lambda m: "onderwerp 1 van 7" in m.text)
    assert await stored_answers(sessions, anna) == {}
    assert_telegram_was_happy(emulator)


async def test_markup_emoji_and_a_very_long_team_name_never_break_a_message(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, anna: SimulatedPerson, manon: SimulatedPerson,
) -> None:
    name = "<R&D> \"Kwaliteit\" 🚀 " + "heel lang " * 19
    await anna_in_the_middle_of_a_survey(sessions, clock, anna, manon, name=name)
    await anna.tap("3")
    await anna.wait_for(lambda m: "onderwerp 2 van 7" in m.text)
    assert "<R&D>" in anna.last_message.text
    assert_telegram_was_happy(emulator)


async def test_a_survey_that_closed_refuses_late_answers_politely(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, anna: SimulatedPerson, manon: SimulatedPerson,
) -> None:
    from datetime import timedelta

    await anna_in_the_middle_of_a_survey(sessions, clock, anna, manon)
    clock.advance(timedelta(days=8))
    await anna.tap("3")
    assert await stored_answers(sessions, anna) == {}
    assert_telegram_was_happy(emulator)
