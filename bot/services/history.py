"""A team's history over every closed cycle of one edition, each cycle read as its own report.

Every point comes from `reports.build_report` for that cycle and that reader, the same function
the chat report uses, so the history follows whatever disclosure rule the report follows (a hidden
figure stays a gap) and cannot show what a single report would hide (`domain.history`).
Cycles of another edition are left out: their element ids name other elements.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import replace

from bot.db.models import Cycle
from bot.db.queries import history as queries
from bot.db.repositories import Repository
from bot.services import agreements, families, reports
from bot.services.reports import CycleReport
from domain import history as domain_history
from domain.catalog import load_model
from domain.history import History


async def edition_cycles(repo: Repository, cycle: Cycle) -> Sequence[Cycle]:
    """The closed cycles of the team and edition up to `cycle` (itself included once closed),
    oldest first; by id, as `reports.previous_cycle` counts."""
    return await queries.edition_cycles(repo, cycle)


def point_of(report: CycleReport) -> domain_history.CyclePoint:
    """One cycle's point, copied from its reader's report."""
    cycle = report.cycle
    assert cycle.closed_at is not None
    return domain_history.point(cycle.id, cycle.opened_at, cycle.closed_at, report.result,
                                {a.element_id: a.level for a in report.agreed})


CACHED_POINTS = 4096
_points: OrderedDict[tuple[object, ...], domain_history.CyclePoint] = OrderedDict()
"""Points already built, by everything their figures depend on (`_fingerprint`): a closed
cycle's report is the same for every reader until its responses or its stored family change,
and rebuilding eight reports of a thousand people each costs seconds. Derived data only: a key
that misses finds the report built afresh."""


async def _fingerprint(repo: Repository, cycle: Cycle) -> tuple[object, ...] | None:
    """What a closed cycle's figures depend on, from a few aggregate queries: the database, the
    cycle's stored family (what it may show, decided at its close for every reader alike), and
    the responses with their marks (who answered, as manager, in which group, finished or not).
    None for a part of an organisation cycle, whose figures also depend on the other teams
    (built every time)."""
    if cycle.organisation_cycle_id is not None:
        return None
    family = await families.of_cycle(repo, cycle)
    marks, everyone = await queries.response_marks(repo, cycle.id)
    return (queries.database(repo), cycle.id, cycle.closed_at, cycle.scope_id,
            family.to_json(), marks, everyone)


async def _point(repo: Repository, cycle: Cycle, viewer_id: int) -> domain_history.CyclePoint:
    """A closed cycle's point for this reader: from the cache or from `build_report`; the agreed
    levels are read afresh (a meeting may agree after the close)."""
    key = await _fingerprint(repo, cycle)
    found = _points.get(key) if key is not None else None
    if found is None:
        found = point_of(await reports.build_report(repo, cycle, viewer_id))
        if key is not None:
            _points[key] = found
            if len(_points) > CACHED_POINTS:
                _points.popitem(last=False)
    agreed = await agreements.agreed_levels(repo, cycle.id)
    return replace(found, agreed={e: a.level for e, a in agreed.items()})


async def team_history(
    repo: Repository, cycle: Cycle, viewer_id: int, *, latest: CycleReport | None = None
) -> History:
    """The history up to `cycle` as `viewer_id` may see it: each point as `build_report` gives
    it for that cycle and reader (the latest one can be handed in when the caller built it)."""
    points = []
    for earlier in await edition_cycles(repo, cycle):
        points.append(point_of(latest) if latest is not None and latest.cycle.id == earlier.id
                      else await _point(repo, earlier, viewer_id))
    model = load_model(cycle.model_id)
    chapters = [c.id for c in model.chapters]
    scoped = {e for p in points for e in p.medians}
    return domain_history.history(
        points, [c for c in chapters if any(c in p.chapters for p in points)],
        [e for e in model.elements if e in scoped])
