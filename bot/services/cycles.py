"""Survey cycles: opening one (one at a time per team) and closing it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.db.models import Cycle
from bot.db.queries import added_once
from bot.db.queries import org_cycles as org_cycle_queries
from bot.db.repositories import Repository
from bot.services import counting, families, outbox
from bot.services.actor import Actor
from bot.services.permissions import (
    check_can_close_cycle,
    check_can_manage,
    check_can_manage_cycle,
)
from bot.services.records import CycleInfo, TeamInfo
from domain.holidays import team_calendar
from domain.rhythm import deadline_after

CyclePlanner = Callable[[Repository, Cycle, datetime], Awaitable[None]]
MANUAL_REMINDER_GAP = timedelta(days=2)


class AlreadyOpen(Exception):
    def __init__(self, cycle: Cycle) -> None:
        super().__init__(f"team {cycle.team_id} already has cycle {cycle.id} open")
        self.cycle = cycle


def deadline_in(now: datetime, days: int, timezone: str) -> datetime:
    """A new cycle's deadline: `days` from now, at the end of that working day, local time."""
    return deadline_after(now, days, team_calendar(timezone, now.date()))


async def plan_nothing(repo: Repository, cycle: Cycle, now: datetime) -> None:
    """Used where nothing is scheduled (e.g. a test of the answering path alone)."""


async def open_cycle(
    repo: Repository,
    team_id: int,
    scope_id: str,
    deadline: datetime,
    opened_by: int | None,
    now: datetime,
    plan: CyclePlanner = plan_nothing,
) -> Cycle:
    """Open a cycle and plan its invitations, reminders and closing in the same transaction.

    `opened_by` is the manager who asks (checked), or None when the rhythm opens it."""
    if opened_by is not None:
        await check_can_manage(repo, opened_by, team_id)
    existing = await repo.open_cycle(team_id)
    if existing is not None:
        raise AlreadyOpen(existing)
    team = await repo.team(team_id)
    assert team is not None
    cycle = Cycle(
        team_id=team_id,
        model_id=team.model_id,
        scope_id=scope_id,
        opened_by=opened_by,
        opened_at=now,
        deadline=deadline,
    )
    if not await added_once(repo, cycle):
        # Another worker opened one between our check and our insert.
        raced = await repo.open_cycle(team_id)
        assert raced is not None
        raise AlreadyOpen(raced)
    await plan(repo, cycle, now)
    return cycle


async def close_cycle(repo: Repository, cycle_id: int, now: datetime) -> Cycle | None:
    """Close a cycle once; closing an already closed cycle changes nothing."""
    cycle = await repo.cycle(cycle_id)
    if cycle is None or cycle.closed_at is not None:
        return None
    cycle.closed_at = now
    return cycle


async def close_and_plan_reports(
    repo: Repository, cycle_id: int, now: datetime, reports_at: datetime | None = None
) -> bool:
    """Close once; plan the report for managers and, if shared, the result for everyone.

    The reports are due at `reports_at` (default: now); a deadline that passed while the bot was
    down closes the cycle at once but brings its reports at the next working moment. It lives
    here, on top of the outbox, so cycles use the outbox and never the other way round. A team's
    part of an organisation cycle closes the whole organisation cycle, every team at once.
    """
    found = await repo.cycle(cycle_id)
    if found is not None and found.organisation_cycle_id is not None:
        return await close_organisation_cycle(repo, found.organisation_cycle_id, now, reports_at)
    return await _close_one(repo, cycle_id, now, reports_at)


async def closable(
    repo: Repository, actor: Actor, team_id: int
) -> tuple[TeamInfo, CycleInfo | None]:
    """The team and its open cycle (None: nothing to close), if the actor may close it: a
    manager of the team, and for a team's part of an organisation cycle an admin of it."""
    team = await check_can_manage(repo, actor.id, team_id)
    cycle = await repo.open_cycle(team.id)
    if cycle is not None:
        await check_can_close_cycle(repo, actor, cycle.id)
    return TeamInfo.of(team), CycleInfo.of(cycle) if cycle is not None else None


async def close_now(
    repo: Repository, actor: Actor, cycle_id: int, now: datetime
) -> tuple[TeamInfo, int | None]:
    """A manager's "close now" (an organisation cycle's part: its admin's), reports planned; the
    team, and the organisation cycle that closed with it (all its teams' parts), if any."""
    cycle, team = await check_can_close_cycle(repo, actor, cycle_id)
    await close_and_plan_reports(repo, cycle.id, now)
    return TeamInfo.of(team), cycle.organisation_cycle_id


async def close_organisation_cycle(
    repo: Repository, organisation_cycle_id: int, now: datetime,
    reports_at: datetime | None = None,
) -> bool:
    """Close the organisation cycle and each of its team cycles, in the caller's transaction (the
    row is locked first on PostgreSQL, so the deadlines of fifty teams close it once)."""
    organisation_cycle = await org_cycle_queries.locked(repo, organisation_cycle_id)
    if organisation_cycle is None or organisation_cycle.closed_at is not None:
        return False
    organisation_cycle.closed_at = now
    await counting.freeze(repo, organisation_cycle_id)  # before a member can leave
    for team_cycle in await org_cycle_queries.open_team_cycles(repo, organisation_cycle_id):
        await _close_one(repo, team_cycle, now, reports_at)
    await families.of_organisation_cycle(repo, organisation_cycle_id)  # decided at the close
    return True


async def _close_one(
    repo: Repository, cycle_id: int, now: datetime, reports_at: datetime | None
) -> bool:
    cycle = await close_cycle(repo, cycle_id, now)
    if cycle is None:
        return False
    if cycle.organisation_cycle_id is None:  # decided at the close (an organisation's: above)
        await families.of_cycle(repo, cycle)
    team = await repo.team(cycle.team_id)
    assert team is not None
    due = reports_at or now
    kinds = (outbox.Kind.INVITE, outbox.Kind.REMIND, outbox.Kind.CLOSE)
    await outbox.cancel_for_cycle(repo, cycle.id, kinds)
    for member in await outbox.active_members(repo, team.id, blocked_too=True):
        if member.role == "manager":
            await outbox.plan(repo, f"report:{cycle.id}:{member.user_id}", outbox.Kind.REPORT,
                              due, user_id=member.user_id, team_id=team.id, cycle_id=cycle.id)
        elif team.share_results:
            await outbox.plan(repo, f"result:{cycle.id}:{member.user_id}", outbox.Kind.RESULT,
                              due, user_id=member.user_id, team_id=team.id, cycle_id=cycle.id)
    if due <= now:
        await outbox.wake_the_sweep(repo)
    return True


@dataclass(frozen=True, slots=True)
class Reminded:
    """A manager's "remind now": how many were reminded, or when it may be asked again."""

    count: int
    too_soon_until: datetime | None = None


async def remind_now(repo: Repository, actor_id: int, cycle_id: int, now: datetime) -> Reminded:
    """Plan a reminder for everyone who has not finished, at most once per two days."""
    cycle, team = await check_can_manage_cycle(repo, actor_id, cycle_id)
    if cycle.closed_at is not None:
        return Reminded(0)
    last = cycle.last_manual_reminder_at
    if last is not None and now - last < MANUAL_REMINDER_GAP:
        return Reminded(0, last + MANUAL_REMINDER_GAP)
    cycle.last_manual_reminder_at = now
    unfinished = await outbox.unfinished_members(repo, cycle)
    for member in unfinished:
        await outbox.plan(repo, f"manual:{cycle.id}:{now:%Y%m%d%H%M}:{member.user_id}",
                          outbox.Kind.REMIND, now, user_id=member.user_id,
                          team_id=team.id, cycle_id=cycle.id)
    return Reminded(len(unfinished))
