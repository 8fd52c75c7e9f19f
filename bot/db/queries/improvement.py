"""Queries about a team's targets and improvement actions (for `bot.services.improvement` and the
reports that show them)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from bot.db.models import ImprovementAction, Target
from bot.db.repositories import Repository, dialect_insert


async def targets(repo: Repository, team_id: int) -> dict[str, int]:
    """Chapter id → the level the team aims for; a chapter without one has no entry."""
    rows = await repo.session.execute(
        select(Target.chapter_id, Target.level).where(Target.team_id == team_id))
    return dict(rows.all())


async def set_target(repo: Repository, team_id: int, chapter_id: str, level: int) -> None:
    statement = dialect_insert(repo.session, Target).values(
        team_id=team_id, chapter_id=chapter_id, level=level
    ).on_conflict_do_update(index_elements=["team_id", "chapter_id"], set_={"level": level})
    await repo.session.execute(statement)


async def actions(
    repo: Repository, team_id: int, *, open_only: bool
) -> Sequence[ImprovementAction]:
    query = select(ImprovementAction).where(ImprovementAction.team_id == team_id)
    if open_only:
        query = query.where(ImprovementAction.status.not_in(("done", "dropped")))
    return (await repo.session.scalars(query.order_by(ImprovementAction.id))).all()


async def action_for(
    repo: Repository, team_id: int, cycle_id: int, element_id: str
) -> ImprovementAction | None:
    return await repo.session.scalar(select(ImprovementAction).where(
        ImprovementAction.team_id == team_id, ImprovementAction.cycle_id == cycle_id,
        ImprovementAction.element_id == element_id))


async def action(repo: Repository, action_id: int) -> ImprovementAction | None:
    return await repo.session.get(ImprovementAction, action_id)


async def add(repo: Repository, action: ImprovementAction) -> ImprovementAction:
    repo.session.add(action)
    await repo.session.flush()
    return action


async def flush(repo: Repository) -> None:
    await repo.session.flush()
