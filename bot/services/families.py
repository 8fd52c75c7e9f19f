"""The stored family of a closed cycle: decided at the close, read by every report afterwards.

`domain.family` decides which figures may ever exist; this module gathers what it needs (who
answered which element, where they count, their group and role: never a level) and keeps the
result with the cycle. Every view of a closed cycle (team report, organisation report, shared
team result, exports, history) reads this one family and only narrows it by the reader's rights,
so a role change, a second door or a later /deleteme can never widen what exists.

A cycle that closed before families existed gets its family decided on first read, from what the
close froze (`bot.services.counting`); an open cycle has none (no figures while it is open).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from bot.db.models import Cycle, DisclosureFamily, OrganisationCycle
from bot.db.queries import families as queries
from bot.db.repositories import Repository
from bot.services import counting
from domain import disclosure
from domain.catalog import load_model
from domain.family import Answered, Family, decide, nothing


async def _team_threshold(repo: Repository, team_ids: Sequence[int]) -> int:
    """The strictest threshold of the teams: one rule for the whole organisation."""
    stored = await queries.thresholds(repo, team_ids)
    return max((disclosure.effective_threshold(t) for t in stored),
               default=disclosure.MINIMUM_THRESHOLD)


async def _decide_team(repo: Repository, cycle: Cycle) -> Family:
    responses = await queries.responses_of(repo, cycle.id)
    elements = await queries.answered_elements(repo, [r.id for r in responses])
    team = cycle.team_id
    people = [Answered(frozenset({team}), {team: r.stakeholder_group},
                       frozenset({team}) if r.is_manager else frozenset(),
                       frozenset(elements[r.id]), r.completed_at is not None)
              for r in responses if elements[r.id]]
    return decide(people, [team], load_model(cycle.model_id).scope(cycle.scope_id).element_ids,
                  await _team_threshold(repo, [team]), organisation=False)


async def _decide_organisation(repo: Repository, organisation_cycle: OrganisationCycle
                               ) -> Family:
    counted = await counting.counted_responses(repo, organisation_cycle.id)
    elements = await queries.answered_elements(repo, [c.response_id for c in counted])
    team_ids = await queries.teams_of(repo, organisation_cycle.id)
    people = [Answered(c.team_ids, dict(c.group_in), c.manager_in,
                       frozenset(elements[c.response_id]), c.completed)
              for c in counted if elements[c.response_id]]
    model = load_model(organisation_cycle.model_id)
    return decide(people, team_ids, model.scope(organisation_cycle.scope_id).element_ids,
                  await _team_threshold(repo, team_ids), organisation=True)


async def _stored(repo: Repository, *, cycle_id: int | None = None,
                  organisation_cycle_id: int | None = None) -> Family | None:
    text = await queries.stored(repo, cycle_id=cycle_id,
                                organisation_cycle_id=organisation_cycle_id)
    return Family.from_json(text) if text is not None else None


async def of_organisation_cycle(repo: Repository, organisation_cycle_id: int) -> Family:
    """The organisation cycle's family: stored at its close, nothing while it is open."""
    organisation_cycle = await queries.organisation_cycle(repo, organisation_cycle_id)
    if organisation_cycle is None or organisation_cycle.closed_at is None:
        return nothing(disclosure.MINIMUM_THRESHOLD)
    found = await _stored(repo, organisation_cycle_id=organisation_cycle_id)
    if found is None:
        found = await _decide_organisation(repo, organisation_cycle)
        await queries.keep(repo, DisclosureFamily(
            organisation_cycle_id=organisation_cycle_id, family=found.to_json(),
            decided_at=organisation_cycle.closed_at))
    return found


async def of_cycle(repo: Repository, cycle: Cycle) -> Family:
    """The family a team cycle's figures obey: its organisation cycle's when it is part of one
    (the team is then one of its cuts), else its own, in which the team is the whole."""
    if cycle.organisation_cycle_id is not None:
        return await of_organisation_cycle(repo, cycle.organisation_cycle_id)
    if cycle.closed_at is None:
        return nothing(disclosure.MINIMUM_THRESHOLD)
    found = await _stored(repo, cycle_id=cycle.id)
    if found is None:
        found = await _decide_team(repo, cycle)
        await queries.keep(repo, DisclosureFamily(cycle_id=cycle.id, family=found.to_json(),
                                           decided_at=cycle.closed_at))
    return found


@dataclass(frozen=True, slots=True)
class Withheld:
    """Why a team, group or the managers show no figures, in plain data for the words: `kind`
    is "whole", "team", "group" or "managers"; `other_*` names the cut it collides with."""

    kind: str
    name: str
    reason: str
    other_kind: str | None = None
    other_name: str | None = None


def _kind_and_team(key: str) -> tuple[str, int | None, str]:
    parts = key.split(":", 2)
    if parts[0] == "whole":
        return "whole", None, ""
    team_id = int(parts[1])
    return parts[0], team_id, parts[2] if parts[0] == "group" else ""


async def withheld(repo: Repository, family: Family, team_ids: Collection[int],
                   *, parts: bool = False) -> tuple[Withheld, ...]:
    """The reasons for what the family hides of these teams (with `parts`, also their groups and
    managers), with team names, in the family's order."""
    wanted = []
    for hidden in family.hidden:
        kind, team_id, _ = _kind_and_team(hidden.key)
        if team_id in team_ids and (kind == "team" or parts):
            wanted.append(hidden)
    ids = {t for h in wanted for key in (h.key, h.other or "whole")
           if (t := _kind_and_team(key)[1]) is not None}
    names = await queries.team_names(repo, ids)

    def named(key: str) -> tuple[str, str]:
        kind, team_id, group = _kind_and_team(key)
        return kind, group if kind == "group" else names.get(team_id, "") if team_id else ""

    found = []
    for hidden in wanted:
        kind, name = named(hidden.key)
        other = named(hidden.other) if hidden.other else (None, None)
        found.append(Withheld(kind, name, hidden.reason.value, *other))
    return tuple(found)
