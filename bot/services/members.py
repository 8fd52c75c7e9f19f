"""Who is in a team, and the manager's changes to it: co-managers, removing someone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.db.models import Membership, Person, Team
from bot.db.queries import teams as queries
from bot.db.repositories import Repository
from bot.services.actor import Actor
from bot.services.permissions import MANAGER, Permission, PermissionsError, check_can_manage
from bot.services.records import TeamInfo

DORMANT_AFTER = timedelta(days=120)


class Progress(StrEnum):
    DONE = "done"
    BUSY = "busy"
    NOT_STARTED = "not_started"


class MemberRefusal(StrEnum):
    LAST_MANAGER = "last_manager"  # a team always keeps at least one manager
    NOT_FOUND = "not_found"
    UNCHANGED = "unchanged"  # already so (a second tap): nobody is told twice


@dataclass(frozen=True, slots=True)
class MemberLine:
    membership_id: int
    team_id: int
    team_name: str
    user_id: int
    name: str
    language: str
    is_manager: bool
    group: str | None
    blocked: bool
    dormant: bool  # not seen for a long time: reminders probably do not reach them
    active: bool
    progress: Progress | None  # None when no survey is open (or the person left)


async def member_lines(
    repo: Repository, actor: Actor, team_id: int, now: datetime
) -> tuple[TeamInfo, list[MemberLine]]:
    """Active members with their progress in the open survey (counts of who, never answers);
    for a manager of the team only (else `PermissionsError`)."""
    team = await check_can_manage(repo, actor.id, team_id)
    cycle = await repo.open_cycle(team_id)
    rows = await queries.active_members(repo, team_id)  # managers first
    progress: dict[int, Progress] = {}
    if cycle is not None:
        for response in await queries.responses_of(repo, cycle.id):
            if response.membership_id is not None:
                progress[response.membership_id] = (
                    Progress.DONE if response.completed_at else Progress.BUSY)
    return TeamInfo.of(team), [_line(membership, person, team, progress.get(
        membership.id, Progress.NOT_STARTED) if cycle else None, now)
        for membership, person, team in rows]


def _line(
    membership: Membership, person: Person, team: Team, progress: Progress | None,
    now: datetime,
) -> MemberLine:
    return MemberLine(
        membership.id, membership.team_id, team.name, person.user_id,
        person.display_name, person.language, membership.role == MANAGER,
        membership.stakeholder_group,
        person.blocked_at is not None, now - person.last_seen_at > DORMANT_AFTER,
        membership.active, progress)


async def member_line(
    repo: Repository, actor: Actor, membership_id: int, now: datetime
) -> MemberLine | None:
    """One membership of a team the actor manages, also after it ended (to confirm a removal)."""
    line = await _load_line(repo, membership_id, now)
    if line is None:
        raise PermissionsError(Permission.MANAGE_TEAM, actor.id)
    await check_can_manage(repo, actor.id, line.team_id)
    return line


async def _load_line(repo: Repository, membership_id: int, now: datetime) -> MemberLine | None:
    row = await queries.membership_with_person(repo, membership_id)
    if row is None:
        return None
    membership, person, team = row
    return _line(membership, person, team, None, now)


async def _managed_membership(
    repo: Repository, actor_id: int, membership_id: int
) -> Membership | None:
    """An active membership in a team the actor manages (refused otherwise); None if it ended."""
    found = await queries.membership(repo, membership_id)
    if found is None:
        raise PermissionsError(Permission.MANAGE_TEAM, actor_id)
    await check_can_manage(repo, actor_id, found.team_id)
    return found if found.active else None


Changed = tuple[MemberLine | None, MemberRefusal | None]
"""The person's line after a manager's change (to show), and why nothing changed, if so."""


async def _managers_left(repo: Repository, team_id: int, without: int) -> int:
    return await queries.other_managers(repo, team_id, without)


async def set_manager(
    repo: Repository, actor_id: int, membership_id: int, manager: bool, now: datetime
) -> Changed:
    """Make someone co-manager, or not any more (a team always keeps one manager)."""
    refusal = await _set_manager(repo, actor_id, membership_id, manager)
    return await _load_line(repo, membership_id, now), refusal


async def _set_manager(
    repo: Repository, actor_id: int, membership_id: int, manager: bool
) -> MemberRefusal | None:
    found = await _managed_membership(repo, actor_id, membership_id)
    if found is None:
        return MemberRefusal.NOT_FOUND
    if (found.role == MANAGER) == manager:
        return MemberRefusal.UNCHANGED
    if not manager and await _managers_left(repo, found.team_id, found.id) == 0:
        return MemberRefusal.LAST_MANAGER
    found.role = MANAGER if manager else "participant"
    return None


async def remove(repo: Repository, actor_id: int, membership_id: int, now: datetime) -> Changed:
    """Take someone out of the team; their earlier answers stay only in team figures."""
    refusal = await _remove(repo, actor_id, membership_id)
    return await _load_line(repo, membership_id, now), refusal


async def _remove(repo: Repository, actor_id: int, membership_id: int) -> MemberRefusal | None:
    found = await _managed_membership(repo, actor_id, membership_id)
    if found is None:
        return MemberRefusal.NOT_FOUND
    if found.role == MANAGER and await _managers_left(repo, found.team_id, found.id) == 0:
        return MemberRefusal.LAST_MANAGER
    found.active = False
    return None
