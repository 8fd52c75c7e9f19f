"""The database schema: the single source of truth for people, teams, surveys and notifications.

Conversation positions are not stored anywhere else: a participant's place in a survey is derived
from their answers, and the one typed reply the bot waits for (a team name, a deadline, a remark)
is a row of `conversation_positions`, so any process can handle any update and a restart loses
nothing. Unique keys
make the writes idempotent (one answer per response and element, one notification per key, one
handling per update id).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every back end (SQLite forgets the zone, PostgreSQL keeps it)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; pass an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Person(Base):
    """Someone who talked to the bot; the Telegram user id is also their private chat id."""

    __tablename__ = "people"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    display_name: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(2))
    consented_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    blocked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Organisation(Base):
    """Teams side by side (departments, locations, the management team itself).

    Every team belongs to exactly one organisation; a team made with /newteam gets one of its
    own, named after it, so the organisation is never optional. `reassessment` is the
    organisation's rhythm: when it is not "off", the organisation opens its cycles for all its
    teams together and its teams do not run their own (`domain.rhythm.rhythm_owner`).
    """

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reassessment: Mapped[str] = mapped_column(String(16), default="quarterly")
    next_reassessment_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    solo: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """Made by /newteam for its one team: removed when that team moves out (never one an admin
    created)."""


class OrganisationAdmin(Base):
    """Someone who runs the organisation: its teams, its admins, its organisation-wide cycles.

    The bot's ADMIN_IDS are admins of every organisation without a row here."""

    __tablename__ = "organisation_admins"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    added_by: Mapped[int | None] = mapped_column(BigInteger)  # None after /deleteme
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    model_id: Mapped[str] = mapped_column(String(32))
    default_scope: Mapped[str] = mapped_column(String(16), default="quick")
    timezone: Mapped[str] = mapped_column(String(64))
    use_groups: Mapped[bool] = mapped_column(Boolean, default=False)
    share_results: Mapped[bool] = mapped_column(Boolean, default=True)
    anonymity_threshold: Mapped[int] = mapped_column(SmallInteger)
    reassessment: Mapped[str] = mapped_column(String(16), default="quarterly")
    next_reassessment_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminders_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    checkins: Mapped[str] = mapped_column(String(16), default="fortnightly",
                                          server_default="fortnightly")
    """How often owners of open actions are asked how it goes: off, weekly, fortnightly,
    monthly (`bot.services.action_checkins`)."""

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="team", cascade="all, delete-orphan", passive_deletes=True
    )


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("team_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("people.user_id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(16))
    stakeholder_group: Mapped[str | None] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    away_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime)

    team: Mapped[Team] = relationship(back_populates="memberships")
    person: Mapped[Person] = relationship()


class Invite(Base):
    __tablename__ = "invites"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    stakeholder_group: Mapped[str | None] = mapped_column(String(16))
    created_by: Mapped[int | None] = mapped_column(BigInteger)  # None after /deleteme
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OrganisationCycle(Base):
    """One survey round of an organisation: a cycle in each of (a chosen set of) its teams, with
    the same model, scope and deadline, opened and closed together.

    A person answers once per organisation cycle, however many of its teams they belong to (see
    `bot.services.organisations`)."""

    __tablename__ = "organisation_cycles"
    __table_args__ = (
        Index(
            "uq_organisation_cycles_one_open",
            "organisation_id",
            unique=True,
            sqlite_where=text("closed_at IS NULL"),
            postgresql_where=text("closed_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    model_id: Mapped[str] = mapped_column(String(32))
    scope_id: Mapped[str] = mapped_column(String(16))
    opened_by: Mapped[int | None] = mapped_column(BigInteger)  # None: the rhythm, or /deleteme
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Cycle(Base):
    """One survey round of a team; at most one is open per team.

    `organisation_cycle_id` is set when the cycle is one team's part of an organisation cycle.
    Deleting the organisation cycle leaves the team's cycle (and its answers) as the team's own.
    """

    __tablename__ = "cycles"
    __table_args__ = (
        Index(
            "uq_cycles_one_open_per_team",
            "team_id",
            unique=True,
            sqlite_where=text("closed_at IS NULL"),
            postgresql_where=text("closed_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    model_id: Mapped[str] = mapped_column(String(32))
    scope_id: Mapped[str] = mapped_column(String(16))
    opened_by: Mapped[int | None] = mapped_column(BigInteger)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    organisation_cycle_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation_cycles.id", ondelete="SET NULL"), index=True
    )
    last_manual_reminder_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Response(Base):
    """One person's answers in one cycle. After /deleteme the link to the person is cut."""

    __tablename__ = "responses"
    __table_args__ = (UniqueConstraint("cycle_id", "membership_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"), index=True)
    membership_id: Mapped[int | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL"), index=True
    )
    stakeholder_group: Mapped[str | None] = mapped_column(String(16))
    is_manager: Mapped[bool] = mapped_column(Boolean, default=False)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Answer(Base):
    __tablename__ = "answers"

    response_id: Mapped[int] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True
    )
    element_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    level: Mapped[int | None] = mapped_column(SmallInteger)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    dont_know: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """No level because the person did not know (a finding: information does not reach them),
    as opposed to a level of None that does not apply to their work."""


class Remark(Base):
    __tablename__ = "remarks"

    response_id: Mapped[int] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True
    )
    chapter_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    written_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Example(Base):
    """A participant's one-line "what makes you say so?" behind the level of one element."""

    __tablename__ = "examples"

    response_id: Mapped[int] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True
    )
    element_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    written_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Target(Base):
    __tablename__ = "targets"

    team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True
    )
    chapter_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    level: Mapped[int] = mapped_column(SmallInteger)


class OrganisationTarget(Base):
    """An organisation's target level per chapter, for its report (without one: no target)."""

    __tablename__ = "organisation_targets"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    chapter_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    level: Mapped[int] = mapped_column(SmallInteger)


class OrganisationToken(Base):
    """A one-time link: "become admin of …" (`kind` "admin") or "become the manager of …"
    (`kind` "manager", with its team). Used once, then `used_at` is set."""

    __tablename__ = "organisation_tokens"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ImprovementAction(Base):
    __tablename__ = "improvement_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    cycle_id: Mapped[int | None] = mapped_column(ForeignKey("cycles.id", ondelete="SET NULL"))
    element_id: Mapped[str] = mapped_column(String(16))
    what: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    """The owner's name as shown; empty after /deleteme (the list then shows "a manager")."""
    owner_id: Mapped[int | None] = mapped_column(BigInteger)  # None after /deleteme
    due_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="open", server_default="open")
    """open, on_track, stuck, done, dropped (`bot.services.actions.Status`)."""
    proposed_owner_id: Mapped[int | None] = mapped_column(BigInteger)
    """The member asked to own it, until she accepts or declines; None after /deleteme."""


class ActionEvent(Base):
    """One line of an action's history: who (None: a former member, or the schedule), when, what
    (a status, or assigned/accepted/declined/due/owner_left) and an optional one-line note."""

    __tablename__ = "action_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action_id: Mapped[int] = mapped_column(
        ForeignKey("improvement_actions.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int | None] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(String(500))


class Notification(Base):
    """A message that must go out once: planned with a due time, claimed, sent, marked."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_due", "status", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(160), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int | None] = mapped_column(BigInteger)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    cycle_id: Mapped[int | None] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    detail: Mapped[str | None] = mapped_column(String(500))


class ProcessedUpdate(Base):
    """Telegram update ids already handled, so a redelivered update is handled once."""

    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    processed_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class ConversationPosition(Base):
    """The typed reply the bot expects from a person, and for what (`bot.services.positions`).

    One row per person and chat: the latest question that asks for typed text there wins. The
    private chat's id is the person's id; a meeting's reason is asked in the group, so a manager
    typing a remark in the private chat and a reason in the group never overwrite each other.
    No foreign key to `people`, because an administrator may be asked for a team name before the
    bot knows them.
    """

    __tablename__ = "conversation_positions"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class GroupLink(Base):
    """The team's Telegram group, where the management-team meeting happens (`services.groups`).

    One group per team and one team per group: a group of another team never sees this team's
    figures. The group's language starts as the linking manager's and a manager can switch it.
    The row stays when the bot is removed (`left_at`), so linking again keeps the language.
    """

    __tablename__ = "group_links"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), unique=True
    )
    title: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(2))
    bot_is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    linked_by: Mapped[int | None] = mapped_column(BigInteger)  # None after /deleteme
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class GroupLinkToken(Base):
    """A `startgroup` deep link from /settings: adding the bot with it links the group to the team.

    Unguessable (128 random bits) and short-lived, so a forwarded link soon stops working; it
    links only when the person who adds the bot is an active manager of the team at that moment,
    so it grants nothing by itself. No user id is kept: who asked for it does not matter.
    """

    __tablename__ = "group_link_tokens"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AgreedLevel(Base):
    """The level the management team agreed on for one element of a closed cycle, and why.

    This is the outcome of the meeting (`services.agreements`): the report shows it beside the
    team's median, /export includes it, and the next cycle's report compares against it.
    """

    __tablename__ = "agreed_levels"

    cycle_id: Mapped[int] = mapped_column(
        ForeignKey("cycles.id", ondelete="CASCADE"), primary_key=True
    )
    element_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    level: Mapped[int] = mapped_column(SmallInteger)
    reason: Mapped[str] = mapped_column(Text, default="")
    agreed_by: Mapped[int | None] = mapped_column(BigInteger)  # None after /deleteme
    agreed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class MeetingRow(Base):
    """A management-team meeting in the team's group, about one closed cycle (`services.meeting`).

    Everything the meeting is lives here (the agenda, where it stands, the one message it edits),
    so it resumes where it stopped after a pause of days or a restart. At most one meeting per
    group is unfinished.
    """

    __tablename__ = "meetings"
    __table_args__ = (
        Index(
            "uq_meetings_one_unfinished_per_chat",
            "chat_id",
            unique=True,
            sqlite_where=text("finished_at IS NULL"),
            postgresql_where=text("finished_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"), index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    agenda: Mapped[list[str]] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(Integer, default=0)
    phase: Mapped[str] = mapped_column(String(16))
    started_by: Mapped[int | None] = mapped_column(BigInteger)  # None after /deleteme
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class MeetingVote(Base):
    """One person's vote on one element in a meeting; voting again changes it."""

    __tablename__ = "meeting_votes"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    element_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    level: Mapped[int] = mapped_column(SmallInteger)


class CountedIn(Base):
    """Where one response of an organisation cycle counts, written down when the cycle closes
    (`bot.services.counting`), so later changes of membership move no figure already shown."""

    __tablename__ = "counted_in"

    response_id: Mapped[int] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True
    )
    team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True
    )
    is_manager: Mapped[bool] = mapped_column(Boolean)
    stakeholder_group: Mapped[str | None] = mapped_column(String(16))


class DisclosureFamily(Base):
    """The one family of figures a closed cycle may ever show (`domain.family`), decided at the
    close for a team cycle or for an organisation cycle at once, so no reader, role change or
    later /deleteme moves what exists. Exactly one of the two cycle columns is set."""

    __tablename__ = "disclosure_families"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cycle_id: Mapped[int | None] = mapped_column(
        ForeignKey("cycles.id", ondelete="CASCADE"), unique=True
    )
    organisation_cycle_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation_cycles.id", ondelete="CASCADE"), unique=True
    )
    family: Mapped[str] = mapped_column(Text)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RenderedReport(Base):
    """A closed cycle's report rendered once per language and variant (a chart, the PDF, the
    web page, the CSV, the summary): the same for every reader with the same rights, so it is
    kept and rendered again only when its `version` (agreed levels, actions, targets…) changes."""

    __tablename__ = "rendered_reports"

    cycle_id: Mapped[int] = mapped_column(
        ForeignKey("cycles.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    variant: Mapped[str] = mapped_column(String(32), primary_key=True)
    version: Mapped[str] = mapped_column(String(64))
    meta: Mapped[dict[str, Any]] = mapped_column(JSON)
    content: Mapped[bytes] = mapped_column(LargeBinary)
