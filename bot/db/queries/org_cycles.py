"""Queries of organisation cycles: the team cycles of one, who answers where, opening one in
bulk (for `bot.services.org_cycles`)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import insert, select

from bot.db.models import Cycle, Membership, OrganisationCycle, Person, Response, Team
from bot.db.repositories import Repository


async def response_elsewhere(repo: Repository, cycle: Cycle, user_id: int) -> Cycle | None:
    """The sibling cycle (same organisation cycle, another team) with this person's response."""
    return await repo.session.scalar(
        select(Cycle).join(Response, Response.cycle_id == Cycle.id)
        .join(Membership, Membership.id == Response.membership_id)
        .where(Cycle.organisation_cycle_id == cycle.organisation_cycle_id, Cycle.id != cycle.id,
               Membership.user_id == user_id).order_by(Cycle.id).limit(1))


async def answered_in(
    repo: Repository, organisation_cycle_id: int, user_id: int
) -> Cycle | None:
    """The team cycle of the organisation cycle where this person has a response, if any."""
    siblings = select(Cycle.id).where(Cycle.organisation_cycle_id == organisation_cycle_id)
    return await repo.session.scalar(
        select(Cycle).join(Response, Response.cycle_id == Cycle.id)
        .join(Membership, Membership.id == Response.membership_id)
        .where(Cycle.id.in_(siblings), Membership.user_id == user_id)
        .order_by(Cycle.id).limit(1))


async def first_team_cycle(
    repo: Repository, organisation_cycle_id: int, user_id: int
) -> Cycle | None:
    """The cycle of this person's first team (by id) in the organisation cycle."""
    siblings = select(Cycle.id).where(Cycle.organisation_cycle_id == organisation_cycle_id)
    return await repo.session.scalar(
        select(Cycle).join(Membership, Membership.team_id == Cycle.team_id)
        .where(Cycle.id.in_(siblings), Membership.user_id == user_id,
               Membership.active.is_(True))
        .order_by(Cycle.team_id).limit(1))


async def teams_of(
    repo: Repository, organisation_id: int, team_ids: Sequence[int] | None
) -> list[Team]:
    """The organisation's teams (or those of them in `team_ids`), oldest first."""
    query = select(Team).where(Team.organisation_id == organisation_id).order_by(Team.id)
    if team_ids is not None:
        query = query.where(Team.id.in_(list(team_ids)))
    return list((await repo.session.scalars(query)).all())


async def with_open_cycle(repo: Repository, team_ids: Sequence[int]) -> set[int]:
    """Those of these teams with a cycle open."""
    return set((await repo.session.scalars(select(Cycle.team_id).where(
        Cycle.team_id.in_(list(team_ids)), Cycle.closed_at.is_(None)))).all())


async def add_team_cycles(repo: Repository, rows: list[dict[str, object]]) -> dict[int, int]:
    """Team cycles in one statement; team id → cycle id."""
    result = await repo.session.execute(
        insert(Cycle).returning(Cycle.team_id, Cycle.id), rows)
    return {team_id: cycle_id for team_id, cycle_id in result.all()}


async def members_of(repo: Repository, team_ids: Sequence[int]) -> list[tuple[int, int]]:
    """(user id, team id) of the active members of these teams, by team and joining order."""
    rows = await repo.session.execute(
        select(Membership.user_id, Membership.team_id)
        .join(Person, Person.user_id == Membership.user_id)
        .where(Membership.team_id.in_(list(team_ids)), Membership.active.is_(True))
        .order_by(Membership.team_id, Membership.id))
    return [(u, t) for u, t in rows.all()]


async def open_for(repo: Repository, organisation_id: int) -> OrganisationCycle | None:
    return await repo.session.scalar(select(OrganisationCycle).where(
        OrganisationCycle.organisation_id == organisation_id,
        OrganisationCycle.closed_at.is_(None)))


async def teams_in(repo: Repository, organisation_cycle_id: int) -> list[tuple[int, str]]:
    """(id, name) of the teams taking part in the organisation cycle, oldest first."""
    rows = await repo.session.execute(
        select(Team.id, Team.name).join(Cycle, Cycle.team_id == Team.id)
        .where(Cycle.organisation_cycle_id == organisation_cycle_id).order_by(Team.id))
    return [(i, n) for i, n in rows.all()]


async def active_members_per_team(repo: Repository, team_ids: Sequence[int]) -> dict[int, int]:
    members: dict[int, int] = {}
    for (team_id,) in (await repo.session.execute(
            select(Membership.team_id).where(Membership.team_id.in_(list(team_ids)),
                                             Membership.active.is_(True)))).all():
        members[team_id] = members.get(team_id, 0) + 1
    return members


async def locked(repo: Repository, organisation_cycle_id: int) -> OrganisationCycle | None:
    """The organisation cycle, its row locked on PostgreSQL (one closer at a time)."""
    return await repo.session.scalar(
        select(OrganisationCycle).where(OrganisationCycle.id == organisation_cycle_id)
        .with_for_update())


async def open_team_cycles(repo: Repository, organisation_cycle_id: int) -> Sequence[int]:
    """The ids of the organisation cycle's team cycles still open, in order."""
    return (await repo.session.scalars(select(Cycle.id).where(
        Cycle.organisation_cycle_id == organisation_cycle_id,
        Cycle.closed_at.is_(None)).order_by(Cycle.id))).all()
