"""Setting an organisation up as a quality manager does: teams for other people, their first
managers, outside admins, and the organisation's targets.

An admin runs the organisation; she is not everyone's manager. A team she creates from `/org`
has no manager until she chooses one: a person she already knows through the organisation (a
member or admin of it), herself only when she asks, or whoever opens a one-time "become the
manager of …" link. An admin can be anyone with the bot: a quality officer outside every team
joins by a one-time "become admin of …" link. Each link works once and for `LINK_DAYS`.

Targets per chapter belong to the organisation (`/orgtargets`); its report measures "below
target" against them only (`bot.services.org_reports`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from bot.db.models import Organisation, OrganisationToken, Team
from bot.db.queries import added
from bot.db.queries import organisations as queries
from bot.db.repositories import Repository
from bot.services import permissions, teams
from bot.services.actor import Actor
from bot.services.permissions import MANAGER, Permission, PermissionsError
from domain.catalog import load_model

LINK_DAYS = 7
ADMIN_LINK, MANAGER_LINK = "admin", "manager"
LINK_PREFIX = "org_"
"""Deep-link payloads of organisation links start with it (an invite's token never does:
`bot.services.teams.create_invite` makes 16 URL-safe characters without this prefix in practice,
and an unknown payload with it is answered as an invalid link)."""


@dataclass(frozen=True, slots=True)
class Recipient:
    """Someone to tell about a change, in their language."""

    user_id: int
    language: str


@dataclass(frozen=True, slots=True)
class NewTeam:
    team_id: int
    name: str
    organisation: str
    organisation_id: int


async def create_team(
    repo: Repository, actor: Actor, organisation_id: int, name: str,
    settings: teams.TeamSettings, now: datetime,
) -> NewTeam:
    """A team in the organisation without a manager yet: the admin chooses one next."""
    organisation = await permissions.check_can_administer_org(
        repo, actor, organisation_id)
    team = Team(
        organisation_id=organisation.id, name=name.strip()[:200], model_id=settings.model_id,
        default_scope=settings.default_scope, timezone=settings.timezone,
        use_groups=settings.use_groups, share_results=settings.share_results,
        anonymity_threshold=settings.anonymity_threshold, reassessment="quarterly",
        reminders_enabled=True, created_at=now)
    await added(repo, team)
    return NewTeam(team.id, team.name, organisation.name, organisation.id)


async def _administered_team(
    repo: Repository, actor: Actor, team_id: int
) -> tuple[Team, Organisation]:
    team = await repo.team(team_id)
    if team is None:
        raise PermissionsError(Permission.ADMINISTER_ORG, actor.id)
    return team, await permissions.check_can_administer_org(
        repo, actor, team.organisation_id)


async def manager_candidates(
    repo: Repository, actor: Actor, team_id: int
) -> tuple[NewTeam, list[tuple[int, str]]]:
    """The team, and the people the admin knows through its organisation (its teams' active
    members and its admins) who do not manage it yet, herself left out: (user id, name)."""
    team, organisation = await _administered_team(repo, actor, team_id)
    known = await repo.people_of_organisation(organisation.id)
    managers = set(await repo.managers_of(team.id))
    return (NewTeam(team.id, team.name, organisation.name, organisation.id),
            [(user, name) for user, name in known if user != actor.id and user not in managers])


async def choose_manager(
    repo: Repository, actor: Actor, team_id: int, user_id: int,
    now: datetime,
) -> Recipient | None:
    """Make one of the candidates (or the admin herself) a manager of the team; the new manager
    to tell, or None when the choice is no candidate (a forged or stale button)."""
    team, candidates = await manager_candidates(repo, actor, team_id)
    if user_id != actor.id and user_id not in dict(candidates):
        return None
    membership = await repo.join(team.team_id, user_id, MANAGER, None, now)
    membership.role = MANAGER
    return Recipient(user_id, await repo.language(user_id) or "nl")


async def make_link(
    repo: Repository, actor: Actor, organisation_id: int,
    kind: str, team_id: int | None, now: datetime,
) -> tuple[str, datetime]:
    """A one-time link's payload and its expiry: "become admin of" the organisation, or "become
    the manager of" one of its teams."""
    await permissions.check_can_administer_org(repo, actor, organisation_id)
    if kind == MANAGER_LINK:
        team = await repo.team(team_id) if team_id is not None else None
        if team is None or team.organisation_id != organisation_id:
            raise PermissionsError(Permission.ADMINISTER_ORG, actor.id)
    token = LINK_PREFIX + secrets.token_urlsafe(12)
    expires = now + timedelta(days=LINK_DAYS)
    queries.add_token(repo, OrganisationToken(
        token=token, organisation_id=organisation_id, kind=kind,
        team_id=team_id if kind == MANAGER_LINK else None, created_at=now, expires_at=expires))
    return token, expires


class LinkProblem(Enum):
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class Accepted:
    kind: str
    organisation: str
    team: str | None
    admins: tuple[Recipient, ...]
    """The organisation's admins to tell (not the new admin)."""


async def accept_link(
    repo: Repository, token: str, user_id: int, now: datetime
) -> Accepted | LinkProblem:
    """Use a one-time link: the person becomes admin of the organisation, or manager of the
    team. The link is spent in the same unit of work; a second use is refused."""
    found = await repo.organisation_token(token)
    if found is None:
        return LinkProblem.UNKNOWN
    if found.used_at is not None:
        return LinkProblem.USED
    if found.expires_at <= now:
        return LinkProblem.EXPIRED
    organisation = await queries.organisation(repo, found.organisation_id)
    assert organisation is not None
    found.used_at = now
    team_name = None
    if found.kind == ADMIN_LINK:
        await repo.add_organisation_admin(organisation.id, user_id, None, now)
    else:
        assert found.team_id is not None
        team = await repo.team(found.team_id)
        if team is None or team.organisation_id != organisation.id:
            return LinkProblem.UNKNOWN
        membership = await repo.join(team.id, user_id, MANAGER, None, now)
        membership.role = MANAGER
        team_name = team.name
    return Accepted(found.kind, organisation.name, team_name,
                    await admins_to_tell(repo, organisation.id, without=user_id))


async def admins_to_tell(
    repo: Repository, organisation_id: int, without: int
) -> tuple[Recipient, ...]:
    return tuple(Recipient(user, language)
                 for user, language in await repo.organisation_admins(organisation_id)
                 if user != without)


async def closing(
    repo: Repository, actor: Actor, organisation_cycle_id: int
) -> tuple[str, tuple[str, ...]]:
    """What closing an organisation cycle closes, for an admin to confirm: the organisation's
    name and every team taking part (closing one part closes them all)."""
    _, organisation = await permissions.check_can_administer_org_cycle(
        repo, actor, organisation_cycle_id)
    return organisation.name, tuple(await repo.organisation_cycle_teams(organisation_cycle_id))


@dataclass(frozen=True, slots=True)
class Targets:
    organisation_id: int
    organisation: str
    chapters: tuple[tuple[str, str, str, int | None], ...]
    """(chapter id, Dutch title, English title, target or None) in the model's order."""


async def targets(
    repo: Repository, actor: Actor, organisation_id: int
) -> Targets:
    """The organisation's targets per chapter of its first team's model, for its admins."""
    organisation = await permissions.check_can_administer_org(
        repo, actor, organisation_id)
    model = load_model(await repo.organisation_model(organisation.id))
    chosen = await repo.organisation_targets(organisation.id)
    return Targets(organisation.id, organisation.name, tuple(
        (c.id, c.title("nl"), c.title("en"), chosen.get(c.id))
        for c in model.chapters))


async def set_target(
    repo: Repository, actor: Actor, organisation_id: int,
    chapter_id: str, level: int | None,
) -> Targets:
    """Set (1-5) or remove (None) one chapter's target; a chapter not in the model changes
    nothing (a forged button)."""
    before = await targets(repo, actor, organisation_id)
    if chapter_id not in {c for c, *_ in before.chapters} or level not in (None, 1, 2, 3, 4, 5):
        return before
    await repo.set_organisation_target(organisation_id, chapter_id, level)
    return await targets(repo, actor, organisation_id)
