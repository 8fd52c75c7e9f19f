"""What the bot stores about a person, their language, and forgetting them on request.

Forgetting means it: afterwards no row holds the person's Telegram id or name. Their memberships
and person row go; answers in open cycles go; answers in closed cycles stay for the team figures
that were already reported, cut loose from the person (see
`bot.db.queries.account.unlink_closed_responses`); sent
notifications, actions, cycles, invites and meetings keep their facts without the id or the name;
a person's votes in meetings go.
A team must never be left without a manager while others are in it, so a sole manager is asked to
hand the team over first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.db.models import (
    Person,
)
from bot.db.queries import account as queries
from bot.db.repositories import Repository
from bot.services import actions
from bot.services.permissions import MANAGER


@dataclass(frozen=True, slots=True)
class TeamInfo:
    team: str
    role: str
    group: str | None
    answers: int


@dataclass(frozen=True, slots=True)
class StoredData:
    person: Person
    teams: tuple[TeamInfo, ...]
    administers: tuple[str, ...] = ()
    """The organisations the person is an admin of (a row with their id each)."""


async def describe(repo: Repository, user_id: int) -> StoredData | None:
    person = await repo.person(user_id)
    if person is None:
        return None
    teams: list[TeamInfo] = []
    for membership in await repo.memberships_of(user_id):
        team = await repo.team(membership.team_id)
        cycle = await repo.open_cycle(membership.team_id)
        response = await repo.response(cycle.id, membership.id) if cycle else None
        answers = await repo.count_answers(response.id) if response else 0
        teams.append(TeamInfo(team.name if team else "?", membership.role,
                              membership.stakeholder_group, answers))
    administers = await queries.administered(repo, user_id)
    return StoredData(person, tuple(teams), tuple(administers))


@dataclass(frozen=True, slots=True)
class HandOverFirst:
    """Refused: the person is the only manager of these teams, which still have other members."""

    teams: tuple[str, ...]


async def teams_to_hand_over(repo: Repository, user_id: int) -> tuple[str, ...]:
    """Names of the teams where this person is the only active manager and others remain."""
    rows = await queries.others_in_managed_teams(repo, user_id)
    with_manager = {name for name, role in rows if role == MANAGER}
    return tuple(dict.fromkeys(name for name, _ in rows if name not in with_manager))


async def forget(repo: Repository, user_id: int, now: datetime) -> HandOverFirst | None:
    """Forget the person entirely (see the module docstring), or say which teams to hand over."""
    blocking = await teams_to_hand_over(repo, user_id)
    if blocking:
        return HandOverFirst(blocking)
    await queries.delete_open_responses(repo, user_id)
    await _retire_teams_left_alone(repo, user_id, now)  # after: her open answers are gone
    await queries.unlink_closed_responses(repo, user_id)
    await actions.forget_owner(repo, user_id, now)
    await queries.erase_the_rest(repo, user_id)
    return None


async def _retire_teams_left_alone(repo: Repository, user_id: int, now: datetime) -> None:
    """A team whose last member leaves stops: its open survey closes, no new rounds open."""
    for team_id in await queries.teams_left_alone(repo, user_id):
        team = await repo.team(team_id)
        if team is not None:
            team.reassessment, team.next_reassessment_at = "off", None
        cycle = await repo.open_cycle(team_id)
        if cycle is not None:  # nobody is left to report to: it just closes
            cycle.closed_at = now


async def manages_a_team(repo: Repository, user_id: int) -> bool:
    """Whether /help should list the manager commands: only for someone who manages a team."""
    return any(m.role == MANAGER and m.active for m in await repo.memberships_of(user_id))
