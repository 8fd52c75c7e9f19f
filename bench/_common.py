"""What every benchmark needs: a throw-away database, a seeded team, percentiles, and the best
of a few timed runs."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

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


def best_of(action: Callable[[], Any], repeat: int = 3) -> tuple[float, float]:
    """The best CPU time and the best wall-clock time of `repeat` runs, in seconds: on a shared
    machine other work stretches the wall clock, not the CPU time the action costs."""
    cpu = wall = float("inf")
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        action()
        cpu = min(cpu, time.process_time() - started_cpu)
        wall = min(wall, time.perf_counter() - started)
    return cpu, wall


def best_ms(figures: tuple[float, float]) -> str:
    """`best_of`'s figures as "CPU ms (wall ms)"."""
    return f"{figures[0] * 1000:6.0f} ms ({figures[1] * 1000:.0f})"


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
