"""The agreed profile: per element of a closed cycle, the level the management team agreed on.

The meeting records it (`record_agreed`), the report and /export read it (`agreed_levels`), and a
later cycle compares its median with the last agreed level (`last_agreed`). Agreeing is a manager
verb, checked here like every other one. An agreed level is the team's collective judgement, not
a person's answer, so it is shown without a threshold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.db.models import Cycle
from bot.db.queries import agreements as queries
from bot.db.repositories import Repository
from bot.services.permissions import check_can_manage_cycle

MAX_REASON = 300


@dataclass(frozen=True, slots=True)
class Agreed:
    element_id: str
    level: int
    reason: str
    agreed_at: datetime


class CycleStillOpen(Exception):
    """Agreeing comes after the close: while people can still answer there is nothing to agree."""


async def record_agreed(
    repo: Repository, actor_id: int, cycle_id: int, element_id: str, level: int, reason: str,
    now: datetime,
) -> Agreed:
    """Record (or change) the agreed level of one element; recording twice keeps the last one."""
    if not 1 <= level <= 5:
        raise ValueError(f"agreed level {level} is not 1-5")
    cycle, _ = await check_can_manage_cycle(repo, actor_id, cycle_id)
    if cycle.closed_at is None:
        raise CycleStillOpen(cycle_id)
    reason = reason.strip()[:MAX_REASON]
    await queries.record(repo, cycle_id, element_id, level, reason, actor_id, now)
    return Agreed(element_id=element_id, level=level, reason=reason, agreed_at=now)


async def agreed_levels(repo: Repository, cycle_id: int) -> dict[str, Agreed]:
    """What was agreed for a cycle, by element id."""
    rows = await queries.of_cycle(repo, cycle_id)
    return {row.element_id: Agreed(row.element_id, row.level, row.reason, row.agreed_at)
            for row in rows}


async def last_agreed(repo: Repository, cycle: Cycle) -> dict[str, Agreed]:
    """Per element, the latest level agreed in an earlier cycle of the same team and edition
    (element ids of another edition name other elements: 2009's 7.1 is not 2018's)."""
    # Earlier by id, as `reports.previous_cycle` counts: two cycles may open at the same moment.
    rows = await queries.before(repo, cycle)
    latest: dict[str, Agreed] = {}
    for row in rows:
        latest[row.element_id] = Agreed(row.element_id, row.level, row.reason, row.agreed_at)
    return latest
