"""`/orgactions`: an organisation's improvement actions per team, for its administrators.

Counts per team (open, stuck, overdue, done) and the stuck and overdue ones by name of action:
where the organisation's help is needed. Only for an admin of the organisation (ADMIN_IDS
administer every one); owners are not named here, the team's own board does that.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.db.queries import organisations as queries
from bot.db.repositories import Repository
from bot.services.actor import Actor
from bot.services.permissions import check_can_administer_org

OPEN = ("open", "on_track", "stuck")


@dataclass(frozen=True, slots=True)
class TeamActions:
    team: str
    open: int
    stuck: int
    overdue: int
    done: int
    stuck_names: tuple[str, ...]
    overdue_names: tuple[str, ...]


async def administered(repo: Repository, actor: Actor) -> list[tuple[int, str]]:
    """(id, name) of the organisations this person administers."""
    return await queries.named(repo, None if actor.is_bot_admin else actor.id)


async def org_actions(
    repo: Repository, actor: Actor, organisation_id: int, now: datetime
) -> tuple[str, list[TeamActions]]:
    """The organisation's name and its teams' action counts; refused unless she administers it."""
    organisation = await check_can_administer_org(repo, actor, organisation_id)
    teams = await queries.teams_by_name(repo, organisation.id)
    rows = await queries.actions_of_teams(repo, [t for t, _ in teams])
    today = now.date()
    overview = []
    for team_id, name in teams:
        mine = [r for r in rows if r.team_id == team_id]
        still = [r for r in mine if r.status in OPEN]
        stuck = [r.what for r in still if r.status == "stuck"]
        late = [r.what for r in still if r.due_on is not None and r.due_on < today]
        overview.append(TeamActions(name, len(still), len(stuck), len(late),
                                    sum(r.status == "done" for r in mine), tuple(stuck),
                                    tuple(late)))
    return organisation.name, overview
