"""Teams and invites: who belongs where, and the links that let people join."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from bot.db.models import Invite, Membership, Team
from bot.db.repositories import Repository
from domain.catalog import DEFAULT_MODEL_ID

INVITE_VALIDITY = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class TeamSettings:
    model_id: str = DEFAULT_MODEL_ID
    default_scope: str = "quick"
    timezone: str = "Europe/Amsterdam"
    use_groups: bool = False
    share_results: bool = True
    anonymity_threshold: int = 3


async def create_team(
    repo: Repository, name: str, manager: int, settings: TeamSettings, now: datetime
) -> tuple[Team, Membership]:
    """The creator becomes the team's first manager (and a member who answers too)."""
    team = Team(
        name=name.strip()[:200],
        model_id=settings.model_id,
        default_scope=settings.default_scope,
        timezone=settings.timezone,
        use_groups=settings.use_groups,
        share_results=settings.share_results,
        anonymity_threshold=settings.anonymity_threshold,
        reassessment="quarterly",
        reminders_enabled=True,
        created_at=now,
    )
    repo.session.add(team)
    await repo.session.flush()
    membership = await repo.join(team.id, manager, "manager",
                                 "management" if settings.use_groups else None, now)
    return team, membership


async def create_invite(
    repo: Repository, team_id: int, created_by: int, group: str | None, now: datetime,
    valid_for: timedelta = INVITE_VALIDITY,
) -> Invite:
    """An unguessable token (96 random bits) that fits a t.me deep link."""
    invite = Invite(
        token=secrets.token_urlsafe(12),
        team_id=team_id,
        stakeholder_group=group,
        created_by=created_by,
        created_at=now,
        expires_at=now + valid_for,
    )
    repo.session.add(invite)
    await repo.session.flush()
    return invite


def invite_link(bot_username: str, token: str) -> str:
    return f"https://t.me/{bot_username}?start={token}"


async def managed_teams(repo: Repository, user_id: int) -> list[Team]:
    """The teams this person manages, oldest first (the order of the team buttons)."""
    rows = await repo.session.scalars(
        select(Team).join(Membership, Membership.team_id == Team.id)
        .where(Membership.user_id == user_id, Membership.role == "manager",
               Membership.active.is_(True))
        .order_by(Team.id))
    return list(rows.all())


async def managers(repo: Repository, team_id: int) -> list[Membership]:
    rows = await repo.session.scalars(
        select(Membership).where(Membership.team_id == team_id, Membership.role == "manager",
                                 Membership.active.is_(True)))
    return list(rows.all())


async def is_manager(repo: Repository, team_id: int, user_id: int) -> bool:
    membership = await repo.membership(team_id, user_id)
    return membership is not None and membership.active and membership.role == "manager"


def may_create_teams(admin_ids: frozenset[int], user_id: int) -> bool:
    """With ADMIN_IDS set only they create teams; without it, anyone may start one."""
    return not admin_ids or user_id in admin_ids
