"""Writes of the answering path beyond the repository's own (for `bot.services.survey`)."""

from __future__ import annotations

from datetime import datetime

from bot.db.models import Example
from bot.db.repositories import Repository, dialect_insert


async def save_example(
    repo: Repository, response_id: int, element_id: str, text: str, now: datetime
) -> None:
    """The example behind an answer; writing another replaces it."""
    statement = dialect_insert(repo.session, Example).values(
        response_id=response_id, element_id=element_id, text=text, written_at=now)
    await repo.session.execute(statement.on_conflict_do_update(
        index_elements=["response_id", "element_id"], set_={"text": text, "written_at": now}))
