"""A quick scan gets comments too: a remark per chapter and an example behind a level.

Both are offered on the screen after the answer, so skipping them costs no tap; what is typed is
stored and appears, without names, in the closed report once enough people answered.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Cycle, Example
from bot.db.repositories import Repository
from bot.emulator import BotApiEmulator, SimulatedPerson
from bot.services import cycles, reports
from domain.catalog import load_model
from tests.support.clock import FixedClock
from tests.support.journeys import answer_survey, assert_telegram_was_happy, join, start_survey
from tests.support.running import RunningBot, set_up_team
from tests.support.words import WORDS, answer_everything


async def test_quick_scan_participants_add_a_remark_and_an_example_that_reach_the_report(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, anna: SimulatedPerson, bram: SimulatedPerson, manon: SimulatedPerson,
) -> None:
    team = await set_up_team(sessions, clock.now(), manager=manon)
    assert team.cycle is not None
    await join(anna, team.start_command, "Nederlands")
    await start_survey(anna, "Beginnen")
    await anna.tap("3")
    second = await anna.wait_for(lambda m: "onderwerp 2 van 7" in m.text)
    assert "Hoofdstuk 5 is klaar" in second.text  # a one-topic chapter is done too
    await anna.tap("Opmerking bij hoofdstuk 5")
    await anna.wait_for(lambda m: "Typ je opmerking over hoofdstuk 5" in m.text)
    await anna.send("Klanten <merken> het & zeggen het")
    await anna.wait_for(lambda m: "opmerking over hoofdstuk 5 is bewaard" in m.text)
    await anna.wait_for(lambda m: "onderwerp 2 van 7" in m.text)
    await anna.tap("4")
    await anna.wait_for(lambda m: "onderwerp 3 van 7" in m.text)
    await anna.tap("Voorbeeld bij 6.2?")
    prompt = await anna.wait_for(lambda m: "Waarom zeg je dat?" in m.text)
    assert "6.2" in prompt.text and "jouw niveau: 4" in prompt.text
    assert "Waar je op kunt letten" in prompt.text  # the catalog's signs, as hints
    assert all(sign in prompt.text for sign in load_model("iso9004-2018").elements["6.2"].signs(
        "nl"))
    await anna.send("Onze missie hangt\nbij elke afdeling")
    await anna.wait_for(lambda m: "voorbeeld bij onderwerp 6.2 is bewaard" in m.text)
    await anna.wait_for(lambda m: "onderwerp 3 van 7" in m.text)
    for level in (3, 3, 3, 3, 3):
        await anna.tap(str(level))
    await anna.wait_for(lambda m: "alle 7 onderwerpen beantwoord" in m.text)
    await anna.tap("💬")  # the last topic's offer is on the summary
    await anna.wait_for(lambda m: "Waarom zeg je dat?" in m.text)
    await anna.send("/skip")
    await anna.wait_for(lambda m: "alle 7 onderwerpen beantwoord" in m.text)
    await anna.tap("bevestigen")

    await join(bram, team.start_command, "English")
    await start_survey(bram, "Start")
    await bram.tap("2")
    await bram.wait_for(lambda m: "topic 2 of 7" in m.text)
    await bram.tap("An example for 5.2?")
    prompt = await bram.wait_for(lambda m: "What makes you say so?" in m.text)
    assert "your level: 2" in prompt.text
    await bram.send("We only hear about customers when they complain")
    await bram.wait_for(lambda m: "example for topic 5.2 is saved" in m.text)
    await answer_everything_from(bram, 2)
    await bram.tap("Confirm")

    cas = emulator.person(first_name="Cas", language_code="nl")
    await join(cas, team.start_command, "Nederlands")
    await start_survey(cas, "Beginnen")
    await answer_everything(cas, WORDS["nl"], 7, 3)
    await cas.tap("bevestigen")
    await cas.wait_for(lambda m: "bevestigd" in m.text)
    dee = emulator.person(first_name="Dee", language_code="nl")  # k + 1: figures, remarks
    await join(dee, team.start_command, "Nederlands")
    await start_survey(dee, "Beginnen")
    await answer_everything(dee, WORDS["nl"], 7, 4)
    await dee.tap("bevestigen")
    await dee.wait_for(lambda m: "bevestigd" in m.text)

    async with sessions() as session:
        stored = (await session.scalars(select(Example.text).order_by(Example.text))).all()
    assert stored == ["Onze missie hangt bij elke afdeling",
                      "We only hear about customers when they complain"]
    async with sessions.begin() as session:
        await cycles.close_cycle(Repository(session), team.cycle.id, clock.now())
    async with sessions() as session:
        cycle = await session.get(Cycle, team.cycle.id)
        assert cycle is not None
        report = await reports.build_report(Repository(session), cycle, manon.user_id)
    assert report.result.shown
    assert report.remarks == (("5", "Klanten <merken> het & zeggen het"),)
    assert report.examples == (("5.2", "We only hear about customers when they complain"),
                               ("6.2", "Onze missie hangt bij elke afdeling"))
    assert_telegram_was_happy(emulator)


async def answer_everything_from(person: SimulatedPerson, level: int) -> None:
    """From topic 2 on (English), one tap each."""
    await answer_survey(person, [level] * 6, start=None, confirm=None, topic="topic {} of 7",
                        first=2)
    await person.wait_for(lambda m: "all 7 topics answered" in m.text)


async def test_below_the_threshold_no_example_reaches_the_report(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, anna: SimulatedPerson, manon: SimulatedPerson,
) -> None:
    team = await set_up_team(sessions, clock.now(), manager=manon)
    assert team.cycle is not None
    await join(anna, team.start_command, "Nederlands")
    await start_survey(anna, "Beginnen")
    await anna.tap("5")
    await anna.tap("Voorbeeld bij 5.2?")
    await anna.wait_for(lambda m: "Waarom zeg je dat?" in m.text)
    await anna.send("Alleen ik zou dit kunnen schrijven")
    await anna.wait_for(lambda m: "is bewaard" in m.text)
    async with sessions.begin() as session:
        await cycles.close_cycle(Repository(session), team.cycle.id, clock.now())
    async with sessions() as session:
        cycle = await session.get(Cycle, team.cycle.id)
        assert cycle is not None
        report = await reports.build_report(Repository(session), cycle, manon.user_id)
        assert await session.scalar(select(Example.text)) == "Alleen ik zou dit kunnen schrijven"
    assert not report.result.shown and report.examples == ()
    assert_telegram_was_happy(emulator)


async def test_an_example_typed_after_a_restart_is_saved_and_then_text_is_text_again(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, bram: SimulatedPerson, manon: SimulatedPerson,
) -> None:
    team = await set_up_team(sessions, clock.now(), manager=manon)
    await join(bram, team.start_command, "English")
    await start_survey(bram, "Start")
    await bram.tap("4")
    await bram.tap("An example for 5.2?")
    await bram.wait_for(lambda m: "What makes you say so?" in m.text)
    await bot.restart()  # what the next text is for is in the database, not in the process
    await bram.send("Every project starts with a stakeholder map")
    await bram.wait_for(lambda m: "example for topic 5.2 is saved" in m.text)
    await bram.wait_for(lambda m: "topic 2 of 7" in m.text)
    await bram.send("Hello?")  # no longer an example
    await bram.wait_for(lambda m: "use the buttons" in m.text)
    async with sessions() as session:
        assert (await session.scalars(select(Example.text))).all() == [
            "Every project starts with a stakeholder map"]
    assert_telegram_was_happy(emulator)
