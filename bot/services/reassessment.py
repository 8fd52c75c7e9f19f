"""The team's rhythm: a new cycle opens by itself (quarterly by default) so the trend builds up."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from bot.db.models import Cycle, Team
from bot.db.repositories import Repository
from bot.services import cycles, outbox, teams
from bot.services.outbox import Kind
from domain.holidays import team_calendar
from domain.rhythm import next_cycle_start

RHYTHMS: dict[str, int] = {"monthly": 1, "quarterly": 3, "half-yearly": 6, "yearly": 12, "off": 0}
CYCLE_LENGTH = timedelta(days=14)
HEADS_UP_BEFORE = timedelta(days=1)


async def schedule_next(repo: Repository, team: Team, after: datetime) -> datetime | None:
    """Set the team's next reassessment and tell its managers the day before."""
    months = RHYTHMS.get(team.reassessment, 3)
    upcoming = next_cycle_start(after, team_calendar(team.timezone, after.date()), months)
    team.next_reassessment_at = upcoming
    if upcoming is not None:
        for manager in await teams.managers(repo, team.id):
            await outbox.plan(
                repo, f"heads_up:{team.id}:{upcoming:%Y%m%d}:{manager.user_id}", Kind.HEADS_UP,
                max(upcoming - HEADS_UP_BEFORE, after), user_id=manager.user_id, team_id=team.id)
    return upcoming


async def plan(repo: Repository, cycle: Cycle, now: datetime) -> None:
    """Everything a new cycle needs: invitations, reminders, closing, and the next one's date."""
    await outbox.plan_cycle(repo, cycle, now)
    team = await repo.team(cycle.team_id)
    assert team is not None
    if team.next_reassessment_at is None or team.next_reassessment_at <= now:
        await schedule_next(repo, team, now)


async def open_due(repo: Repository, now: datetime) -> int:
    """Open the cycles whose time has come; a team with a cycle still open waits a round."""
    due = (await repo.session.scalars(
        select(Team).where(Team.reassessment != "off", Team.next_reassessment_at.is_not(None),
                           Team.next_reassessment_at <= now)
        .with_for_update(skip_locked=True))).all()
    opened = 0
    for team in due:
        if await repo.open_cycle(team.id) is None:
            await cycles.open_cycle(repo, team.id, team.default_scope, now + CYCLE_LENGTH, None,
                                    now, plan=plan)
            opened += 1
        if team.next_reassessment_at is not None and team.next_reassessment_at <= now:
            await schedule_next(repo, team, now)
    return opened
