"""What the bot stores about a person, their language, and forgetting them on request."""

from __future__ import annotations

from dataclasses import dataclass

from bot.db.models import Person
from bot.db.repositories import Repository


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
    return StoredData(person, tuple(teams))


async def forget(repo: Repository, user_id: int) -> None:
    await repo.forget_person(user_id)


async def manages_a_team(repo: Repository, user_id: int) -> bool:
    """Whether /help should list the manager commands: only for someone who manages a team."""
    return any(m.role == "manager" and m.active for m in await repo.memberships_of(user_id))
