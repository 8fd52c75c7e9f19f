"""The meeting starts with the past: the team's open actions, one at a time, before the topics.

Each open action made before this meeting is shown until the chair decides on it in the group:
done, extend (30 days more), drop or keep. A decision is an ordinary change of the action (its
history records who and when), so what the meeting decided is what `/actions` shows; an action
counts as reviewed once anything happened to it since the meeting started. Only whoever may steer
the meeting (a manager of the linked team, `groups.check_can_steer`) decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.db.models import MeetingRow
from bot.db.queries import actions as queries
from bot.db.queries import meetings
from bot.db.repositories import Repository
from bot.services import actions, agreements, groups, outbox
from bot.services.actions import Status
from bot.services.actor import Actor
from bot.services.meeting import MeetingRefusal, MeetingRefused

CHOICES = ("done", "extend", "drop", "keep")
EXTEND = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class ReviewItem:
    meeting_id: int
    action_id: int
    what: str
    element_id: str
    owner: str
    due_on: date | None
    status: str
    last_note: str | None
    left: int
    """How many open actions wait for a decision, this one included."""


async def _meeting(repo: Repository, actor_id: int, chat_id: int, meeting_id: int
                   ) -> tuple[MeetingRow, int]:
    group = await groups.check_can_steer(repo, actor_id, chat_id)
    row = await meetings.meeting(repo, meeting_id)
    if row is None or row.chat_id != chat_id or row.finished_at is not None:
        raise MeetingRefused(MeetingRefusal.STALE)
    return row, group.team_id


async def next_item(repo: Repository, actor_id: int, chat_id: int, meeting_id: int
                    ) -> ReviewItem | None:
    """The next open action to decide on in this meeting; None when all are decided."""
    row, team_id = await _meeting(repo, actor_id, chat_id, meeting_id)
    waiting = await queries.waiting_for_review(repo, team_id, row.started_at)
    if not waiting:
        return None
    first = waiting[0]
    note = await queries.last_note(repo, first.id)
    return ReviewItem(meeting_id, first.id, first.what, first.element_id, first.owner,
                      first.due_on, first.status, note, len(waiting))


async def decisions(repo: Repository, actor_id: int, chat_id: int, meeting_id: int
                    ) -> list[tuple[str, str]]:
    """(what, decision) for each earlier action decided in this meeting, in order: what the
    review's last screen lists."""
    row, team_id = await _meeting(repo, actor_id, chat_id, meeting_id)
    return await queries.decided_since(repo, team_id, row.started_at)


async def decide(
    repo: Repository, actor_id: int, chat_id: int, meeting_id: int, action_id: int, choice: str,
    now: datetime,
) -> None:
    """The chair's decision on one action (a button of another team's action is refused)."""
    _, team_id = await _meeting(repo, actor_id, chat_id, meeting_id)
    action = await queries.action(repo, action_id)
    if action is None or action.team_id != team_id or choice not in CHOICES:
        raise MeetingRefused(MeetingRefusal.STALE)
    actor = Actor(actor_id)
    if choice in ("done", "drop"):
        status = Status.DONE if choice == "done" else Status.DROPPED
        await actions.update_status(repo, actor, action_id, status, None, now, ask_note=False)
    elif choice == "extend":
        start = max(action.due_on, now.date()) if action.due_on else now.date()
        await actions.change_due(repo, actor, action_id, start + EXTEND, now)
    else:
        await actions.record(repo, action_id, actor_id, "kept", now)


async def plan_we_did(repo: Repository, meeting_id: int, now: datetime) -> None:
    """"You said, we did": when the meeting has finished and the team shares its results, every
    active member gets the agreed levels and the actions, once (an outbox row each, in the same
    unit of work as the finish)."""
    row = await meetings.meeting(repo, meeting_id)
    cycle = await repo.cycle(row.cycle_id) if row is not None else None
    team = await repo.team(cycle.team_id) if cycle is not None else None
    if row is None or cycle is None or team is None or not team.share_results:
        return
    members = await outbox.active_members(repo, team.id, blocked_too=True)
    await outbox.plan_many(repo, [
        {"key": f"we_did:{meeting_id}:{m.user_id}", "kind": outbox.Kind.WE_DID.value,
         "user_id": m.user_id, "team_id": team.id, "cycle_id": cycle.id, "due_at": now,
         "status": "pending", "attempts": 0} for m in members])
    await outbox.wake_the_sweep(repo)


@dataclass(frozen=True, slots=True)
class WeDid:
    team: str
    model_id: str
    agreed: tuple[tuple[str, int], ...]
    """(element id, level) as the management team agreed them."""
    actions: tuple[tuple[str, str, str, date | None], ...]
    """(element id, what, owner's name, due date) of the cycle's actions still worth doing."""


async def we_did(repo: Repository, cycle_id: int, user_id: int) -> WeDid | None:
    """What a member is told; None when the team stopped sharing or she left it."""
    cycle = await repo.cycle(cycle_id)
    team = await repo.team(cycle.team_id) if cycle is not None else None
    membership = await repo.membership(team.id, user_id) if team is not None else None
    if cycle is None or team is None or not team.share_results or membership is None or (
            not membership.active):
        return None
    agreed = await agreements.agreed_levels(repo, cycle.id)
    rows = await queries.worth_doing(repo, cycle.id)
    return WeDid(team.name, cycle.model_id,
                 tuple(sorted((e, a.level) for e, a in agreed.items())),
                 tuple((a.element_id, a.what, a.owner, a.due_on) for a in rows))
