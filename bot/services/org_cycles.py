"""Organisation-wide cycles: one survey round in every (chosen) team, opened and closed together.

The answering rule: **a person answers once per organisation cycle.** Whoever is an active member
of several of its teams gets one invitation (in the cycle of the first of their teams, by team
id), answers in one Response (in the cycle of one of their teams), and that response counts in
every team of the organisation cycle where the person is an active member, and always in the team
where it was given (also after the person left it, as any team's responses do). `/resume`,
invitations, reminders and the status all follow it: the survey a person sees is the one where
their response is (`answering_cycle`), the cycle of their first team until they start, and a
second response in a sibling cycle is refused (`bot.services.survey`). Team reports gather by it
(`bot.services.reports`), the organisation report by `counted_responses`.

Where each response counts is frozen when the organisation cycle closes (`bot.services.counting`):
a person who leaves a team, changes role or uses /deleteme afterwards changes no figure a reader
has already seen, so two reports read before and after cannot be subtracted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.db.models import Cycle, OrganisationCycle, Team
from bot.db.queries import added_once
from bot.db.queries import org_cycles as queries
from bot.db.repositories import Repository
from bot.services import cycles, outbox, permissions
from bot.services.actor import Actor
from bot.services.counting import CountedResponse as CountedResponse
from bot.services.counting import counted_responses as counted_responses
from bot.services.outbox import Kind
from bot.services.records import OrganisationCycleInfo
from domain.catalog import load_model
from domain.holidays import team_calendar
from domain.rhythm import reminder_times


async def response_elsewhere(repo: Repository, cycle: Cycle, user_id: int) -> Cycle | None:
    """The sibling cycle (same organisation cycle, another team) where this person already has a
    response, if any."""
    if cycle.organisation_cycle_id is None:
        return None
    return await queries.response_elsewhere(repo, cycle, user_id)


async def answering_cycle(repo: Repository, cycle: Cycle, user_id: int) -> Cycle:
    """Where this person answers the organisation cycle `cycle` belongs to: the cycle of their
    response if they started one, else the cycle of their first team (by id) in it, where their
    invitation went. A reminder planned in any team's part leads there."""
    if cycle.organisation_cycle_id is None:
        return cycle
    started = await queries.answered_in(repo, cycle.organisation_cycle_id, user_id)
    if started is not None:
        return started
    return await queries.first_team_cycle(repo, cycle.organisation_cycle_id, user_id) or cycle


class AlreadyOpen(Exception):
    """The organisation has an organisation cycle open already."""

    def __init__(self, organisation_cycle: OrganisationCycle) -> None:
        super().__init__(f"organisation {organisation_cycle.organisation_id} already has "
                         f"cycle {organisation_cycle.id} open")
        self.organisation_cycle = organisation_cycle


@dataclass(frozen=True, slots=True)
class Opened:
    organisation_cycle_id: int
    deadline: datetime
    teams: tuple[tuple[int, str], ...]
    """(team id, name) of the teams whose cycle opened."""
    skipped: tuple[tuple[int, str], ...]
    """Teams left out because a survey of their own is open."""
    invitations: int
    """People invited: each once, however many of the teams they belong to."""


async def open_organisation_cycle(
    repo: Repository, actor: Actor | None, organisation_id: int,
    scope_id: str, deadline: datetime, now: datetime, team_ids: Sequence[int] | None = None,
) -> Opened:
    """Open a cycle with the same model, scope and deadline in every team (or `team_ids`) of the
    organisation, and plan each person's one invitation and reminders, in this transaction.

    `actor` is the admin who asks (checked), None when the rhythm opens it. A team with a
    survey of its own open is left out (and named in what is returned). The model is that of the
    organisation's first team taking part. Everything is written with a few bulk statements: 50
    teams of 20 people is one insert of 50 cycles and one of the notifications (`bench/`)."""
    opened_by = actor.id if actor is not None else None
    if actor is not None:
        await permissions.check_can_administer_org(repo, actor, organisation_id)
    existing = await open_for(repo, organisation_id)
    if existing is not None:
        raise AlreadyOpen(existing)
    teams = await queries.teams_of(repo, organisation_id, team_ids)
    busy = await queries.with_open_cycle(repo, [t.id for t in teams])
    taking_part = [t for t in teams if t.id not in busy]
    model_id = taking_part[0].model_id if taking_part else teams[0].model_id if teams else ""
    if not taking_part or not load_model(model_id).offers(scope_id):
        return Opened(0, deadline, (), tuple((t.id, t.name) for t in teams if t.id in busy), 0)
    organisation_cycle = OrganisationCycle(
        organisation_id=organisation_id, model_id=model_id, scope_id=scope_id,
        opened_by=opened_by, opened_at=now, deadline=deadline)
    if not await added_once(repo, organisation_cycle):
        raced = await open_for(repo, organisation_id)  # another admin or the rhythm, just now
        assert raced is not None
        raise AlreadyOpen(raced)
    cycle_of = await queries.add_team_cycles(repo, [
        {"team_id": t.id, "model_id": model_id, "scope_id": scope_id, "opened_by": opened_by,
         "opened_at": now, "deadline": deadline,
         "organisation_cycle_id": organisation_cycle.id} for t in taking_part])
    invited = await _plan(repo, taking_part, cycle_of, now, deadline)
    return Opened(organisation_cycle.id, deadline, tuple((t.id, t.name) for t in taking_part),
                  tuple((t.id, t.name) for t in teams if t.id in busy), invited)


async def _plan(
    repo: Repository, teams: Sequence[Team], cycle_of: Mapping[int, int], now: datetime,
    deadline: datetime,
) -> int:
    """Each person's invitation and reminders in the cycle of their first team, and every team
    cycle's closing at the deadline (the first to run closes them all, `outbox`)."""
    by_id = {t.id: t for t in teams}
    members = await queries.members_of(repo, list(by_id))
    first_team: dict[int, int] = {}
    for user_id, team_id in members:
        first_team.setdefault(user_id, team_id)
    reminders: dict[tuple[str, bool], tuple[datetime, ...]] = {}
    rows: list[dict[str, object]] = []
    for user_id, team_id in first_team.items():
        team, cycle_id = by_id[team_id], cycle_of[team_id]
        key = (team.timezone, team.reminders_enabled)
        if key not in reminders:
            reminders[key] = reminder_times(now, deadline, team_calendar(
                team.timezone, now.date())) if team.reminders_enabled else ()
        common = {"user_id": user_id, "team_id": team_id, "cycle_id": cycle_id,
                  "status": "pending", "attempts": 0}
        rows.append({**common, "key": f"invite:{cycle_id}:{user_id}",
                     "kind": Kind.INVITE.value, "due_at": now})
        rows.extend({**common, "key": f"remind:{cycle_id}:{number}:{user_id}",
                     "kind": Kind.REMIND.value, "due_at": moment}
                    for number, moment in enumerate(reminders[key], start=1))
    rows.extend({"user_id": None, "team_id": team_id, "cycle_id": cycle_id, "status": "pending",
                 "attempts": 0, "key": f"close:{cycle_id}", "kind": Kind.CLOSE.value,
                 "due_at": deadline} for team_id, cycle_id in cycle_of.items())
    await outbox.plan_many(repo, rows)
    await outbox.wake_the_sweep(repo)
    return len(first_team)


async def open_for(repo: Repository, organisation_id: int) -> OrganisationCycle | None:
    return await queries.open_for(repo, organisation_id)


@dataclass(frozen=True, slots=True)
class TeamStatus:
    """How far one team is: counts only, never a figure, while the cycle is open."""

    team_id: int
    team: str
    members: int
    started: int
    completed: int


async def status(
    repo: Repository, actor: Actor, organisation_cycle_id: int
) -> tuple[OrganisationCycleInfo, tuple[TeamStatus, ...]]:
    """Per team: its active members, and how many of them started and finished (anywhere in the
    organisation cycle, by the answering rule: one person in two teams counts in both)."""
    organisation_cycle, _ = await permissions.check_can_administer_org_cycle(
        repo, actor, organisation_cycle_id)
    return (OrganisationCycleInfo.of(organisation_cycle),
            await team_statuses(repo, organisation_cycle_id))


async def team_statuses(repo: Repository, organisation_cycle_id: int) -> tuple[TeamStatus, ...]:
    teams = await queries.teams_in(repo, organisation_cycle_id)
    members = await queries.active_members_per_team(repo, [t for t, _ in teams])
    started: dict[int, int] = {}
    completed: dict[int, int] = {}
    for counted in await counted_responses(repo, organisation_cycle_id):
        for team_id in counted.team_ids:
            started[team_id] = started.get(team_id, 0) + 1
            if counted.completed:
                completed[team_id] = completed.get(team_id, 0) + 1
    return tuple(TeamStatus(team_id, name, members.get(team_id, 0), started.get(team_id, 0),
                            completed.get(team_id, 0)) for team_id, name in teams)


async def close(
    repo: Repository, actor: Actor, organisation_cycle_id: int,
    now: datetime,
) -> bool:
    """An admin closes the organisation cycle: every team's part closes in this transaction and
    the reports go out (as at the deadline). Closing it twice changes nothing."""
    organisation_cycle, _ = await permissions.check_can_administer_org_cycle(
        repo, actor, organisation_cycle_id)
    return await cycles.close_organisation_cycle(repo, organisation_cycle.id, now)
