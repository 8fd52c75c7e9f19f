"""The services' queries, one small module per aggregate, each over a `Repository`'s unit of work:
the services ask in words and never reach the session themselves. May import `domain` and `bot.db`.
"""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.exc import IntegrityError

from bot.db.repositories import Repository

T = TypeVar("T")

MANAGER = "manager"
"""A membership's role that manages the team (`bot.services.permissions.MANAGER`)."""


async def added(repo: Repository, row: T) -> T:
    """A new row written at once (its id known, a unique key checked) in this unit of work."""
    repo.session.add(row)
    await repo.session.flush()
    return row


async def added_once(repo: Repository, row: object) -> bool:
    """A new row written now, or False when a unique index refuses it (a race lost to another
    worker between a check and this insert); the unit of work goes on either way."""
    repo.session.add(row)
    try:
        async with repo.session.begin_nested():
            await repo.session.flush()
    except IntegrityError:
        return False
    return True
