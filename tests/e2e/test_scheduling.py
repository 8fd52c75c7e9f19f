"""Reminders, deadlines and reassessments: sent once, to the right people, at a decent hour."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import Config
from bot.db.models import Cycle, Notification, Person, Team
from bot.db.repositories import Repository
from bot.emulator import BotApiEmulator, SimulatedPerson
from bot.emulator._model import bad_request
from bot.emulator._server import Fault
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


async def test_reminders_reach_only_the_unfinished_in_their_language_during_working_hours(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson, anna: SimulatedPerson, bram: SimulatedPerson,
) -> None:
    await team_with_survey(bot, manon, [(anna, "Nederlands"), (bram, "English")])
    await answer_quick_scan(anna, 3)

    due = await due_times(sessions, "remind")
    local_times = [d.astimezone(AMSTERDAM) for d in due]
    assert local_times and all(9 <= t.hour < 17 and t.weekday() < 5 for t in local_times)
    clock.set(min(due))
    await bot.sweep()

    assert reminders(anna) == []
    [reminder] = [m.text for m in bram.messages if "reminder" in m.text]
    assert "days left" in reminder
    assert len(reminders(manon)) == 1  # the manager has not answered either
    assert_telegram_was_happy(emulator)


async def test_the_deadline_closes_the_survey_and_brings_the_report(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson,
) -> None:
    people = [emulator.person(first_name=f"P{n}", language_code="nl") for n in range(4)]  # k + 1
    await team_with_survey(bot, manon, [(p, "Nederlands") for p in people])
    for person in people:
        await answer_quick_scan(person, 4)

    clock.advance(timedelta(days=15))
    await bot.sweep()  # closes the cycle and plans the reports
    await bot.sweep()  # delivers them
    report = await manon.wait_for(lambda m: "Niveau per hoofdstuk" in m.text)
    assert "Totaal: 4,0" in report.text
    async with sessions() as session:
        assert (await session.scalar(select(Cycle))).closed_at is not None  # type: ignore[union-attr]
    await bot.sweep()
    assert sum("Niveau per hoofdstuk" in m.text for m in manon.messages) == 1
    assert_telegram_was_happy(emulator)


async def test_a_restart_between_planning_and_sending_loses_and_doubles_nothing(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson, anna: SimulatedPerson, bram: SimulatedPerson,
) -> None:
    await team_with_survey(bot, manon, [(anna, "Nederlands"), (bram, "English")])
    clock.set(min(await due_times(sessions, "remind")))
    await bot.restart()
    await bot.sweep()
    await bot.restart()
    await bot.sweep()
    assert len(reminders(anna)) == len(reminders(bram)) == 1
    assert [len(invitations(p)) for p in (anna, bram)] == [1, 1]


async def test_floods_and_server_errors_delay_messages_but_lose_and_double_none(
    bot: RunningBot, emulator: BotApiEmulator, clock: FixedClock, manon: SimulatedPerson,
) -> None:
    people = [emulator.person(first_name=f"P{n}", language_code="nl") for n in range(4)]
    start = await create_team(manon, "Storm")
    for person in people:
        await join(person, start, "Nederlands")
    emulator.flood(retry_after=1, times=2, method="sendMessage")
    emulator.server_error(times=2, method="sendMessage")
    await open_survey(manon, "Snelle scan", "1 week")
    for _ in range(6):
        await bot.sweep()
        clock.advance(timedelta(seconds=30))
    assert [len(invitations(p)) for p in [*people, manon]] == [1, 1, 1, 1, 1]
    assert emulator.refused_calls() == []


async def test_a_person_who_blocked_the_bot_is_marked_and_the_rest_still_hear(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    manon: SimulatedPerson, anna: SimulatedPerson, bram: SimulatedPerson,
) -> None:
    start = await create_team(manon, "Geblokkeerd")
    await join(anna, start, "Nederlands")
    await join(bram, start, "English")
    anna.blocked = True  # and the bot never heard (Telegram drops updates older than a day)
    await open_survey(manon, "Snelle scan", "1 week")
    await bot.sweep()
    assert len(invitations(bram)) == 1
    async with sessions() as session:
        blocked = await session.get(Person, anna.user_id)
        assert blocked is not None and blocked.blocked_at is not None
        statuses = (await session.scalars(select(Notification.status).where(
            Notification.user_id == anna.user_id, Notification.kind == "invite"))).all()
    assert statuses == ["blocked"]


async def test_the_quarterly_reassessment_opens_on_time_and_invites_everyone(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson, anna: SimulatedPerson,
) -> None:
    people = [(anna, "Nederlands")]
    await team_with_survey(bot, manon, people)
    async with sessions() as session:
        team = await session.scalar(select(Team))
        assert team is not None and team.next_reassessment_at is not None
        next_start = team.next_reassessment_at
    assert next_start.astimezone(AMSTERDAM).hour == 9
    assert next_start.astimezone(AMSTERDAM).month in (1, 4, 7, 10)

    [heads_up_due] = await due_times(sessions, "heads_up")
    # Monday 4 January 2027 opens; Sunday and New Year's Day are no working days: Thursday it is.
    assert heads_up_due.astimezone(AMSTERDAM).date() == date(2026, 12, 31)
    clock.set(heads_up_due)
    await bot.sweep()
    [heads_up] = [m.text for m in manon.messages if "kwartaalronde" in m.text]
    assert heads_up.startswith("📅 Op 4 januari 2027 om 09:00") and "Morgen" not in heads_up

    clock.set(next_start)
    async with sessions.begin() as session:
        assert await reassessment.open_due(Repository(session), clock.now()) == 1
    await bot.sweep()
    assert len(invitations(anna)) == 2  # the first cycle's and the new one's


@pytest.fixture
async def scheduled_bot(
    emulator: BotApiEmulator, settings: Config, clock: FixedClock, engine: AsyncEngine
) -> AsyncIterator[RunningBot]:
    running = RunningBot(emulator, settings, clock, run_scheduler=True)
    await running.start()
    yield running
    await running.stop()


async def test_the_real_scheduler_sends_invitations_without_anyone_sweeping(
    scheduled_bot: RunningBot, emulator: BotApiEmulator, manon: SimulatedPerson,
    anna: SimulatedPerson,
) -> None:
    start = await create_team(manon, "Vanzelf")
    await join(anna, start, "Nederlands")
    await open_survey(manon, "Snelle scan", "1 week")
    invitation = await anna.wait_for(lambda m: "vraagt naar jouw mening" in m.text)
    assert "Beginnen" in str(invitation.keyboard)
    assert_telegram_was_happy(emulator)



async def test_someone_away_gets_no_reminder_until_back_and_a_bad_date_is_explained(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson, anna: SimulatedPerson, bram: SimulatedPerson,
) -> None:
    await team_with_survey(bot, manon, [(anna, "Nederlands"), (bram, "English")])
    await anna.send("/away morgen")
    await anna.wait_for(lambda m: "/away 24-12" in m.text)
    await anna.send("/away 20-11-2026")
    await anna.wait_for(lambda m: "geen herinneringen" in m.text and "20 november 2026" in m.text)

    due = sorted(await due_times(sessions, "remind"))
    clock.set(due[0])  # the halfway reminder, while Anna is away
    await bot.sweep()
    assert reminders(anna) == [] and len([m for m in bram.messages if "reminder" in m.text]) == 1

    await anna.send("/away uit")
    await anna.wait_for(lambda m: "Welkom terug" in m.text)
    clock.set(due[-1])  # the last-day reminder reaches her again
    await bot.sweep()
    assert len(reminders(anna)) == 1
    assert_telegram_was_happy(emulator)


async def test_a_whole_organisation_is_invited_in_one_sweep(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson,
) -> None:
    """More people than one batch of the outbox: the sweep keeps going instead of leaving the rest
    for its next run, half a minute later."""
    await create_team(manon, "Groot")
    staff = [emulator.person(first_name=f"Medewerker {n}") for n in range(230)]
    async with sessions.begin() as session:
        repo = Repository(session)
        team = await session.scalar(select(Team).where(Team.name == "Groot"))
        assert team is not None
        for person in staff:
            person.started = True
            await repo.touch_person(person.user_id, person.first_name, "nl", clock.now())
            await repo.join(team.id, person.user_id, "member", None, clock.now())
    await open_survey(manon, "Snelle scan", "1 week")

    await bot.sweep()

    assert [len(invitations(p)) for p in staff] == [1] * len(staff)
    assert emulator.refused_calls() == []


async def test_reminders_switched_off_after_planning_are_not_sent(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson, anna: SimulatedPerson,
) -> None:
    await team_with_survey(bot, manon, [(anna, "Nederlands")])
    await manon.send("/settings")
    await manon.tap("Herinneringen: aan")
    await manon.wait_for(lambda m: "Herinneringen: uit" in str(m.keyboard))
    for due in sorted(await due_times(sessions, "remind")):
        clock.set(due)
        await bot.sweep()
    assert reminders(anna) == [] and reminders(manon) == []
    assert_telegram_was_happy(emulator)


async def test_a_failing_notification_is_settled_and_the_others_still_go(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson, anna: SimulatedPerson, bram: SimulatedPerson,
) -> None:
    start = await create_team(manon, "Pech")
    await join(anna, start, "Nederlands")
    await join(bram, start, "English")
    async with sessions.begin() as session:  # a row no version of the bot can compose
        team = await session.scalar(select(Team))
        assert team is not None
        session.add(Notification(key="bogus:1", kind="no-such-kind", user_id=anna.user_id,
                                 team_id=team.id, due_at=clock.now(), status="pending",
                                 attempts=0))
    emulator.faults.append(Fault(bad_request("message must be non-empty"), "sendMessage",
                                 bram.user_id))
    await open_survey(manon, "Snelle scan", "1 week")
    await bot.sweep()
    await bot.sweep()

    assert len(invitations(anna)) == len(invitations(manon)) == 1
    async with sessions() as session:
        failed = dict((await session.execute(select(Notification.key, Notification.detail).where(
            Notification.status == "failed"))).all())
    assert set(failed) == {"bogus:1", f"invite:1:{bram.user_id}"}
    assert "no-such-kind" in str(failed["bogus:1"])
    assert "non-empty" in str(failed[f"invite:1:{bram.user_id}"])
    refused = [c for c in emulator.calls_to("sendMessage", bram.user_id) if not c.ok]
    assert len(refused) == 1  # a permanent refusal is not tried again


async def test_a_deadline_typed_on_a_saturday_becomes_the_end_of_monday(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    manon: SimulatedPerson,
) -> None:
    await create_team(manon, "Weekend")
    await manon.send("/survey")
    await manon.tap("Snelle scan", message=await manon.wait_for(lambda m: "Welke omvang" in m.text))
    await manon.wait_for(lambda m: "Of typ een datum" in m.text)
    await manon.send("21-11-2026")  # a Saturday
    confirm = await manon.wait_for(lambda m: "Klopt dit?" in m.text)
    assert "23 november 2026 om 17:00" in confirm.text
    await manon.tap("Vragenlijst openen")
    await manon.wait_for(lambda m: "is open" in m.text)
    async with sessions() as session:
        cycle = await session.scalar(select(Cycle))
    assert cycle is not None
    assert cycle.deadline.astimezone(AMSTERDAM) == datetime(2026, 11, 23, 17, tzinfo=AMSTERDAM)
    assert_telegram_was_happy(emulator)
