"""The bot was down (stopped, the clock moved on, started again): the schedule still holds.

Nothing arrives at night, no heads-up says "tomorrow" when it is not, and a deadline that passed
during the downtime does not cost the team its quarter.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import Config
from bot.db.models import Cycle, Notification
from bot.db.repositories import Repository
from bot.emulator import BotApiEmulator, SimulatedPerson
from bot.services import reassessment
from tests.support.clock import FixedClock
from tests.support.journeys import (
    answer_quick_scan,
    assert_telegram_was_happy,
    create_team,
    join,
    open_survey,
)
from tests.support.running import RunningBot
from tests.support.scheduling import due_times, invitations, reminders, team_with_survey

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


async def down_until(bot: RunningBot, clock: FixedClock, moment: datetime) -> None:
    """Stop the bot, let time pass while it is down, and start it again."""
    await bot.stop()
    clock.set(moment)
    await bot.start()


def heads_ups(person: SimulatedPerson) -> list[str]:
    return [m.text for m in person.messages if "📅" in m.text]


async def test_a_reminder_missed_during_downtime_waits_for_the_next_working_morning(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson, anna: SimulatedPerson,
) -> None:
    await team_with_survey(bot, manon, [(anna, "Nederlands")])
    halfway = min(await due_times(sessions, "remind"))
    assert halfway.astimezone(AMSTERDAM).date() == local(2026, 11, 9, 0).date()  # a Monday

    await down_until(bot, clock, local(2026, 11, 9, 22))  # down over the reminder slot
    await bot.sweep()
    assert reminders(anna) == [] and reminders(manon) == []  # not at 22:00

    clock.set(local(2026, 11, 10, 8, 59))
    await bot.sweep()
    assert reminders(anna) == []
    clock.set(local(2026, 11, 10, 9, 0))
    await bot.sweep()
    assert len(reminders(anna)) == len(reminders(manon)) == 1
    assert_telegram_was_happy(emulator)


async def test_downtime_over_the_heads_up_day_gives_no_false_tomorrow(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson, anna: SimulatedPerson,
) -> None:
    await team_with_survey(bot, manon, [(anna, "Nederlands")])
    # The next round opens Monday 4 January 2027; its heads-up is due Thursday 31 December.
    await down_until(bot, clock, local(2026, 12, 31, 22))
    await bot.sweep()
    assert heads_ups(manon) == []  # not at night

    await down_until(bot, clock, local(2027, 1, 4, 9, 5))  # back on the opening day itself
    await bot.sweep()
    assert heads_ups(manon) == []  # "tomorrow (4 January)" on 4 January would be false
    async with sessions() as session:
        statuses = (await session.scalars(select(Notification.status).where(
            Notification.kind == "heads_up"))).all()
    assert statuses == ["skipped"]
    assert_telegram_was_happy(emulator)


async def test_a_heads_up_after_a_short_downtime_still_says_when(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson, anna: SimulatedPerson,
) -> None:
    await team_with_survey(bot, manon, [(anna, "Nederlands")])
    await down_until(bot, clock, local(2026, 12, 31, 11))  # later that working morning
    await bot.sweep()
    [heads_up] = heads_ups(manon)
    assert heads_up.startswith("📅 Op 4 januari 2027 om 09:00 opent")


async def test_a_deadline_and_a_quarter_start_passed_during_downtime_cost_no_quarter(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson,
) -> None:
    people = [emulator.person(first_name=f"P{n}", language_code="nl") for n in range(4)]  # k + 1
    await team_with_survey(bot, manon, [(p, "Nederlands") for p in people])
    for person in people:
        await answer_quick_scan(person, 4)

    # Down from November until the quarter's first working morning: the deadline (16 November)
    # and the reassessment (4 January, 09:00) both passed meanwhile. The reassessment job happens
    # to run before the sweep that would close the old cycle.
    await down_until(bot, clock, local(2027, 1, 4, 9, 30))
    async with sessions.begin() as session:
        assert await reassessment.open_due(Repository(session), clock.now()) == 1
    await bot.sweep()
    await bot.sweep()

    async with sessions() as session:
        cycles = (await session.scalars(select(Cycle).order_by(Cycle.id))).all()
        assert [c.closed_at is not None for c in cycles] == [True, False]
        new_deadline = cycles[1].deadline.astimezone(AMSTERDAM)
        assert await session.scalar(select(func.count()).select_from(Notification).where(
            Notification.kind == "close", Notification.status == "pending")) == 1
    assert new_deadline.weekday() < 5 and new_deadline.hour == 17
    assert sum("Niveau per hoofdstuk" in m.text for m in manon.messages) == 1  # the old report
    assert all(len(invitations(p)) == 2 for p in people)  # the old cycle's and the new one's
    assert_telegram_was_happy(emulator)


async def test_a_deadline_passed_at_night_closes_at_once_and_reports_in_the_morning(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson,
) -> None:
    people = [emulator.person(first_name=f"P{n}", language_code="nl") for n in range(4)]  # k + 1
    await team_with_survey(bot, manon, [(p, "Nederlands") for p in people])
    for person in people:
        await answer_quick_scan(person, 3)
    await down_until(bot, clock, local(2026, 11, 16, 23))  # the deadline was 17:00
    await bot.sweep()
    await bot.sweep()
    assert not any("Niveau per hoofdstuk" in m.text for m in manon.messages)
    async with sessions() as session:
        assert (await session.scalar(select(Cycle))).closed_at is not None  # type: ignore[union-attr]

    clock.set(local(2026, 11, 17, 9) + timedelta(minutes=1))
    await bot.sweep()
    await manon.wait_for(lambda m: "Niveau per hoofdstuk" in m.text)
    assert_telegram_was_happy(emulator)


async def test_the_real_scheduler_after_downtime_closes_reports_and_opens_the_quarter(
    emulator: BotApiEmulator, settings: Config, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, engine: AsyncEngine, manon: SimulatedPerson,
) -> None:
    """The same downtime, with APScheduler running its jobs in whatever order they come."""
    people = [emulator.person(first_name=f"P{n}", language_code="nl") for n in range(4)]  # k + 1
    running = RunningBot(emulator, settings, clock, run_scheduler=True)
    await running.start()
    try:
        start = await create_team(manon, "Vanzelf")
        for person in people:
            await join(person, start, "Nederlands")
        await open_survey(manon, "Snelle scan", "2 weken")
        for person in people:
            await person.wait_for(lambda m: "vraagt naar jouw mening" in m.text)
            await answer_quick_scan(person, 4)
        await down_until(running, clock, local(2027, 1, 4, 9, 30))
        await manon.wait_for(lambda m: "Niveau per hoofdstuk" in m.text)
        for person in people:
            await person.wait_for(lambda m: "vraagt naar jouw mening" in m.text)
    finally:
        await running.stop()
    async with sessions() as session:
        cycles = (await session.scalars(select(Cycle).order_by(Cycle.id))).all()
    assert [c.closed_at is not None for c in cycles] == [True, False]
    assert all(len(invitations(p)) == 2 for p in people)
    assert_telegram_was_happy(emulator)
