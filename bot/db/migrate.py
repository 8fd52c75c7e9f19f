"""Alembic, run from inside the event loop on the application's own engine.

Follows Alembic's connection-sharing recipe: the async engine hands a synchronous connection to
`command.upgrade` through `run_sync`, so migrations use the same driver and settings as the bot.

Every worker migrates on start, and several may start at once (`docker compose up --scale bot=2`
on a fresh install). Unserialised, both create `alembic_version` and one dies on PostgreSQL's
duplicate-key error. On PostgreSQL a migration therefore first takes a transaction-level advisory
lock: the second worker waits, then finds the schema at head and has nothing to do. The lock goes
with the transaction, also when a migration fails or the worker dies. SQLite needs no lock: our
transactions begin with BEGIN IMMEDIATE (`bot.db.engine`), which already lets one writer in at a
time.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

MIGRATIONS = Path(__file__).with_name("migrations")
MIGRATION_LOCK_KEY = 9004_0001
"""An advisory lock key of its own (the scheduler's leadership uses
`bot.db.leader.LOCK_KEY`)."""


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


async def _one_at_a_time(connection: AsyncConnection) -> None:
    if connection.dialect.name == "postgresql":
        await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                                 {"key": MIGRATION_LOCK_KEY})


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    async with engine.begin() as connection:
        await _one_at_a_time(connection)
        await connection.run_sync(lambda sync: command.upgrade(alembic_config(sync), revision))


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    async with engine.begin() as connection:
        await _one_at_a_time(connection)
        await connection.run_sync(lambda sync: command.downgrade(alembic_config(sync), revision))


async def current_revision(engine: AsyncEngine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    async with engine.connect() as connection:
        return await connection.run_sync(
            lambda sync: MigrationContext.configure(sync).get_current_revision()
        )
