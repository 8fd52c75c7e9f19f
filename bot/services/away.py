"""A participant on holiday: reminders wait until they are back (`/away <date>`)."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from bot.db.repositories import Repository


async def set_away(
    repo: Repository, user_id: int, until: date | None, timezone: str
) -> datetime | None:
    """Pause reminders in every team until the end of `until` (None: right away again)."""
    moment = (datetime.combine(until, time(23, 59), tzinfo=ZoneInfo(timezone))
              if until is not None else None)
    for membership in await repo.memberships_of(user_id):
        membership.away_until = moment
    return moment


def is_away(away_until: datetime | None, now: datetime) -> bool:
    return away_until is not None and now < away_until
