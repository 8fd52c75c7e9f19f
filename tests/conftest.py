"""Shared fixtures: a real, migrated database per test and a clock the test controls.

Every database test runs on a SQLite file, and again on PostgreSQL when TEST_DATABASE_URL is set.
Here too: which tests are `slow` (`tests/support/tiers.py`, decided for every test collected, so
tests added anywhere are sorted as well) and how hard Hypothesis tries (HYPOTHESIS_PROFILE).
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.db import migrate
from bot.db.engine import create_engine, create_sessionmaker
from bot.db.models import Base
from tests.support.clock import FixedClock
from tests.support.tiers import mark_slow_tests

# Hypothesis: "ci" is Hypothesis's own default (100 examples, CI sets CI=true), exactly what CI ran
# before the profiles; "dev" tries a quarter as many, without a deadline, for the minute between two
# edits on a busy machine. A test's own @settings(max_examples=...) still wins; HYPOTHESIS_PROFILE
# chooses either by name.
hypothesis_settings.register_profile("ci", max_examples=100)
hypothesis_settings.register_profile("dev", max_examples=25, deadline=None)
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    mark_slow_tests(items, Path(__file__).parent)


POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")
BACKENDS = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]


async def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await migrate.upgrade(engine)
    await engine.dispose()


async def _migrate_sqlite(path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    await migrate.upgrade(engine)
    await engine.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def migrated_database(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Migrate once per run; each test gets a clean copy (SQLite) or clean tables (PostgreSQL)."""
    if backend == "postgresql":
        assert POSTGRES_URL is not None
        asyncio.run(_reset_postgres(POSTGRES_URL))
        yield POSTGRES_URL
        return
    template = tmp_path_factory.mktemp("db") / "template.sqlite3"
    asyncio.run(_migrate_sqlite(template))
    yield str(template)


@pytest.fixture
def database_url(backend: str, migrated_database: str, tmp_path: Path) -> str:
    if backend == "postgresql":
        return migrated_database
    copy = tmp_path / "iso9004-bot.sqlite3"
    shutil.copyfile(migrated_database, copy)
    return f"sqlite+aiosqlite:///{copy}"


@pytest.fixture
async def engine(backend: str, database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    if backend == "postgresql":
        tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
        async with engine.begin() as connection:
            await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    yield engine
    await engine.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_sessionmaker(engine)


@pytest.fixture
def clock() -> FixedClock:
    """Monday 2 November 2026, 10:00 in Amsterdam (09:00 UTC): a working morning."""
    return FixedClock(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
