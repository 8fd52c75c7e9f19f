"""Around the survey: a plain /start, remarks, the language, what is stored, forgetting."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Answer, Membership, Person, Remark
from bot.emulator import BotApiEmulator, SimulatedPerson
from tests.support.clock import FixedClock
from tests.support.journeys import assert_telegram_was_happy, join, start_survey, stored_answers
from tests.support.running import RunningBot, set_up_team


async def test_a_plain_start_greets_and_explains_what_to_do(
    bot: RunningBot, emulator: BotApiEmulator, anna: SimulatedPerson,
) -> None:
    await anna.send("/start")
    greeting = await anna.wait_for(lambda m: "Hallo Anna" in m.text)
    assert "uitnodigingslink" in greeting.text
    assert_telegram_was_happy(emulator)


async def test_an_unknown_invite_is_explained(
    bot: RunningBot, emulator: BotApiEmulator, bram: SimulatedPerson,
) -> None:
    await bram.send("/start not-a-real-invite-token")
    explanation = await bram.wait_for(lambda m: bool(m.text))
    assert "invite" in explanation.text.lower() or "link" in explanation.text.lower()
    assert_telegram_was_happy(emulator)


async def test_a_full_assessment_with_a_remark_on_a_chapter(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, anna: SimulatedPerson, manon: SimulatedPerson,
) -> None:
    team = await set_up_team(sessions, clock.now(), manager=manon, scope="full",
                             name="<Team> & Co")
    await join(anna, team.start_command, "Nederlands")
    await start_survey(anna, "Beginnen")
    for _ in range(3):  # chapter 5 has three elements
        await anna.tap("3")
    await anna.wait_for(lambda m: "Hoofdstuk 5" in m.text and "klaar" in m.text)
    await anna.tap("Opmerking bij hoofdstuk 5")
    await anna.wait_for(lambda m: "Typ je opmerking" in m.text)
    await anna.send("Meer overleg met <leveranciers> & klanten 🚚")
    await anna.wait_for(lambda m: "bewaard" in m.text)
    question = await anna.wait_for(lambda m: "onderwerp 4 van 31" in m.text)
    assert question.keyboard

    for number in range(5, 32):  # one tap each: the remark offers never stand in the way
        await anna.tap("Niet van toepassing")
        await anna.wait_for(lambda m, n=number: f"onderwerp {n} van 31" in m.text)
    await anna.tap("Niet van toepassing")
    summary = await anna.wait_for(lambda m: "alle 31 onderwerpen" in m.text)
    assert "5 Context van de organisatie: 3,0" in summary.text
    assert "6 Identiteit van de organisatie: –" in summary.text  # only "not applicable" there
    async with sessions() as session:
        remark = await session.scalar(select(Remark.text))
    assert remark == "Meer overleg met <leveranciers> & klanten 🚚"
    answers = await stored_answers(sessions, anna)
    assert len(answers) == 31 and list(answers.values()).count(None) == 28
    assert_telegram_was_happy(emulator)


async def test_switching_language_mid_survey_changes_every_next_screen(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, anna: SimulatedPerson, manon: SimulatedPerson,
) -> None:
    team = await set_up_team(sessions, clock.now(), manager=manon)
    await join(anna, team.start_command, "Nederlands")
    await start_survey(anna, "Beginnen")
    await anna.send("/language")
    await anna.tap("English")
    await anna.wait_for(lambda m: "English" in m.text)
    await anna.send("/resume")
    await anna.wait_for(lambda m: "topic 1 of 7" in m.text)
    assert_telegram_was_happy(emulator)


async def test_mydata_shows_what_is_stored_and_deleteme_forgets_it(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, anna: SimulatedPerson, manon: SimulatedPerson,
) -> None:
    team = await set_up_team(sessions, clock.now(), manager=manon, name="Zorg & Co")
    await join(anna, team.start_command, "Nederlands")
    await start_survey(anna, "Beginnen")
    await anna.tap("4")
    await anna.wait_for(lambda m: "onderwerp 2 van 7" in m.text)

    await anna.send("/mydata")
    stored = await anna.wait_for(lambda m: "Wat ik over je bewaar" in m.text)
    assert "Zorg & Co" in stored.text and "1 antwoorden" in stored.text

    await anna.send("/deleteme")
    await anna.tap("Ja, vergeet mij")
    await anna.wait_for(lambda m: "vergeten" in m.text)
    async with sessions() as session:
        assert await session.get(Person, anna.user_id) is None
        assert await session.scalar(select(func.count()).select_from(Answer)) == 0
        assert await session.scalar(select(func.count()).select_from(Membership).where(
            Membership.user_id == anna.user_id)) == 0
    assert_telegram_was_happy(emulator)
