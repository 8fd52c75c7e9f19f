"""The typed reply a person owes, as a row per person and chat (for `bot.services.positions`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from bot.db.models import ConversationPosition
from bot.db.repositories import Repository, dialect_insert


async def store(
    repo: Repository, user_id: int, chat_id: int, kind: str, payload: dict[str, Any],
    now: datetime,
) -> None:
    statement = dialect_insert(repo.session, ConversationPosition).values(
        user_id=user_id, chat_id=chat_id, kind=kind, payload=payload, updated_at=now)
    await repo.session.execute(statement.on_conflict_do_update(
        index_elements=["user_id", "chat_id"],
        set_={"kind": kind, "payload": payload, "updated_at": now}))


async def stored(repo: Repository, user_id: int, chat_id: int) -> tuple[str, Any] | None:
    """(kind, payload) of the position, if there is one."""
    row = (await repo.session.execute(
        select(ConversationPosition.kind, ConversationPosition.payload)
        .where(ConversationPosition.user_id == user_id,
               ConversationPosition.chat_id == chat_id))).first()
    return None if row is None else (row[0], row[1])


async def remove(repo: Repository, user_id: int, chat_id: int) -> None:
    await repo.session.execute(delete(ConversationPosition).where(
        ConversationPosition.user_id == user_id, ConversationPosition.chat_id == chat_id))
