"""Migrating on start: several workers starting at once on an empty database all come up."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from bot.db import migrate
from bot.db.engine import create_engine
from bot.db.models import Base


async def _empty_database(backend: str, database_url: str, directory: Path) -> str:
    if backend == "sqlite":
        return f"sqlite+aiosqlite:///{directory / 'empty.sqlite3'}"
    engine = create_engine(database_url)
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await engine.dispose()
    return database_url


async def test_two_workers_migrating_an_empty_database_at_once_both_succeed(
    backend: str, database_url: str, tmp_path_factory: pytest.TempPathFactory,
) -> None:
    head = ScriptDirectory.from_config(migrate.alembic_config()).get_current_head()
    for _ in range(3):  # unserialised, PostgreSQL failed this 5 times out of 5
        url = await _empty_database(backend, database_url, tmp_path_factory.mktemp("empty"))
        engines = [create_engine(url), create_engine(url)]
        try:
            await asyncio.wait_for(  # unserialised, they also waited on each other for ever
                asyncio.gather(*(migrate.upgrade(engine) for engine in engines)), timeout=30)
            for engine in engines:
                assert await migrate.current_revision(engine) == head
            async with engines[0].connect() as connection:
                tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
            assert {table.name for table in Base.metadata.sorted_tables} <= set(tables)
        finally:
            for engine in engines:
                await engine.dispose()
