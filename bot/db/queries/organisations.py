"""Queries about organisations, their admins and their cycles (for `bot.services.permissions`,
`organisations`, `org_cycles` and `org_reports`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select

from bot.db.models import (
    Answer,
    Cycle,
    ImprovementAction,
    Membership,
    Organisation,
    OrganisationAdmin,
    OrganisationCycle,
    OrganisationToken,
    Person,
    Response,
    Team,
)
from bot.db.queries import MANAGER
from bot.db.repositories import Repository, dialect_insert


async def organisation(repo: Repository, organisation_id: int) -> Organisation | None:
    return await repo.session.get(Organisation, organisation_id)


async def organisation_cycle(repo: Repository, cycle_id: int) -> OrganisationCycle | None:
    return await repo.session.get(OrganisationCycle, cycle_id)


async def has_admin_row(repo: Repository, organisation_id: int, user_id: int) -> bool:
    """Whether this person is named an admin of the organisation (ADMIN_IDS aside)."""
    row = await repo.session.scalar(select(OrganisationAdmin.user_id).where(
        OrganisationAdmin.organisation_id == organisation_id,
        OrganisationAdmin.user_id == user_id))
    return row is not None


async def add_organisation(repo: Repository, organisation: Organisation) -> Organisation:
    """Written at once, so that its id can be used in the same unit of work."""
    repo.session.add(organisation)
    await repo.session.flush()
    return organisation


def add_token(repo: Repository, token: OrganisationToken) -> None:
    """A one-time link, written with the unit of work."""
    repo.session.add(token)


async def add_admin(
    repo: Repository, organisation_id: int, user_id: int, added_by: int | None, now: datetime
) -> None:
    """Name an admin; naming one twice changes nothing."""
    await repo.session.execute(dialect_insert(repo.session, OrganisationAdmin).values(
        organisation_id=organisation_id, user_id=user_id, added_by=added_by, added_at=now,
    ).on_conflict_do_nothing(index_elements=["organisation_id", "user_id"]))


async def named(repo: Repository, administered_by: int | None) -> list[tuple[int, str]]:
    """(id, name) of every organisation, oldest first, or of those this person administers."""
    query = select(Organisation.id, Organisation.name).order_by(Organisation.id)
    if administered_by is not None:
        query = query.join(OrganisationAdmin,
                           OrganisationAdmin.organisation_id == Organisation.id).where(
            OrganisationAdmin.user_id == administered_by)
    return [(i, n) for i, n in (await repo.session.execute(query)).all()]


async def teams_with_members(repo: Repository, organisation_id: int) -> list[tuple[int, str, int]]:
    """(team id, name, active members) of the organisation's teams, oldest first."""
    members = func.count(Membership.id).filter(Membership.active.is_(True))
    rows = await repo.session.execute(
        select(Team.id, Team.name, members).outerjoin(Membership, Membership.team_id == Team.id)
        .where(Team.organisation_id == organisation_id).group_by(Team.id, Team.name)
        .order_by(Team.id))
    return [(i, n, int(c)) for i, n, c in rows.all()]


async def admin_names(repo: Repository, organisation_id: int) -> list[str]:
    """The named admins, in the order they were added ("?" for one without a name)."""
    return list((await repo.session.scalars(
        select(func.coalesce(Person.display_name, "?")).select_from(OrganisationAdmin)
        .outerjoin(Person, Person.user_id == OrganisationAdmin.user_id)
        .where(OrganisationAdmin.organisation_id == organisation_id)
        .order_by(OrganisationAdmin.added_at, OrganisationAdmin.user_id))).all())


async def first_timezone(repo: Repository, organisation_id: int) -> str | None:
    """The time zone of the organisation's first team (its dates are written in it)."""
    return await repo.session.scalar(
        select(Team.timezone).where(Team.organisation_id == organisation_id)
        .order_by(Team.id).limit(1))


async def movable_teams(
    repo: Repository, organisation_id: int, user_id: int, everywhere: bool
) -> list[tuple[int, str]]:
    """(id, name) of the teams outside this organisation that the person manages alone in the
    organisation /newteam made for them, or that belong to another organisation she administers
    (`everywhere`: all of them), oldest first."""
    query = select(Team.id, Team.name).where(Team.organisation_id != organisation_id)
    if not everywhere:
        managed = select(Membership.team_id).where(
            Membership.user_id == user_id, Membership.role == MANAGER,
            Membership.active.is_(True))
        mine = select(OrganisationAdmin.organisation_id).where(
            OrganisationAdmin.user_id == user_id)
        solo = select(Organisation.id).where(Organisation.solo.is_(True))
        query = query.where((Team.id.in_(managed) & Team.organisation_id.in_(solo))
                            | Team.organisation_id.in_(mine))
    return [(i, n) for i, n in (await repo.session.execute(query.order_by(Team.id))).all()]


async def move_team(
    repo: Repository, team: Team, organisation_id: int, *, remove_empty: bool
) -> bool:
    """Move the team; with `remove_empty` (it was one team's own, made by /newteam) the
    organisation it leaves goes when it has no teams or surveys left. Whether it went."""
    before = team.organisation_id
    team.organisation_id = organisation_id
    await repo.session.flush()
    left = await repo.session.scalar(select(func.count()).select_from(Team).where(
        Team.organisation_id == before))
    cycles = await repo.session.scalar(select(func.count()).select_from(OrganisationCycle)
                                       .where(OrganisationCycle.organisation_id == before))
    if remove_empty and not left and not cycles:
        await repo.session.execute(delete(Organisation).where(Organisation.id == before))
        return True
    return False


async def admin_candidates(repo: Repository, organisation_id: int) -> list[tuple[int, str]]:
    """(user id, name) of active members of the organisation's teams who are no admin yet."""
    admins = select(OrganisationAdmin.user_id).where(
        OrganisationAdmin.organisation_id == organisation_id)
    rows = await repo.session.execute(
        select(Person.user_id, Person.display_name)
        .join(Membership, Membership.user_id == Person.user_id)
        .join(Team, Team.id == Membership.team_id)
        .where(Team.organisation_id == organisation_id, Membership.active.is_(True),
               Person.user_id.not_in(admins))
        .group_by(Person.user_id, Person.display_name).order_by(Person.display_name))
    return [(i, n) for i, n in rows.all()]


async def teams_for_a_survey(
    repo: Repository, organisation_id: int
) -> list[tuple[int, str, str, str]]:
    """(id, name, model, time zone) of the organisation's teams, oldest first."""
    rows = await repo.session.execute(
        select(Team.id, Team.name, Team.model_id, Team.timezone)
        .where(Team.organisation_id == organisation_id).order_by(Team.id))
    return [(i, n, m, z) for i, n, m, z in rows.all()]


async def people_in(repo: Repository, team_ids: list[int]) -> int:
    """Active members of these teams, each person once."""
    return int(await repo.session.scalar(
        select(func.count(func.distinct(Membership.user_id))).where(
            Membership.team_id.in_(team_ids), Membership.active.is_(True))) or 0)


async def teams_of_cycle(repo: Repository, organisation_cycle_id: int) -> list[Team]:
    """The teams of the organisation cycle, in name order (as its report lists them)."""
    return list((await repo.session.scalars(
        select(Team).join(Cycle, Cycle.team_id == Team.id)
        .where(Cycle.organisation_cycle_id == organisation_cycle_id)
        .order_by(Team.name, Team.id))).all())


async def answers_of_cycle(
    repo: Repository, organisation_cycle_id: int
) -> list[tuple[int, str, int | None]]:
    """(response id, element id, level) of every answer in the organisation cycle, in one
    query for the whole organisation."""
    rows = await repo.session.execute(
        select(Answer.response_id, Answer.element_id, Answer.level)
        .join(Response, Response.id == Answer.response_id)
        .join(Cycle, Cycle.id == Response.cycle_id)
        .where(Cycle.organisation_cycle_id == organisation_cycle_id))
    return [(r, e, level) for r, e, level in rows.all()]


async def reportable(repo: Repository, reader: int | None) -> list[tuple[int, str]]:
    """(organisation cycle, organisation name) per organisation whose report this person may
    read (those she administers or has a team she manages in; None: every organisation): its
    open cycle or else the one that closed last, by organisation."""
    query = select(Organisation.id, Organisation.name).order_by(Organisation.id)
    if reader is not None:
        managed = select(Team.organisation_id).join(
            Membership, Membership.team_id == Team.id).where(
            Membership.user_id == reader, Membership.active.is_(True),
            Membership.role == MANAGER)
        administered = select(OrganisationAdmin.organisation_id).where(
            OrganisationAdmin.user_id == reader)
        query = query.where(Organisation.id.in_(managed) | Organisation.id.in_(administered))
    found = []
    for organisation_id, name in (await repo.session.execute(query)).all():
        cycle_id = await repo.session.scalar(
            select(OrganisationCycle.id).where(OrganisationCycle.organisation_id == organisation_id)
            .order_by(OrganisationCycle.closed_at.is_not(None), OrganisationCycle.id.desc())
            .limit(1))
        if cycle_id is not None:
            found.append((cycle_id, name))
    return found


async def due_for_a_cycle(repo: Repository, now: datetime) -> Sequence[Organisation]:
    """Organisations with a rhythm whose next cycle is due, locked (others' sweeps skip them)."""
    return (await repo.session.scalars(
        select(Organisation).where(Organisation.reassessment != "off",
                                   Organisation.next_reassessment_at.is_not(None),
                                   Organisation.next_reassessment_at <= now)
        .with_for_update(skip_locked=True))).all()


async def last_cycle(repo: Repository, organisation_id: int) -> OrganisationCycle | None:
    return await repo.session.scalar(
        select(OrganisationCycle).where(OrganisationCycle.organisation_id == organisation_id)
        .order_by(OrganisationCycle.id.desc()).limit(1))


async def people_to_tell(repo: Repository, organisation_id: int) -> list[tuple[int, int]]:
    """(user id, team id) of who hears about the organisation's next survey: every active
    manager in her first team of it, and every admin in the organisation's first team (one per
    person: a manager who is also an admin is told once)."""
    told: dict[int, int] = {}
    for user_id, team_id in (await repo.session.execute(
            select(Membership.user_id, Membership.team_id).join(Team)
            .where(Team.organisation_id == organisation_id, Membership.active.is_(True),
                   Membership.role == MANAGER).order_by(Team.id))).all():
        told.setdefault(user_id, team_id)
    first_team = await repo.session.scalar(select(Team.id).where(
        Team.organisation_id == organisation_id).order_by(Team.id).limit(1))
    if first_team is not None:
        for user_id, _ in await repo.organisation_admins(organisation_id):
            told.setdefault(user_id, first_team)
    return list(told.items())


async def last_opened(repo: Repository, organisation_id: int) -> datetime | None:
    """When the organisation's last organisation-wide survey opened."""
    return await repo.session.scalar(
        select(OrganisationCycle.opened_at).where(
            OrganisationCycle.organisation_id == organisation_id)
        .order_by(OrganisationCycle.opened_at.desc()).limit(1))


async def teams_by_name(repo: Repository, organisation_id: int) -> list[tuple[int, str]]:
    """(id, name) of the organisation's teams, by name."""
    rows = await repo.session.execute(select(Team.id, Team.name).where(
        Team.organisation_id == organisation_id).order_by(Team.name))
    return [(i, n) for i, n in rows.all()]


async def actions_of_teams(repo: Repository, team_ids: Sequence[int]) -> Sequence[Any]:
    """(team_id, what, status, due_on) rows of these teams' actions, by due date."""
    return (await repo.session.execute(
        select(ImprovementAction.team_id, ImprovementAction.what, ImprovementAction.status,
               ImprovementAction.due_on)
        .where(ImprovementAction.team_id.in_(team_ids))
        .order_by(ImprovementAction.due_on, ImprovementAction.id))).all()
