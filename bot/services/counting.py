"""Where each response of an organisation cycle counts, and why that is frozen at the close.

A response counts in every team of the organisation cycle where its person is an active member
(the answering rule, `bot.services.org_cycles`). Read from today's memberships, that set would
move after the close: someone leaving a team, becoming its manager or using /deleteme would change
that team's cells by exactly their answers, and a reader comparing the report before and after
would learn them. So the close writes the sets down (`CountedIn`, `freeze`), and from then on
every report of the cycle reads them, never the memberships.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.db.queries import counting as queries
from bot.db.repositories import Repository
from bot.services import permissions


@dataclass(frozen=True, slots=True)
class CountedResponse:
    """One response of an organisation cycle, and where it counts (plain data, no answers)."""

    response_id: int
    cycle_id: int
    """The team cycle it was given in."""
    team_ids: frozenset[int]
    """Every team of the organisation cycle it counts in (the answering rule above)."""
    manager_in: frozenset[int]
    """Of those, the teams where it counts as a manager's: the response's own mark in the team
    where it was given, the person's role in the others."""
    group_in: Mapping[int, str | None]
    """Per team of `team_ids`: its stakeholder group there (the response's own in the team where
    it was given, the person's membership group in the others)."""
    stakeholder_group: str | None
    """The group as the response was given (in the team of `cycle_id`)."""
    user_id: int | None
    """Who gave it, to leave a reader's own answers out of what they may see (None after
    /deleteme)."""
    completed: bool

    @property
    def is_manager(self) -> bool:
        return bool(self.manager_in)


async def counted_responses(
    repo: Repository, organisation_cycle_id: int
) -> list[CountedResponse]:
    """Every response of the organisation cycle, with the teams it counts in, by response id:
    as frozen at the close once the cycle has closed, from today's memberships while it is open."""
    frozen = await _frozen(repo, organisation_cycle_id)
    return frozen if frozen is not None else await _live(repo, organisation_cycle_id)


async def _live(repo: Repository, organisation_cycle_id: int) -> list[CountedResponse]:
    team_of_cycle = await queries.team_of_cycle(repo, organisation_cycle_id)
    if not team_of_cycle:
        return []
    rows = await queries.responses_in(repo, list(team_of_cycle))
    users = {user_id for _, _, user_id, _, _, _ in rows if user_id is not None}
    teams_of: dict[int, dict[int, tuple[bool, str | None]]] = {}
    if users:
        for member, team_id, role, group in await queries.memberships_of(
                repo, team_of_cycle.values(), users):
            teams_of.setdefault(member, {})[team_id] = (role == permissions.MANAGER, group)
    counted = []
    for response_id, cycle_id, user_id, is_manager, group, completed_at in rows:
        own = team_of_cycle[cycle_id]
        sides = {**teams_of.get(user_id, {}), own: (is_manager, group)} if (
            user_id is not None) else {own: (is_manager, group)}
        counted.append(CountedResponse(
            response_id=response_id, cycle_id=cycle_id, team_ids=frozenset(sides),
            manager_in=frozenset(t for t, (manager, _) in sides.items() if manager),
            group_in={t: g for t, (_, g) in sides.items()}, stakeholder_group=group,
            user_id=user_id, completed=completed_at is not None))
    return counted


async def freeze(repo: Repository, organisation_cycle_id: int) -> None:
    """Write down where every response counts, in the closing transaction (idempotent: a cycle
    frozen once keeps its first sets)."""
    if await _frozen(repo, organisation_cycle_id) is not None:
        return
    rows = [{"response_id": c.response_id, "team_id": team_id,
             "is_manager": team_id in c.manager_in, "stakeholder_group": c.group_in[team_id]}
            for c in await _live(repo, organisation_cycle_id) for team_id in c.team_ids]
    if rows:
        await queries.write_counted(repo, rows)


async def _frozen(repo: Repository, organisation_cycle_id: int) -> list[CountedResponse] | None:
    closed = await queries.closed_at(repo, organisation_cycle_id)
    if closed is None:
        return None
    rows = await queries.frozen_rows(repo, organisation_cycle_id)
    if not rows:
        return None
    sides: dict[int, dict[int, tuple[bool, str | None]]] = {}
    given: dict[int, tuple[int, int | None, str | None, bool]] = {}
    for response_id, cycle_id, user_id, group, completed_at, team_id, manager, group_there in rows:
        sides.setdefault(response_id, {})[team_id] = (manager, group_there)
        given[response_id] = (cycle_id, user_id, group, completed_at is not None)
    return [CountedResponse(
        response_id=response_id, cycle_id=cycle_id, team_ids=frozenset(sides[response_id]),
        manager_in=frozenset(t for t, (manager, _) in sides[response_id].items() if manager),
        group_in={t: g for t, (_, g) in sides[response_id].items()}, stakeholder_group=group,
        user_id=user_id, completed=completed)
        for response_id, (cycle_id, user_id, group, completed) in given.items()]
