"""Organisations: teams side by side, and the admins who run them together.

Every team belongs to one organisation; a team made with /newteam gets one of its own
(`bot.services.teams.create_team`). An admin (ADMIN_IDS are admins of every organisation) creates
teams in it, moves teams into it, adds admins from the members of its teams, and opens surveys for
all its teams at once (`bot.services.org_cycles`, which also states the answering rule: a person
answers once per organisation cycle). Everything returned is plain data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.db.models import (
    Membership,
    Organisation,
    Team,
)
from bot.db.queries import organisations as queries
from bot.db.repositories import Repository
from bot.services import org_cycles, org_setup, permissions, positions, teams
from bot.services.actor import Actor
from bot.services.org_cycles import TeamStatus
from bot.services.permissions import Permission, PermissionsError
from domain.catalog import DEFAULT_MODEL_ID

MAX_NAME = 200


@dataclass(frozen=True, slots=True)
class OrganisationInfo:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class Overview:
    """What `/org` shows: the teams with their member counts, the admins, the current cycle."""

    id: int
    name: str
    teams: tuple[tuple[int, str, int], ...]
    """(team id, name, active members)."""
    admins: tuple[str, ...]
    """The admins' names (ADMIN_IDS, who administer every organisation, are not listed)."""
    reassessment: str
    next_reassessment_at: datetime | None
    open_cycle_id: int | None
    deadline: datetime | None
    status: tuple[TeamStatus, ...]
    timezone: str
    """The organisation's first team's (its dates are written in it)."""
    people: tuple[TeamPeople, ...] = ()
    """Per team (as `teams`): who manages it and who else is in it, by name."""
    solo: bool = False
    """Made by /newteam for one team."""


@dataclass(frozen=True, slots=True)
class TeamPeople:
    team_id: int
    managers: tuple[str, ...]
    members: tuple[str, ...]
    """The active members who do not manage it."""


async def expect_name(repo: Repository, actor: Actor, now: datetime) -> None:
    """A bare /neworg: the name is asked for, if the actor may create teams (and so
    organisations)."""
    permissions.check_can_create_teams(actor)
    await positions.expect(repo, actor.id, positions.OrganisationName(), now)


async def create(
    repo: Repository, actor: Actor, name: str, now: datetime
) -> OrganisationInfo:
    """A new organisation, administered by its creator; who may create teams may create one."""
    permissions.check_can_create_teams(actor)
    organisation = await queries.add_organisation(repo, Organisation(
        name=name.strip()[:MAX_NAME], created_at=now, reassessment="quarterly"))
    await queries.add_admin(repo, organisation.id, actor.id, None, now)
    return OrganisationInfo(organisation.id, organisation.name)


async def administered(
    repo: Repository, actor: Actor
) -> list[OrganisationInfo]:
    """The organisations this person administers, oldest first (all of them for ADMIN_IDS)."""
    found = await queries.named(repo, None if actor.is_bot_admin else actor.id)
    return [OrganisationInfo(i, n) for i, n in found]


async def overview(
    repo: Repository, actor: Actor, organisation_id: int
) -> Overview:
    organisation = await permissions.check_can_administer_org(
        repo, actor, organisation_id)
    team_rows = await queries.teams_with_members(repo, organisation_id)
    admins = await queries.admin_names(repo, organisation_id)
    current = await org_cycles.open_for(repo, organisation_id)
    return Overview(
        id=organisation.id, name=organisation.name,
        teams=tuple(team_rows), admins=tuple(admins),
        reassessment=organisation.reassessment,
        next_reassessment_at=organisation.next_reassessment_at,
        open_cycle_id=current.id if current else None,
        deadline=current.deadline if current else None,
        status=await org_cycles.team_statuses(repo, current.id) if current else (),
        timezone=await queries.first_timezone(repo, organisation_id) or "Europe/Amsterdam",
        people=await _people(repo, organisation_id), solo=organisation.solo)


async def _people(repo: Repository, organisation_id: int) -> tuple[TeamPeople, ...]:
    found: dict[int, tuple[list[str], list[str]]] = {}
    for team_id, name, is_manager in await repo.team_people(organisation_id):
        managers, members = found.setdefault(team_id, ([], []))
        (managers if is_manager else members).append(name)
    return tuple(TeamPeople(team_id, tuple(managers), tuple(members))
                 for team_id, (managers, members) in found.items())


async def create_team(
    repo: Repository, actor: Actor, organisation_id: int, name: str,
    settings: teams.TeamSettings, now: datetime,
) -> tuple[Team, Membership]:
    """A team in the organisation, with the admin as its first manager (who invites its people)."""
    await permissions.check_can_administer_org(repo, actor, organisation_id)
    return await teams.create_team(repo, name, actor.id, settings, now,
                                   organisation_id=organisation_id)


async def movable_teams(
    repo: Repository, actor: Actor, organisation_id: int
) -> list[tuple[int, str]]:
    """Teams the admin may move into this organisation: those of the other organisations she
    administers, and those she manages that are alone in the organisation /newteam made for
    them; oldest first."""
    await permissions.check_can_administer_org(repo, actor, organisation_id)
    return await queries.movable_teams(repo, organisation_id, actor.id, actor.is_bot_admin)


class MoveRefusal(Exception):
    """The move is not allowed: `args` are the team's name and why ("open": it takes part in an
    organisation survey still open; "not_admin": the organisation it is in is administered by
    others, and only they can let it go)."""


@dataclass(frozen=True, slots=True)
class Moved:
    team: str
    organisation: str
    left: str | None
    """The organisation it left, unless that was its own (/newteam's, removed now)."""
    tell: tuple[org_setup.Recipient, ...]
    """The admins of both organisations but the one who moved it."""


async def move_team(
    repo: Repository, actor: Actor, team_id: int,
    organisation_id: int,
) -> Moved:
    """Move a team into the organisation. The mover administers it, and administers the team's
    present organisation too, unless that is the team's own (made by /newteam for it alone),
    where managing the team is enough. Only such an organisation is removed once empty: one an
    admin created stays with its admins, so a manager cannot make it disappear."""
    target = await permissions.check_can_administer_org(repo, actor, organisation_id)
    team = await repo.team(team_id)
    if team is None:
        raise PermissionsError(Permission.MANAGE_TEAM, actor.id, team_id)
    if team.organisation_id == organisation_id:
        return Moved(team.name, target.name, None, ())
    before = await queries.organisation(repo, team.organisation_id)
    assert before is not None
    allowed = await permissions.is_org_admin(repo, actor, before.id) or (
        before.solo and permissions.is_active_manager(await repo.membership(team_id, actor.id)))
    if not allowed:
        raise MoveRefusal(team.name, "not_admin", before.name)
    current = await repo.open_cycle(team_id)
    if current is not None and current.organisation_cycle_id is not None:
        raise MoveRefusal(team.name, "open", before.name)
    removed = await queries.move_team(repo, team, organisation_id, remove_empty=before.solo)
    tell = await org_setup.admins_to_tell(repo, target.id, without=actor.id)
    if removed:
        return Moved(team.name, target.name, None, tell)
    tell += tuple(r for r in await org_setup.admins_to_tell(repo, before.id, without=actor.id)
                  if r not in tell)
    return Moved(team.name, target.name, before.name, tell)


async def admin_candidates(
    repo: Repository, actor: Actor, organisation_id: int
) -> list[tuple[int, str]]:
    """Active members of the organisation's teams who are no admin yet: (user id, name)."""
    await permissions.check_can_administer_org(repo, actor, organisation_id)
    return await queries.admin_candidates(repo, organisation_id)


async def add_admin(
    repo: Repository, actor: Actor, organisation_id: int,
    user_id: int, now: datetime,
) -> str | None:
    """Make a member of one of the organisation's teams an admin; their name, or None when they
    are no such member (a forged button). Adding someone twice changes nothing."""
    candidates = dict(await admin_candidates(repo, actor, organisation_id))
    if user_id not in candidates:
        already = await permissions.is_org_admin(repo, Actor(user_id), organisation_id)
        person = await repo.person(user_id) if already else None
        return person.display_name if person is not None else None
    await queries.add_admin(repo, organisation_id, user_id, actor.id, now)
    return candidates[user_id]


MAX_CHOSEN = 50
"""Teams that can be left out one by one (the buttons' bit mask); later ones always take part."""


@dataclass(frozen=True, slots=True)
class SurveyPlan:
    """What an organisation survey would be, before it opens: for the admin's screens."""

    name: str
    teams: tuple[tuple[int, str, bool], ...]
    """(team id, name, taking part) for every team, oldest first."""
    model_id: str
    timezone: str
    people: int
    """Active members of the teams taking part, each once."""

    @property
    def chosen(self) -> tuple[int, ...]:
        return tuple(team_id for team_id, _, taking_part in self.teams if taking_part)


def taking_part(index: int, leftout: int) -> bool:
    return index >= MAX_CHOSEN or not leftout >> index & 1


async def survey_plan(
    repo: Repository, actor: Actor, organisation_id: int,
    leftout: int,
) -> SurveyPlan:
    organisation = await permissions.check_can_administer_org(
        repo, actor, organisation_id)
    rows = await queries.teams_for_a_survey(repo, organisation_id)
    chosen = [(i, n, taking_part(number, leftout)) for number, (i, n, _, _) in enumerate(rows)]
    first = next((row for row, (_, _, yes) in zip(rows, chosen, strict=True) if yes), None)
    people = await queries.people_in(repo, [i for i, _, yes in chosen if yes])
    return SurveyPlan(organisation.name, tuple(chosen),
                      first[2] if first else DEFAULT_MODEL_ID,
                      first[3] if first else "Europe/Amsterdam", int(people))
