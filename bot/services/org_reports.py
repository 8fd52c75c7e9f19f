"""An organisation cycle's answers gathered from the database and handed to `domain.organisation`.

As in `bot.services.reports`, individual answers never leave this module: what it returns obeys
the organisation cycle's stored family (`bot.services.families`), the same for every reader.
Access only narrows it: an organisation admin sees the total and every team the family shows, a
manager of one of its teams the total and her own team(s) that the family shows, anyone else is
refused. While the cycle is open there are counts of people only.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime

from bot.db.models import (
    Team,
)
from bot.db.queries import organisations as queries
from bot.db.repositories import Repository
from bot.services import families, org_cycles, permissions
from bot.services.actor import Actor
from bot.services.permissions import Permission, PermissionsError
from domain import disclosure, family_figures
from domain.catalog import AssessmentModel, load_model
from domain.organisation import Member, OrganisationFigures


@dataclass(frozen=True, slots=True)
class TeamLine:
    """One team as the status shows it: counts of people only."""

    team_id: int
    name: str
    members: int
    respondents: int
    """People who answered and count in this team (also when they answered in another team)."""


@dataclass(frozen=True, slots=True)
class OrgReport:
    organisation: str
    cycle_id: int
    model: AssessmentModel
    scope_id: str
    opened_at: datetime
    deadline: datetime
    closed_at: datetime | None
    timezone: str
    threshold: int
    as_admin: bool
    teams: tuple[TeamLine, ...]
    """The teams the viewer may know of, in name order (the same order as `figures.teams`)."""
    figures: OrganisationFigures
    withheld: tuple[families.Withheld, ...] = ()
    """Why a team the viewer may know of shows no figures (from the stored family)."""

    @property
    def is_preview(self) -> bool:
        return self.closed_at is None

    def team_name(self, team_id: int) -> str:
        return next(t.name for t in self.teams if t.team_id == team_id)


async def _teams_of(repo: Repository, organisation_cycle_id: int) -> list[Team]:
    """The teams of the organisation cycle, in name order (as the report lists them)."""
    return await queries.teams_of_cycle(repo, organisation_cycle_id)


async def _members(
    repo: Repository, organisation_cycle_id: int, viewer_id: int
) -> list[Member]:
    """Every response with at least one answer, with the teams it counts in (the answering rule
    of `bot.services.org_cycles`); the viewer's own found by person, wherever she answered."""
    counted = await org_cycles.counted_responses(repo, organisation_cycle_id)
    answers: dict[int, dict[str, int | None]] = {c.response_id: {} for c in counted}
    for response_id, element_id, level in await queries.answers_of_cycle(
            repo, organisation_cycle_id):
        answers[response_id][element_id] = level
    return [Member(answers[c.response_id], c.team_ids, c.is_manager,
                   is_viewer=c.user_id == viewer_id, finished=c.completed)
            for c in counted if answers[c.response_id]]


async def build_org_report(
    repo: Repository, actor: Actor, organisation_cycle_id: int
) -> OrgReport:
    """The organisation report as `actor` may see it; `PermissionsError` for anyone who is
    neither an admin of the organisation nor a manager of one of the cycle's teams."""
    viewer_id = actor.id
    cycle = await queries.organisation_cycle(repo, organisation_cycle_id)
    if cycle is None:  # refused as the same as one the viewer may not see
        raise PermissionsError(Permission.MANAGE_TEAM, viewer_id)
    organisation = await queries.organisation(repo, cycle.organisation_id)
    assert organisation is not None
    teams = await _teams_of(repo, cycle.id)
    as_admin = await permissions.is_org_admin(repo, actor, organisation.id)
    managed = [team for team in teams
               if permissions.is_active_manager(await repo.membership(team.id, viewer_id))]
    visible = teams if as_admin else managed
    if not visible:
        raise PermissionsError(Permission.MANAGE_TEAM, viewer_id)
    # One rule for the whole organisation: the strictest threshold of its teams.
    threshold = max(disclosure.effective_threshold(team.anonymity_threshold) for team in teams)
    model = load_model(cycle.model_id)
    chapter_targets = await repo.organisation_targets(organisation.id)  # its own, or none
    family = await families.of_organisation_cycle(repo, cycle.id)
    people = [dataclasses.replace(m, is_viewer=False)
              for m in await _members(repo, cycle.id, viewer_id)]
    figures = family_figures.organisation_figures(
        model, cycle.scope_id, people, [team.id for team in visible], family,
        targets={e: chapter_targets[model.elements[e].chapter_id]
                 for e in model.scope(cycle.scope_id).element_ids
                 if model.elements[e].chapter_id in chapter_targets})
    threshold += 1  # the stored family's rule: every part holds k + 1 people
    members = {s.team_id: s.members for s in await org_cycles.team_statuses(repo, cycle.id)}
    lines = tuple(TeamLine(team.id, team.name, members.get(team.id, 0), column.respondents)
                  for team, column in zip(visible, figures.teams, strict=True))
    return OrgReport(
        organisation=organisation.name, cycle_id=cycle.id, model=model, scope_id=cycle.scope_id,
        opened_at=cycle.opened_at, deadline=cycle.deadline, closed_at=cycle.closed_at,
        timezone=min(teams, key=lambda team: team.id).timezone,
        threshold=threshold, as_admin=as_admin, teams=lines, figures=figures,
        withheld=await families.withheld(repo, family, {team.id for team in visible}))


async def reportable(repo: Repository, actor: Actor) -> list[tuple[int, str]]:
    """(organisation cycle, organisation name) per organisation whose report the viewer may
    read: the open cycle (counts only) or else the one that closed last; by organisation."""
    return await queries.reportable(repo, None if actor.is_bot_admin else actor.id)
