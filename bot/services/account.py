"""What the bot stores about a person, their language, and forgetting them on request.

Forgetting means it: afterwards no row holds the person's Telegram id or name. Their memberships
and person row go; answers in open cycles go; answers in closed cycles stay for the team figures
that were already reported, cut loose from the person (see `_unlink_closed_responses`); sent
notifications, actions, cycles, invites and meetings keep their facts without the id or the name;
a person's votes in meetings go.
A team must never be left without a manager while others are in it, so a sole manager is asked to
hand the team over first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, String, cast, delete, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import (
    AgreedLevel,
    Answer,
    ConversationPosition,
    CountedIn,
    Cycle,
    Example,
    GroupLink,
    Invite,
    MeetingRow,
    MeetingVote,
    Membership,
    Notification,
    Organisation,
    OrganisationAdmin,
    OrganisationCycle,
    Person,
    Remark,
    Response,
    Team,
)
from bot.db.repositories import Repository
from bot.services import actions
from bot.services.permissions import MANAGER


@dataclass(frozen=True, slots=True)
class TeamInfo:
    team: str
    role: str
    group: str | None
    answers: int


@dataclass(frozen=True, slots=True)
class StoredData:
    person: Person
    teams: tuple[TeamInfo, ...]
    administers: tuple[str, ...] = ()
    """The organisations the person is an admin of (a row with their id each)."""


async def describe(repo: Repository, user_id: int) -> StoredData | None:
    person = await repo.person(user_id)
    if person is None:
        return None
    teams: list[TeamInfo] = []
    for membership in await repo.memberships_of(user_id):
        team = await repo.team(membership.team_id)
        cycle = await repo.open_cycle(membership.team_id)
        response = await repo.response(cycle.id, membership.id) if cycle else None
        answers = await repo.count_answers(response.id) if response else 0
        teams.append(TeamInfo(team.name if team else "?", membership.role,
                              membership.stakeholder_group, answers))
    administers = (await repo.session.scalars(
        select(Organisation.name).join(OrganisationAdmin,
                                       OrganisationAdmin.organisation_id == Organisation.id)
        .where(OrganisationAdmin.user_id == user_id).order_by(Organisation.id))).all()
    return StoredData(person, tuple(teams), tuple(administers))


@dataclass(frozen=True, slots=True)
class HandOverFirst:
    """Refused: the person is the only manager of these teams, which still have other members."""

    teams: tuple[str, ...]


async def teams_to_hand_over(repo: Repository, user_id: int) -> tuple[str, ...]:
    """Names of the teams where this person is the only active manager and others remain."""
    mine = select(Membership.team_id).where(
        Membership.user_id == user_id, Membership.active.is_(True), Membership.role == MANAGER)
    others = select(Membership.team_id, Membership.role).distinct().where(
        Membership.team_id.in_(mine), Membership.active.is_(True),
        Membership.user_id != user_id).subquery()
    rows = (await repo.session.execute(
        select(Team.name, others.c.role).join(others, others.c.team_id == Team.id)
        .order_by(Team.id))).all()
    with_manager = {name for name, role in rows if role == MANAGER}
    return tuple(dict.fromkeys(name for name, _ in rows if name not in with_manager))


async def forget(repo: Repository, user_id: int, now: datetime) -> HandOverFirst | None:
    """Forget the person entirely (see the module docstring), or say which teams to hand over."""
    blocking = await teams_to_hand_over(repo, user_id)
    if blocking:
        return HandOverFirst(blocking)
    memberships = select(Membership.id).where(Membership.user_id == user_id)
    open_cycles = select(Cycle.id).where(Cycle.closed_at.is_(None))
    session = repo.session
    await session.execute(delete(Response).where(
        Response.membership_id.in_(memberships), Response.cycle_id.in_(open_cycles)))
    await _retire_teams_left_alone(repo, user_id, now)  # after: her open answers are gone
    await _unlink_closed_responses(repo, user_id)
    await session.execute(delete(Notification).where(
        Notification.user_id == user_id, Notification.status == "pending"))
    await session.execute(  # what was sent stays counted, without the person's id
        update(Notification).where(Notification.user_id == user_id).values(
            user_id=None, detail=None,
            key=literal("forgotten:") + cast(Notification.id, String)))
    await actions.forget_owner(repo, user_id, now)
    await session.execute(update(Cycle).where(Cycle.opened_by == user_id).values(opened_by=None))
    await session.execute(update(Invite).where(Invite.created_by == user_id)
                          .values(created_by=None))
    await session.execute(update(GroupLink).where(GroupLink.linked_by == user_id)
                          .values(linked_by=None))
    await session.execute(update(AgreedLevel).where(AgreedLevel.agreed_by == user_id)
                          .values(agreed_by=None))
    await session.execute(delete(MeetingVote).where(MeetingVote.user_id == user_id))
    await session.execute(update(MeetingRow).where(MeetingRow.started_by == user_id)
                          .values(started_by=None))
    await session.execute(delete(ConversationPosition).where(
        ConversationPosition.user_id == user_id))
    await session.execute(delete(OrganisationAdmin).where(OrganisationAdmin.user_id == user_id))
    await session.execute(update(OrganisationAdmin).where(OrganisationAdmin.added_by == user_id)
                          .values(added_by=None))
    await session.execute(update(OrganisationCycle).where(OrganisationCycle.opened_by == user_id)
                          .values(opened_by=None))
    await session.execute(delete(Membership).where(Membership.user_id == user_id))
    await session.execute(delete(Person).where(Person.user_id == user_id))
    return None


async def _retire_teams_left_alone(repo: Repository, user_id: int, now: datetime) -> None:
    """A team whose last member leaves stops: its open survey closes, no new rounds open."""
    mine = (await repo.session.scalars(select(Membership.team_id).where(
        Membership.user_id == user_id, Membership.active.is_(True)))).all()
    for team_id in mine:
        others = await repo.session.scalar(select(func.count()).select_from(Membership).where(
            Membership.team_id == team_id, Membership.active.is_(True),
            Membership.user_id != user_id))
        if others:
            continue
        team = await repo.team(team_id)
        if team is not None:
            team.reassessment, team.next_reassessment_at = "off", None
        cycle = await repo.open_cycle(team_id)
        if cycle is not None:  # nobody is left to report to: it just closes
            cycle.closed_at = now


async def _unlink_closed_responses(repo: Repository, user_id: int) -> None:
    """Closed cycles keep the person's answers for the figures, but nothing that points back.

    The membership link and message id go. The manager mark and the stakeholder group stay only
    when at least the team's threshold of that cycle's responses share them: a sole manager's row
    marked `is_manager`, or the only supplier's row, would name its author. The times become the
    cycle's closing time, so no start or finish moment can be matched with what someone saw.
    """
    session = repo.session
    kept = (await session.execute(
        select(Response, Cycle, Team).join(Cycle, Cycle.id == Response.cycle_id)
        .join(Team, Team.id == Cycle.team_id)
        .join(Membership, Membership.id == Response.membership_id)
        .where(Membership.user_id == user_id))).all()
    for response, cycle, team in kept:
        if response.is_manager and await _sharing(
                session, cycle.id, Response.is_manager.is_(True)) < team.anonymity_threshold:
            response.is_manager = False
        group = response.stakeholder_group
        if group is not None and await _sharing(
                session, cycle.id, Response.stakeholder_group == group
        ) < team.anonymity_threshold:
            response.stakeholder_group = None
        await _coarsen_where_counted(session, response.id)
        closed = cycle.closed_at or cycle.deadline
        response.membership_id, response.message_id = None, None
        response.started_at = closed
        response.completed_at = closed if response.completed_at is not None else None
        await session.execute(update(Answer).where(Answer.response_id == response.id)
                              .values(answered_at=closed))
        await session.execute(update(Remark).where(Remark.response_id == response.id)
                              .values(written_at=closed))
        await session.execute(update(Example).where(Example.response_id == response.id)
                              .values(written_at=closed))
    await session.flush()


async def _coarsen_where_counted(session: AsyncSession, response_id: int) -> None:
    """The same for where an organisation cycle's response counts (`CountedIn`): a manager mark
    or group in another team stays only when the threshold of that team's counted responses
    share it."""
    rows = (await session.execute(
        select(CountedIn, Team.anonymity_threshold, Cycle.organisation_cycle_id)
        .join(Team, Team.id == CountedIn.team_id)
        .join(Response, Response.id == CountedIn.response_id)
        .join(Cycle, Cycle.id == Response.cycle_id)
        .where(CountedIn.response_id == response_id))).all()
    for row, threshold, organisation_cycle_id in rows:
        same_team = (select(func.count()).select_from(CountedIn)
                     .join(Response, Response.id == CountedIn.response_id)
                     .join(Cycle, Cycle.id == Response.cycle_id)
                     .where(Cycle.organisation_cycle_id == organisation_cycle_id,
                            CountedIn.team_id == row.team_id))
        if row.is_manager and int(await session.scalar(
                same_team.where(CountedIn.is_manager.is_(True))) or 0) < threshold:
            row.is_manager = False
        if row.stakeholder_group is not None and int(await session.scalar(same_team.where(
                CountedIn.stakeholder_group == row.stakeholder_group)) or 0) < threshold:
            row.stakeholder_group = None


async def _sharing(session: AsyncSession, cycle_id: int, condition: ColumnElement[bool]) -> int:
    """How many responses of the cycle meet `condition` (the person's own included)."""
    count = await session.scalar(select(func.count()).select_from(Response).where(
        Response.cycle_id == cycle_id, condition))
    return int(count or 0)


async def manages_a_team(repo: Repository, user_id: int) -> bool:
    """Whether /help should list the manager commands: only for someone who manages a team."""
    return any(m.role == MANAGER and m.active for m in await repo.memberships_of(user_id))
