"""The management-team meeting in the team's group: its agenda and its state, as pure data.

ISO 9004's self-assessment ends in a discussion of the management team; the bot walks the team's
Telegram group through it one element at a time. Everything a meeting is (the agenda, where it
stands, what happens to the element on screen) is a frozen `Meeting`, and every step is a pure
function from one `Meeting` to the next, so the service stores the result and any worker, after
any restart, continues from the database.

The agenda puts first what most needs the conversation: the elements the team agrees least on
(lowest consensus), then those furthest below their target, then the remaining priorities of
`domain.priorities`, then the rest in model order. Only figures the group may see drive that
order (`domain.meeting_figures`): an element whose figures are hidden there is placed by public
facts only (model order, at the end), so the order itself tells nothing a figure would not.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from domain.aggregation import TeamResult
from domain.priorities import DEFAULT_TARGET, priorities


class Phase(StrEnum):
    """What happens to the element on screen: votes are hidden, then shown, then agreed."""

    VOTING = "voting"
    REVEALED = "revealed"
    AGREED = "agreed"


class MeetingError(ValueError):
    """A step that this meeting cannot take now (finished, paused, nothing on the agenda)."""


@dataclass(frozen=True, slots=True)
class Meeting:
    agenda: tuple[str, ...]
    position: int
    phase: Phase
    started_at: datetime
    paused_at: datetime | None = None
    finished_at: datetime | None = None

    @property
    def current(self) -> str | None:
        """The element on screen; None when the agenda is empty."""
        return self.agenda[self.position] if 0 <= self.position < len(self.agenda) else None

    @property
    def finished(self) -> bool:
        return self.finished_at is not None

    @property
    def paused(self) -> bool:
        return self.paused_at is not None and not self.finished

    @property
    def running(self) -> bool:
        return not self.finished and not self.paused

    @property
    def is_last(self) -> bool:
        return self.position >= len(self.agenda) - 1


def agenda(
    result: TeamResult, element_ids: Sequence[str], targets: Mapping[str, int] | None = None,
    previous: TeamResult | None = None,
) -> tuple[str, ...]:
    """Every element of the scope, in the order worth discussing (see the module docstring).

    `result` must be the figures the group may see: an element without figures there (mean
    None) goes to the end in model order, whatever its hidden figures would say.
    """
    targets = targets or {}
    order = {element_id: number for number, element_id in enumerate(element_ids)}
    shown = [e for e in element_ids if (r := result.elements.get(e)) is not None
             and r.mean is not None and r.agreement is not None]
    hidden = [e for e in element_ids if e not in set(shown)]

    def agreement(element_id: str) -> float:
        value = result.elements[element_id].agreement
        assert value is not None
        return value

    def gap(element_id: str) -> float:
        mean = result.elements[element_id].mean
        assert mean is not None
        return max(targets.get(element_id, DEFAULT_TARGET) - mean, 0.0)

    weak = sorted((e for e in shown if agreement(e) < 0.6), key=lambda e: (agreement(e), order[e]))
    below = sorted((e for e in shown if e not in weak and gap(e) > 0),
                   key=lambda e: (-gap(e), order[e]))
    taken = set(weak) | set(below)
    rest_priorities = [p.element_id for p in priorities(result, targets, previous,
                                                        limit=len(element_ids))
                       if p.element_id not in taken]
    taken |= set(rest_priorities)
    remaining = [e for e in shown if e not in taken]
    return tuple(weak + below + rest_priorities + remaining + hidden)


def start(elements: Sequence[str], now: datetime, agreed: Collection[str] = ()) -> Meeting:
    if not elements:
        raise MeetingError("an empty agenda")
    if len(set(elements)) != len(elements):
        raise MeetingError("an element twice on the agenda")
    first = tuple(elements)
    return Meeting(first, 0, _phase_of(first[0], agreed), started_at=now)


def _phase_of(element_id: str | None, agreed: Collection[str]) -> Phase:
    return Phase.AGREED if element_id in agreed else Phase.VOTING


def _running(meeting: Meeting) -> Meeting:
    if meeting.finished:
        raise MeetingError("the meeting has finished")
    if meeting.paused:
        raise MeetingError("the meeting is paused")
    if meeting.current is None:
        raise MeetingError("nothing on the agenda")
    return meeting


def reveal(meeting: Meeting) -> Meeting:
    """Show the votes: from here on they no longer change (no anchoring on what others chose)."""
    meeting = _running(meeting)
    return replace(meeting, phase=Phase.REVEALED) if meeting.phase is Phase.VOTING else meeting


def agree(meeting: Meeting) -> Meeting:
    """The chair recorded the agreed level of the element on screen (also to change it)."""
    return replace(_running(meeting), phase=Phase.AGREED)


def go(meeting: Meeting, position: int, agreed: Collection[str]) -> Meeting:
    """To the element at `position`: agreed already, or voting anew (earlier votes stay)."""
    meeting = _running(meeting)
    if not 0 <= position < len(meeting.agenda):
        raise MeetingError(f"no element {position} on the agenda")
    return replace(meeting, position=position,
                   phase=_phase_of(meeting.agenda[position], agreed))


def forward(meeting: Meeting, agreed: Collection[str]) -> Meeting:
    """The next element; on the last one the meeting stays there (finishing is explicit)."""
    return go(meeting, min(_running(meeting).position + 1, len(meeting.agenda) - 1), agreed)


def back(meeting: Meeting, agreed: Collection[str]) -> Meeting:
    return go(meeting, max(_running(meeting).position - 1, 0), agreed)


def pause(meeting: Meeting, now: datetime) -> Meeting:
    return replace(_running(meeting), paused_at=now)


def resume(meeting: Meeting) -> Meeting:
    """Continue where it stopped (a paused meeting, or a running one shown anew)."""
    if meeting.finished:
        raise MeetingError("the meeting has finished")
    return replace(meeting, paused_at=None)


def finish(meeting: Meeting, now: datetime) -> Meeting:
    if meeting.finished:
        return meeting
    return replace(meeting, paused_at=None, finished_at=now)


def skip(meeting: Meeting, element_id: str, agreed: Collection[str]) -> Meeting:
    """Take an element off the agenda; skipping the one on screen shows the next one."""
    meeting = _running(meeting)
    if element_id not in meeting.agenda:
        raise MeetingError(f"{element_id} is not on the agenda")
    if len(meeting.agenda) == 1:
        raise MeetingError("the last element cannot be skipped; finish the meeting instead")
    index = meeting.agenda.index(element_id)
    remaining = meeting.agenda[:index] + meeting.agenda[index + 1:]
    position = meeting.position - 1 if index < meeting.position else meeting.position
    position = min(position, len(remaining) - 1)
    return replace(meeting, agenda=remaining, position=position,
                   phase=(meeting.phase if index != meeting.position
                          else _phase_of(remaining[position], agreed)))


def move(meeting: Meeting, element_id: str, to: int, agreed: Collection[str]) -> Meeting:
    """Reorder: put `element_id` at agenda index `to`; the element on screen stays on screen,
    unless it is the one moved, in which case the element now at its place is shown."""
    meeting = _running(meeting)
    if element_id not in meeting.agenda:
        raise MeetingError(f"{element_id} is not on the agenda")
    to = max(0, min(to, len(meeting.agenda) - 1))
    rest = [e for e in meeting.agenda if e != element_id]
    rest.insert(to, element_id)
    if element_id != meeting.current:
        current = meeting.current
        assert current is not None
        return replace(meeting, agenda=tuple(rest), position=rest.index(current))
    position = meeting.position
    return replace(meeting, agenda=tuple(rest), position=position,
                   phase=_phase_of(rest[position], agreed))


def later(meeting: Meeting, agreed: Collection[str]) -> Meeting:
    """The element on screen to the end of the agenda: "let's come back to this"."""
    current = _running(meeting).current
    assert current is not None
    return move(meeting, current, len(meeting.agenda) - 1, agreed)


def add(meeting: Meeting, element_id: str, agreed: Collection[str]) -> Meeting:
    """Discuss `element_id` now: right after the element on screen, and shown (moved there if it
    is on the agenda already)."""
    meeting = _running(meeting)
    if element_id == meeting.current:
        return meeting
    if element_id in meeting.agenda:
        meeting = move(meeting, element_id, meeting.position + 1
                       if meeting.agenda.index(element_id) > meeting.position
                       else meeting.position, agreed)
        return go(meeting, meeting.agenda.index(element_id), agreed)
    agenda_ = list(meeting.agenda)
    agenda_.insert(meeting.position + 1, element_id)
    return go(replace(meeting, agenda=tuple(agenda_)), meeting.position + 1, agreed)
