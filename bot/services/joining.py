"""Joining a team through an invite link: consent, language, stakeholder group, membership."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.db.models import Cycle, Membership, Person, Team
from bot.db.repositories import Repository

STAKEHOLDER_GROUPS: tuple[str, ...] = (
    "staff",
    "management",
    "customers",
    "suppliers",
    "owners",
    "society",
)
LANGUAGES: tuple[str, ...] = ("nl", "en")


class InviteProblem(StrEnum):
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    REVOKED = "revoked"


@dataclass(frozen=True, slots=True)
class InviteCheck:
    team: Team
    group: str | None
    membership: Membership | None
    consented: bool


@dataclass(frozen=True, slots=True)
class Joined:
    team: Team
    membership: Membership
    open_cycle: Cycle | None


def preferred_language(telegram_language: str | None, default: str) -> str:
    """The Telegram app's language when we speak it (nl-BE counts as nl), else the default."""
    code = (telegram_language or "").split("-")[0].lower()
    return code if code in LANGUAGES else default


async def greet(
    repo: Repository, user_id: int, name: str, telegram_language: str | None, default: str,
    now: datetime,
) -> Person:
    language = preferred_language(telegram_language, default)
    return await repo.touch_person(user_id, name, language, now)


async def check_invite(
    repo: Repository, token: str, user_id: int, now: datetime
) -> InviteCheck | InviteProblem:
    invite = await repo.invite(token)
    if invite is None:
        return InviteProblem.UNKNOWN
    if invite.revoked_at is not None:
        return InviteProblem.REVOKED
    if invite.expires_at <= now:
        return InviteProblem.EXPIRED
    team = await repo.team(invite.team_id)
    if team is None:
        return InviteProblem.UNKNOWN
    person = await repo.person(user_id)
    membership = await repo.membership(team.id, user_id)
    return InviteCheck(
        team=team,
        group=invite.stakeholder_group,
        membership=membership if membership is not None and membership.active else None,
        consented=person is not None and person.consented_at is not None,
    )


async def give_consent(repo: Repository, user_id: int, now: datetime) -> None:
    person = await repo.person(user_id)
    if person is not None and person.consented_at is None:
        person.consented_at = now


async def set_language(repo: Repository, user_id: int, language: str) -> bool:
    person = await repo.person(user_id)
    if person is None or language not in LANGUAGES:
        return False
    person.language = language
    return True


async def join(
    repo: Repository, token: str, user_id: int, group: str | None, now: datetime
) -> Joined | InviteProblem:
    """Become a member; joining twice is harmless. The invite's group wins over a chosen one."""
    check = await check_invite(repo, token, user_id, now)
    if isinstance(check, InviteProblem):
        return check
    chosen = check.group or (group if group in STAKEHOLDER_GROUPS else None)
    if check.team.use_groups and chosen is None:
        chosen = "staff"
    membership = await repo.join(check.team.id, user_id, "participant", chosen, now)
    return Joined(check.team, membership, await repo.open_cycle(check.team.id))
