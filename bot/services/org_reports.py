"""An organisation cycle's answers gathered from the database and handed to `domain.organisation`.

As in `bot.services.reports`, individual answers never leave this module: what it returns is
already anonymous for the person who asked. An organisation admin sees every team of the cycle
that the disclosure rule allows, a manager of one of its teams her own team(s) and the total (when
both can be shown together), anyone else is refused. The viewer's own answers count in the figures
but not towards k, and while the cycle is open there are counts of people only.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

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
from bot.services.permissions import Permission, PermissionsError, is_active_manager
from domain import disclosure
from domain.catalog import AssessmentModel, load_model
from domain.organisation import Member, OrganisationFigures, organisation_figures


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

    @property
    def is_preview(self) -> bool:
        return self.closed_at is None

    def team_name(self, team_id: int) -> str:
        return next(t.name for t in self.teams if t.team_id == team_id)


async def is_organisation_admin(
    repo: Repository, admin_ids: Collection[int], organisation_id: int, user_id: int
) -> bool:
    """ADMIN_IDS are admins of every organisation; others by a row in `organisation_admins`."""
    if user_id in admin_ids:
        return True
    row = await repo.session.get(OrganisationAdmin, (organisation_id, user_id))
    return row is not None


async def _teams_of(repo: Repository, organisation_cycle_id: int) -> list[tuple[Cycle, Team]]:
    rows = await repo.session.execute(
        select(Cycle, Team).join(Team, Team.id == Cycle.team_id)
        .where(Cycle.organisation_cycle_id == organisation_cycle_id).order_by(Team.name, Team.id))
    return [(cycle, team) for cycle, team in rows.tuples().all()]


async def counting_teams(
    repo: Repository, organisation_cycle_id: int
) -> dict[int, frozenset[int]]:
    """Per response of the organisation cycle, the teams of the cycle it counts in: the team it
    was given in, and every other team of the cycle where the person is an active member."""
    pairs = await _teams_of(repo, organisation_cycle_id)
    team_ids = [team.id for _, team in pairs]
    rows = await repo.session.execute(
        select(Response.id, Cycle.team_id, Membership.user_id)
        .join(Cycle, Cycle.id == Response.cycle_id)
        .outerjoin(Membership, Membership.id == Response.membership_id)
        .where(Cycle.organisation_cycle_id == organisation_cycle_id))
    responses = rows.tuples().all()
    active = await repo.session.execute(
        select(Membership.user_id, Membership.team_id)
        .where(Membership.team_id.in_(team_ids), Membership.active.is_(True)))
    teams_of_person: dict[int, set[int]] = {}
    for user_id, team_id in active.tuples().all():
        teams_of_person.setdefault(user_id, set()).add(team_id)
    return {response_id: frozenset({team_id} | (teams_of_person.get(user_id, set())
                                                if user_id is not None else set()))
            for response_id, team_id, user_id in responses}


async def _members(
    repo: Repository, organisation_cycle_id: int, viewer_id: int,
    teams: Mapping[int, frozenset[int]],
) -> list[Member]:
    """Every response with at least one answer, with its teams; the viewer's marked."""
    responses = (await repo.session.execute(
        select(Response.id, Response.is_manager, Response.completed_at, Membership.user_id)
        .join(Cycle, Cycle.id == Response.cycle_id)
        .outerjoin(Membership, Membership.id == Response.membership_id)
        .where(Cycle.organisation_cycle_id == organisation_cycle_id)
        .order_by(Response.id))).tuples().all()
    answers: dict[int, dict[str, int | None]] = {response_id: {} for response_id, *_ in responses}
    rows = await repo.session.execute(  # one query for the whole organisation
        select(Answer.response_id, Answer.element_id, Answer.level)
        .join(Response, Response.id == Answer.response_id)
        .join(Cycle, Cycle.id == Response.cycle_id)
        .where(Cycle.organisation_cycle_id == organisation_cycle_id))
    for response_id, element_id, level in rows.tuples().all():
        answers[response_id][element_id] = level
    return [Member(answers[response_id], teams.get(response_id, frozenset()), is_manager,
                   is_viewer=user_id == viewer_id, finished=completed_at is not None)
            for response_id, is_manager, completed_at, user_id in responses
            if answers[response_id]]


async def _member_counts(repo: Repository, team_ids: Collection[int]) -> dict[int, int]:
    rows = await repo.session.execute(
        select(Membership.team_id, func.count()).where(
            Membership.team_id.in_(team_ids), Membership.active.is_(True))
        .group_by(Membership.team_id))
    return {team_id: int(count) for team_id, count in rows.tuples().all()}


async def build_org_report(
    repo: Repository, organisation_cycle_id: int, viewer_id: int,
    admin_ids: Collection[int] = (),
) -> OrgReport:
    """The organisation report as `viewer_id` may see it; `PermissionsError` for anyone who is
    neither an admin of the organisation nor a manager of one of the cycle's teams."""
    cycle = await repo.session.get(OrganisationCycle, organisation_cycle_id)
    if cycle is None:
        raise PermissionsError(Permission.MANAGE_TEAM, viewer_id)
    organisation = await repo.session.get(Organisation, cycle.organisation_id)
    assert organisation is not None
    pairs = await _teams_of(repo, cycle.id)
    as_admin = await is_organisation_admin(repo, admin_ids, organisation.id, viewer_id)
    managed = {team.id for _, team in pairs if as_admin
               or is_active_manager(await repo.membership(team.id, viewer_id))}
    if not managed:
        raise PermissionsError(Permission.MANAGE_TEAM, viewer_id)
    visible = [team for _, team in pairs if team.id in managed]
    threshold = max((disclosure.effective_threshold(team.anonymity_threshold)
                     for _, team in pairs), default=disclosure.MINIMUM_THRESHOLD)
    model = load_model(cycle.model_id)
    people = await _members(repo, cycle.id, viewer_id, await counting_teams(repo, cycle.id))
    figures = organisation_figures(
        model, cycle.scope_id, people, [team.id for team in visible], threshold,
        closed=cycle.closed_at is not None, total_first=as_admin)
    members = await _member_counts(repo, [team.id for team in visible])
    lines = tuple(TeamLine(team.id, team.name, members.get(team.id, 0), column.respondents)
                  for team, column in zip(visible, figures.teams, strict=True))
    return OrgReport(
        organisation=organisation.name, cycle_id=cycle.id, model=model, scope_id=cycle.scope_id,
        opened_at=cycle.opened_at, deadline=cycle.deadline, closed_at=cycle.closed_at,
        timezone=min(pairs, key=lambda pair: pair[1].id)[1].timezone if pairs
        else "Europe/Amsterdam",
        threshold=threshold, as_admin=as_admin, teams=lines, figures=figures)
