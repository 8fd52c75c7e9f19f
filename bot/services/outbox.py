"""Notifications as rows with a due time: the database, not the scheduler, remembers what to send.

Every notification has a unique key (`remind:<cycle>:<n>:<user>`), so planning it twice or two
processes sweeping at once cannot send it twice. The one window no design closes is a crash after
Telegram accepted a message and before the row was marked: the claim then expires and it is sent
again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.db.models import (
    Cycle,
    Membership,
    Notification,
    Team,
)
from bot.db.queries import outbox as queries
from bot.db.repositories import Repository
from domain.holidays import team_calendar
from domain.rhythm import reminder_times

CLAIM_FOR = timedelta(minutes=5)
MAX_ATTEMPTS = 8


class Kind(StrEnum):
    INVITE = "invite"          # a cycle opened: please answer
    REMIND = "remind"          # not finished yet
    CLOSE = "close"            # the deadline passed: close and report
    HEADS_UP = "heads_up"      # managers: a new cycle opens on the next working day
    REPORT = "report"          # managers: the report of a closed cycle
    RESULT = "result"          # participants: the team's result, if the team shares it
    ACTION_ASK = "action_ask"  # a member: will you own this action? (`bot.services.actions`)
    CHECKIN = "checkin"        # an action's owner: how is it going? (`action_checkins`)
    DIGEST = "digest"          # a team's managers: what became stuck, overdue or done
    WE_DID = "we_did"          # members, after the meeting: "you said, we did"


class Outcome(StrEnum):
    SENT = "sent"
    SKIPPED = "skipped"        # no longer makes sense (finished, cycle closed, person left)
    BLOCKED = "blocked"        # 403: the person blocked the bot or deleted their account
    RETRY = "retry"            # 429, 5xx, timeout: try again later
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Settled:
    outcome: Outcome
    retry_after: float | None = None
    reason: str | None = None
    """Why it failed or was refused, kept with the row (and logged)."""
    due_at: datetime | None = None
    """For a notification that must wait (outside working hours): when it is due again."""


async def plan(
    repo: Repository, key: str, kind: Kind, due_at: datetime, *, user_id: int | None = None,
    team_id: int | None = None, cycle_id: int | None = None,
) -> None:
    """Add a notification unless one with this key exists already (planning is idempotent)."""
    await queries.add_unless_keyed(repo, [dict(
        key=key, kind=kind.value, user_id=user_id, team_id=team_id, cycle_id=cycle_id,
        due_at=due_at, status="pending", attempts=0)])


def heads_up_prefix(team_id: int, opens_at: datetime) -> str:
    """The key of a heads-up names the opening it announces: a moved opening is a new notice."""
    return f"heads_up:{team_id}:{opens_at:%Y%m%d}:"


async def plan_many(repo: Repository, rows: Sequence[Mapping[str, object]]) -> None:
    """`plan` for many notifications in one statement (an organisation cycle's thousand
    invitations); each row has every column `plan` writes. Idempotent the same way."""
    if rows:
        await queries.add_unless_keyed(repo, list(rows))


async def plan_cycle(repo: Repository, cycle: Cycle, now: datetime) -> None:
    """Invitations now, reminders by the team's calendar, and the closing at the deadline."""
    team = await repo.team(cycle.team_id)
    assert team is not None
    members = await active_members(repo, team.id, blocked_too=True)
    calendar = team_calendar(team.timezone, now.date())
    reminders = reminder_times(cycle.opened_at, cycle.deadline, calendar) if (
        team.reminders_enabled) else ()
    for member in members:
        await plan(repo, f"invite:{cycle.id}:{member.user_id}", Kind.INVITE, now,
                   user_id=member.user_id, team_id=team.id, cycle_id=cycle.id)
        for number, moment in enumerate(reminders, start=1):
            await plan(repo, f"remind:{cycle.id}:{number}:{member.user_id}", Kind.REMIND, moment,
                       user_id=member.user_id, team_id=team.id, cycle_id=cycle.id)
    await plan(repo, f"close:{cycle.id}", Kind.CLOSE, cycle.deadline, team_id=team.id,
               cycle_id=cycle.id)
    await wake_the_sweep(repo)


async def active_members(
    repo: Repository, team_id: int, *, blocked_too: bool = False
) -> Sequence[Membership]:
    """The team's active members who can be reached (or, `blocked_too`, also those marked as
    having blocked the bot: what is planned for them is checked again when it is due, by which
    time they may have come back)."""
    return await queries.active_members(repo, team_id, blocked_too=blocked_too)


async def unfinished_members(repo: Repository, cycle: Cycle) -> Sequence[Membership]:
    """Members of the cycle's team who have not confirmed their answers yet (for a team's part of
    an organisation cycle: nowhere in it, `bot.services.org_cycles`' answering rule)."""
    finished = await finished_users(repo, cycle)
    return [m for m in await active_members(repo, cycle.team_id) if m.user_id not in finished]


async def finished_users(repo: Repository, cycle: Cycle) -> set[int]:
    """Who confirmed their answers in this cycle or, for an organisation cycle, in any of it."""
    return await queries.finished_users(repo, cycle)


async def claim_due(repo: Repository, now: datetime, limit: int) -> list[int]:
    """Claim up to `limit` due notifications for this process; others skip what is claimed."""
    return await queries.claim_due(repo, now, limit, now + CLAIM_FOR)


async def notification(repo: Repository, notification_id: int) -> Notification | None:
    return await queries.notification(repo, notification_id)


async def settle(repo: Repository, notification_id: int, settled: Settled, now: datetime) -> None:
    """Record what happened; a retry is due again after Telegram's `retry_after` or a backoff."""
    row = await queries.notification(repo, notification_id)
    if row is None:
        return
    row.claimed_until = None
    if settled.due_at is not None:  # not tried: it waits for a decent hour
        row.due_at = settled.due_at
        return
    row.attempts += 1
    if settled.reason is not None:
        row.detail = settled.reason[:500]
    if settled.outcome is Outcome.RETRY and row.attempts < MAX_ATTEMPTS:
        delay = settled.retry_after if settled.retry_after is not None else 2.0 ** row.attempts
        row.due_at = now + timedelta(seconds=delay)
        return
    row.status = settled.outcome.value if settled.outcome is not Outcome.RETRY else "failed"
    row.sent_at = now if settled.outcome is Outcome.SENT else None
    if settled.outcome is Outcome.BLOCKED and row.user_id is not None:
        await set_reachable(repo, row.user_id, False, now)


async def set_reachable(repo: Repository, user_id: int, reachable: bool, now: datetime) -> None:
    """The person unblocked the bot (reachable) or blocked it (Telegram refused with 403): they
    get no notifications until they write again or unblock it."""
    if reachable:
        await repo.unblock(user_id)
    else:
        await queries.mark_blocked(repo, user_id, now)


async def wake_the_sweep(repo: Repository) -> None:
    """Something is due now: on PostgreSQL, tell the scheduler's leader (whichever worker it is)
    when this transaction commits (`bot.db.leader` listens); one process needs no telling."""
    await queries.notify_leader(repo)


async def cancel_for_cycle(repo: Repository, cycle_id: int, kinds: Sequence[Kind]) -> None:
    await queries.skip_pending(repo, cycle_id, [k.value for k in kinds], Outcome.SKIPPED.value)


async def team_of(repo: Repository, team_id: int | None) -> Team | None:
    return await repo.team(team_id) if team_id is not None else None
