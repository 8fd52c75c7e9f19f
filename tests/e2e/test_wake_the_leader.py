"""A survey opened or closed on any worker is delivered at once, not at the leader's next sweep."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import Wiring
from bot.config import Config
from bot.db.models import Cycle
from bot.db.repositories import Repository
from bot.emulator import BotApiEmulator, SimulatedPerson
from bot.ops.serve import webhook_worker
from bot.services import cycles, reassessment
from bot.telegram.runtime import IsoApplication
from tests.support.clock import FixedClock
from tests.support.journeys import assert_telegram_was_happy, join
from tests.support.running import set_up_team
from tests.support.webhooks import free_port, worker_settings

SLOW_SWEEP = 120.0
"""Seconds between the leader's sweeps here: only a wake-up explains a prompt message."""


@pytest.fixture
async def leader(
    backend: str, emulator: BotApiEmulator, settings: Config, clock: FixedClock,
) -> AsyncIterator[IsoApplication]:
    """One webhook worker that leads the scheduler; the test itself plays the other worker."""
    if backend != "postgresql":
        pytest.skip("other workers need PostgreSQL; with one process the sweep is nudged")
    port = free_port()
    config = worker_settings(settings, port, f"http://127.0.0.1:{port}").model_copy(
        update={"sweep_interval_seconds": SLOW_SWEEP})
    async with webhook_worker(config, Wiring(clock=clock, run_scheduler=True)) as application:
        assert application.runtime.leadership is not None
        assert application.runtime.leadership.leading
        yield application


async def test_invitations_and_the_report_from_another_worker_go_out_at_once(
    leader: IsoApplication, emulator: BotApiEmulator, clock: FixedClock,
    sessions: async_sessionmaker[AsyncSession], manon: SimulatedPerson, anna: SimulatedPerson,
) -> None:
    team = await set_up_team(sessions, clock.now(), manager=manon, scope=None)
    await join(anna, team.start_command, "Nederlands")
    await anna.wait_for(lambda m: "Je bent lid van" in m.text)
    manon.started = True

    # Another worker (this test's own connection) opens the survey: its commit wakes the leader.
    async with sessions.begin() as session:
        await cycles.open_cycle(Repository(session), team.team.id, "quick",
                                clock.now() + timedelta(days=7), manon.user_id, clock.now(),
                                plan=reassessment.plan)
    await anna.wait_for(lambda m: "vraagt naar jouw mening" in m.text, timeout=5)

    async with sessions.begin() as session:
        cycle = await session.scalar(select(Cycle))
        assert cycle is not None
        await cycles.close_and_plan_reports(Repository(session), cycle.id, clock.now())
    await manon.wait_for(lambda m: "Te weinig" in m.text or "Niveau" in m.text, timeout=5)
    assert_telegram_was_happy(emulator)
