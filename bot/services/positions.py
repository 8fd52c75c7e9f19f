"""Where a person is in a conversation that waits for typed text: which reply, and for what.

Buttons carry their own context (`conversations.callbacks`), but a typed message does not: after
"What is the team called?" the name arrives as bare text. What that text is for is stored here, in
the database, written in the same unit of work as the step that asks for it (so the question is
only shown once its position is committed) and cleared in the same unit of work as the step that
uses the reply. Any worker, after any restart, then routes the text the same way
(`conversations.typed`); nothing is remembered in a process.

One position per person and chat: the latest question that asks for text there wins. The
private chat (whose id is the person's id) is the default; a meeting asks its chair for a reason
in the team's group, and that must not overwrite a remark the same manager is typing in private.
A position is a frozen dataclass whose fields are JSON scalars; to add one, define it below, add
it to `Position` and `_KINDS`, and route it in `conversations.typed`.
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from bot.db.queries import positions as queries
from bot.db.repositories import Repository


@dataclass(frozen=True)
class TeamName:
    """After a bare `/newteam`: the name of the team to create."""

    KIND: ClassVar[str] = "team_name"


@dataclass(frozen=True)
class OrganisationName:
    """After a bare `/neworg`: the name of the organisation to create."""

    KIND: ClassVar[str] = "organisation_name"


@dataclass(frozen=True)
class OrganisationTeamName:
    """After "new team" on `/org`: the name of the team to create in that organisation."""

    KIND: ClassVar[str] = "organisation_team_name"
    organisation_id: int


@dataclass(frozen=True)
class OrganisationNextDate:
    """After "change the date" in the organisation's rhythm: the day of its next survey."""

    KIND: ClassVar[str] = "organisation_next_date"
    organisation_id: int


@dataclass(frozen=True)
class SurveyDeadline:
    """On `/survey`'s deadline screen: a date typed instead of tapping 3, 7 or 14 days."""

    KIND: ClassVar[str] = "survey_deadline"
    team_id: int
    scope_id: str


@dataclass(frozen=True)
class ChapterRemark:
    """After "add a remark": the remark on one chapter of one cycle."""

    KIND: ClassVar[str] = "remark"
    cycle_id: int
    chapter_id: str


@dataclass(frozen=True)
class TopicExample:
    """After "an example for …?": the one-line example behind the level of one topic (the
    scope's element `index`) of one cycle."""

    KIND: ClassVar[str] = "example"
    cycle_id: int
    index: int


@dataclass(frozen=True)
class AtWelcome:
    """On the invite's welcome ("Do you want to take part?"): text here means the person missed
    the buttons, so they hear where to tap instead of the whole help."""

    KIND: ClassVar[str] = "welcome"
    token: str


@dataclass(frozen=True)
class MeetingReason:
    """In the team's group, after the chair agreed a level: the one-line reason, as a reply to
    the meeting's message (with privacy mode on the bot sees only replies to its own messages)."""

    KIND: ClassVar[str] = "meeting_reason"
    meeting_id: int
    element_id: str


@dataclass(frozen=True)
class MeetingAction:
    """In the team's group, after "➕ Action": what is to be done, as a reply to the message."""

    KIND: ClassVar[str] = "meeting_action"
    meeting_id: int
    element_id: str


@dataclass(frozen=True)
class ActionNote:
    """After an action was marked stuck or dropped: the one-line note on that change (the
    history's event), typed in the private chat."""

    KIND: ClassVar[str] = "action_note"
    event_id: int


Position = (TeamName | SurveyDeadline | ChapterRemark | TopicExample | AtWelcome | MeetingReason
            | MeetingAction | OrganisationName | OrganisationTeamName | OrganisationNextDate
            | ActionNote)
_KINDS: dict[str, type[Position]] = {
    kind.KIND: kind for kind in (TeamName, SurveyDeadline, ChapterRemark, TopicExample, AtWelcome,
                                 MeetingReason, MeetingAction, OrganisationName,
                                 OrganisationTeamName, OrganisationNextDate, ActionNote)}


async def expect(
    repo: Repository, user_id: int, position: Position, now: datetime, *,
    chat_id: int | None = None,
) -> None:
    """From now on, this person's next typed text in `chat_id` (default: the private chat) is
    read as `position` says."""
    payload = dataclasses.asdict(position)
    await queries.store(repo, user_id, user_id if chat_id is None else chat_id, position.KIND,
                        payload, now)


async def expected(
    repo: Repository, user_id: int, *, chat_id: int | None = None
) -> Position | None:
    """What this person's typed text in `chat_id` (default: the private chat) is for; None when
    the bot waits for no text from them there."""
    row = await queries.stored(repo, user_id, user_id if chat_id is None else chat_id)
    return None if row is None else decode(*row)


async def clear(repo: Repository, user_id: int, *, chat_id: int | None = None) -> None:
    """The typed reply has been used (or the step was left): text is no longer expected there."""
    await queries.remove(repo, user_id, user_id if chat_id is None else chat_id)


def decode(kind: str, payload: Any) -> Position | None:
    """A stored row as its position; None for a kind or payload this version does not know
    (written by an older or newer release), which then counts as nothing expected."""
    cls = _KINDS.get(kind)
    if cls is None or not isinstance(payload, dict):
        return None
    hints = typing.get_type_hints(cls)
    names = {field.name for field in dataclasses.fields(cls)}
    if set(payload) != names or not all(
        isinstance(payload[name], hints[name]) for name in names
    ):
        return None
    return cls(**payload)
