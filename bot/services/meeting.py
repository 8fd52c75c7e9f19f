"""The management-team meeting in the team's group: starting, voting, steering, agreeing.

The team comes from the group (`services.groups.linked_team`), never from a button, so another
team's group cannot reach this team's meeting. Only the linked team's active managers start or
steer (`check_can_steer`, checked here for every verb); any active member of the team votes;
anyone else is refused with a `MeetingRefused` and nothing changes. Every step is a pure
transition of `domain.meeting` applied to the stored row, so the meeting is wholly in the database:
`/meeting` again, days later or after a restart, resumes where it stopped.

Votes are upserts keyed by meeting, element and person, so taps from many people at once never
conflict, and voting again changes the vote; the message is rendered from what is stored
(`services.meeting_view`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from bot.db.models import Cycle, MeetingRow
from bot.db.queries import meetings as queries
from bot.db.repositories import Repository
from bot.services import agreements, groups, improvement, positions
from bot.services.groups import LinkedGroup
from bot.services.meeting_view import agenda_for, agreed_ids, as_state
from bot.services.permissions import is_active_manager
from domain import meeting as steps
from domain.catalog import load_model
from domain.meeting import MeetingError, Phase

DUE_DAYS = (14, 30, 90)


class MeetingRefusal(StrEnum):
    NO_CLOSED_CYCLE = "no_closed_cycle"  # the team has no closed cycle to discuss yet
    NOT_A_VOTER = "not_a_voter"          # not an active member of the linked team
    STALE = "stale"                      # a button of an earlier topic or meeting
    NOT_NOW = "not_now"                  # votes are revealed, the meeting is paused or finished
    UNKNOWN_ELEMENT = "unknown_element"  # /meeting <id> that is not in the cycle's scope


class MeetingRefused(Exception):
    def __init__(self, refusal: MeetingRefusal) -> None:
        super().__init__(refusal.value)
        self.refusal = refusal


@dataclass(frozen=True, slots=True)
class Started:
    meeting_id: int
    group: LinkedGroup
    resumed: bool
    old_message_id: int | None
    """The message the meeting (or an unfinished one of an earlier cycle) was shown in until now:
    retired, and the meeting shown anew at the bottom of the chat."""


async def latest_closed_cycle(repo: Repository, team_id: int) -> Cycle | None:
    return await queries.latest_closed_cycle(repo, team_id)


async def unfinished(repo: Repository, chat_id: int) -> MeetingRow | None:
    return await queries.unfinished(repo, chat_id)


async def start(
    repo: Repository, actor_id: int, chat_id: int, now: datetime, add: str | None = None
) -> Started:
    """Start the meeting on the team's latest closed cycle, or resume the unfinished one; `add`
    puts an element on the agenda right away (`/meeting 8.3`)."""
    group = await groups.check_can_steer(repo, actor_id, chat_id)
    cycle = await latest_closed_cycle(repo, group.team_id)
    if cycle is None:
        raise MeetingRefused(MeetingRefusal.NO_CLOSED_CYCLE)
    row = await unfinished(repo, chat_id)
    old_message = row.message_id if row is not None else None
    if row is not None and row.cycle_id != cycle.id:  # a newer cycle closed since: start anew
        row.finished_at = now
        await queries.flush(repo)
        row = None
    resumed = row is not None
    if row is None:
        agreed = await agreed_ids(repo, cycle.id)
        state = steps.start(await agenda_for(repo, cycle), now, agreed)
        row = MeetingRow(cycle_id=cycle.id, chat_id=chat_id, agenda=list(state.agenda),
                      position=0, phase=state.phase.value, started_by=actor_id, started_at=now)
        await queries.add(repo, row)
    else:
        _store(row, steps.resume(as_state(row)))
    if add is not None:
        await _add(repo, row, cycle, add)
    await queries.flush(repo)
    return Started(row.id, group, resumed, old_message)


async def _add(repo: Repository, row: MeetingRow, cycle: Cycle, element_id: str) -> None:
    if element_id not in load_model(cycle.model_id).scope(cycle.scope_id).element_ids:
        raise MeetingRefused(MeetingRefusal.UNKNOWN_ELEMENT)
    _store(row, steps.add(as_state(row), element_id, await agreed_ids(repo, cycle.id)))


async def shown_in(repo: Repository, meeting_id: int, message_id: int | None) -> None:
    """The message that shows the meeting from now on (after it was sent, in its own unit)."""
    row = await queries.meeting(repo, meeting_id)
    if row is not None:
        row.message_id = message_id


def _store(row: MeetingRow, state: steps.Meeting) -> None:
    row.agenda, row.position, row.phase = list(state.agenda), state.position, state.phase.value
    row.paused_at, row.finished_at = state.paused_at, state.finished_at


async def _current(repo: Repository, chat_id: int, meeting_id: int) -> MeetingRow:
    """The group's unfinished meeting, if the button is one of its own; locked on PostgreSQL
    until the step commits, so two managers tapping at once take their steps one after the
    other instead of one overwriting the other's (SQLite has one writer anyway)."""
    row = await queries.unfinished(repo, chat_id, lock=True)
    if row is None or row.id != meeting_id:
        raise MeetingRefused(MeetingRefusal.STALE)
    return row


async def vote(
    repo: Repository, actor_id: int, chat_id: int, meeting_id: int, element_id: str, level: int
) -> None:
    """A team member's vote on the element on screen; voting again changes it."""
    if not 1 <= level <= 5:
        raise MeetingRefused(MeetingRefusal.STALE)
    group = await groups.linked_team(repo, chat_id)
    membership = (await repo.membership(group.team_id, actor_id)) if group else None
    if membership is None or not membership.active:
        raise MeetingRefused(MeetingRefusal.NOT_A_VOTER)
    row = await _current(repo, chat_id, meeting_id)
    state = as_state(row)
    if state.current != element_id:
        raise MeetingRefused(MeetingRefusal.STALE)
    if not state.running or state.phase is not Phase.VOTING:
        raise MeetingRefused(MeetingRefusal.NOT_NOW)
    await queries.vote(repo, meeting_id, element_id, actor_id, level)


Transition = Callable[[steps.Meeting, Collection[str]], steps.Meeting]


async def steer(
    repo: Repository, actor_id: int, chat_id: int, meeting_id: int, transition: Transition,
    element_id: str | None = None,
) -> None:
    """A manager's step (reveal, next, back, later, skip, pause, finish): checked, applied to
    the stored meeting, stored. `element_id` is the element the button was shown with."""
    await groups.check_can_steer(repo, actor_id, chat_id)
    row = await _current(repo, chat_id, meeting_id)
    state = as_state(row)
    if element_id is not None and state.current != element_id:
        raise MeetingRefused(MeetingRefusal.STALE)
    try:
        _store(row, transition(state, await agreed_ids(repo, row.cycle_id)))
    except MeetingError:
        raise MeetingRefused(MeetingRefusal.NOT_NOW) from None


def finish_at(now: datetime) -> Transition:
    return lambda state, _agreed: steps.finish(state, now)


def pause_at(now: datetime) -> Transition:
    return lambda state, _agreed: steps.pause(state, now)


async def agree(
    repo: Repository, actor_id: int, chat_id: int, meeting_id: int, element_id: str, level: int,
    now: datetime,
) -> None:
    """One tap: the agreed level of the element on screen; the chair's reply is its reason."""
    await steer(repo, actor_id, chat_id, meeting_id, lambda s, _: steps.agree(s), element_id)
    row = await _current(repo, chat_id, meeting_id)
    earlier = (await agreements.agreed_levels(repo, row.cycle_id)).get(element_id)
    await agreements.record_agreed(repo, actor_id, row.cycle_id, element_id, level,
                                   earlier.reason if earlier else "", now)
    await positions.expect(repo, actor_id, positions.MeetingReason(meeting_id, element_id), now,
                           chat_id=chat_id)


async def give_reason(
    repo: Repository, actor_id: int, chat_id: int, position: positions.MeetingReason, text: str,
    now: datetime,
) -> None:
    """The typed reason for the agreed level the position names (its level stays)."""
    await groups.check_can_steer(repo, actor_id, chat_id)
    row = await _current(repo, chat_id, position.meeting_id)
    agreed = (await agreements.agreed_levels(repo, row.cycle_id)).get(position.element_id)
    if agreed is None:
        raise MeetingRefused(MeetingRefusal.STALE)
    await agreements.record_agreed(repo, actor_id, row.cycle_id, position.element_id,
                                   agreed.level, text, now)
    await positions.clear(repo, actor_id, chat_id=chat_id)


async def give_reason_here(
    repo: Repository, actor_id: int, chat_id: int, text: str, now: datetime,
) -> int:
    """Any manager of the linked team gives the reason of the level agreed on screen (a reply
    to the meeting's message or `/reason` in the group), not only the one who tapped it: the
    chair often taps while a colleague words it. The meeting's id; `NOT_NOW` when no agreed level
    is on screen (nothing to give a reason for)."""
    await groups.check_can_steer(repo, actor_id, chat_id)
    row = await unfinished(repo, chat_id)
    state = as_state(row) if row is not None else None
    if (row is None or state is None or state.paused or state.current is None
            or state.phase is not Phase.AGREED or not text.strip()):
        raise MeetingRefused(MeetingRefusal.NOT_NOW)
    await give_reason(repo, actor_id, chat_id, positions.MeetingReason(row.id, state.current),
                      text.strip(), now)
    return row.id


async def unshown(repo: Repository, chat_id: int) -> int | None:
    """The group's unfinished meeting when no message shows it (Telegram refused the last one,
    e.g. the group had become a supergroup before the bot heard of it), to show anew."""
    row = await unfinished(repo, chat_id)
    return row.id if row is not None and row.message_id is None else None


async def meeting_message(repo: Repository, chat_id: int) -> int | None:
    """The id of the message that shows the group's unfinished meeting, if any."""
    row = await unfinished(repo, chat_id)
    return row.message_id if row is not None else None


async def ask_action(
    repo: Repository, actor_id: int, chat_id: int, meeting_id: int, element_id: str,
    now: datetime,
) -> None:
    """"➕ Action": the chair's next reply in the group is what is to be done."""
    await steer(repo, actor_id, chat_id, meeting_id, lambda s, _: s, element_id)
    await positions.expect(repo, actor_id, positions.MeetingAction(meeting_id, element_id), now,
                           chat_id=chat_id)


async def add_action(
    repo: Repository, actor_id: int, chat_id: int, position: positions.MeetingAction, what: str,
    now: datetime,
) -> int:
    """The action, owned by the chair and due in 90 days until a button changes that."""
    await groups.check_can_steer(repo, actor_id, chat_id)
    row = await _current(repo, chat_id, position.meeting_id)
    person = await repo.person(actor_id)
    action = await improvement.add_action(
        repo, actor_id, row.cycle_id, position.element_id, what.strip(),
        person.display_name if person else "", now)
    await positions.clear(repo, actor_id, chat_id=chat_id)
    return action.id


async def change_action(
    repo: Repository, actor_id: int, chat_id: int, action_id: int, now: datetime, *,
    owner_id: int | None = None, due_in_days: int | None = None,
) -> None:
    """Another owner (a manager of the team) or due date, from the meeting's buttons."""
    group = await groups.check_can_steer(repo, actor_id, chat_id)
    action = await queries.action(repo, action_id)
    if action is None or action.team_id != group.team_id:
        raise MeetingRefused(MeetingRefusal.STALE)
    owner = None
    if owner_id is not None:
        person = await repo.person(owner_id)
        if person is None or not is_active_manager(await repo.membership(group.team_id,
                                                                         owner_id)):
            raise MeetingRefused(MeetingRefusal.STALE)
        owner = (person.display_name, owner_id)
    due: date | None = None
    if due_in_days is not None:
        if due_in_days not in DUE_DAYS:
            raise MeetingRefused(MeetingRefusal.STALE)
        due = (now + timedelta(days=due_in_days)).date()
    await improvement.change_action(repo, actor_id, action_id, owner=owner, due=due)
