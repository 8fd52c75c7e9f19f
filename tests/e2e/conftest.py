"""End-to-end fixtures: the real bot application, over real HTTP, against our Bot API emulator.

The story every e2e test starts from: a running bot on a real database, the emulator standing in for
Telegram, and people (simulated Telegram users) who write to it and tap its buttons.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.app import Wiring
from bot.config import Config, load_settings
from bot.db.models import Cycle, Invite, Team
from bot.db.repositories import Repository
from bot.emulator import BotApiEmulator, SimulatedPerson
from bot.ops.demo import start_polling, stop_polling
from bot.outbox import delivery
from bot.services import cycles, teams
from bot.telegram.runtime import IsoApplication
from tests.support.clock import FixedClock

TOKEN = "123456:TEST-TOKEN-e2e"


@dataclass
class RunningBot:
    """The real application, started and polling; `restart()` is a crash and a new process."""

    emulator: BotApiEmulator
    settings: Config
    clock: FixedClock
    run_scheduler: bool = False
    application: IsoApplication | None = None

    async def start(self) -> None:
        self.application = await start_polling(
            self.settings, Wiring(clock=self.clock, run_scheduler=self.run_scheduler))

    async def stop(self) -> None:
        application, self.application = self.application, None
        if application is not None:
            await stop_polling(application)

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    async def sweep(self) -> int:
        """What the scheduler's sweep job does, now: send every notification that is due."""
        assert self.application is not None
        return await delivery.sweep(self.application.runtime, self.application.bot)


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(TOKEN, bot_username="iso9004_test_bot") as running:
        yield running


@pytest.fixture
def settings(emulator: BotApiEmulator, database_url: str) -> Config:
    return load_settings(
        telegram_bot_token=TOKEN,
        telegram_api_base_url=emulator.base_url,
        database_url=database_url,
        default_language="nl",
        anonymity_threshold=3,
        admin_ids="",
        broadcast_rate_per_second=1000,
        sweep_interval_seconds=0.2,
    )


@pytest.fixture
async def bot(
    emulator: BotApiEmulator, settings: Config, clock: FixedClock, engine: AsyncEngine
) -> AsyncIterator[RunningBot]:
    """The bot, running; the `engine` fixture has cleaned the database first."""
    running = RunningBot(emulator, settings, clock)
    await running.start()
    yield running
    await running.stop()


@dataclass(frozen=True)
class TeamSetUp:
    team: Team
    invite: Invite
    cycle: Cycle | None

    @property
    def start_command(self) -> str:
        return f"/start {self.invite.token}"


async def set_up_team(
    sessions: async_sessionmaker[AsyncSession],
    now: datetime,
    *,
    manager: SimulatedPerson,
    name: str = "Zorg & Co",
    scope: str | None = "quick",
    model_id: str = "iso9004-2018",
    use_groups: bool = False,
    deadline_in: timedelta = timedelta(days=7),
) -> TeamSetUp:
    """A team as a manager would have set it up: an invite link and, if `scope`, an open survey."""
    async with sessions.begin() as session:
        repo = Repository(session)
        await repo.touch_person(manager.user_id, manager.first_name, "nl", now)
        team, _ = await teams.create_team(
            repo, name, manager.user_id,
            teams.TeamSettings(model_id=model_id, use_groups=use_groups), now,
        )
        invite = await teams.create_invite(repo, team.id, manager.user_id, None, now)
        cycle = (
            await cycles.open_cycle(repo, team.id, scope, now + deadline_in, manager.user_id, now)
            if scope else None
        )
    return TeamSetUp(team, invite, cycle)


@pytest.fixture
def anna(emulator: BotApiEmulator) -> SimulatedPerson:
    """A Dutch-speaking employee on her phone."""
    return emulator.person(first_name="Anna", language_code="nl")


@pytest.fixture
def bram(emulator: BotApiEmulator) -> SimulatedPerson:
    """An English-speaking colleague."""
    return emulator.person(first_name="Bram", language_code="en")


@pytest.fixture
def manon(emulator: BotApiEmulator) -> SimulatedPerson:
    """The quality manager who set up the team."""
    return emulator.person(first_name="Manon", language_code="nl")
