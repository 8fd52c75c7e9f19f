"""Queries of the levels a management team agreed (for `bot.services.agreements`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select

from bot.db.models import AgreedLevel, Cycle
from bot.db.repositories import Repository, dialect_insert


async def record(
    repo: Repository, cycle_id: int, element_id: str, level: int, reason: str, agreed_by: int,
    now: datetime,
) -> None:
    """The cycle's agreed level for the element; agreeing again replaces it."""
    values = {"level": level, "reason": reason, "agreed_by": agreed_by, "agreed_at": now}
    await repo.session.execute(dialect_insert(repo.session, AgreedLevel).values(
        cycle_id=cycle_id, element_id=element_id, **values
    ).on_conflict_do_update(index_elements=["cycle_id", "element_id"], set_=values))


async def of_cycle(repo: Repository, cycle_id: int) -> Sequence[AgreedLevel]:
    return (await repo.session.scalars(
        select(AgreedLevel).where(AgreedLevel.cycle_id == cycle_id))).all()


async def before(repo: Repository, cycle: Cycle) -> Sequence[AgreedLevel]:
    """The agreed levels of the team's earlier cycles of the same edition, oldest cycle first
    (earlier by id: two cycles may open at the same moment)."""
    return (await repo.session.scalars(
        select(AgreedLevel).join(Cycle, Cycle.id == AgreedLevel.cycle_id)
        .where(Cycle.team_id == cycle.team_id, Cycle.model_id == cycle.model_id,
               Cycle.id < cycle.id)
        .order_by(Cycle.id))).all()
