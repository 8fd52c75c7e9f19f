"""Teams and invites: who belongs where, and the links that let people join."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select, update

from bot.db.models import Invite, Membership, Organisation, OrganisationAdmin, Team
from bot.db.repositories import Repository
from bot.services.permissions import check_can_create_teams, check_can_manage
from domain.action_rhythm import EVERY
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
    repo: Repository, name: str, manager: int, settings: TeamSettings, now: datetime,
    *, admin_ids: frozenset[int] = frozenset(), organisation_id: int | None = None,
) -> tuple[Team, Membership]:
    """The creator becomes the team's first manager (and a member who answers too).

    `admin_ids` is the bot's ADMIN_IDS: when set, only they may create teams. A team always
    belongs to an organisation: without `organisation_id` (the old way, /newteam) it gets one of
    its own, named after it, with the creator as its admin and no rhythm of its own, so the team
    runs exactly as a team did before organisations existed. With `organisation_id` the caller
    (`bot.services.organisations`) has checked that the creator administers it."""
    if organisation_id is None:
        check_can_create_teams(admin_ids, manager)
        organisation = Organisation(name=name.strip()[:200], created_at=now, reassessment="off")
        repo.session.add(organisation)
        await repo.session.flush()
        repo.session.add(OrganisationAdmin(organisation_id=organisation.id, user_id=manager,
                                           added_by=None, added_at=now))
        organisation_id = organisation.id
    team = Team(
        organisation_id=organisation_id,
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
    """An unguessable token (96 random bits) that fits a t.me deep link; managers only."""
    await check_can_manage(repo, created_by, team_id)
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


async def revoke_invites(repo: Repository, actor_id: int, team_id: int, now: datetime) -> int:
    """Every link of the team stops working at once (a link that was shared too widely)."""
    await check_can_manage(repo, actor_id, team_id)
    result = await repo.session.execute(
        update(Invite).where(Invite.team_id == team_id, Invite.revoked_at.is_(None))
        .values(revoked_at=now))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


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


MODELS = {"2018": "iso9004-2018", "2009": "iso9004-2009"}
SCOPES = ("quick", "full")
RHYTHMS = ("quarterly", "half-yearly", "yearly", "off")
TIMEZONES = ("Europe/Amsterdam", "Europe/Brussels", "Europe/London", "Europe/Berlin", "UTC")


class SettingRefusal(StrEnum):
    CYCLE_OPEN = "cycle_open"  # the model cannot change under a running survey
    UNKNOWN = "unknown"


async def change_setting(
    repo: Repository, actor_id: int, team_id: int, choice: str
) -> tuple[Team, SettingRefusal | None]:
    """Apply one `key-value` choice from the settings screen, e.g. `model-2009`, `groups-on`."""
    team = await check_can_manage(repo, actor_id, team_id)
    return team, await _apply_setting(repo, team, choice)


async def _apply_setting(repo: Repository, team: Team, choice: str) -> SettingRefusal | None:
    key, _, value = choice.partition("-")
    switch = {"on": True, "off": False}.get(value)
    if key == "model" and value in MODELS:
        if await repo.open_cycle(team.id) is not None:
            return SettingRefusal.CYCLE_OPEN
        team.model_id = MODELS[value]
    elif key == "scope" and value in SCOPES:
        team.default_scope = value
    elif key == "rhythm" and value in RHYTHMS:
        team.reassessment = value
    elif key == "checkins" and value in EVERY:  # how often action owners are asked
        team.checkins = value
    elif key == "tz" and value.isdigit() and int(value) < len(TIMEZONES):
        team.timezone = TIMEZONES[int(value)]
    elif key in ("groups", "share", "reminders") and switch is not None:
        setattr(team, {"groups": "use_groups", "share": "share_results",
                       "reminders": "reminders_enabled"}[key], switch)
        if key == "groups" and switch:  # managers belong to management, as when created so
            await repo.session.execute(
                update(Membership).where(Membership.team_id == team.id,
                                         Membership.role == "manager",
                                         Membership.stakeholder_group.is_(None))
                .values(stakeholder_group="management"))
    else:
        return SettingRefusal.UNKNOWN
    return None
