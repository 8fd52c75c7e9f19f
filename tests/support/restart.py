"""A restart of PostgreSQL as the bot sees it: every connection to the database is cut at once."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine


async def cut_every_other_connection(engine: AsyncEngine) -> None:
    """Terminate every session of `engine`'s database but the one doing it; `engine`'s own pool
    is emptied afterwards, since its connections went too."""
    async with engine.connect() as connection:
        await connection.execute(text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"))
    await engine.dispose()
