"""The question screen's aids (issue #27): "Weet ik niet" apart from "Niet van toepassing", the
"Waar zie je het aan?" button, and the mark on a question that is mainly for managers."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Answer
from bot.emulator import BotApiEmulator, SimulatedPerson
from tests.support.clock import FixedClock
from tests.support.journeys import assert_telegram_was_happy, join, start_survey
from tests.support.running import RunningBot, set_up_team

SIGN = "Het laatste jaarplan noemt"  # the first sign of 5.1, the first topic of a full assessment


@pytest.mark.slow
async def test_dont_know_is_its_own_answer_and_the_signs_lead_back_to_the_question(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, anna: SimulatedPerson, manon: SimulatedPerson,
) -> None:
    team = await set_up_team(sessions, clock.now(), manager=manon, scope="full")
    await join(anna, team.start_command, "Nederlands")
    await start_survey(anna, "Beginnen")
    first = await anna.wait_for(lambda m: "onderwerp 1 van 31" in m.text)
    assert "Vooral voor leidinggevenden" in first.text  # 5.1 is the management's to judge
    assert "5.1 Context en koers" in first.text and "paragraaf: Algemeen" in first.text
    assert SIGN not in first.text

    await anna.tap("👀 Waar zie je het aan?")
    await anna.wait_for(lambda m: SIGN in m.text and "onderwerp 1 van 31" in m.text)
    await anna.tap("↩️ Terug naar de vraag")
    await anna.wait_for(lambda m: "onderwerp 1 van 31" in m.text and SIGN not in m.text)

    await anna.tap("Weet ik niet")
    second = await anna.wait_for(lambda m: "onderwerp 2 van 31" in m.text)
    assert "Vooral voor leidinggevenden" not in second.text  # 5.2 is everyone's
    await anna.tap("Niet van toepassing")
    await anna.wait_for(lambda m: "onderwerp 3 van 31" in m.text)
    await anna.tap("◀️ Terug")
    await anna.wait_for(lambda m: "onderwerp 2 van 31" in m.text)
    await anna.tap("◀️ Terug")
    back = await anna.wait_for(lambda m: "onderwerp 1 van 31" in m.text)
    assert "Jouw antwoord: weet ik niet" in back.text
    assert ("✓ Weet ik niet" in [label for label, _ in back.buttons()])

    async with sessions() as session:
        rows = dict((await session.execute(
            select(Answer.element_id, Answer.dont_know).where(Answer.level.is_(None)))).all())
    assert rows == {"5.1": True, "5.2": False}
    assert_telegram_was_happy(emulator)
