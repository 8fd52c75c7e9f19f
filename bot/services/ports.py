"""The narrow interfaces the services need from the outside world.

The clock is the one port every service shares: time is passed in, never read, so tests move it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    """The only place in the product that reads the wall clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)
