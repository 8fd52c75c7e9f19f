"""What a report shows besides the cycle's figures: the team's targets and the previous cycle.

`reports.build_report` decides which figures may be shown (the privacy rules live there); this
module only adds what the documents need around them, so the disclosure rules stay in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.db.models import Cycle
from bot.db.repositories import Repository
from bot.services import history, improvement, reports
from bot.services.reports import CycleReport
from domain.history import History


@dataclass(frozen=True, slots=True)
class ReportView:
    report: CycleReport
    targets: Mapping[str, int]
    """Chapter id → the level the team aims for; a chapter without one has no entry."""
    previous_cycle: Cycle | None
    history: History | None = None
    """Every closed cycle of the edition up to this one, each point as its own report shows it to
    this reader (`bot.services.history`); None while the cycle is open."""


async def every_cycle(repo: Repository, cycle: Cycle, viewer_id: int) -> list[ReportView]:
    """The report of every closed cycle of the edition up to `cycle`, oldest first, each as
    `viewer_id` may see it (`reports.build_report` of that cycle decides): the "all cycles"
    export is these reports one after the other, never a figure of its own."""
    return [ReportView(report, await improvement.targets(repo, earlier.team_id),
                       await reports.previous_cycle(repo, earlier)
                       if report.previous is not None else None)
            for earlier in await history.edition_cycles(repo, cycle)
            for report in [await reports.build_report(repo, earlier, viewer_id)]]


async def build(repo: Repository, cycle: Cycle, viewer_id: int) -> ReportView:
    """The report as `viewer_id` may see it (`reports.build_report` decides) and its
    surroundings."""
    report = await reports.build_report(repo, cycle, viewer_id)
    before = await reports.previous_cycle(repo, cycle) if report.previous is not None else None
    past = (await history.team_history(repo, cycle, viewer_id, latest=report)
            if not report.is_preview else None)
    return ReportView(report, await improvement.targets(repo, cycle.team_id), before, past)
