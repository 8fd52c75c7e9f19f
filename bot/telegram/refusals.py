"""Telegram's answers sorted once, by what they mean for us, for replies and broadcasts alike.

python-telegram-bot maps HTTP statuses to exception classes, but the classes do not say what to
do: `BadRequest` (a 400, permanent) is a subclass of `NetworkError` (worth retrying), and the
harmless "message is not modified" is a `BadRequest` like a malformed message. Retrying a permanent
refusal made a person's next tap wait 7.7 s behind five back-offs (issue #14), so every caller
asks `meaning_of` instead of catching exception classes, and only `retrying` ever retries.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum, auto
from typing import TypeVar

from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

log = logging.getLogger(__name__)
T = TypeVar("T")
BACKOFF = (0.2, 0.5, 1.0, 2.0, 4.0)
"""Pauses before retrying a 5xx or a broken connection within one person's step."""


class Meaning(Enum):
    NOT_MODIFIED = auto()    # the message already shows this: success
    MESSAGE_GONE = auto()    # the message to edit is gone or too old to edit: send a new one
    BLOCKED = auto()         # 403, or a chat that no longer exists: the person is unreachable
    REFUSED = auto()         # any other 400 (or 401/404/409): permanent, never retried
    SLOW_DOWN = auto()       # 429: wait `retry_after`, then the same request may pass
    TROUBLE = auto()         # 5xx or a broken connection: back off and try again
    TIMED_OUT = auto()       # no answer in time: the message may have arrived, so not retried


@dataclass(frozen=True, slots=True)
class Answer:
    meaning: Meaning
    reason: str
    wait: float | None = None
    """For SLOW_DOWN: Telegram's `retry_after` in seconds."""

    @property
    def permanent(self) -> bool:
        return self.meaning in (Meaning.NOT_MODIFIED, Meaning.MESSAGE_GONE, Meaning.BLOCKED,
                                Meaning.REFUSED)


_GONE = ("message to edit not found", "message can't be edited", "message to delete not found",
         "message can't be deleted", "message_id_invalid")
_UNREACHABLE = ("chat not found", "user not found", "peer_id_invalid")


def meaning_of(error: TelegramError) -> Answer:
    """What a refusal means; the checks run from the most specific PTB class to the most general,
    because `BadRequest` and `TimedOut` are both `NetworkError`s."""
    reason = error.message
    if isinstance(error, RetryAfter):
        return Answer(Meaning.SLOW_DOWN, reason, seconds_to_wait(error))
    if isinstance(error, Forbidden):
        return Answer(Meaning.BLOCKED, reason)
    if isinstance(error, BadRequest):
        lowered = reason.lower()
        if "not modified" in lowered:
            return Answer(Meaning.NOT_MODIFIED, reason)
        if any(text in lowered for text in _GONE):
            return Answer(Meaning.MESSAGE_GONE, reason)
        if any(text in lowered for text in _UNREACHABLE):
            return Answer(Meaning.BLOCKED, reason)
        return Answer(Meaning.REFUSED, reason)
    if isinstance(error, TimedOut):
        return Answer(Meaning.TIMED_OUT, reason)
    if isinstance(error, NetworkError):
        return Answer(Meaning.TROUBLE, reason)
    if isinstance(error, ChatMigrated):  # a private chat never migrates; a group is not ours
        return Answer(Meaning.BLOCKED, reason)
    return Answer(Meaning.REFUSED, reason)


def seconds_to_wait(flood: RetryAfter) -> float:
    """Telegram's `retry_after`, which PTB gives as seconds now and as a timedelta later."""
    wait = flood.retry_after
    return wait if isinstance(wait, int | float) else wait.total_seconds()


async def retrying(call: Callable[[], Awaitable[T]]) -> T:
    """A request Telegram could not take *for now* is tried again; anything else propagates.

    A 429 is waited out for exactly this request (PTB's AIORateLimiter would pause *every* request,
    stalling everyone's replies behind one broadcast). A 5xx or broken connection is retried with a
    short back-off; a timeout is not, because the message may have arrived; a permanent refusal
    (400, 403) is raised at once for the caller to handle by its meaning.
    """
    for pause in BACKOFF:
        try:
            return await call()
        except TelegramError as error:
            answer = meaning_of(error)
            if answer.meaning is Meaning.SLOW_DOWN:
                assert answer.wait is not None
                log.info("Telegram asks to slow down; retrying in %ss", answer.wait)
                await asyncio.sleep(answer.wait)
            elif answer.meaning is Meaning.TROUBLE:
                log.info("Telegram had trouble (%s); retrying in %ss", answer.reason, pause)
                await asyncio.sleep(pause)
            else:
                raise
    return await call()
