"""After answering everything, any topic can be changed from the summary, and back at it.

The summary lists every topic by chapter with its current answer (in parts when the survey is
long); a topic's button opens it, one tap changes it, and the person is back at the summary.
"""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.emulator import BotApiEmulator, SimulatedPerson
from tests.support.clock import FixedClock
from tests.support.journeys import assert_telegram_was_happy, join, start_survey, stored_answers
from tests.support.running import RunningBot, set_up_team
from tests.support.words import WORDS, answer_everything


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_topic_5_of_7_is_changed_from_the_summary_and_back_at_it(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson, language: str,
) -> None:
    words = WORDS[language]
    person = emulator.person(first_name="Noor", language_code=language)
    team = await set_up_team(sessions, clock.now(), manager=manon)
    await join(person, team.start_command, words.language_button)
    await start_survey(person, words.start)
    summary = await answer_everything(person, words, 7, 2)
    assert "9.2" in summary.text and words.part.format(1, 1) not in summary.text
    await person.tap(words.confirm)
    await person.send("/resume")
    await person.wait_for(lambda m: words.all_answered.format(7) in m.text)

    await person.tap("9.2 · 2")  # topic 5 of 7
    topic = await person.wait_for(lambda m: words.topic.format(5, 7) in m.text)
    assert words.changing in topic.text
    await person.tap("4")
    back = await person.wait_for(lambda m: words.all_answered.format(7) in m.text)
    assert any(label == "9.2 · 4" for label, _ in back.buttons())
    assert (await stored_answers(sessions, person))["9.2"] == 4
    assert sorted((await stored_answers(sessions, person)).values()) == [2] * 6 + [4]

    # Pausing on topic 1 while changing it says topic 1, and continuing returns to it.
    await person.tap("5.2 · 2")
    await person.wait_for(lambda m: words.topic.format(1, 7) in m.text)
    await person.tap(words.pause)
    paused = await person.wait_for(lambda m: words.paused_changing.format(1, 7) in m.text)
    assert "7 van 7" not in paused.text and "7 of 7" not in paused.text
    await person.tap(words.resume)
    again = await person.wait_for(lambda m: words.topic.format(1, 7) in m.text)
    assert words.changing in again.text
    await person.tap(words.pause)
    await person.wait_for(lambda m: words.paused_changing.format(1, 7) in m.text)
    await person.send("/resume")  # the overview, from which every topic can be changed
    await person.wait_for(lambda m: words.all_answered.format(7) in m.text)

    instructions = [m for m in person.messages if words.instruction in m.text]
    assert len(instructions) == 1  # said once, before the first question
    assert_telegram_was_happy(emulator)


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_topic_20_of_31_is_changed_from_the_second_part_of_the_summary(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson, language: str,
) -> None:
    words = WORDS[language]
    person = emulator.person(first_name="Sem", language_code=language)
    team = await set_up_team(sessions, clock.now(), manager=manon, scope="full")
    await join(person, team.start_command, words.language_button)
    await start_survey(person, words.start)
    summary = await answer_everything(person, words, 31, 3)
    assert words.part.format(1, 3) in summary.text
    assert len(summary.buttons()) <= 100 and all(len(row) <= 8 for row in summary.keyboard)

    await person.tap(words.next_page)
    second = await person.wait_for(lambda m: words.part.format(2, 3) in m.text)
    assert "9.7" in second.text and "5.1" not in second.text
    await person.tap("9.7 · 3")  # topic 20 of 31
    await person.wait_for(lambda m: words.topic.format(20, 31) in m.text)
    await person.tap("5")
    back = await person.wait_for(lambda m: words.all_answered.format(31) in m.text)
    assert words.part.format(2, 3) in back.text  # back at the part the topic is on
    assert any(label == "9.7 · 5" for label, _ in back.buttons())
    answers = await stored_answers(sessions, person)
    assert answers["9.7"] == 5 and list(answers.values()).count(3) == 30
    assert_telegram_was_happy(emulator)
