"""The acting person of one update: built once where the update is claimed, passed to every
service, reads included, so each service decides its own permission without asking the caller.

Plain data: no Telegram types. `is_bot_admin` is ADMIN_IDS membership (administers every
organisation); `may_create_teams` is whether ADMIN_IDS is empty or holds this person.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Actor:
    id: int
    language_hint: str | None = None
    """Telegram's `language_code` of the sender; the stored preference wins where there is one."""
    is_bot_admin: bool = False
    may_create_teams: bool = True

    @classmethod
    def of(cls, user_id: int, admin_ids: Collection[int],
           language_hint: str | None = None) -> Actor:
        return cls(user_id, language_hint, user_id in admin_ids,
                   not admin_ids or user_id in admin_ids)
