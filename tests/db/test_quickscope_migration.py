"""Migration "quickscope": a cycle of the old quick scan keeps the questions it was asked."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db import migrate
from domain.catalog import load_model

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


async def _scopes(engine: AsyncEngine) -> list[tuple[str, str]]:
    async with engine.connect() as connection:
        rows = await connection.execute(text(
            "SELECT 'team', scope_id FROM cycles UNION ALL "
            "SELECT 'organisation', scope_id FROM organisation_cycles ORDER BY 1, 2"))
        return [(str(kind), str(scope)) for kind, scope in rows.all()]


async def test_old_quick_cycles_move_to_the_retired_scope_and_back(engine: AsyncEngine) -> None:
    await migrate.downgrade(engine, "counted")
    async with engine.begin() as connection:
        await connection.execute(text(
            "INSERT INTO organisations (id, name, created_at, reassessment) "
            "VALUES (1, 'Zorg', :now, 'off')"), {"now": NOW})
        await connection.execute(text(
            "INSERT INTO teams (id, organisation_id, name, model_id, default_scope, timezone, "
            "use_groups, share_results, anonymity_threshold, reassessment, reminders_enabled, "
            "created_at) VALUES (1, 1, 'Zorg', 'iso9004-2018', 'quick', 'UTC', false, true, 3, "
            "'off', true, :now)"), {"now": NOW})
        await connection.execute(text(
            "INSERT INTO organisation_cycles (id, organisation_id, model_id, scope_id, opened_at, "
            "deadline) VALUES (1, 1, 'iso9004-2018', 'quick', :now, :now)"), {"now": NOW})
        for cycle_id, scope in ((1, "quick"), (2, "full")):
            await connection.execute(text(
                "INSERT INTO cycles (id, team_id, model_id, scope_id, opened_at, deadline, "
                "closed_at) VALUES (:id, 1, 'iso9004-2018', :scope, :now, :now, :now)"),
                {"id": cycle_id, "scope": scope, "now": NOW})

    await migrate.upgrade(engine, "quickscope")
    assert await _scopes(engine) == [
        ("organisation", "quick-2025"), ("team", "full"), ("team", "quick-2025")]
    old = load_model("iso9004-2018").scope("quick-2025")
    assert old.retired and "7.2" in old.element_ids  # what those people were asked

    await migrate.downgrade(engine, "counted")
    assert await _scopes(engine) == [("organisation", "quick"), ("team", "full"), ("team", "quick")]
    await migrate.upgrade(engine)
