"""Queries behind a team's history (for `bot.services.history`): the edition's closed cycles and
the aggregate marks of their responses that a cached point depends on."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select

from bot.db.models import Cycle, Response
from bot.db.repositories import Repository


async def edition_cycles(repo: Repository, cycle: Cycle) -> Sequence[Cycle]:
    """The closed cycles of the team and edition up to `cycle` (itself included once closed),
    oldest first, by id."""
    return (await repo.session.scalars(
        select(Cycle).where(Cycle.team_id == cycle.team_id, Cycle.model_id == cycle.model_id,
                            Cycle.id <= cycle.id, Cycle.closed_at.is_not(None))
        .order_by(Cycle.id))).all()


async def response_marks(repo: Repository, cycle_id: int) -> tuple[tuple[object, ...],
                                                                   tuple[object, ...]]:
    """Aggregates of the cycle's responses (the managers', then everyone's): who answered, as
    manager, in which group, finished or not. Never a level."""
    marks = (await repo.session.execute(
        select(func.count(), func.sum(func.coalesce(Response.membership_id, 0)),
               func.count(Response.membership_id), func.sum(Response.id),
               func.count(Response.completed_at), func.count(Response.stakeholder_group))
        .where(Response.cycle_id == cycle_id, Response.is_manager.is_(True))
    )).one()
    everyone = (await repo.session.execute(
        select(func.count(), func.sum(func.coalesce(Response.membership_id, 0)),
               func.count(Response.membership_id), func.sum(Response.id),
               func.count(Response.completed_at), func.count(Response.stakeholder_group),
               func.sum(func.length(Response.stakeholder_group) * Response.id))
        .where(Response.cycle_id == cycle_id))).one()
    return tuple(marks), tuple(everyone)


def database(repo: Repository) -> str:
    """Which database this unit of work reads (a cache key must not mix two)."""
    return str(repo.session.get_bind().engine.url)
