"""Improvement actions that get done: an owner who agreed, a status with its history, a board.

`bot.services.improvement` makes an action (from the meeting or a report's priority); here it
lives on. Who may do what is decided here, for every caller (the chat, the cockpit's Mini App):
a manager of the team creates, assigns, reassigns, changes the due date and drops; the owner
updates her own; the member asked to own it accepts or declines; anyone else gets a
`PermissionsError` and nothing changes, whatever button data they send.

Nobody becomes owner without knowing it: assigning only *proposes* (`proposed_owner_id`) and
plans a private question through the outbox; until she accepts, the manager who made it owns it.
The functions return plain frozen data (`ActionView`), never ORM rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from bot.db.models import ActionEvent, ImprovementAction
from bot.db.queries import actions as queries
from bot.db.repositories import Repository
from bot.services import action_checkins, positions
from bot.services.actor import Actor
from bot.services.outbox import Kind, plan, wake_the_sweep
from bot.services.permissions import (
    Permission,
    PermissionsError,
    check_can_manage,
    is_active_manager,
)


class Status(StrEnum):
    OPEN = "open"
    ON_TRACK = "on_track"
    STUCK = "stuck"
    DONE = "done"
    DROPPED = "dropped"


CLOSED = (Status.DONE, Status.DROPPED)
BOARD_ORDER = (Status.STUCK, Status.OPEN, Status.ON_TRACK, Status.DONE, Status.DROPPED)
NEEDS_NOTE = (Status.STUCK, Status.DROPPED)
"""After these the owner is asked for one line (typed; `/skip` leaves it without)."""


@dataclass(frozen=True, slots=True)
class EventView:
    at: datetime
    who: str | None
    """The person's name; None for a former member or the schedule."""
    kind: str
    note: str | None


@dataclass(frozen=True, slots=True)
class ActionView:
    id: int
    team_id: int
    cycle_id: int | None
    element_id: str
    what: str
    status: Status
    owner: str
    """The owner's name; empty after /deleteme (shown as "a former member")."""
    owner_id: int | None
    proposed_owner: str | None
    due_on: date | None
    overdue: bool
    may_manage: bool
    """The viewer manages the team (reassign, due date, drop)."""
    history: tuple[EventView, ...] = ()
    proposed_owner_id: int | None = None


async def _view(
    repo: Repository, action: ImprovementAction, today: date, may_manage: bool, *,
    history: bool = False,
) -> ActionView:
    events: list[ActionEvent] = []
    if history:
        events = await queries.history(repo, action.id)
    ids = {e.actor_id for e in events if e.actor_id is not None}
    if action.proposed_owner_id is not None:
        ids.add(action.proposed_owner_id)
    names = await queries.names(repo, ids)
    status = Status(action.status)
    return ActionView(
        action.id, action.team_id, action.cycle_id, action.element_id, action.what, status,
        action.owner, action.owner_id,
        names.get(action.proposed_owner_id) if action.proposed_owner_id is not None else None,
        action.due_on,
        action.due_on is not None and action.due_on < today and status not in CLOSED,
        may_manage,
        tuple(EventView(e.at, names.get(e.actor_id) if e.actor_id is not None else None,
                        e.kind, e.note) for e in events),
        action.proposed_owner_id)


async def _is_manager(repo: Repository, actor: Actor, team_id: int) -> bool:
    return is_active_manager(await repo.membership(team_id, actor.id))


async def _load(repo: Repository, actor: Actor, action_id: int) -> tuple[ImprovementAction, bool]:
    """The action and whether the actor manages its team; refused unless she manages it, owns
    it or is asked to own it (a forged id is refused the same way as a foreign one)."""
    action = await queries.action(repo, action_id)
    if action is None:
        raise PermissionsError(Permission.MANAGE_TEAM, actor.id)
    manager = await _is_manager(repo, actor, action.team_id)
    if not manager and actor.id not in (action.owner_id, action.proposed_owner_id):
        raise PermissionsError(Permission.MANAGE_TEAM, actor.id, action.team_id)
    return action, manager


async def record(
    repo: Repository, action_id: int, actor_id: int | None, kind: str, now: datetime,
    note: str | None = None,
) -> int:
    event = ActionEvent(action_id=action_id, at=now, actor_id=actor_id, kind=kind,
                        note=note[:500] if note else None)
    return await queries.add_event(repo, event)


async def list_actions(repo: Repository, actor: Actor, team_id: int,
                       now: datetime) -> list[ActionView]:
    """The board: a manager sees all of the team's actions, a member the ones she owns or is
    asked to own; anyone else (a member owning none included) is refused. Sorted stuck first,
    then open, on track, done, dropped, each by due date."""
    manager = await _is_manager(repo, actor, team_id)
    if not manager:
        membership = await repo.membership(team_id, actor.id)
        if membership is None or not membership.active:
            raise PermissionsError(Permission.MANAGE_TEAM, actor.id, team_id)
    rows = await queries.board(repo, team_id, None if manager else actor.id)
    if not manager and not rows:  # a member owns nothing here: no board to see
        raise PermissionsError(Permission.MANAGE_TEAM, actor.id, team_id)
    views = [await _view(repo, a, now.date(), manager) for a in rows]
    return sorted(views, key=lambda v: (BOARD_ORDER.index(v.status), v.due_on or date.max,
                                        v.id))


async def teams_with_actions(repo: Repository, actor: Actor) -> list[int]:
    """The teams whose board this person may see: those she manages, and those where she owns
    (or is asked to own) an action."""
    return sorted(await queries.teams_managed_or_owned(repo, actor.id))


async def show(repo: Repository, actor: Actor, action_id: int, now: datetime) -> ActionView:
    """One action with its history, for its team's managers, its owner and the one asked."""
    action, manager = await _load(repo, actor, action_id)
    return await _view(repo, action, now.date(), manager, history=True)


async def update_status(
    repo: Repository, actor: Actor, action_id: int, status: Status | str, note: str | None,
    now: datetime, *, ask_note: bool = True,
) -> ActionView:
    """A new status (with an optional note) by a manager of the team or the owner. Stuck and
    dropped then expect one typed line from the actor (`positions.ActionNote`) unless a note
    came with it."""
    action, manager = await _load(repo, actor, action_id)
    if not manager and action.owner_id != actor.id:  # asked, not yet accepted
        raise PermissionsError(Permission.MANAGE_TEAM, actor.id, action.team_id)
    status = Status(status)  # a plain string from another caller: a ValueError if unknown
    action.status = status.value
    action.done_at = now if status is Status.DONE else None
    event_id = await record(repo, action.id, actor.id, status.value, now, note)
    if status in NEEDS_NOTE and not note and ask_note:
        await positions.expect(repo, actor.id, positions.ActionNote(event_id), now)
    return await _view(repo, action, now.date(), manager)


async def add_note(repo: Repository, actor: Actor, event_id: int, text: str) -> None:
    """The typed line after stuck or dropped, on the event it explains (only its author's)."""
    event = await queries.event(repo, event_id)
    await positions.clear(repo, actor.id)
    if event is None or event.actor_id != actor.id:
        raise PermissionsError(Permission.MANAGE_TEAM, actor.id)
    event.note = text.strip()[:500] or None


async def members(repo: Repository, actor: Actor, action_id: int) -> list[tuple[int, str]]:
    """Who may own the action: the team's active members (ids and names), for a manager."""
    action, manager = await _load(repo, actor, action_id)
    if not manager:
        raise PermissionsError(Permission.MANAGE_TEAM, actor.id, action.team_id)
    return await queries.active_member_names(repo, action.team_id)


async def assign(
    repo: Repository, actor: Actor, action_id: int, user_id: int, now: datetime
) -> ActionView:
    """A manager proposes an owner (any active member of the team). A manager choosing herself
    owns it at once; anyone else is asked in a private message (an outbox row) first."""
    action, manager = await _load(repo, actor, action_id)
    if not manager:
        raise PermissionsError(Permission.MANAGE_TEAM, actor.id, action.team_id)
    membership = await repo.membership(action.team_id, user_id)
    person = await repo.person(user_id)
    if membership is None or not membership.active or person is None:
        raise PermissionsError(Permission.MANAGE_TEAM, actor.id, action.team_id)
    if user_id == actor.id:
        action.owner, action.owner_id, action.proposed_owner_id = (
            person.display_name[:200], user_id, None)
        await record(repo, action.id, actor.id, "accepted", now)
    elif action.owner_id != user_id:
        action.proposed_owner_id = user_id
        await record(repo, action.id, actor.id, "assigned", now)
        events = await queries.last_event_id(repo, action.id)
        await plan(repo, f"action_ask:{action.id}:{events}", Kind.ACTION_ASK, now,
                   user_id=user_id, team_id=action.team_id)
        await wake_the_sweep(repo)
    return await _view(repo, action, now.date(), manager)


async def respond(
    repo: Repository, actor: Actor, action_id: int, accept: bool, now: datetime
) -> ActionView:
    """The asked member's one tap: she owns it from now, or the manager keeps it. A second tap
    (or one after she was replaced) changes nothing and is refused."""
    action = await queries.action(repo, action_id)
    if action is None or action.proposed_owner_id != actor.id:
        raise PermissionsError(Permission.MANAGE_TEAM, actor.id)
    action.proposed_owner_id = None
    if accept:
        person = await repo.person(actor.id)
        action.owner = person.display_name[:200] if person is not None else ""
        action.owner_id = actor.id
    await record(repo, action.id, actor.id, "accepted" if accept else "declined", now)
    if accept:
        await action_checkins.plan(repo, now, action_id=action.id)
    return await _view(repo, action, now.date(), await _is_manager(repo, actor, action.team_id))


async def change_due(
    repo: Repository, actor: Actor, action_id: int, due: date, now: datetime
) -> ActionView:
    """Another due date, by a manager of the team."""
    action = await queries.action(repo, action_id)
    if action is None:
        raise PermissionsError(Permission.MANAGE_TEAM, actor.id)
    await check_can_manage(repo, actor.id, action.team_id)
    action.due_on = due
    await record(repo, action.id, actor.id, "due", now, due.isoformat())
    return await _view(repo, action, now.date(), True)


async def forget_owner(repo: Repository, user_id: int, now: datetime) -> None:
    """/deleteme: her actions keep going without her ("a former member"), the managers hear it
    in the next digest (an `owner_left` event), and no name or id of hers stays."""
    owned = await queries.owned_by(repo, user_id)
    for action_id in owned:
        await record(repo, action_id, None, "owner_left", now)
    await queries.forget_person(repo, user_id)
