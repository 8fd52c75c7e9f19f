"""Queries of a management-team meeting in a Telegram group (for `bot.services.meeting` and
`meeting_view`): its row, the votes, the typed replies it waits for, its cycle's words."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select

from bot.db.models import (
    ConversationPosition,
    Cycle,
    Example,
    GroupLink,
    ImprovementAction,
    MeetingRow,
    MeetingVote,
    Membership,
    Person,
    Remark,
    Response,
)
from bot.db.queries import MANAGER
from bot.db.repositories import Repository, dialect_insert


async def meeting(repo: Repository, meeting_id: int) -> MeetingRow | None:
    return await repo.session.get(MeetingRow, meeting_id)


async def group_link(repo: Repository, chat_id: int) -> GroupLink | None:
    return await repo.session.get(GroupLink, chat_id)


async def vote_counts(repo: Repository, meeting_id: int, element_id: str) -> list[int]:
    """How many voted each level 1-5 on the element (counts only, never who)."""
    counts = [0, 0, 0, 0, 0]
    rows = await repo.session.execute(
        select(MeetingVote.level, func.count()).where(
            MeetingVote.meeting_id == meeting_id, MeetingVote.element_id == element_id)
        .group_by(MeetingVote.level))
    for level, count in rows.all():
        counts[int(level) - 1] = int(count)
    return counts


async def positions_in_chat(repo: Repository, chat_id: int, kind: str) -> list[tuple[str, Any]]:
    """(kind, payload) of the typed replies of this kind awaited in the chat."""
    rows = await repo.session.execute(
        select(ConversationPosition.kind, ConversationPosition.payload).where(
            ConversationPosition.chat_id == chat_id, ConversationPosition.kind == kind))
    return [(k, p) for k, p in rows.all()]


async def actions_of_cycle(repo: Repository, cycle_id: int) -> Sequence[ImprovementAction]:
    return (await repo.session.scalars(select(ImprovementAction).where(
        ImprovementAction.cycle_id == cycle_id).order_by(ImprovementAction.id))).all()


async def manager_names(repo: Repository, team_id: int) -> list[tuple[int, str]]:
    """(user id, name) of the team's active managers, in the order they joined."""
    rows = await repo.session.execute(
        select(Person.user_id, Person.display_name).join(
            Membership, Membership.user_id == Person.user_id)
        .where(Membership.team_id == team_id, Membership.active.is_(True),
               Membership.role == MANAGER).order_by(Membership.id))
    return [(int(user_id), name) for user_id, name in rows.all()]


async def example_texts(repo: Repository, cycle_id: int, element_id: str) -> list[str]:
    return list((await repo.session.scalars(
        select(Example.text).join(Response, Response.id == Example.response_id)
        .where(Response.cycle_id == cycle_id, Example.element_id == element_id))).all())


async def remark_texts(repo: Repository, cycle_id: int, chapter_id: str) -> list[str]:
    return list((await repo.session.scalars(
        select(Remark.text).join(Response, Response.id == Remark.response_id)
        .where(Response.cycle_id == cycle_id, Remark.chapter_id == chapter_id))).all())


async def latest_closed_cycle(repo: Repository, team_id: int) -> Cycle | None:
    return await repo.session.scalar(
        select(Cycle).where(Cycle.team_id == team_id, Cycle.closed_at.is_not(None))
        .order_by(Cycle.closed_at.desc(), Cycle.id.desc()).limit(1))


async def unfinished(repo: Repository, chat_id: int, *, lock: bool = False) -> MeetingRow | None:
    """The group's unfinished meeting; `lock`: its row locked until the unit of work ends."""
    query = select(MeetingRow).where(MeetingRow.chat_id == chat_id,
                                     MeetingRow.finished_at.is_(None))
    return await repo.session.scalar(query.with_for_update() if lock else query)


async def flush(repo: Repository) -> None:
    """Written now, so that a unique index (one unfinished meeting per group) speaks at once."""
    await repo.session.flush()


async def add(repo: Repository, row: MeetingRow) -> None:
    repo.session.add(row)


async def vote(repo: Repository, meeting_id: int, element_id: str, user_id: int, level: int
               ) -> None:
    """This person's vote on the element; voting again replaces it."""
    values = {"level": level}
    await repo.session.execute(dialect_insert(repo.session, MeetingVote).values(
        meeting_id=meeting_id, element_id=element_id, user_id=user_id, **values
    ).on_conflict_do_update(index_elements=["meeting_id", "element_id", "user_id"], set_=values))


async def action(repo: Repository, action_id: int) -> ImprovementAction | None:
    return await repo.session.get(ImprovementAction, action_id)
