"""What every benchmark needs: a throw-away database, a seeded team, and percentiles."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from bot.db.engine import create_engine, create_sessionmaker
from bot.db.migrate import upgrade
from bot.db.models import Cycle
from bot.db.repositories import Repository
from bot.services import cycles, teams
from bot.services.cycles import CyclePlanner, plan_nothing

TOKEN = "424242:BENCH-TOKEN"


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def summary_ms(values: Sequence[float]) -> str:
    p50, p95, p99 = (percentile(values, share) * 1000 for share in (.5, .95, .99))
    return (f"p50 {p50:6.1f} ms · p95 {p95:6.1f} ms · p99 {p99:6.1f} ms "
            f"(mean {statistics.fmean(values) * 1000:.1f} ms)")


async def seeded_team(
    database_url: str, member_ids: Sequence[int], *, scope: str = "quick",
    plan: CyclePlanner = plan_nothing, now: datetime | None = None,
) -> Cycle:
    """A migrated database with one team, its members, and an open cycle."""
    engine = create_engine(database_url)
    if engine.dialect.name == "postgresql":  # a PostgreSQL database is used again: start afresh
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    await upgrade(engine)
    now = now or datetime.now(UTC)
    async with create_sessionmaker(engine).begin() as session:
        repo = Repository(session)
        await repo.touch_person(member_ids[0], "Manager", "nl", now)
        team, _ = await teams.create_team(repo, "Bench", member_ids[0], teams.TeamSettings(), now)
        for user_id in member_ids[1:]:
            await repo.touch_person(user_id, f"Member {user_id}", "nl", now)
            await repo.join(team.id, user_id, "member", None, now)
        cycle = await cycles.open_cycle(repo, team.id, scope, now + timedelta(days=14),
                                        member_ids[0], now, plan=plan)
    await engine.dispose()
    return cycle


def sqlite_url(directory: Path, name: str) -> str:
    return f"sqlite+aiosqlite:///{directory / name}"
