"""What the cockpit (the Mini App) may show its reader: the same reports as the chat, by the same
functions, behind the same permission checks.

Every read takes the acting person and decides here: a team's figures for its managers
(`permissions.check_can_manage`), an organisation's for its admins and the managers of its teams
(`org_reports.build_org_report`). A team or cycle the reader may not see raises the same
`PermissionsError` as one that does not exist, so the page cannot tell them apart. Figures come
from `report_view.build` and `org_reports.build_org_report`, never computed here.

The action board reads `improvement.actions`; the `/actions` work (issue #29) may replace that
service, and the board should then read through whatever it offers (one seam: `action_board`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from bot.db.models import Cycle
from bot.db.queries import reports as report_queries
from bot.db.repositories import Repository
from bot.services import (
    actions,
    history,
    improvement,
    org_reports,
    permissions,
    report_view,
    teams,
)
from bot.services.actor import Actor
from bot.services.org_reports import OrgReport
from bot.services.permissions import Permission, PermissionsError
from bot.services.report_view import ReportView
from domain import disclosure
from domain.history import History


@dataclass(frozen=True, slots=True)
class Openable:
    kind: str
    """"team" or "organisation"."""
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class Me:
    user_id: int
    language: str
    teams: tuple[Openable, ...]
    organisations: tuple[Openable, ...]
    """By organisation cycle: the open one (counts only) or else the one that closed last."""


@dataclass(frozen=True, slots=True)
class TeamHistory:
    """A team's history for the cockpit: every point as its own cycle's report shows it to this
    reader (`history.team_history`), with what the page needs around it."""

    team_id: int
    name: str
    model_id: str
    cycle_id: int
    """The latest closed cycle, whose chapters the page drills into."""
    threshold: int
    targets: Mapping[str, int]
    history: History


@dataclass(frozen=True, slots=True)
class ActionLine:
    id: int
    element_id: str
    what: str
    owner: str
    mine: bool
    due_on: date | None
    created_at: datetime | None
    done_at: datetime | None


async def me(repo: Repository, actor: Actor, language_hint: str | None = None) -> Me:
    """What this reader may open: the teams she manages and the organisations whose report she
    may read (a participant gets an empty list, never a team's figures)."""
    language = await repo.language(actor.id) or language_hint or "nl"
    return Me(actor.id, language if language in ("nl", "en") else "nl",
              tuple(Openable("team", t.id, t.name)
                    for t in await teams.managed_teams(repo, actor.id)),
              tuple(Openable("organisation", cycle_id, name)
                    for cycle_id, name in await org_reports.reportable(repo, actor)))


async def _latest_closed(repo: Repository, team_id: int) -> Cycle | None:
    return await report_queries.last_closed(repo, team_id)


async def team_view(
    repo: Repository, actor: Actor, team_id: int, cycle_id: int | None = None
) -> ReportView | None:
    """The report of the team's latest closed cycle (or of `cycle_id`, one of the team's own),
    with its history, as the chat's /report builds it; None when no cycle has closed yet."""
    await permissions.check_can_manage(repo, actor.id, team_id)
    if cycle_id is None:
        cycle = await _latest_closed(repo, team_id)
    else:
        cycle = await repo.cycle(cycle_id)
        if cycle is None or cycle.team_id != team_id or cycle.closed_at is None:
            raise PermissionsError(Permission.MANAGE_TEAM, actor.id, team_id)
    return await report_view.build(repo, cycle, actor.id) if cycle is not None else None


async def team_history(repo: Repository, actor: Actor, team_id: int) -> TeamHistory | None:
    """The team's history up to its latest closed cycle (None before the first one closes):
    only the points, which `history` finds again without rebuilding a closed cycle's report."""
    team = await permissions.check_can_manage(repo, actor.id, team_id)
    cycle = await _latest_closed(repo, team_id)
    if cycle is None:
        return None
    return TeamHistory(team.id, team.name, cycle.model_id, cycle.id,
                       disclosure.effective_threshold(team.anonymity_threshold),
                       await improvement.targets(repo, actor, team_id),
                       await history.team_history(repo, cycle, actor.id))


async def every_cycle(repo: Repository, actor: Actor, team_id: int) -> Sequence[ReportView]:
    """Every closed cycle's report of the team's edition, for the "all cycles" download."""
    await permissions.check_can_manage(repo, actor.id, team_id)
    cycle = await _latest_closed(repo, team_id)
    return await report_view.all_cycles_of(repo, cycle, actor.id) if cycle is not None else []


async def action_board(repo: Repository, actor: Actor, team_id: int) -> tuple[ActionLine, ...]:
    """The team's improvement actions, open and done, for its managers."""
    return tuple(ActionLine(a.id, a.element_id, a.what, a.owner, a.owner_id == actor.id,
                            a.due_on, a.created_at, a.done_at)
                 for a in await improvement.actions(repo, actor, team_id, open_only=False))


async def finish_action(
    repo: Repository, actor: Actor, team_id: int, action_id: int, now: datetime
) -> None:
    """Mark an action done from the board, through the chat's own service: the same permission
    (the team's managers and the owner) and the same history entry the digest reads."""
    shown = await actions.show(repo, actor, action_id, now)  # refuses a stranger
    if shown.team_id != team_id:
        raise PermissionsError(Permission.MANAGE_TEAM, actor.id, team_id)
    if shown.status is not actions.Status.DONE:
        await actions.update_status(repo, actor, action_id, actions.Status.DONE, None, now,
                                    ask_note=False)


async def organisation_view(
    repo: Repository, actor: Actor, organisation_cycle_id: int
) -> OrgReport:
    """The organisation report as the chat's /orgreport builds it for this reader (an admin
    sees every team the rule allows, a team manager her teams and the total)."""
    return await org_reports.build_org_report(repo, actor, organisation_cycle_id)
