"""The narrow interfaces the services need from the outside world; adapters implement them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    """The only place in the product that reads the wall clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    data: str | None = None
    url: str | None = None


Keyboard = Sequence[Sequence[Button]]


class DeliveryOutcome:
    SENT = "sent"
    BLOCKED = "blocked"
    RETRY = "retry"
    FAILED = "failed"


class Notifier(Protocol):
    """Sends one message to one person; says whether it arrived, was refused for good, or should
    be retried later."""

    async def send(self, chat_id: int, text: str, keyboard: Keyboard | None = None) -> str: ...
