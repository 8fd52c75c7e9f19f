"""What a participant reads reads naturally, in both languages, and only what concerns them."""

from __future__ import annotations

import re

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.emulator import BotApiEmulator, SimulatedPerson
from tests.support.clock import FixedClock
from tests.support.journeys import assert_telegram_was_happy, join
from tests.support.running import RunningBot, set_up_team

ENGLISH_DAY = re.compile(r"\b\d{1,2} (January|February|March|April|May|June|July|August|"
                         r"September|October|November|December) \d{4}\b")
DUTCH_DAY = re.compile(r"\b\d{1,2} (januari|februari|maart|april|mei|juni|juli|augustus|"
                       r"september|oktober|november|december) \d{4}\b")


async def test_help_lists_manager_commands_only_for_managers_and_says_how_to_choose(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, anna: SimulatedPerson, bram: SimulatedPerson, manon: SimulatedPerson,
) -> None:
    team = await set_up_team(sessions, clock.now(), manager=manon)
    await join(anna, team.start_command, "Nederlands")
    await join(bram, team.start_command, "English")
    await anna.send("/help")
    help_nl = await anna.wait_for(lambda m: "/resume" in m.text and "/mydata" in m.text)
    assert "/survey" not in help_nl.text and "/close" not in help_nl.text
    assert "hoogste niveau dat helemaal klopt" in help_nl.text
    await bram.send("/help")
    help_en = await bram.wait_for(lambda m: "/resume" in m.text and "/mydata" in m.text)
    assert "/survey" not in help_en.text and "For managers" not in help_en.text
    assert "highest level that fully applies" in help_en.text
    await manon.send("/help")
    manager = await manon.wait_for(lambda m: "/resume" in m.text)
    assert "Voor managers" in manager.text and "/survey" in manager.text
    assert_telegram_was_happy(emulator)


async def test_free_text_at_the_welcome_points_at_the_buttons(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, anna: SimulatedPerson, bram: SimulatedPerson, manon: SimulatedPerson,
) -> None:
    team = await set_up_team(sessions, clock.now(), manager=manon)
    for person, hint in ((anna, "Tik op een van de knoppen hierboven"),
                         (bram, "Please tap one of the buttons above")):
        await person.send(team.start_command)
        await person.wait_for(lambda m: bool(m.keyboard))
        await person.send("ja hoor")
        answer = await person.wait_for(lambda m, h=hint: h in m.text)
        assert "/resume" not in answer.text and "/deleteme" not in answer.text
    await anna.tap("Ik doe mee")  # the buttons still work
    await anna.wait_for(lambda m: "taal" in m.text)
    await bram.tap("Yes, I'll take part")
    await bram.wait_for(lambda m: "Nederlands" in str(m.keyboard))
    assert_telegram_was_happy(emulator)


async def test_mydata_speaks_dutch_and_after_deleteme_english_stays_english(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, anna: SimulatedPerson, bram: SimulatedPerson, manon: SimulatedPerson,
) -> None:
    team = await set_up_team(sessions, clock.now(), manager=manon)
    await join(anna, team.start_command, "Nederlands")
    await anna.send("/mydata")
    stored = await anna.wait_for(lambda m: "Wat ik over je bewaar" in m.text)
    assert "deelnemer" in stored.text and "participant" not in stored.text
    assert DUTCH_DAY.search(stored.text)

    await join(bram, team.start_command, "English")
    await bram.send("/deleteme")
    await bram.tap("Yes, forget me")
    await bram.wait_for(lambda m: "I have forgotten you" in m.text)
    await bram.send("/mydata")
    after = await bram.wait_for(lambda m: "forgotten" in m.text or "vergeten" in m.text)
    assert "I have forgotten you" in after.text
    assert_telegram_was_happy(emulator)


async def test_away_names_a_day_that_does_not_exist_and_days_read_one_way(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, anna: SimulatedPerson, bram: SimulatedPerson, manon: SimulatedPerson,
) -> None:
    team = await set_up_team(sessions, clock.now(), manager=manon)
    await join(anna, team.start_command, "Nederlands")
    await join(bram, team.start_command, "English")
    await anna.send("/away 31-02")
    await anna.wait_for(lambda m: "31-02 bestaat niet" in m.text)
    await bram.send("/away 31-02")
    await bram.wait_for(lambda m: "31-02 doesn't exist" in m.text)

    await bram.send("/away 24-12")
    away = await bram.wait_for(lambda m: "no reminders" in m.text)
    assert "24 December 2026" in away.text
    invitation = next(m for m in bram.messages if "asks for your opinion" in m.text)
    assert ENGLISH_DAY.search(invitation.text)
    assert not re.search(r"[A-Z][a-z]+ \d{1,2}, \d{4}", invitation.text)
    dutch = next(m for m in anna.messages if "vraagt naar jouw mening" in m.text)
    assert DUTCH_DAY.search(dutch.text) and not re.search(r"\d{2}-\d{2}-\d{4}", dutch.text)
    assert_telegram_was_happy(emulator)


async def test_settings_say_on_and_off_like_their_buttons_and_groups_ask_for_a_role(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, anna: SimulatedPerson, manon: SimulatedPerson,
) -> None:
    team = await set_up_team(sessions, clock.now(), manager=manon, use_groups=True)
    await manon.send("/settings")
    settings = await manon.wait_for(lambda m: "groepen vragen:" in m.text)
    assert "groepen vragen: aan" in settings.text and "Groepen vragen: aan" in str(
        settings.keyboard)
    assert "resultaat delen: aan" in settings.text

    await anna.send(team.start_command)
    await anna.tap("Ik doe mee")
    await anna.tap("Nederlands")
    question = await anna.wait_for(lambda m: "rol" in m.text)
    assert "Wat is jouw rol bij Zorg & Co?" in question.text
    assert_telegram_was_happy(emulator)


async def test_every_question_names_the_glossary_and_it_explains_the_terms_in_both_languages(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, anna: SimulatedPerson, bram: SimulatedPerson, manon: SimulatedPerson,
) -> None:
    team = await set_up_team(sessions, clock.now(), manager=manon)
    await join(anna, team.start_command, "Nederlands")
    await join(bram, team.start_command, "English")
    await anna.tap("Beginnen")
    question = await anna.wait_for(lambda m: "onderwerp 1 van 7" in m.text)
    assert "/begrippen" in question.text
    await anna.send("/begrippen")
    terms = await anna.wait_for(lambda m: "Begrippen" in m.text)
    assert "Belanghebbenden" in terms.text or "belanghebbenden" in terms.text
    await bram.send("/glossary")
    terms_en = await bram.wait_for(lambda m: "Glossary" in m.text)
    assert "nterested part" in terms_en.text and "/begrippen" not in terms_en.text
    assert_telegram_was_happy(emulator)
