"""The bot as e2e tests run it: the real application, polling our Bot API emulator over HTTP, and
a team set up as a manager would have (`set_up_team`). `tests/e2e/conftest.py` makes fixtures of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import Wiring
from bot.config import Config
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
    """The real application, started and polling; `restart()` is a crash and a new process.

    The tests' database is migrated once per run (tests/conftest.py), so the bot does not migrate
    it again at every start; starting on an empty or older database has tests of its own (CLI,
    polling, webhook workers)."""

    emulator: BotApiEmulator
    settings: Config
    clock: FixedClock
    run_scheduler: bool = False
    application: IsoApplication | None = None

    async def start(self) -> None:
        self.application = await start_polling(self.settings, Wiring(
            clock=self.clock, run_scheduler=self.run_scheduler, migrate_on_start=False))

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
