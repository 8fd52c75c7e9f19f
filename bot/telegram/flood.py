"""One budget for every message the bot sends, shared by broadcasts and replies.

Telegram lets a bot send about 30 messages a second in all, and about 20 a minute in one group
(`bot.telegram.group_flood`); one more costs a 429 and a pause of a second or longer.
Broadcasts (invitations, reminders, reports) are spread evenly at their own pace and never take
the last slot of a second, so a reply to someone who is answering always finds room at once, or
after a few milliseconds, instead of a second behind a 429.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Callable, Coroutine
from enum import Enum
from typing import Any

from telegram.ext import BaseRateLimiter

from bot.telegram.group_flood import GroupChatter, GroupWindows, group_of

TELEGRAM_MESSAGES_PER_SECOND = 30
RESERVED_FOR_REPLIES = 1
COUNTED = ("send", "copyMessage", "forwardMessage")
"""The methods that Telegram counts against the limit; edits and callback answers are not."""

Result = bool | dict[str, Any] | list[dict[str, Any]]


class Lane(Enum):
    BROADCAST = "broadcast"
    GROUP_CHATTER = "group_chatter"
    """Answers to commands in a group (refusals, help): they give way to the meeting's message
    in the group's 20 a minute (`bot.telegram.group_flood`)."""


class SendBudget(BaseRateLimiter[Lane]):
    """PTB's hook for every request; Telegram's limit holds unless the broadcast pace asks for
    more (only sensible against the emulator: the demo and the tests)."""

    def __init__(self, broadcast_per_second: float) -> None:
        self._limit = max(TELEGRAM_MESSAGES_PER_SECOND,
                          math.ceil(broadcast_per_second) + RESERVED_FOR_REPLIES)
        self._broadcast_gap = 1.0 / broadcast_per_second
        self._next_broadcast = 0.0
        # Telegram counts a message when it arrives, which is after we send it and before we hear
        # back: a message counts here from sending until a second after its answer came.
        self._in_flight = 0
        self._answered: deque[float] = deque()
        self.groups = GroupWindows()
        """Telegram's 20 new messages a minute per group, within the 30 a second."""
        self.chatter = GroupChatter()
        """The bot's recent answers in groups, so that refusals and help collapse."""

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    def hold(self, seconds: float) -> None:
        """Telegram said "too many": no broadcast message goes out before `seconds` have passed."""
        self._next_broadcast = max(self._next_broadcast, time.monotonic() + seconds)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Lane | None,
    ) -> Result:
        if not endpoint.startswith(COUNTED):
            return await callback(*args, **kwargs)
        group = group_of(data) if endpoint != "sendChatAction" else None
        if group is not None:  # may raise GroupCrowded for chatter: nothing is sent then
            await self.groups.take(group, chatter=rate_limit_args is Lane.GROUP_CHATTER)
        await self._take_slot(broadcast=rate_limit_args is Lane.BROADCAST)
        try:
            return await callback(*args, **kwargs)
        finally:
            self._in_flight -= 1
            self._answered.append(time.monotonic())
            if group is not None:
                self.groups.release(group)

    async def _take_slot(self, *, broadcast: bool) -> None:
        if broadcast:
            now = time.monotonic()
            slot = self._next_broadcast = max(self._next_broadcast + self._broadcast_gap, now)
            await asyncio.sleep(slot - now)
        room = self._limit - (RESERVED_FOR_REPLIES if broadcast else 0)
        while True:
            now = time.monotonic()
            while self._answered and now - self._answered[0] >= 1.0:
                self._answered.popleft()
            if self._in_flight + len(self._answered) < room:
                self._in_flight += 1
                return
            # a slot frees a second after the oldest answer; with none yet, soon after one comes
            await asyncio.sleep(self._answered[0] + 1.0 - now if self._answered else 0.05)
