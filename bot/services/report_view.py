"""What a report shows besides the cycle's figures: the team's targets and the previous cycle.

`reports.build_report` decides which figures may be shown (the privacy rules live there); this
module only adds what the documents need around them, so the disclosure rules stay in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.db.models import Cycle
from bot.db.queries import improvement as improvement_queries
from bot.db.repositories import Repository
from bot.services import history, reports
from bot.services.actor import Actor
from bot.services.permissions import check_can_manage, check_can_manage_cycle
from bot.services.records import CycleInfo
from bot.services.reports import CycleReport
from domain.history import History


@dataclass(frozen=True, slots=True)
class ReportView:
    report: CycleReport
    targets: Mapping[str, int]
    """Chapter id → the level the team aims for; a chapter without one has no entry."""
    previous_cycle: CycleInfo | None
    history: History | None = None
    """Every closed cycle of the edition up to this one, each point as its own report shows it to
    this reader (`bot.services.history`); None while the cycle is open."""


async def latest(repo: Repository, actor: Actor, team_id: int) -> ReportView | None:
    """`/report` and `/export`: the team's open cycle (a preview of counts) or else its latest
    closed one, for one of its managers only (else `PermissionsError`); None without a cycle."""
    await check_can_manage(repo, actor.id, team_id)
    cycle = await reports.latest_reportable_cycle(repo, team_id)
    return await build(repo, cycle, actor.id) if cycle is not None else None


async def latest_cycle(repo: Repository, actor: Actor, team_id: int) -> Cycle | None:
    """The cycle `/report` shows (as `latest`), for one of the team's managers only: the row,
    so that a closed cycle's kept rendering is found without building its report again."""
    await check_can_manage(repo, actor.id, team_id)
    return await reports.latest_reportable_cycle(repo, team_id)


async def of_cycle(repo: Repository, actor: Actor, cycle_id: int) -> ReportView:
    """A cycle's report (its web page, its CSV), for a manager of the cycle's team only."""
    cycle, _ = await check_can_manage_cycle(repo, actor.id, cycle_id)
    return await build(repo, cycle, actor.id)


async def every_cycle(repo: Repository, actor: Actor, cycle_id: int) -> list[ReportView]:
    """The report of every closed cycle of the edition up to this one, oldest first, each as
    the actor may see it (`reports.build_report` of that cycle decides), for a manager of the
    cycle's team only: the "all cycles" export is these reports one after the other, never a
    figure of its own."""
    cycle, _ = await check_can_manage_cycle(repo, actor.id, cycle_id)
    return await all_cycles_of(repo, cycle, actor.id)


async def all_cycles_of(repo: Repository, cycle: Cycle, viewer_id: int) -> list[ReportView]:
    """`every_cycle` unchecked, for a caller that has checked the reader (the cockpit)."""
    views = []
    for earlier in await history.edition_cycles(repo, cycle):
        report = await reports.build_report(repo, earlier, viewer_id)
        before = (await reports.previous_cycle(repo, earlier)
                  if report.previous is not None else None)
        views.append(ReportView(report, await improvement_queries.targets(repo, earlier.team_id),
                                CycleInfo.of(before) if before is not None else None))
    return views


async def build(repo: Repository, cycle: Cycle, viewer_id: int) -> ReportView:
    """The report as `viewer_id` may see it (`reports.build_report` decides) and its
    surroundings. Unchecked: for the outbox, which sends each reader the report planned for her
    (a manager's report, a shared result); a person asking goes through `latest`/`of_cycle`."""
    report = await reports.build_report(repo, cycle, viewer_id)
    before = await reports.previous_cycle(repo, cycle) if report.previous is not None else None
    past = (await history.team_history(repo, cycle, viewer_id, latest=report)
            if not report.is_preview else None)
    return ReportView(report, await improvement_queries.targets(repo, cycle.team_id),
                      CycleInfo.of(before) if before is not None else None, past)
