"""Survey cycles: opening one (one at a time per team) and closing it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from bot.db.models import Cycle
from bot.db.repositories import Repository
from domain.holidays import team_calendar
from domain.rhythm import deadline_after

CyclePlanner = Callable[[Repository, Cycle, datetime], Awaitable[None]]


class AlreadyOpen(Exception):
    def __init__(self, cycle: Cycle) -> None:
        super().__init__(f"team {cycle.team_id} already has cycle {cycle.id} open")
        self.cycle = cycle


def deadline_in(now: datetime, days: int, timezone: str) -> datetime:
    """A new cycle's deadline: `days` from now, at the end of that working day, local time."""
    return deadline_after(now, days, team_calendar(timezone, now.date()))


async def plan_nothing(repo: Repository, cycle: Cycle, now: datetime) -> None:
    """Used where nothing is scheduled (e.g. a test of the answering path alone)."""


async def open_cycle(
    repo: Repository,
    team_id: int,
    scope_id: str,
    deadline: datetime,
    opened_by: int | None,
    now: datetime,
    plan: CyclePlanner = plan_nothing,
) -> Cycle:
    """Open a cycle and plan its invitations, reminders and closing in the same transaction."""
    existing = await repo.open_cycle(team_id)
    if existing is not None:
        raise AlreadyOpen(existing)
    team = await repo.team(team_id)
    assert team is not None
    cycle = Cycle(
        team_id=team_id,
        model_id=team.model_id,
        scope_id=scope_id,
        opened_by=opened_by,
        opened_at=now,
        deadline=deadline,
    )
    repo.session.add(cycle)
    try:
        async with repo.session.begin_nested():
            await repo.session.flush()
    except IntegrityError:
        # Another worker opened one between our check and our insert.
        raced = await repo.open_cycle(team_id)
        assert raced is not None
        raise AlreadyOpen(raced) from None
    await plan(repo, cycle, now)
    return cycle


async def close_cycle(repo: Repository, cycle_id: int, now: datetime) -> Cycle | None:
    """Close a cycle once; closing an already closed cycle changes nothing."""
    cycle = await repo.cycle(cycle_id)
    if cycle is None or cycle.closed_at is not None:
        return None
    cycle.closed_at = now
    return cycle
