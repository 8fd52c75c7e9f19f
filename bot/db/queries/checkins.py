"""Queries behind the actions' check-ins and the managers' weekly digest (for
`bot.services.action_checkins`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import select

from bot.db.models import ActionEvent, ImprovementAction, Membership, Team
from bot.db.queries import MANAGER
from bot.db.repositories import Repository

OPEN = ("open", "on_track", "stuck")


async def due_checkins(repo: Repository, action_id: int | None = None
                       ) -> list[tuple[int, int, int | None, datetime, date | None, str, str]]:
    """(action, team, owner, created at, due on, check-in setting, time zone) of every open
    action with an owner in a team that has check-ins (or just `action_id`)."""
    query = (select(ImprovementAction.id, ImprovementAction.team_id, ImprovementAction.owner_id,
                    ImprovementAction.created_at, ImprovementAction.due_on, Team.checkins,
                    Team.timezone)
             .join(Team, Team.id == ImprovementAction.team_id)
             .where(ImprovementAction.status.in_(OPEN),
                    ImprovementAction.owner_id.is_not(None), Team.checkins != "off"))
    if action_id is not None:
        query = query.where(ImprovementAction.id == action_id)
    return [(a, t, o, c, d, s, z) for a, t, o, c, d, s, z in await repo.session.execute(query)]


async def teams_with_news(repo: Repository, since: datetime) -> dict[int, str]:
    """Team id → time zone of the teams with open actions, or with an action changed since."""
    recent = select(ActionEvent.action_id).where(ActionEvent.at >= since)
    found = await repo.session.execute(
        select(Team.id, Team.timezone).join(ImprovementAction, ImprovementAction.team_id == Team.id)
        .where(ImprovementAction.status.in_(OPEN) | ImprovementAction.id.in_(recent)).distinct())
    return {team_id: timezone for team_id, timezone in found}


async def active_managers(repo: Repository, team_ids: Iterable[int]) -> list[tuple[int, int]]:
    """(team id, user id) of the active managers of these teams."""
    managers = await repo.session.execute(select(Membership.team_id, Membership.user_id).where(
        Membership.team_id.in_(team_ids), Membership.active.is_(True),
        Membership.role == MANAGER))
    return [(team_id, user_id) for team_id, user_id in managers]


async def events_between(repo: Repository, team_id: int, kinds: Iterable[str], start: datetime,
                         end: datetime) -> list[tuple[str, str | None, str, str]]:
    """(kind, note, what, owner) of the team's action events of these kinds in [start, end)."""
    events = await repo.session.execute(
        select(ActionEvent.kind, ActionEvent.note, ImprovementAction.what,
               ImprovementAction.owner)
        .join(ImprovementAction, ImprovementAction.id == ActionEvent.action_id)
        .where(ImprovementAction.team_id == team_id, ActionEvent.kind.in_(kinds),
               ActionEvent.at >= start, ActionEvent.at < end).order_by(ActionEvent.id))
    return [(kind, note, what, owner) for kind, note, what, owner in events]


async def fell_due_between(repo: Repository, team_id: int, start: date, end: date
                           ) -> list[tuple[str, str]]:
    """(what, owner) of the team's open actions due in [start, end)."""
    overdue = await repo.session.execute(
        select(ImprovementAction.what, ImprovementAction.owner).where(
            ImprovementAction.team_id == team_id, ImprovementAction.status.in_(OPEN),
            ImprovementAction.due_on >= start, ImprovementAction.due_on < end))
    return [(what, owner) for what, owner in overdue]

