"""An organisation cycle's answers gathered from the database and handed to `domain.organisation`.

As in `bot.services.reports`, individual answers never leave this module: what it returns obeys
the organisation cycle's stored family (`bot.services.families`), the same for every reader.
Access only narrows it: an organisation admin sees the total and every team the family shows, a
manager of one of its teams the total and her own team(s) that the family shows, anyone else is
refused. While the cycle is open there are counts of people only.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from bot.db.models import (
    Answer,
    Cycle,
    Membership,
    Organisation,
    OrganisationAdmin,
    OrganisationCycle,
    Response,
    Team,
)
from bot.db.repositories import Repository
from bot.services import families, org_cycles, permissions
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
    return list((await repo.session.scalars(
        select(Team).join(Cycle, Cycle.team_id == Team.id)
        .where(Cycle.organisation_cycle_id == organisation_cycle_id)
        .order_by(Team.name, Team.id))).all())


async def _members(
    repo: Repository, organisation_cycle_id: int, viewer_id: int
) -> list[Member]:
    """Every response with at least one answer, with the teams it counts in (the answering rule
    of `bot.services.org_cycles`); the viewer's own found by person, wherever she answered."""
    counted = await org_cycles.counted_responses(repo, organisation_cycle_id)
    answers: dict[int, dict[str, int | None]] = {c.response_id: {} for c in counted}
    rows = await repo.session.execute(  # one query for the whole organisation
        select(Answer.response_id, Answer.element_id, Answer.level)
        .join(Response, Response.id == Answer.response_id)
        .join(Cycle, Cycle.id == Response.cycle_id)
        .where(Cycle.organisation_cycle_id == organisation_cycle_id))
    for response_id, element_id, level in rows.all():
        answers[response_id][element_id] = level
    return [Member(answers[c.response_id], c.team_ids, c.is_manager,
                   is_viewer=c.user_id == viewer_id, finished=c.completed)
            for c in counted if answers[c.response_id]]


async def build_org_report(
    repo: Repository, organisation_cycle_id: int, viewer_id: int,
    admin_ids: Collection[int] = (),
) -> OrgReport:
    """The organisation report as `viewer_id` may see it; `PermissionsError` for anyone who is
    neither an admin of the organisation nor a manager of one of the cycle's teams."""
    cycle = await repo.session.get(OrganisationCycle, organisation_cycle_id)
    if cycle is None:  # refused as the same as one the viewer may not see
        raise PermissionsError(Permission.MANAGE_TEAM, viewer_id)
    organisation = await repo.session.get(Organisation, cycle.organisation_id)
    assert organisation is not None
    teams = await _teams_of(repo, cycle.id)
    as_admin = await permissions.is_org_admin(repo, frozenset(admin_ids), viewer_id,
                                              organisation.id)
    managed = [team for team in teams
               if permissions.is_active_manager(await repo.membership(team.id, viewer_id))]
    visible = teams if as_admin else managed
    if not visible:
        raise PermissionsError(Permission.MANAGE_TEAM, viewer_id)
    # One rule for the whole organisation: the strictest threshold of its teams.
    threshold = max(disclosure.effective_threshold(team.anonymity_threshold) for team in teams)
    model = load_model(cycle.model_id)
    family = await families.of_organisation_cycle(repo, cycle.id)
    people = [dataclasses.replace(m, is_viewer=False)
              for m in await _members(repo, cycle.id, viewer_id)]
    figures = family_figures.organisation_figures(
        model, cycle.scope_id, people, [team.id for team in visible], family)
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


async def reportable(
    repo: Repository, admin_ids: Collection[int], viewer_id: int
) -> list[tuple[int, str]]:
    """(organisation cycle, organisation name) per organisation whose report the viewer may
    read: the open cycle (counts only) or else the one that closed last; by organisation."""
    managed = select(Team.organisation_id).join(Membership, Membership.team_id == Team.id).where(
        Membership.user_id == viewer_id, Membership.active.is_(True),
        Membership.role == permissions.MANAGER)
    administered = select(OrganisationAdmin.organisation_id).where(
        OrganisationAdmin.user_id == viewer_id)
    query = select(Organisation.id, Organisation.name).order_by(Organisation.id)
    if viewer_id not in admin_ids:
        query = query.where(Organisation.id.in_(managed) | Organisation.id.in_(administered))
    found = []
    for organisation_id, name in (await repo.session.execute(query)).all():
        cycle_id = await repo.session.scalar(
            select(OrganisationCycle.id).where(OrganisationCycle.organisation_id == organisation_id)
            .order_by(OrganisationCycle.closed_at.is_not(None), OrganisationCycle.id.desc())
            .limit(1))
        if cycle_id is not None:
            found.append((cycle_id, name))
    return found
