"""Queries of teams, their invites and managers (for `bot.services.teams` and `members`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, select, update

from bot.db.models import Invite, Membership, Organisation, Person, Response, Team
from bot.db.queries import MANAGER
from bot.db.repositories import Repository


async def revoke_invites(repo: Repository, team_id: int, now: datetime) -> int:
    """Revoke every live invite of the team; how many."""
    result = await repo.session.execute(
        update(Invite).where(Invite.team_id == team_id, Invite.revoked_at.is_(None))
        .values(revoked_at=now))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def managed_by(repo: Repository, user_id: int) -> list[Team]:
    """The teams this person manages, oldest first."""
    rows = await repo.session.scalars(
        select(Team).join(Membership, Membership.team_id == Team.id)
        .where(Membership.user_id == user_id, Membership.role == MANAGER,
               Membership.active.is_(True))
        .order_by(Team.id))
    return list(rows.all())


async def managers(repo: Repository, team_id: int) -> list[Membership]:
    rows = await repo.session.scalars(
        select(Membership).where(Membership.team_id == team_id, Membership.role == MANAGER,
                                 Membership.active.is_(True)))
    return list(rows.all())


async def managers_in_management(repo: Repository, team_id: int) -> None:
    """Managers without a stakeholder group are put in "management" (groups switched on)."""
    await repo.session.execute(
        update(Membership).where(Membership.team_id == team_id, Membership.role == MANAGER,
                                 Membership.stakeholder_group.is_(None))
        .values(stakeholder_group="management"))


def _with_person_and_team() -> Select[Membership, Person, Team]:
    return (select(Membership, Person, Team)
            .join(Person, Person.user_id == Membership.user_id)
            .join(Team, Team.id == Membership.team_id))


async def active_members(repo: Repository, team_id: int) -> list[tuple[Membership, Person, Team]]:
    """The team's active memberships with their people, managers first, then by name."""
    rows = await repo.session.execute(
        _with_person_and_team().where(Membership.team_id == team_id, Membership.active.is_(True))
        .order_by(Membership.role, Person.display_name))
    return [(m, p, t) for m, p, t in rows.all()]


async def membership_with_person(
    repo: Repository, membership_id: int
) -> tuple[Membership, Person, Team] | None:
    row = (await repo.session.execute(
        _with_person_and_team().where(Membership.id == membership_id))).first()
    return (row[0], row[1], row[2]) if row is not None else None


async def membership(repo: Repository, membership_id: int) -> Membership | None:
    return await repo.session.get(Membership, membership_id)


async def responses_of(repo: Repository, cycle_id: int) -> Sequence[Response]:
    return (await repo.session.scalars(
        select(Response).where(Response.cycle_id == cycle_id))).all()


async def other_managers(repo: Repository, team_id: int, without: int) -> int:
    """How many active managers the team has besides this membership."""
    rows = await repo.session.scalars(select(Membership.id).where(
        Membership.team_id == team_id, Membership.role == MANAGER,
        Membership.active.is_(True), Membership.id != without))
    return len(rows.all())


async def due_for_reassessment(repo: Repository, now: datetime) -> Sequence[Team]:
    """Teams with a rhythm of their own (their organisation has none) whose next cycle is due,
    locked (others' sweeps skip them)."""
    own_rhythm = select(Organisation.id).where(Organisation.reassessment == "off")
    return (await repo.session.scalars(
        select(Team).where(Team.reassessment != "off", Team.next_reassessment_at.is_not(None),
                           Team.next_reassessment_at <= now,
                           Team.organisation_id.in_(own_rhythm))
        .with_for_update(skip_locked=True))).all()
