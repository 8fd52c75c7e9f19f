"""The history is each cycle's own report for its reader, point by point, on a real database.

The points are kept between calls (`bot.services.history`); a change to what the figures depend
on (here the team's threshold) must find them built afresh, never an older, fuller figure.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bench.seeding import THIN_CHAPTER, history_example
from bot.db.models import Team
from bot.db.repositories import Repository
from bot.services import history, report_view, reports
from tests.support.clock import FixedClock

CYCLES = 4


async def test_every_point_is_its_own_cycles_report_and_a_hidden_figure_a_gap(
    database_url: str, sessions: async_sessionmaker[AsyncSession], clock: FixedClock,
) -> None:
    _, manager, latest_id = await history_example(
        database_url, cycles_held=CYCLES, respondents=6, now=clock.now() - timedelta(days=30))
    async with sessions.begin() as session:
        repo = Repository(session)
        latest = await repo.cycle(latest_id)
        assert latest is not None
        found = await history.team_history(repo, latest, manager)
        assert len(found.points) == CYCLES and found.is_trend
        for point in found.points:
            cycle = await repo.cycle(point.cycle_id)
            assert cycle is not None
            report = await reports.build_report(repo, cycle, manager)
            assert point.chapters == {c.chapter_id: c.mean for c in report.result.chapters}
            assert point.medians == {e.element_id: e.median
                                     for e in report.result.elements.values()}
            assert point.agreed == {a.element_id: a.level for a in report.agreed}
        assert set(found.chapter_series(THIN_CHAPTER)) == {None}
        assert all(v is not None for v in found.chapter_series("5"))
        view = await report_view.build(repo, latest, manager)
        assert view.history == found  # the chat's report carries the same history
        again = await history.team_history(repo, latest, manager)
        assert again == found


async def test_a_closed_cycles_points_stay_as_its_close_decided_them(
    database_url: str, sessions: async_sessionmaker[AsyncSession], clock: FixedClock,
) -> None:
    """What a closed cycle may show is decided once, at its close (`bot.services.families`): a
    threshold changed afterwards changes no point of the history, whoever reads it when."""
    team_id, manager, latest_id = await history_example(
        database_url, cycles_held=3, respondents=6, now=clock.now() - timedelta(days=30))
    async with sessions.begin() as session:
        repo = Repository(session)
        latest = await repo.cycle(latest_id)
        assert latest is not None
        before = await history.team_history(repo, latest, manager)
        assert before.chapter_series("5")[0] is not None
        await session.execute(update(Team).where(Team.id == team_id)
                              .values(anonymity_threshold=10))
        after = await history.team_history(repo, latest, manager)
        assert [p.chapters for p in after.points] == [p.chapters for p in before.points]
