"""The team's rhythm: a new cycle opens by itself (quarterly by default) so the trend builds up."""

from __future__ import annotations

from datetime import datetime

from bot.db.models import Cycle, Team
from bot.db.queries import organisations as org_queries
from bot.db.queries import teams as team_queries
from bot.db.repositories import Repository
from bot.services import cycles, org_rhythm, outbox, teams
from bot.services.outbox import Kind
from domain.holidays import team_calendar
from domain.rhythm import (
    deadline_after,
    heads_up_at,
    next_cycle_start,
    rhythm_owner,
    send_moment,
)

RHYTHMS: dict[str, int] = {"monthly": 1, "quarterly": 3, "half-yearly": 6, "yearly": 12, "off": 0}
CYCLE_DAYS = 14


heads_up_prefix = outbox.heads_up_prefix


async def schedule_next(repo: Repository, team: Team, after: datetime) -> datetime | None:
    """Set the team's next reassessment and tell its managers on the working day before.

    A team of an organisation with a rhythm has none of its own: the organisation asks it."""
    organisation = await org_queries.organisation(repo, team.organisation_id)
    if organisation is not None and rhythm_owner(organisation.reassessment) == "organisation":
        team.next_reassessment_at = None
        return None
    months = RHYTHMS.get(team.reassessment, 3)
    calendar = team_calendar(team.timezone, after.date())
    upcoming = next_cycle_start(after, calendar, months)
    team.next_reassessment_at = upcoming
    if upcoming is not None:
        for manager in await teams.managers(repo, team.id):
            await outbox.plan(
                repo, heads_up_prefix(team.id, upcoming) + str(manager.user_id), Kind.HEADS_UP,
                max(heads_up_at(upcoming, calendar), after), user_id=manager.user_id,
                team_id=team.id)
    return upcoming


async def plan(repo: Repository, cycle: Cycle, now: datetime) -> None:
    """Everything a new cycle needs: invitations, reminders, closing, and the next one's date."""
    await outbox.plan_cycle(repo, cycle, now)
    team = await repo.team(cycle.team_id)
    assert team is not None
    if team.next_reassessment_at is None or team.next_reassessment_at <= now:
        await schedule_next(repo, team, now)


async def open_due(repo: Repository, now: datetime) -> int:
    """Open the cycles whose time has come, at a working moment of the team.

    A cycle whose deadline has passed is closed first, in the same transaction (its closing may
    still be waiting in the outbox after downtime), so it never makes the team miss its quarter.
    A team whose cycle is really still open waits a round. After downtime at night, the opening
    waits for the team's next working morning, so nobody is invited at 22:00. Organisations
    with a rhythm of their own open theirs first (`org_rhythm`); their teams have none.
    """
    opened = await org_rhythm.open_due(repo, now)
    # a team of an organisation with a rhythm: it asks them (`org_rhythm.open_due`)
    due = await team_queries.due_for_reassessment(repo, now)
    for team in due:
        assert team.next_reassessment_at is not None
        calendar = team_calendar(team.timezone, now.date())
        if send_moment(team.next_reassessment_at, now, calendar) > now:
            continue
        current = await repo.open_cycle(team.id)
        if current is not None and current.deadline <= now:
            await cycles.close_and_plan_reports(
                repo, current.id, now, send_moment(current.deadline, now, calendar))
            current = None
        if current is None:
            await cycles.open_cycle(repo, team.id, team.default_scope,
                                    deadline_after(now, CYCLE_DAYS, calendar), None, now,
                                    plan=plan)
            opened += 1
        if team.next_reassessment_at is not None and team.next_reassessment_at <= now:
            await schedule_next(repo, team, now)
    return opened
