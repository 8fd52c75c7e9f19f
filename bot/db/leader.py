"""Exactly one scheduler among several workers: a PostgreSQL advisory lock held on its own
connection.

The lock lives as long as the connection: when the leader process dies, PostgreSQL releases it and
another worker's next attempt takes over. SQLite serves one process only, so there it always leads.

The same connection LISTENs on `WAKE_CHANNEL`: a worker that plans something due now (a manager's
/survey or /close handled by any worker) NOTIFYs in that transaction, and PostgreSQL tells the
leader when it commits, so the leader sweeps at once instead of at its next interval.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.db.engine import WAKE_CHANNEL

log = logging.getLogger(__name__)
LOCK_KEY = 9004_2018
"""The NOTIFY channel of "something is due now" (see `bot.services.outbox.wake_the_sweep`)."""


class Leadership:
    def __init__(self, engine: AsyncEngine, key: int = LOCK_KEY,
                 role: str = "runs the scheduler") -> None:
        self._engine = engine
        self._key, self._role = key, role
        self._connection: AsyncConnection | None = None
        self.leading = engine.dialect.name != "postgresql"
        self.on_wake: Callable[[], None] | None = None
        self._turn = asyncio.Lock()
        """One statement at a time on the lock's connection: a leadership round still running
        when the worker stops must not overlap the unlock (asyncpg refuses, the unlock is lost)."""
        """Called when another worker asks for a sweep (set by the scheduler)."""

    async def try_to_lead(self) -> bool:
        async with self._turn:
            return await self._try_to_lead()

    async def _try_to_lead(self) -> bool:
        """Take the lock if nobody holds it; keep it if we do. Safe to call repeatedly."""
        if self.leading:
            if self._connection is None or await self._still_holding(self._connection):
                return True
            log.warning("the connection holding the lock (this worker %s) was lost; taking it "
                        "again", self._role)
            self._connection, self.leading = None, False
        connection = await self._engine.connect()
        try:
            taken = await connection.scalar(text("SELECT pg_try_advisory_lock(:key)"),
                                             {"key": self._key})
            await connection.commit()
        except Exception:
            await connection.close()
            raise
        if taken:
            self._connection, self.leading = connection, True
            await self._listen(connection)
            log.info("this worker now %s", self._role)
        else:
            await connection.close()
        return bool(taken)

    async def _listen(self, connection: AsyncConnection) -> None:
        """Hear the other workers' NOTIFYs on the lock's own connection (it lives as long)."""
        raw = await connection.get_raw_connection()
        driver = raw.driver_connection
        if driver is None or not hasattr(driver, "add_listener"):
            return
        await driver.add_listener(WAKE_CHANNEL, self._woken)

    def _woken(self, *_notification: object) -> None:
        if self.on_wake is not None:
            self.on_wake()

    @staticmethod
    async def _still_holding(connection: AsyncConnection) -> bool:
        """The lock lives as long as its connection: after a database restart both are gone, and
        another worker may have taken the lock meanwhile."""
        try:
            await connection.scalar(text("SELECT 1"))
            await connection.commit()
            return True
        except DBAPIError:
            with contextlib.suppress(Exception):
                await connection.invalidate()
                await connection.close()
            return False

    async def resign(self) -> None:
        async with self._turn:
            await self._resign()

    async def _resign(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                await connection.scalar(text("SELECT pg_advisory_unlock(:key)"), {"key": self._key})
            finally:
                # Pooled connections outlive `close()`; invalidating really ends the session.
                await connection.invalidate()
                await connection.close()
        self.leading = self._engine.dialect.name != "postgresql"
