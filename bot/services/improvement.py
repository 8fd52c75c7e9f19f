"""Targets per chapter and improvement actions: turning a report's priorities into work.

An action remembers the element and the cycle it came from, so a later report can show the
element's level before and after — the check in plan-do-check-act.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from bot.db.models import ImprovementAction, Target
from bot.db.repositories import Repository, dialect_insert
from domain.priorities import DEFAULT_TARGET

ACTION_HORIZON = timedelta(days=90)


async def targets(repo: Repository, team_id: int) -> dict[str, int]:
    rows = await repo.session.execute(
        select(Target.chapter_id, Target.level).where(Target.team_id == team_id))
    return dict(rows.all())


async def set_target(repo: Repository, team_id: int, chapter_id: str, level: int) -> None:
    statement = dialect_insert(repo.session, Target).values(
        team_id=team_id, chapter_id=chapter_id, level=level
    ).on_conflict_do_update(index_elements=["team_id", "chapter_id"], set_={"level": level})
    await repo.session.execute(statement)


def target_of(chosen: dict[str, int], chapter_id: str) -> int:
    return chosen.get(chapter_id, DEFAULT_TARGET)


async def add_action(
    repo: Repository, team_id: int, cycle_id: int, element_id: str, what: str, owner: str,
    now: datetime, due: date | None = None,
) -> ImprovementAction:
    """One action per element and cycle: tapping the button twice does not create two."""
    existing = await repo.session.scalar(select(ImprovementAction).where(
        ImprovementAction.team_id == team_id, ImprovementAction.cycle_id == cycle_id,
        ImprovementAction.element_id == element_id))
    if existing is not None:
        return existing
    action = ImprovementAction(team_id=team_id, cycle_id=cycle_id, element_id=element_id,
                               what=what[:500], owner=owner[:200], created_at=now,
                               due_on=due or (now + ACTION_HORIZON).date())
    repo.session.add(action)
    await repo.session.flush()
    return action


async def actions(
    repo: Repository, team_id: int, *, open_only: bool
) -> Sequence[ImprovementAction]:
    query = select(ImprovementAction).where(ImprovementAction.team_id == team_id)
    if open_only:
        query = query.where(ImprovementAction.done_at.is_(None))
    return (await repo.session.scalars(query.order_by(ImprovementAction.id))).all()


async def finish(repo: Repository, action_id: int, now: datetime) -> ImprovementAction | None:
    action = await repo.session.get(ImprovementAction, action_id)
    if action is not None and action.done_at is None:
        action.done_at = now
    return action


@dataclass(frozen=True, slots=True)
class ActionEffect:
    """An action's element in the cycle it came from and in the current one."""

    element_id: str
    what: str
    done: bool
    before: float | None
    after: float | None
