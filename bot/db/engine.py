"""Engine and sessions for SQLite (the default, one file) and PostgreSQL (production, scale-out)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.db import _inloop

WAKE_CHANNEL = "iso9004_outbox"
"""PostgreSQL NOTIFY channel: a worker that plans something due now wakes the scheduler's leader
(`bot.db.leader` LISTENs on it)."""


def normalise_url(url: str) -> str:
    """Accept the plain URLs people copy from hosting panels and pick the async drivers."""
    for plain, asynchronous in (
        ("postgres://", "postgresql+asyncpg://"),
        ("postgresql://", "postgresql+asyncpg://"),
        ("sqlite:///", "sqlite+aiosqlite:///"),
    ):
        if url.startswith(plain):
            return asynchronous + url[len(plain) :]
    return url


def create_engine(url: str) -> AsyncEngine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        path = make_url(url).database or ":memory:"
        engine = create_async_engine(url, async_creator=_inloop.connector(path))
        _make_sqlite_transactions_safe(engine)
        return engine
    # A fixed pool (no connections opened and closed in bursts) and no ping before each unit of
    # work: that ping is three round trips on asyncpg. A connection that died with a database
    # restart fails its first statement instead; see `bot.telegram.updates.SecondChances`.
    return create_async_engine(url, pool_size=20, max_overflow=0)


def _make_sqlite_transactions_safe(engine: AsyncEngine) -> None:
    """Take SQLite's write lock when a transaction begins.

    With the default deferred BEGIN, two concurrent transactions that both read and then write can
    deadlock, and SQLite answers "database is locked" at once instead of waiting. BEGIN IMMEDIATE
    makes a writer wait for the lock instead (see `Runtime.write_queue`); WAL keeps readers out of
    the writers' way.
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
