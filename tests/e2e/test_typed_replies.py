"""Typed replies (a team name, a deadline, a remark) are read from the database, not from memory:
each still works when the bot restarted between the question and the answer."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Cycle, Membership, Remark, Team
from bot.emulator import BotApiEmulator, SimulatedPerson
from tests.support.clock import FixedClock
from tests.support.journeys import (
    ask_for_a_deadline,
    ask_for_a_remark,
    assert_telegram_was_happy,
    join,
)
from tests.support.running import RunningBot, set_up_team


async def teams_named(sessions: async_sessionmaker[AsyncSession]) -> list[str]:
    async with sessions() as session:
        return list(await session.scalars(select(Team.name).order_by(Team.id)))


async def test_a_team_name_typed_after_a_restart_creates_the_team(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    manon: SimulatedPerson,
) -> None:
    await manon.send("/newteam")
    await manon.wait_for(lambda m: "Hoe heet het team?" in m.text)
    await bot.restart()
    await manon.send("Kwaliteit & Zorg")
    await manon.wait_for(lambda m: "t.me/" in m.text and "Kwaliteit &amp; Zorg" in m.html)
    assert await teams_named(sessions) == ["Kwaliteit & Zorg"]
    await manon.send("Nog een team?")  # the name was used: this is no second team
    await manon.wait_for(lambda m: "/newteam" in m.text and "/resume" in m.text)
    assert await teams_named(sessions) == ["Kwaliteit & Zorg"]
    assert_telegram_was_happy(emulator)


async def test_cancel_stops_waiting_for_the_name(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    manon: SimulatedPerson,
) -> None:
    await manon.send("/newteam")
    await manon.wait_for(lambda m: "Hoe heet het team?" in m.text)
    await manon.send("/cancel")
    await manon.wait_for(lambda m: "Er is niets veranderd" in m.text)
    await manon.send("Kwaliteit")
    await manon.wait_for(lambda m: "/newteam" in m.text and "/resume" in m.text)
    assert await teams_named(sessions) == []
    await manon.send("/cancel")  # nothing left to cancel
    await manon.wait_for(lambda m: "Dat commando ken ik niet" in m.text)
    assert_telegram_was_happy(emulator)


async def test_a_deadline_typed_after_a_restart_is_confirmed(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson,
) -> None:
    await set_up_team(sessions, clock.now(), manager=manon, scope=None)
    await ask_for_a_deadline(manon)
    await bot.restart()
    await manon.send("20-11-2026")
    confirm = await manon.wait_for(lambda m: "Klopt dit?" in m.text)
    assert "20 november 2026 om 17:00" in confirm.text
    await manon.tap("Vragenlijst openen")
    await manon.wait_for(lambda m: "is open" in m.text)
    async with sessions() as session:
        cycle = await session.scalar(select(Cycle))
    assert cycle is not None and cycle.deadline.isoformat() == "2026-11-20T16:00:00+00:00"
    assert_telegram_was_happy(emulator)


async def test_a_deadline_from_someone_no_longer_managing_the_team_is_refused_once(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson,
) -> None:
    await set_up_team(sessions, clock.now(), manager=manon, scope=None)
    await ask_for_a_deadline(manon)
    async with sessions.begin() as session:  # meanwhile a co-manager made her a member
        await session.execute(update(Membership).values(role="member"))
    await manon.send("20-11-2026")
    await manon.wait_for(lambda m: "alleen een manager" in m.text)
    await manon.send("21-11-2026")  # no longer read as a deadline
    await manon.wait_for(lambda m: "/newteam" in m.text and "/resume" in m.text)
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Cycle)) == 0
    assert_telegram_was_happy(emulator)


async def test_a_remark_typed_after_a_restart_is_saved(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, anna: SimulatedPerson, manon: SimulatedPerson,
) -> None:
    team = await set_up_team(sessions, clock.now(), manager=manon, scope="full")
    await join(anna, team.start_command, "Nederlands")
    await ask_for_a_remark(anna)
    await bot.restart()
    await anna.send("Meer overleg met klanten")
    await anna.wait_for(lambda m: "is bewaard" in m.text)
    await anna.wait_for(lambda m: "onderwerp 4 van 31" in m.text)
    async with sessions() as session:
        assert list(await session.scalars(select(Remark.text))) == ["Meer overleg met klanten"]
    await anna.send("Nog iets")  # the remark was used: back to the buttons
    await anna.wait_for(lambda m: "Gebruik de knoppen" in m.text)
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Remark)) == 1
    assert_telegram_was_happy(emulator)


async def test_skip_leaves_the_remark_and_shows_the_question(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, anna: SimulatedPerson, manon: SimulatedPerson,
) -> None:
    team = await set_up_team(sessions, clock.now(), manager=manon, scope="full")
    await join(anna, team.start_command, "Nederlands")
    await ask_for_a_remark(anna)
    await anna.send("/skip")
    await anna.wait_for(lambda m: "onderwerp 4 van 31" in m.text and bool(m.keyboard))
    await anna.send("Toch nog een opmerking")
    await anna.wait_for(lambda m: "Gebruik de knoppen" in m.text)
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Remark)) == 0
    assert_telegram_was_happy(emulator)
