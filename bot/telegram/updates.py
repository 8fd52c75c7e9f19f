"""How updates enter the bot: concurrently across people, in order per person, and once each."""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import BaseUpdateProcessor

from bot.services.actor import Actor
from bot.telegram.runtime import BotContext, UpdateClaim

log = logging.getLogger(__name__)


def _person_key(update: object) -> int | None:
    if isinstance(update, Update):
        if update.effective_user is not None:
            return update.effective_user.id
        if update.effective_chat is not None:
            return update.effective_chat.id
    return None


class PerPersonOrderedProcessor(BaseUpdateProcessor):
    """Runs different people's updates concurrently and one person's updates one after another.

    A slow step for one participant (a chart, a busy database) then never stalls the others, while
    two quick taps of the same person can never overtake each other.
    """

    def __init__(self, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._queued: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = _person_key(update)
        if key is None:
            await coroutine
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._queued[key] = self._queued.get(key, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._queued[key] -= 1
            if self._queued[key] == 0:
                del self._queued[key]
                del self._locks[key]

    async def initialize(self) -> None:
        """Nothing to set up: locks are created on demand."""

    async def shutdown(self) -> None:
        """Nothing to release: locks disappear with their last update."""


async def claim_with_first_write(update: object, context: BotContext) -> None:
    """Telegram (or a second worker) may deliver an update again; handle each update id once.

    The id is claimed in the update's first unit of work rather than in a transaction of its own:
    a tap then costs one transaction instead of two, and one turn in SQLite's write queue. The
    same claim clears the sender's blocked mark: someone who writes or taps has unblocked the bot.
    Only in their private chat, though: a person who blocked the bot can still type `/link` or
    vote in a group, and has not unblocked it by doing so.
    """
    if isinstance(update, Update):
        user, chat = update.effective_user, update.effective_chat
        private = chat is None or chat.type == ChatType.PRIVATE
        context.claim = UpdateClaim(update.update_id,
                                    user.id if user is not None and private else None)
        context.actor = (Actor.of(user.id, context.runtime.settings.admin_ids, user.language_code)
                         if user is not None else None)


class SecondChances:
    """Updates whose database connection broke before they wrote anything go round once more.

    The pool does not ping the database before every unit of work: on PostgreSQL that is three
    round trips, and dropping it took 2.5-7 of the 14 ms of CPU per tap at saturation
    (bench/answer_path.py). After a database restart, the first statement on
    a dead connection fails instead, and SQLAlchemy then drops every older connection of the pool:
    the update's second round finds a fresh one, and the person notices nothing. A second loss is
    reported like any other failure; the database may really be down.

    The second round runs at once, inside the first (not from the back of the update queue): the
    person's later updates cannot overtake it, and a webhook worker answers Telegram only after it
    (`bot.ops.serve`), so an acknowledged update is never one still waiting in memory.
    """

    def __init__(self, remembered: int = 1024) -> None:
        self._given: deque[int] = deque(maxlen=remembered)

    async def hand_back(
        self, update: Update, handle: Callable[[Update], Awaitable[object]]
    ) -> bool:
        """Handle `update` again now, unless it had its second chance already."""
        if update.update_id in self._given:
            return False
        self._given.append(update.update_id)
        log.warning("database connection lost; update %s is handled again", update.update_id)
        await handle(update)
        return True
