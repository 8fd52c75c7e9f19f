"""Queries of a team's Telegram group (for `bot.services.groups`): the link, its tokens, and
what moves when Telegram changes the group's chat id."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update

from bot.db.models import (
    ConversationPosition,
    GroupLink,
    GroupLinkToken,
    MeetingRow,
    Membership,
    Team,
)
from bot.db.queries import MANAGER
from bot.db.repositories import Repository


async def live_link_with_team(repo: Repository, chat_id: int) -> tuple[GroupLink, str] | None:
    """The group's link while the bot is in it, and its team's name."""
    row = (await repo.session.execute(
        select(GroupLink, Team.name).join(Team, Team.id == GroupLink.team_id)
        .where(GroupLink.chat_id == chat_id, GroupLink.left_at.is_(None)))).first()
    return (row[0], row[1]) if row is not None else None


async def live_link_of_team(repo: Repository, team_id: int) -> GroupLink | None:
    return await repo.session.scalar(
        select(GroupLink).where(GroupLink.team_id == team_id, GroupLink.left_at.is_(None)))


async def link(repo: Repository, chat_id: int) -> GroupLink | None:
    return await repo.session.get(GroupLink, chat_id)


async def link_elsewhere(repo: Repository, team_id: int, chat_id: int) -> GroupLink | None:
    """The team's link to another group than this one, if any (left or not)."""
    return await repo.session.scalar(select(GroupLink).where(
        GroupLink.team_id == team_id, GroupLink.chat_id != chat_id))


async def new_token(
    repo: Repository, token: str, team_id: int, now: datetime, expires_at: datetime
) -> None:
    """A link token for the team; expired ones go at the same time."""
    await repo.session.execute(delete(GroupLinkToken).where(GroupLinkToken.expires_at <= now))
    repo.session.add(GroupLinkToken(token=token, team_id=team_id, created_at=now,
                                    expires_at=expires_at))
    await repo.session.flush()


async def token(repo: Repository, token: str) -> GroupLinkToken | None:
    return await repo.session.get(GroupLinkToken, token)


async def remove(repo: Repository, row: GroupLink) -> None:
    await repo.session.delete(row)


async def add(repo: Repository, row: GroupLink) -> None:
    repo.session.add(row)


async def flush(repo: Repository) -> None:
    """Written now: the next statement (or a unique index) sees it."""
    await repo.session.flush()


async def unlink(repo: Repository, chat_id: int) -> None:
    await repo.session.execute(delete(GroupLink).where(GroupLink.chat_id == chat_id))


async def change(repo: Repository, chat_id: int, *, only_present: bool = False,
                 **values: object) -> None:
    """Change the group's link (`only_present`: only while the bot is in the group)."""
    query = update(GroupLink).where(GroupLink.chat_id == chat_id)
    if only_present:
        query = query.where(GroupLink.left_at.is_(None))
    await repo.session.execute(query.values(**values))


async def move_chat(
    repo: Repository, old_chat_id: int, new_chat_id: int
) -> tuple[int, int | None] | None:
    """The link, the group's meetings (their message stays behind) and the replies awaited
    there follow the group to its new chat id; the unfinished meeting that moved (its id and the
    message left behind), if any."""
    unfinished = await repo.session.scalar(select(MeetingRow).where(
        MeetingRow.chat_id == old_chat_id, MeetingRow.finished_at.is_(None)))
    moved = (unfinished.id, unfinished.message_id) if unfinished is not None else None
    await repo.session.execute(update(GroupLink).where(GroupLink.chat_id == old_chat_id)
                               .values(chat_id=new_chat_id))
    await repo.session.execute(update(MeetingRow).where(MeetingRow.chat_id == old_chat_id)
                               .values(chat_id=new_chat_id, message_id=None))
    await repo.session.execute(update(ConversationPosition).where(
        ConversationPosition.chat_id == old_chat_id).values(chat_id=new_chat_id))
    return moved


async def fresh_link_of_a_manager(
    repo: Repository, user_id: int, made_after: datetime, now: datetime
) -> bool:
    """Whether a team this person manages has an unused link made after `made_after`."""
    managed = select(Membership.team_id).where(
        Membership.user_id == user_id, Membership.role == MANAGER, Membership.active)
    fresh = await repo.session.scalar(select(GroupLinkToken.token).where(
        GroupLinkToken.team_id.in_(managed), GroupLinkToken.used_at.is_(None),
        GroupLinkToken.expires_at > now, GroupLinkToken.created_at > made_after).limit(1))
    return fresh is not None
