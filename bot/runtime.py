"""What every handler may use, reached through a typed context instead of string keys.

The `Application` subclass carries one `Runtime`; `BotContext.runtime` hands it to handlers, typed.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from dataclasses import dataclass
from typing import Any, cast

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import Application, CallbackContext, ExtBot

from bot.db.repositories import Repository
from bot.flood import Priority
from bot.leader import Leadership
from bot.services.cycles import CyclePlanner, plan_nothing
from bot.services.ports import Clock
from bot.settings import Settings
from bot.texts import Texts


@dataclass
class Runtime:
    settings: Settings
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

    @asynccontextmanager
    async def repository(self) -> AsyncIterator[Repository]:
        """One unit of work: committed when the block ends, before anything is sent."""
        turn: AbstractAsyncContextManager[object] = self.write_queue or nullcontext()
        async with turn, self.sessions.begin() as session:
            yield Repository(session)


@dataclass
class ChatCursor:
    """The only conversation state in memory: what a person is typing (a remark, a deadline)."""

    remark_cycle_id: int | None = None
    remark_chapter_id: str | None = None
    deadline_team_id: int | None = None  # a manager may type a survey's deadline
    deadline_scope_id: str | None = None


class IsoApplication(
    Application[ExtBot[Priority], "BotContext", dict[Any, Any], ChatCursor, dict[Any, Any], None]
):
    runtime: Runtime


class BotContext(CallbackContext[ExtBot[Priority], dict[Any, Any], ChatCursor, dict[Any, Any]]):
    @property
    def runtime(self) -> Runtime:
        return cast(IsoApplication, self.application).runtime

    @property
    def cursor(self) -> ChatCursor:
        assert self.chat_data is not None
        return self.chat_data
