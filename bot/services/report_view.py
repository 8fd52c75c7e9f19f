"""What a report shows besides the cycle's figures: the team's targets and the previous cycle.

`reports.build_report` decides which figures may be shown (the privacy rules live there); this
module only adds what the documents need around them, so the disclosure rules stay in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.db.models import Cycle
from bot.db.repositories import Repository
from bot.services import improvement, reports
from bot.services.reports import CycleReport


@dataclass(frozen=True, slots=True)
class ReportView:
    report: CycleReport
    targets: Mapping[str, int]
    """Chapter id → the level the team aims for; a chapter without one has no entry."""
    previous_cycle: Cycle | None


async def build(repo: Repository, cycle: Cycle, viewer_id: int) -> ReportView:
    """The report as `viewer_id` may see it (`reports.build_report` decides) and its
    surroundings."""
    report = await reports.build_report(repo, cycle, viewer_id)
    before = await reports.previous_cycle(repo, cycle) if report.previous is not None else None
    return ReportView(report, await improvement.targets(repo, cycle.team_id), before)
