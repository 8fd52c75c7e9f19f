"""The schema migrates up and down on both back ends, and matches the models exactly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db import migrate
from bot.db.models import Base


async def test_the_migrated_schema_matches_the_models(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        differences = await connection.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata)
        )
    assert differences == []


async def test_downgrade_to_nothing_and_upgrade_again(engine: AsyncEngine) -> None:
    await migrate.downgrade(engine, "base")
    async with engine.connect() as connection:
        tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
    assert set(tables) <= {"alembic_version"}

    await migrate.upgrade(engine)
    async with engine.connect() as connection:
        tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
    assert {table.name for table in Base.metadata.sorted_tables} <= set(tables)
    assert await migrate.current_revision(engine) is not None


async def test_every_constraint_has_a_predictable_name(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        foreign_keys = await connection.run_sync(
            lambda sync: inspect(sync).get_foreign_keys("memberships")
        )
    assert {fk["name"] for fk in foreign_keys} == {
        "fk_memberships_team_id_teams",
        "fk_memberships_user_id_people",
    }
