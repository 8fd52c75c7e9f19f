"""The statements of forgetting a person (for `bot.services.account`, /deleteme and /mydata).

Forgetting writes across every table that may hold a Telegram id or a name, so it lives here as
statements, in the order the service calls them; the rule of what a closed cycle keeps is stated
on `unlink_closed_responses`.
"""

from __future__ import annotations

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
    ImprovementAction,
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
from bot.db.queries import MANAGER
from bot.db.repositories import Repository


async def administered(repo: Repository, user_id: int) -> list[str]:
    """Names of the organisations this person is a named admin of, oldest first."""
    return list((await repo.session.scalars(
        select(Organisation.name).join(OrganisationAdmin,
                                       OrganisationAdmin.organisation_id == Organisation.id)
        .where(OrganisationAdmin.user_id == user_id).order_by(Organisation.id))).all())


async def others_in_managed_teams(repo: Repository, user_id: int) -> list[tuple[str, str]]:
    """(team name, role) of the other active members' roles, per team this person manages."""
    mine = select(Membership.team_id).where(
        Membership.user_id == user_id, Membership.active.is_(True), Membership.role == MANAGER)
    others = select(Membership.team_id, Membership.role).distinct().where(
        Membership.team_id.in_(mine), Membership.active.is_(True),
        Membership.user_id != user_id).subquery()
    rows = await repo.session.execute(
        select(Team.name, others.c.role).join(others, others.c.team_id == Team.id)
        .order_by(Team.id))
    return [(name, role) for name, role in rows.all()]


async def delete_open_responses(repo: Repository, user_id: int) -> None:
    """The person's responses in cycles still open go (nothing was reported from them)."""
    memberships = select(Membership.id).where(Membership.user_id == user_id)
    open_cycles = select(Cycle.id).where(Cycle.closed_at.is_(None))
    await repo.session.execute(delete(Response).where(
        Response.membership_id.in_(memberships), Response.cycle_id.in_(open_cycles)))


async def teams_left_alone(repo: Repository, user_id: int) -> list[int]:
    """The teams this person is an active member of where nobody else is."""
    mine = (await repo.session.scalars(select(Membership.team_id).where(
        Membership.user_id == user_id, Membership.active.is_(True)))).all()
    alone = []
    for team_id in mine:
        others = await repo.session.scalar(select(func.count()).select_from(Membership).where(
            Membership.team_id == team_id, Membership.active.is_(True),
            Membership.user_id != user_id))
        if not others:
            alone.append(team_id)
    return alone


async def erase_the_rest(repo: Repository, user_id: int) -> None:
    """Every other row with the person's id: deleted, or kept without the id."""
    session = repo.session
    await session.execute(delete(Notification).where(
        Notification.user_id == user_id, Notification.status == "pending"))
    await session.execute(  # what was sent stays counted, without the person's id
        update(Notification).where(Notification.user_id == user_id).values(
            user_id=None, detail=None,
            key=literal("forgotten:") + cast(Notification.id, String)))
    await session.execute(update(ImprovementAction).where(
        ImprovementAction.owner_id == user_id).values(owner="", owner_id=None))
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


async def unlink_closed_responses(repo: Repository, user_id: int) -> None:
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
