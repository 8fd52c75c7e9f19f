"""SQLAlchemy adapters for the services' ports.

One repository object per unit of work (one session, one transaction). Writes that may race (two
quick taps, a redelivered update, two workers) are upserts on the natural unique key, so repeating
them is harmless.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from bot.db._prepared import prepared
from bot.db.models import (
    Answer,
    Cycle,
    Invite,
    Membership,
    OrganisationAdmin,
    OrganisationTarget,
    OrganisationToken,
    Person,
    ProcessedUpdate,
    Remark,
    Response,
    Team,
)
from domain.catalog import DEFAULT_MODEL_ID


def dialect_insert(session: AsyncSession, table: type[object]):  # type: ignore[no-untyped-def]
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    return pg_insert(table) if dialect == "postgresql" else sqlite_insert(table)


@dataclass(frozen=True, slots=True)
class Participation:
    """A cycle as one person takes part in it; the membership and response are None until the
    person joined the team and opened the survey."""

    cycle_id: int
    model_id: str
    scope_id: str
    deadline: datetime
    closed_at: datetime | None
    team_name: str
    timezone: str
    membership_id: int | None
    active: bool | None
    role: str | None
    stakeholder_group: str | None
    response_id: int | None
    completed_at: datetime | None
    message_id: int | None
    language: str | None
    """The person's chosen language (None without a membership)."""
    organisation_cycle_id: int | None = None
    """Set when the cycle is a team's part of an organisation cycle (one response per person)."""


class Repository:
    """Queries and idempotent writes; the caller owns the transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._prepared = prepared(session.bind.dialect.name if session.bind else "sqlite")

    async def _connection(self) -> AsyncConnection:
        """The unit of work's connection, for the prepared Core statements of `_prepared`."""
        return await self.session.connection()

    # --- people -------------------------------------------------------------------------------
    async def person(self, user_id: int) -> Person | None:
        return await self.session.get(Person, user_id)

    async def language(self, user_id: int) -> str | None:
        """The person's chosen language, None for someone we do not know."""
        connection = await self._connection()
        return await connection.scalar(self._prepared.language, {"user_id": user_id})

    async def touch_person(
        self, user_id: int, display_name: str, language: str, now: datetime
    ) -> Person:
        """Create the person on first contact; later contacts refresh name and last-seen only."""
        statement = dialect_insert(self.session, Person).values(
            user_id=user_id,
            display_name=display_name[:200],
            language=language,
            last_seen_at=now,
            created_at=now,
        )
        statement = statement.on_conflict_do_update(
            index_elements=["user_id"],
            set_={"display_name": display_name[:200], "last_seen_at": now, "blocked_at": None},
        )
        await self.session.execute(statement)
        person = await self.session.get(Person, user_id, populate_existing=True)
        assert person is not None
        return person

    async def unblock(self, user_id: int) -> None:
        """The person can be reached again; a no-op (no write) unless they were marked."""
        connection = await self._connection()
        await connection.execute(self._prepared.unblock, {"sender": user_id})

    # --- updates ------------------------------------------------------------------------------
    async def claim_update(
        self, update_id: int, now: datetime, from_user: int | None = None
    ) -> bool:
        """True the first time an update id is seen, by any process.

        An update `from_user` also clears that person's blocked mark: whoever writes or taps can
        be written to again (see `unblock`); on PostgreSQL in the same round trip.
        """
        connection = await self._connection()
        parameters = {"update_id": update_id, "processed_at": now}
        if from_user is not None and self._prepared.claim_and_unblock is not None:
            claimed = await connection.scalar(
                self._prepared.claim_and_unblock, {**parameters, "sender": from_user})
            return bool(claimed)
        result = await connection.execute(self._prepared.claim_update, parameters)
        if result.rowcount and from_user is not None:
            await self.unblock(from_user)
        return bool(result.rowcount)

    async def forget_updates_before(self, moment: datetime) -> None:
        await self.session.execute(
            delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < moment)
        )

    # --- teams and membership -----------------------------------------------------------------
    async def invite(self, token: str) -> Invite | None:
        return await self.session.get(Invite, token)

    async def team(self, team_id: int) -> Team | None:
        return await self.session.get(Team, team_id)

    async def membership(self, team_id: int, user_id: int) -> Membership | None:
        return await self.session.scalar(
            select(Membership).where(Membership.team_id == team_id, Membership.user_id == user_id)
        )

    async def memberships_of(self, user_id: int) -> Sequence[Membership]:
        result = await self.session.scalars(
            select(Membership).where(Membership.user_id == user_id).order_by(Membership.id)
        )
        return result.all()

    async def join(
        self, team_id: int, user_id: int, role: str, group: str | None, now: datetime
    ) -> Membership:
        """Become a member, or an active member again; joining twice changes nothing."""
        statement = (
            dialect_insert(self.session, Membership)
            .values(
                team_id=team_id,
                user_id=user_id,
                role=role,
                stakeholder_group=group,
                active=True,
                joined_at=now,
            )
            .on_conflict_do_nothing(index_elements=["team_id", "user_id"])
        )
        await self.session.execute(statement)
        membership = await self.membership(team_id, user_id)
        assert membership is not None
        if not membership.active:
            # Coming back starts afresh: the role and group are the new invite's, never the old
            # row's (a removed co-manager who re-joins through an ordinary link is a participant).
            membership.active, membership.role = True, role
            membership.stakeholder_group, membership.joined_at = group, now
        return membership

    # --- cycles and responses -----------------------------------------------------------------
    async def cycle(self, cycle_id: int) -> Cycle | None:
        return await self.session.get(Cycle, cycle_id)

    async def open_cycle(self, team_id: int) -> Cycle | None:
        return await self.session.scalar(
            select(Cycle).where(Cycle.team_id == team_id, Cycle.closed_at.is_(None))
        )

    async def open_cycles_for(self, user_id: int) -> Sequence[tuple[Cycle, Team, Membership]]:
        result = await self.session.execute(
            select(Cycle, Team, Membership)
            .join(Team, Team.id == Cycle.team_id)
            .join(Membership, Membership.team_id == Team.id)
            .where(
                Membership.user_id == user_id,
                Membership.active.is_(True),
                Cycle.closed_at.is_(None),
            )
            .order_by(Cycle.deadline)
        )
        return [(c, t, m) for c, t, m in result.all()]

    async def participation(self, cycle_id: int, user_id: int) -> Participation | None:
        """A cycle as this person takes part in it, and their language, in one statement: every
        tap needs both."""
        connection = await self._connection()
        row = (await connection.execute(
            self._prepared.participation, {"cycle_id": cycle_id, "user_id": user_id})).first()
        return None if row is None else Participation(*row)

    async def response(self, cycle_id: int, membership_id: int) -> Response | None:
        return await self.session.scalar(
            select(Response).where(
                Response.cycle_id == cycle_id, Response.membership_id == membership_id
            )
        )

    async def start_response(self, participation: Participation, now: datetime) -> Participation:
        """The person's response to the cycle, created the first time they open it (once, even
        when two taps race)."""
        assert participation.membership_id is not None
        statement = (
            dialect_insert(self.session, Response)
            .values(
                cycle_id=participation.cycle_id,
                membership_id=participation.membership_id,
                stakeholder_group=participation.stakeholder_group,
                is_manager=participation.role == "manager",
                started_at=now,
            )
            .on_conflict_do_nothing(index_elements=["cycle_id", "membership_id"])
        )
        await self.session.execute(statement)
        response = await self.response(participation.cycle_id, participation.membership_id)
        assert response is not None
        return dataclasses.replace(participation, response_id=response.id,
                                   completed_at=response.completed_at,
                                   message_id=response.message_id)

    async def complete_response(self, response_id: int, now: datetime) -> None:
        await self.session.execute(
            update(Response)
            .where(Response.id == response_id, Response.completed_at.is_(None))
            .values(completed_at=now)
        )

    async def answers(self, response_id: int) -> dict[str, int | None]:
        return (await self.answer_sheet(response_id))[0]

    async def answer_sheet(
        self, response_id: int
    ) -> tuple[dict[str, int | None], frozenset[str]]:
        """The levels (None: not applicable or don't know) and the elements answered "don't
        know", in one statement."""
        connection = await self._connection()
        result = await connection.execute(self._prepared.answers, {"response_id": response_id})
        rows = result.all()
        return ({element_id: level for element_id, level, _ in rows},
                frozenset(element_id for element_id, _, unknown in rows if unknown))

    async def save_answer(
        self, response_id: int, element_id: str, level: int | None, now: datetime,
        *, dont_know: bool = False,
    ) -> None:
        connection = await self._connection()
        await connection.execute(self._prepared.save_answer, {
            "response_id": response_id, "element_id": element_id, "level": level,
            "dont_know": dont_know, "answered_at": now})

    async def remarks(self, response_id: int) -> dict[str, str]:
        result = await self.session.execute(
            select(Remark.chapter_id, Remark.text).where(Remark.response_id == response_id)
        )
        return dict(result.all())

    async def save_remark(
        self, response_id: int, chapter_id: str, text: str, now: datetime
    ) -> None:
        statement = dialect_insert(self.session, Remark).values(
            response_id=response_id, chapter_id=chapter_id, text=text, written_at=now
        )
        statement = statement.on_conflict_do_update(
            index_elements=["response_id", "chapter_id"], set_={"text": text, "written_at": now}
        )
        await self.session.execute(statement)

    async def set_survey_message(self, response_id: int, message_id: int | None) -> None:
        await self.session.execute(
            update(Response).where(Response.id == response_id).values(message_id=message_id)
        )

    async def count_answers(self, response_id: int) -> int:
        count = await self.session.scalar(
            select(func.count()).select_from(Answer).where(Answer.response_id == response_id)
        )
        return int(count or 0)

    # --- organisations: their people, admins, links and targets (bot.services.org_setup) ------
    async def people_of_organisation(self, organisation_id: int) -> list[tuple[int, str]]:
        """(user id, name) of the active members of its teams and of its admins, by name."""
        members = select(Membership.user_id).join(Team, Team.id == Membership.team_id).where(
            Team.organisation_id == organisation_id, Membership.active.is_(True))
        admins = select(OrganisationAdmin.user_id).where(
            OrganisationAdmin.organisation_id == organisation_id)
        rows = await self.session.execute(
            select(Person.user_id, func.coalesce(Person.display_name, "?"))
            .where(Person.user_id.in_(members) | Person.user_id.in_(admins))
            .order_by(Person.display_name, Person.user_id))
        return [(user, name) for user, name in rows.all()]

    async def managers_of(self, team_id: int) -> list[int]:
        return list((await self.session.scalars(select(Membership.user_id).where(
            Membership.team_id == team_id, Membership.role == "manager",
            Membership.active.is_(True)))).all())

    async def organisation_admins(self, organisation_id: int) -> list[tuple[int, str]]:
        """(user id, language) of its admins (not ADMIN_IDS), in the order they were added."""
        rows = await self.session.execute(
            select(OrganisationAdmin.user_id, func.coalesce(Person.language, "nl"))
            .outerjoin(Person, Person.user_id == OrganisationAdmin.user_id)
            .where(OrganisationAdmin.organisation_id == organisation_id)
            .order_by(OrganisationAdmin.added_at, OrganisationAdmin.user_id))
        return [(user, language) for user, language in rows.all()]

    async def add_organisation_admin(
        self, organisation_id: int, user_id: int, added_by: int | None, now: datetime
    ) -> None:
        await self.session.execute(dialect_insert(self.session, OrganisationAdmin).values(
            organisation_id=organisation_id, user_id=user_id, added_by=added_by, added_at=now,
        ).on_conflict_do_nothing(index_elements=["organisation_id", "user_id"]))

    async def organisation_token(self, token: str) -> OrganisationToken | None:
        return await self.session.get(OrganisationToken, token)

    async def organisation_model(self, organisation_id: int) -> str:
        """The model of its first team (its surveys use it), or the default one."""
        found = await self.session.scalar(
            select(Team.model_id).where(Team.organisation_id == organisation_id)
            .order_by(Team.id).limit(1))
        return found or DEFAULT_MODEL_ID

    async def organisation_targets(self, organisation_id: int) -> dict[str, int]:
        rows = await self.session.execute(
            select(OrganisationTarget.chapter_id, OrganisationTarget.level).where(
                OrganisationTarget.organisation_id == organisation_id))
        return {chapter: level for chapter, level in rows.all()}

    async def set_organisation_target(
        self, organisation_id: int, chapter_id: str, level: int | None
    ) -> None:
        """Set one chapter's target, or remove it (None)."""
        await self.session.execute(delete(OrganisationTarget).where(
            OrganisationTarget.organisation_id == organisation_id,
            OrganisationTarget.chapter_id == chapter_id))
        if level is not None:
            self.session.add(OrganisationTarget(
                organisation_id=organisation_id, chapter_id=chapter_id, level=level))
            await self.session.flush()

    async def team_people(self, organisation_id: int) -> list[tuple[int, str, bool]]:
        """(team id, name, manages it) of every active member of its teams, by team and name."""
        rows = await self.session.execute(
            select(Membership.team_id, func.coalesce(Person.display_name, "?"),
                   Membership.role == "manager")
            .join(Person, Person.user_id == Membership.user_id)
            .join(Team, Team.id == Membership.team_id)
            .where(Team.organisation_id == organisation_id, Membership.active.is_(True))
            .order_by(Membership.team_id, Person.display_name, Person.user_id))
        return [(team, name, bool(manager)) for team, name, manager in rows.all()]

    async def organisation_cycle_teams(self, organisation_cycle_id: int) -> list[str]:
        """The names of the teams taking part in an organisation cycle, oldest first."""
        return list((await self.session.scalars(
            select(Team.name).join(Cycle, Cycle.team_id == Team.id)
            .where(Cycle.organisation_cycle_id == organisation_cycle_id)
            .order_by(Team.id))).all())
