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

from bot.db.models import Cycle, Membership, Team
from bot.db.repositories import Repository

MANAGER = "manager"


class Permission(StrEnum):
    """What was refused; the conversation layer picks its wording by this."""

    CREATE_TEAMS = "create_teams"  # ADMIN_IDS is set and the actor is not in it
    MANAGE_TEAM = "manage_team"  # the actor is no active manager of the team


class PermissionsError(Exception):
    """The actor may not do this. Plain data: who, what, on which team (when known)."""

    def __init__(self, permission: Permission, actor_id: int, team_id: int | None = None) -> None:
        super().__init__(f"user {actor_id} may not {permission.value}"
                         + (f" in team {team_id}" if team_id is not None else ""))
        self.permission = permission
        self.actor_id = actor_id
        self.team_id = team_id


def check_can_create_teams(admin_ids: frozenset[int], actor_id: int) -> None:
    """With ADMIN_IDS set only they create teams; without it, anyone may start one."""
    if admin_ids and actor_id not in admin_ids:
        raise PermissionsError(Permission.CREATE_TEAMS, actor_id)


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
