"""The `organisation` migration on a database with real rows: every team gets its organisation,
its active managers become the admins, and nothing else changes, up and down, on both back ends.

The rows are written with plain SQL at the revision before (`grouplink`), as an installation
holds them: people, two teams with managers, participants and a manager who left, a closed cycle
and an open one, responses with answers and a remark, notifications. A cascade in the rewrite of a
table would lose them; that is what this test is for.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db import migrate
from bot.db.engine import create_engine

BEFORE = "grouplink"
CHECKED = ("people", "teams", "memberships", "invites", "cycles", "responses", "answers",
           "remarks", "notifications", "targets")

ROWS = """
INSERT INTO people (user_id, display_name, language, last_seen_at, created_at) VALUES
 (101, 'Manon', 'nl', '2026-09-01 08:00:00', '2026-09-01 08:00:00'),
 (102, 'Bram', 'en', '2026-09-01 08:00:00', '2026-09-01 08:00:00'),
 (103, 'Daan', 'nl', '2026-09-01 08:00:00', '2026-09-01 08:00:00'),
 (104, 'Eva', 'nl', '2026-09-01 08:00:00', '2026-09-01 08:00:00'),
 (105, 'Fatima', 'nl', '2026-09-01 08:00:00', '2026-09-01 08:00:00');
INSERT INTO teams (id, name, model_id, default_scope, timezone, use_groups, share_results,
  anonymity_threshold, reassessment, next_reassessment_at, reminders_enabled, created_at) VALUES
 (1, 'Zorg & Co', 'iso9004-2018', 'quick', 'Europe/Amsterdam', FALSE, TRUE, 3, 'quarterly',
  '2027-01-04 08:00:00', TRUE, '2026-09-01 08:00:00'),
 (2, 'Logistiek', 'iso9004-2009', 'full', 'Europe/Brussels', TRUE, FALSE, 4, 'off', NULL, FALSE,
  '2026-09-02 08:00:00');
INSERT INTO memberships (id, team_id, user_id, role, stakeholder_group, active, joined_at) VALUES
 (1, 1, 101, 'manager', NULL, TRUE, '2026-09-01 08:00:00'),
 (2, 1, 102, 'participant', NULL, TRUE, '2026-09-01 09:00:00'),
 (3, 1, 103, 'participant', NULL, TRUE, '2026-09-01 09:00:00'),
 (4, 2, 104, 'manager', 'management', TRUE, '2026-09-02 08:00:00'),
 (5, 2, 105, 'manager', 'management', FALSE, '2026-09-02 08:00:00'),
 (6, 2, 102, 'participant', 'staff', TRUE, '2026-09-02 09:00:00');
INSERT INTO invites (token, team_id, stakeholder_group, created_by, created_at, expires_at) VALUES
 ('tok1', 1, NULL, 101, '2026-09-01 08:00:00', '2026-10-01 08:00:00');
INSERT INTO cycles (id, team_id, model_id, scope_id, opened_by, opened_at, deadline, closed_at)
 VALUES
 (1, 1, 'iso9004-2018', 'quick', 101, '2026-09-07 08:00:00', '2026-09-21 16:00:00',
  '2026-09-21 16:00:00'),
 (2, 1, 'iso9004-2018', 'quick', NULL, '2026-10-05 08:00:00', '2026-12-21 16:00:00', NULL);
INSERT INTO responses (id, cycle_id, membership_id, stakeholder_group, is_manager, started_at,
  completed_at) VALUES
 (1, 1, 1, NULL, TRUE, '2026-09-08 08:00:00', '2026-09-08 08:10:00'),
 (2, 1, 2, NULL, FALSE, '2026-09-08 08:00:00', '2026-09-08 08:10:00'),
 (3, 2, 3, NULL, FALSE, '2026-10-06 08:00:00', NULL);
INSERT INTO answers (response_id, element_id, level, answered_at) VALUES
 (1, '5.2', 3, '2026-09-08 08:01:00'), (1, '6.2', 4, '2026-09-08 08:02:00'),
 (2, '5.2', 2, '2026-09-08 08:01:00'), (2, '6.2', NULL, '2026-09-08 08:02:00'),
 (3, '5.2', 5, '2026-10-06 08:01:00');
INSERT INTO remarks (response_id, chapter_id, text, written_at) VALUES
 (2, '5', 'We kennen onze klanten', '2026-09-08 08:03:00');
INSERT INTO targets (team_id, chapter_id, level) VALUES (1, '5', 4);
INSERT INTO notifications (key, kind, user_id, team_id, cycle_id, due_at, status, attempts) VALUES
 ('invite:2:103', 'invite', 103, 1, 2, '2026-10-05 08:00:00', 'sent', 1),
 ('close:2', 'close', NULL, 1, 2, '2026-12-21 16:00:00', 'pending', 0);
"""


@pytest.fixture
async def empty(backend: str, database_url: str, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """An empty database (PostgreSQL: the test database's schema, migrated to head afterwards
    again for the tests that follow)."""
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'existing.sqlite3'}"
    else:
        url = database_url
        engine = create_engine(url)
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
        await engine.dispose()
    engine = create_engine(url)
    yield engine
    if backend == "postgresql":
        await migrate.upgrade(engine)
    await engine.dispose()


async def _rows(engine: AsyncEngine, table: str) -> list[dict[str, Any]]:
    async with engine.connect() as connection:
        result = await connection.execute(text(f"SELECT * FROM {table}"))
        rows = [dict(row._mapping) for row in result]
    return sorted(rows, key=repr)


async def _snapshot(engine: AsyncEngine, without: set[str]) -> dict[str, list[dict[str, Any]]]:
    return {table: [{k: v for k, v in row.items() if k not in without}
                    for row in await _rows(engine, table)] for table in CHECKED}


async def _tables(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as connection:
        return set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))


async def _write(engine: AsyncEngine, script: str) -> None:
    async with engine.begin() as connection:
        for statement in script.split(";"):
            if statement.strip():
                await connection.execute(text(statement))


async def test_every_team_gets_its_organisation_and_nothing_else_changes(
    empty: AsyncEngine,
) -> None:
    await migrate.upgrade(empty, BEFORE)
    await _write(empty, ROWS)
    before = await _snapshot(empty, set())

    await migrate.upgrade(empty, "organisation")

    organisations = await _rows(empty, "organisations")
    assert [(o["id"], o["name"], o["reassessment"], o["next_reassessment_at"])
            for o in organisations] == [(1, "Zorg & Co", "off", None),
                                        (2, "Logistiek", "off", None)]
    teams = {t["id"]: t["organisation_id"] for t in await _rows(empty, "teams")}
    assert teams == {1: 1, 2: 2}
    admins = {(a["organisation_id"], a["user_id"], a["added_by"])
              for a in await _rows(empty, "organisation_admins")}
    assert admins == {(1, 101, None), (2, 104, None)}  # Fatima left: no admin
    assert [c["organisation_cycle_id"] for c in await _rows(empty, "cycles")] == [None, None]
    after = await _snapshot(empty, {"organisation_id", "organisation_cycle_id"})
    assert after == before
    async with empty.connect() as connection:  # a new organisation does not reuse an old id
        if empty.dialect.name == "sqlite":
            assert (await connection.execute(text("PRAGMA foreign_key_check"))).all() == []
            assert (await connection.execute(text("PRAGMA integrity_check"))).scalar() == "ok"
    async with empty.begin() as connection:
        new_id = (await connection.execute(text(
            "INSERT INTO organisations (name, created_at, reassessment) "
            "VALUES ('Nieuw', '2026-11-01 08:00:00', 'quarterly') RETURNING id"))).scalar()
    assert new_id == 3

    await migrate.downgrade(empty, BEFORE)

    assert not {"organisations", "organisation_admins", "organisation_cycles"} & (
        await _tables(empty))
    assert await _snapshot(empty, set()) == before
    async with empty.connect() as connection:
        columns = await connection.run_sync(
            lambda sync: {c["name"] for c in inspect(sync).get_columns("teams")}
            | {c["name"] for c in inspect(sync).get_columns("cycles")})
    assert "organisation_id" not in columns and "organisation_cycle_id" not in columns

    await migrate.upgrade(empty)  # and up again, to head, with the rows still there
    assert {t["id"]: t["organisation_id"] for t in await _rows(empty, "teams")} == {1: 1, 2: 2}


async def test_a_cascade_from_the_new_foreign_keys_removes_nothing_it_should_not(
    empty: AsyncEngine,
) -> None:
    """Deleting an organisation cycle keeps its team cycles (SET NULL): the answers stay."""
    await migrate.upgrade(empty, BEFORE)
    await _write(empty, ROWS)
    await migrate.upgrade(empty, "organisation")
    await _write(empty, """
        INSERT INTO organisation_cycles (id, organisation_id, model_id, scope_id, opened_at,
          deadline) VALUES (1, 1, 'iso9004-2018', 'quick', '2026-10-05 08:00:00',
          '2026-12-21 16:00:00');
        UPDATE cycles SET organisation_cycle_id = 1 WHERE id = 2;
        DELETE FROM organisation_cycles WHERE id = 1""")
    cycles = await _rows(empty, "cycles")
    assert [(c["id"], c["organisation_cycle_id"]) for c in cycles] == [(1, None), (2, None)]
    assert len(await _rows(empty, "answers")) == 5
