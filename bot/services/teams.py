"""Teams and invites: who belongs where, and the links that let people join."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.db.models import Invite, Membership, Organisation, Team
from bot.db.queries import added
from bot.db.queries import organisations as org_queries
from bot.db.queries import teams as queries
from bot.db.repositories import Repository
from bot.services import positions
from bot.services.actor import Actor
from bot.services.permissions import check_can_create_teams, check_can_manage
from bot.services.records import TeamInfo
from domain.action_rhythm import EVERY
from domain.catalog import DEFAULT_MODEL_ID, load_model

INVITE_VALIDITY = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class TeamSettings:
    model_id: str = DEFAULT_MODEL_ID
    default_scope: str = "quick"
    timezone: str = "Europe/Amsterdam"
    use_groups: bool = False
    share_results: bool = True
    anonymity_threshold: int = 3


async def expect_name(repo: Repository, actor: Actor, now: datetime) -> None:
    """A bare /newteam: the name is asked for, if the actor may create teams (asked before, so
    nobody types a name only to be refused)."""
    check_can_create_teams(actor)
    await positions.expect(repo, actor.id, positions.TeamName(), now)


async def create_team(
    repo: Repository, name: str, manager: int, settings: TeamSettings, now: datetime,
    *, creator: Actor | None = None, organisation_id: int | None = None,
) -> tuple[Team, Membership]:
    """The creator becomes the team's first manager (and a member who answers too).

    `creator` is the acting person (`manager`) when a person asks: with ADMIN_IDS set only they
    may create teams (`Actor.may_create_teams`); None where no person asks (the demo's seed).
    A team always belongs to an organisation: without `organisation_id` (the old way, /newteam)
    it gets one of its own, named after it, with the creator as its admin and no rhythm of its
    own, so the team runs exactly as a team did before organisations existed. With
    `organisation_id` the caller (`bot.services.organisations`) has checked that the creator
    administers it."""
    if organisation_id is None:
        if creator is not None:
            check_can_create_teams(creator)
        organisation = await added(repo, Organisation(
            name=name.strip()[:200], created_at=now, reassessment="off", solo=True))
        await org_queries.add_admin(repo, organisation.id, manager, None, now)
        organisation_id = organisation.id
    team = await added(repo, Team(
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
    ))
    membership = await repo.join(team.id, manager, "manager",
                                 "management" if settings.use_groups else None, now)
    return team, membership


async def create_invite(
    repo: Repository, team_id: int, created_by: int, group: str | None, now: datetime,
    valid_for: timedelta = INVITE_VALIDITY,
) -> Invite:
    """An unguessable token (96 random bits) that fits a t.me deep link; managers only."""
    await check_can_manage(repo, created_by, team_id)
    return await added(repo, Invite(
        token=secrets.token_urlsafe(12),
        team_id=team_id,
        stakeholder_group=group,
        created_by=created_by,
        created_at=now,
        expires_at=now + valid_for,
    ))


async def revoke_invites(repo: Repository, actor_id: int, team_id: int, now: datetime) -> int:
    """Every link of the team stops working at once (a link that was shared too widely)."""
    await check_can_manage(repo, actor_id, team_id)
    return await queries.revoke_invites(repo, team_id, now)


def invite_link(bot_username: str, token: str) -> str:
    return f"https://t.me/{bot_username}?start={token}"


async def managed_team(repo: Repository, actor: Actor, team_id: int) -> TeamInfo:
    """A team as its settings and survey screens read it, for one of its managers only (else
    `PermissionsError`): a forged team id in a button shows nothing of another team."""
    return TeamInfo.of(await check_can_manage(repo, actor.id, team_id))


async def managed_teams(repo: Repository, user_id: int) -> list[Team]:
    """The teams this person manages, oldest first (the order of the team buttons)."""
    return await queries.managed_by(repo, user_id)


async def managers(repo: Repository, team_id: int) -> list[Membership]:
    return await queries.managers(repo, team_id)


MODELS = {"2018": "iso9004-2018", "2009": "iso9004-2009"}
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
    elif key == "scope" and load_model(team.model_id).offers(value):
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
            await queries.managers_in_management(repo, team.id)
    else:
        return SettingRefusal.UNKNOWN
    return None
