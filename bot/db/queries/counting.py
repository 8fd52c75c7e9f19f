"""The rows behind where an organisation cycle's responses count (for
`bot.services.counting`): live from the memberships while it is open, frozen at its close."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select

from bot.db.models import CountedIn, Cycle, Membership, OrganisationCycle, Response
from bot.db.repositories import Repository


async def team_of_cycle(repo: Repository, organisation_cycle_id: int) -> dict[int, int]:
    """Team cycle id → its team, for the organisation cycle."""
    rows = await repo.session.execute(select(Cycle.id, Cycle.team_id).where(
        Cycle.organisation_cycle_id == organisation_cycle_id))
    return {cycle_id: team_id for cycle_id, team_id in rows.all()}


async def responses_in(
    repo: Repository, cycle_ids: Collection[int]
) -> list[tuple[int, int, int | None, bool, str | None, datetime | None]]:
    """(response, cycle, user or None, manager mark, group, completed at) by response id."""
    rows = await repo.session.execute(
        select(Response.id, Response.cycle_id, Membership.user_id, Response.is_manager,
               Response.stakeholder_group, Response.completed_at)
        .outerjoin(Membership, Membership.id == Response.membership_id)
        .where(Response.cycle_id.in_(list(cycle_ids))).order_by(Response.id))
    return [tuple(row) for row in rows.all()]  # type: ignore[misc]


async def memberships_of(
    repo: Repository, team_ids: Collection[int], user_ids: Collection[int]
) -> list[tuple[int, int, str, str | None]]:
    """(user, team, role, group) of these people's active memberships in these teams."""
    rows = await repo.session.execute(
        select(Membership.user_id, Membership.team_id, Membership.role,
               Membership.stakeholder_group)
        .where(Membership.team_id.in_(set(team_ids)), Membership.user_id.in_(set(user_ids)),
               Membership.active.is_(True)))
    return [(u, t, r, g) for u, t, r, g in rows.all()]


async def write_counted(repo: Repository, rows: list[dict[str, Any]]) -> None:
    await repo.session.execute(insert(CountedIn), rows)


async def closed_at(repo: Repository, organisation_cycle_id: int) -> datetime | None:
    return await repo.session.scalar(select(OrganisationCycle.closed_at).where(
        OrganisationCycle.id == organisation_cycle_id))


async def frozen_rows(repo: Repository, organisation_cycle_id: int) -> list[Any]:
    """(response, cycle, user, group, completed at, team, manager there, group there) per
    response and team it counts in, as written at the close."""
    rows = await repo.session.execute(
        select(Response.id, Response.cycle_id, Membership.user_id, Response.stakeholder_group,
               Response.completed_at, CountedIn.team_id, CountedIn.is_manager,
               CountedIn.stakeholder_group)
        .join(Cycle, Cycle.id == Response.cycle_id)
        .join(CountedIn, CountedIn.response_id == Response.id)
        .outerjoin(Membership, Membership.id == Response.membership_id)
        .where(Cycle.organisation_cycle_id == organisation_cycle_id)
        .order_by(Response.id, CountedIn.team_id))
    return list(rows.all())
