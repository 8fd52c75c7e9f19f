"""Who may do what: the one place that decides, for every caller.

Every manager verb (a command, a button, a typed step; and any future screen or the CLI) reaches
the database through a service, and the service asks here first, with the acting person's id. A
refusal is a `PermissionsError`: plain data, no Telegram types, so the conversation layer
translates it into one polite message and a non-Telegram caller can report it its own way.

The checks return what they looked up (the team, the cycle), so the service does not read it a
second time. A forged id for something that does not exist is refused the same way as one the
actor may not touch: a refusal never tells whether a team or cycle exists.

The schedule acts without a person (`actor_id=None` where a service allows it, e.g. a cycle opened
by the reassessment rhythm); a person is always checked.
"""

from __future__ import annotations

from enum import StrEnum

from bot.db.models import (
    Cycle,
    Membership,
    Organisation,
    OrganisationCycle,
    Team,
)
from bot.db.queries import organisations as org_queries
from bot.db.repositories import Repository
from bot.services.actor import Actor

MANAGER = "manager"


class Permission(StrEnum):
    """What was refused; the conversation layer picks its wording by this."""

    CREATE_TEAMS = "create_teams"  # ADMIN_IDS is set and the actor is not in it
    MANAGE_TEAM = "manage_team"  # the actor is no active manager of the team
    ADMINISTER_ORG = "administer_org"  # the actor is no admin of the organisation


class PermissionsError(Exception):
    """The actor may not do this. Plain data: who, what, on which team (when known)."""

    def __init__(self, permission: Permission, actor_id: int, team_id: int | None = None) -> None:
        super().__init__(f"user {actor_id} may not {permission.value}"
                         + (f" in team {team_id}" if team_id is not None else ""))
        self.permission = permission
        self.actor_id = actor_id
        self.team_id = team_id


def check_can_create_teams(actor: Actor) -> None:
    """With ADMIN_IDS set only they create teams; without it, anyone may start one."""
    if not actor.may_create_teams:
        raise PermissionsError(Permission.CREATE_TEAMS, actor.id)


def is_active_manager(membership: Membership | None) -> bool:
    return membership is not None and membership.active and membership.role == MANAGER


async def check_can_manage(repo: Repository, actor_id: int, team_id: int) -> Team:
    """The team, if the actor is one of its active managers."""
    team = await repo.team(team_id)
    if team is None or not is_active_manager(await repo.membership(team_id, actor_id)):
        raise PermissionsError(Permission.MANAGE_TEAM, actor_id, team_id)
    return team


async def check_can_manage_cycle(
    repo: Repository, actor_id: int, cycle_id: int
) -> tuple[Cycle, Team]:
    """A cycle and its team, if the actor manages that team."""
    cycle = await repo.cycle(cycle_id)
    if cycle is None:
        raise PermissionsError(Permission.MANAGE_TEAM, actor_id)
    return cycle, await check_can_manage(repo, actor_id, cycle.team_id)


async def is_org_admin(repo: Repository, actor: Actor, organisation_id: int) -> bool:
    """ADMIN_IDS administer every organisation; anyone else by a row in organisation_admins."""
    if actor.is_bot_admin:
        return True
    return await org_queries.has_admin_row(repo, organisation_id, actor.id)


async def check_can_administer_org(
    repo: Repository, actor: Actor, organisation_id: int
) -> Organisation:
    """The organisation, if the actor administers it (its teams, admins and cycles)."""
    organisation = await org_queries.organisation(repo, organisation_id)
    if organisation is None or not await is_org_admin(repo, actor, organisation_id):
        raise PermissionsError(Permission.ADMINISTER_ORG, actor.id)
    return organisation


async def check_can_administer_org_cycle(
    repo: Repository, actor: Actor, organisation_cycle_id: int
) -> tuple[OrganisationCycle, Organisation]:
    """An organisation cycle and its organisation, if the actor administers that organisation."""
    found = await org_queries.organisation_cycle(repo, organisation_cycle_id)
    if found is None:
        raise PermissionsError(Permission.ADMINISTER_ORG, actor.id)
    return found, await check_can_administer_org(repo, actor, found.organisation_id)


async def check_can_close_cycle(
    repo: Repository, actor: Actor, cycle_id: int
) -> tuple[Cycle, Team]:
    """A team's own cycle is closed by its managers; a team's part of an organisation cycle only
    by an admin of the organisation, since closing it closes every team's part at once."""
    cycle, team = await check_can_manage_cycle(repo, actor.id, cycle_id)
    if cycle.organisation_cycle_id is not None:
        await check_can_administer_org_cycle(repo, actor, cycle.organisation_cycle_id)
    return cycle, team
