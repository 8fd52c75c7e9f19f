"""What every handler may use, reached through a typed context instead of string keys.

The `Application` subclass carries one `Runtime`; `BotContext.runtime` hands it to handlers, typed.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from dataclasses import dataclass
from typing import Any, cast

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import Application, CallbackContext, ExtBot

from bot.config import Config
from bot.db.leader import Leadership
from bot.db.repositories import Repository
from bot.rendering.texts import Texts
from bot.services.actor import Actor
from bot.services.cycles import CyclePlanner, plan_nothing
from bot.services.ports import Clock
from bot.telegram.flood import Lane
from bot.telegram.keyboards import NoticeButtons, Unwired


class AlreadyHandled(Exception):
    """This update was handled before: Telegram, or a second worker, delivered it again."""


class LostConnectionBeforeWriting(Exception):
    """The database connection broke before this update had claimed or written anything, so it
    can simply be handled again (see `bot.telegram.updates.SecondChances`)."""


@dataclass
class UpdateClaim:
    """An update's id, claimed by the first unit of work that handles the update.

    Claiming rides along with work the handler does anyway (for a tap: storing the answer), so the
    claim commits or rolls back with it and costs no transaction of its own. What a handler does
    before its first unit of work is not guarded; ours begin by reading the database (the person's
    language, the survey), which claims.
    """

    update_id: int
    from_user: int | None = None
    """The person the update comes from: claiming it also clears their blocked mark."""
    done: bool = False


@dataclass
class SweepRequests:
    """Shared by every copy of the runtime: a wake-up that comes while a sweep runs must not be
    lost (APScheduler skips a run of a job that is still running), so it asks for one more."""

    again: bool = False


@dataclass
class Runtime:
    settings: Config
    sessions: async_sessionmaker[AsyncSession]
    texts: Texts
    clock: Clock
    bot_username: str = "iso9004_bot"
    plan_cycle: CyclePlanner = plan_nothing
    scheduler: AsyncIOScheduler | None = None
    leadership: Leadership | None = None
    write_queue: asyncio.Lock | None = None
    """On SQLite (one writer at a time), units of work queue here, in the event loop, instead of in
    SQLite's busy handler, which polls with sleeps of up to 100 ms and wakes nobody in order."""

    sweeps: SweepRequests = dataclasses.field(default_factory=lambda: SweepRequests())
    buttons: NoticeButtons = dataclasses.field(default_factory=Unwired)
    """The verbs of the bot's own messages, from `conversations` (wired by `bot/app.py`)."""
    claim: UpdateClaim | None = None

    def handling(self, claim: UpdateClaim) -> Runtime:
        """This runtime as a handler of one update sees it: its first unit of work claims it."""
        return dataclasses.replace(self, claim=claim)

    @asynccontextmanager
    async def repository(self) -> AsyncIterator[Repository]:
        """One unit of work: committed when the block ends, before anything is sent.

        Raises `AlreadyHandled` when the update being handled was claimed before, and
        `LostConnectionBeforeWriting` when the database connection broke before it was claimed.
        """
        turn: AbstractAsyncContextManager[object] = self.write_queue or nullcontext()
        claim = self.claim
        try:
            async with turn, self.sessions.begin() as session:
                repo = Repository(session)
                if claim is not None and not claim.done:
                    if not await repo.claim_update(
                            claim.update_id, self.clock.now(), claim.from_user):
                        raise AlreadyHandled(claim.update_id)
                    claim.done = True
                yield repo
        except DBAPIError as error:
            if error.connection_invalidated and claim is not None and not claim.done:
                raise LostConnectionBeforeWriting(claim.update_id) from error
            raise


class IsoApplication(
    Application[ExtBot[Lane], "BotContext", dict[Any, Any], dict[Any, Any], dict[Any, Any],
                None]
):
    """The bot keeps nothing in PTB's user/chat/bot data: what a person is typing is a row of
    `conversation_positions` (`bot.services.positions`), so any worker can read it."""

    runtime: Runtime


class BotContext(CallbackContext[ExtBot[Lane], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    # set for each update by `bot.telegram.updates.claim_with_first_write`
    claim: UpdateClaim | None = None
    actor: Actor | None = None
    """The person acting in this update, with her admin flag (None for an update without one)."""

    @property
    def runtime(self) -> Runtime:
        runtime = cast(IsoApplication, self.application).runtime
        return runtime if self.claim is None else runtime.handling(self.claim)
