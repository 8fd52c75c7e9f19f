"""The participant's journey end to end: join, answer, pause, resume, never lose an answer."""

from __future__ import annotations

import asyncio

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Person, Response
from bot.emulator import BotApiEmulator, SimulatedPerson
from tests.support.clock import FixedClock
from tests.support.journeys import (
    assert_telegram_was_happy,
    join,
    start_survey,
    stored_answers,
)
from tests.support.running import RunningBot, set_up_team


async def test_anna_joins_in_dutch_and_finishes_a_quick_scan(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, anna: SimulatedPerson, manon: SimulatedPerson,
) -> None:
    team = await set_up_team(sessions, clock.now(), manager=manon)

    await anna.send(team.start_command)
    welcome = await anna.wait_for(lambda m: "Welkom" in m.text)
    assert "Zorg &amp; Co" in welcome.html or "Zorg & Co" in welcome.text
    assert "anoniem" in welcome.text

    await anna.tap("Ik doe mee")
    await anna.wait_for(lambda m: "taal" in m.text)
    await anna.tap("Nederlands")
    await anna.wait_for(lambda m: "Je bent lid van" in m.text)
    invitation = await anna.wait_for(lambda m: "Beginnen" in str(m.keyboard))
    assert "7 onderwerpen" in invitation.text

    await anna.tap("Beginnen")
    for number in range(1, 8):
        question = await anna.wait_for(lambda m, n=number: f"onderwerp {n} van 7" in m.text)
        assert "Welk niveau" in question.text
        await anna.tap(str(1 + number % 5))
    summary = await anna.wait_for(lambda m: "alle 7 onderwerpen beantwoord" in m.text)
    assert "Totaal" in summary.text
    await anna.tap("bevestigen")
    await anna.wait_for(lambda m: "bevestigd" in m.text)

    answers = await stored_answers(sessions, anna)
    assert len(answers) == 7
    assert sorted(level for level in answers.values() if level) == sorted(
        1 + n % 5 for n in range(1, 8))
    async with sessions() as session:
        response = await session.scalar(select(Response))
        assert response is not None and response.completed_at is not None
    assert_telegram_was_happy(emulator)


async def test_bram_joins_in_english_because_his_phone_speaks_english(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, bram: SimulatedPerson, manon: SimulatedPerson,
) -> None:
    team = await set_up_team(sessions, clock.now(), manager=manon)
    await bram.send(team.start_command)
    welcome = await bram.wait_for(lambda m: "Welcome" in m.text)
    assert "anonymous" in welcome.text
    await bram.tap("Yes, I'll take part")
    await bram.tap("English")
    await bram.wait_for(lambda m: "You have joined" in m.text)
    await start_survey(bram, "Start")
    assert "topic 1 of 7" in bram.last_message.text
    async with sessions() as session:
        person = await session.get(Person, bram.user_id)
        assert person is not None and person.language == "en" and person.consented_at
    assert_telegram_was_happy(emulator)


async def test_pause_restart_and_resume_lose_nothing(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, anna: SimulatedPerson, manon: SimulatedPerson,
) -> None:
    team = await set_up_team(sessions, clock.now(), manager=manon)
    await join(anna, team.start_command, "Nederlands")
    await start_survey(anna, "Beginnen")
    for level in (2, 3, 4):
        await anna.tap(str(level))
    await anna.wait_for(lambda m: "onderwerp 4 van 7" in m.text)
    await anna.tap("Pauze")
    paused = await anna.wait_for(lambda m: "Gepauzeerd" in m.text)
    assert "3 antwoorden" in paused.text

    await bot.restart()

    await anna.send("/resume")
    resumed = await anna.wait_for(lambda m: "onderwerp 4 van 7" in m.text)
    assert "Welk niveau" in resumed.text
    assert list((await stored_answers(sessions, anna)).values()) == [2, 3, 4]
    assert_telegram_was_happy(emulator)


async def test_going_back_changes_an_answer_and_returns_to_where_anna_was(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, anna: SimulatedPerson, manon: SimulatedPerson,
) -> None:
    team = await set_up_team(sessions, clock.now(), manager=manon)
    await join(anna, team.start_command, "Nederlands")
    await start_survey(anna, "Beginnen")
    await anna.tap("2")
    await anna.wait_for(lambda m: "onderwerp 2 van 7" in m.text)
    await anna.tap("3")
    await anna.wait_for(lambda m: "onderwerp 3 van 7" in m.text)

    await anna.tap("Terug")
    again = await anna.wait_for(lambda m: "onderwerp 2 van 7" in m.text)
    assert "Jouw antwoord: 3" in again.text
    await anna.tap("5")
    await anna.wait_for(lambda m: "onderwerp 3 van 7" in m.text)

    assert sorted((await stored_answers(sessions, anna)).values()) == [2, 5]
    assert_telegram_was_happy(emulator)


async def test_two_people_answer_at_the_same_time_without_mixing_answers(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, anna: SimulatedPerson, bram: SimulatedPerson, manon: SimulatedPerson,
) -> None:
    team = await set_up_team(sessions, clock.now(), manager=manon)

    async def answer_everything(person: SimulatedPerson, language: str, start: str,
                                progress: str, level: int) -> None:
        await join(person, team.start_command, language)
        await start_survey(person, start)
        for number in range(2, 9):
            await person.tap(str(level))
            await person.wait_for(
                lambda m, n=number: progress.format(n) in m.text or ("7 " in m.text and (
                    "Overall" in m.text or "Totaal" in m.text)))

    await asyncio.gather(
        answer_everything(anna, "Nederlands", "Beginnen", "onderwerp {} van 7", 2),
        answer_everything(bram, "English", "Start", "topic {} of 7", 4),
    )
    assert set((await stored_answers(sessions, anna)).values()) == {2}
    assert set((await stored_answers(sessions, bram)).values()) == {4}
    assert len(await stored_answers(sessions, bram)) == 7
    assert_telegram_was_happy(emulator)


async def test_a_crowd_tapping_in_the_same_instant_is_answered_in_full(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson,
) -> None:
    """More people at once than the bot keeps connections to Telegram (16): the rest queue."""
    team = await set_up_team(sessions, clock.now(), manager=manon)
    crowd = [emulator.person(first_name=f"Collega {n}", language_code="nl") for n in range(40)]

    async def open_survey(person: SimulatedPerson) -> None:
        await join(person, team.start_command, "Nederlands")
        await start_survey(person, "Beginnen")

    await asyncio.gather(*(open_survey(person) for person in crowd))
    await asyncio.gather(*(person.tap("3") for person in crowd))
    for person in crowd:
        await person.wait_for(lambda m: "onderwerp 2 van 7" in m.text)
        assert list((await stored_answers(sessions, person)).values()) == [3]
    assert_telegram_was_happy(emulator)
