"""Targets per chapter and improvement actions: turning a report's priorities into work.

An action remembers the element and the cycle it came from, so a later report can show the
element's level before and after — the check in plan-do-check-act.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from bot.db.models import Cycle, ImprovementAction, Target, Team
from bot.db.repositories import Repository, dialect_insert
from bot.services import agreements
from bot.services.permissions import (
    Permission,
    PermissionsError,
    check_can_manage,
    check_can_manage_cycle,
)
from domain.catalog import Element
from domain.priorities import DEFAULT_TARGET

ACTION_HORIZON = timedelta(days=90)


async def targets(repo: Repository, team_id: int) -> dict[str, int]:
    rows = await repo.session.execute(
        select(Target.chapter_id, Target.level).where(Target.team_id == team_id))
    return dict(rows.all())


async def set_target(
    repo: Repository, actor_id: int, team_id: int, chapter_id: str, level: int
) -> Team:
    """A chapter's target level, chosen by a manager of the team."""
    team = await check_can_manage(repo, actor_id, team_id)
    statement = dialect_insert(repo.session, Target).values(
        team_id=team_id, chapter_id=chapter_id, level=level
    ).on_conflict_do_update(index_elements=["team_id", "chapter_id"], set_={"level": level})
    await repo.session.execute(statement)
    return team


def target_of(chosen: dict[str, int], chapter_id: str) -> int:
    return chosen.get(chapter_id, DEFAULT_TARGET)


async def add_action(
    repo: Repository, actor_id: int, cycle_id: int, element_id: str, what: str, owner: str,
    now: datetime, due: date | None = None,
) -> ImprovementAction:
    """One action per element and cycle: tapping the button twice does not create two.

    The actor, a manager of the cycle's team, owns it (`owner` is their name as shown)."""
    cycle, _ = await check_can_manage_cycle(repo, actor_id, cycle_id)
    team_id = cycle.team_id
    existing = await repo.session.scalar(select(ImprovementAction).where(
        ImprovementAction.team_id == team_id, ImprovementAction.cycle_id == cycle_id,
        ImprovementAction.element_id == element_id))
    if existing is not None:
        return existing
    action = ImprovementAction(team_id=team_id, cycle_id=cycle_id, element_id=element_id,
                               what=what[:500], owner=owner[:200], owner_id=actor_id,
                               created_at=now,
                               due_on=due or (now + ACTION_HORIZON).date())
    repo.session.add(action)
    await repo.session.flush()
    return action


async def actions(
    repo: Repository, team_id: int, *, open_only: bool
) -> Sequence[ImprovementAction]:
    query = select(ImprovementAction).where(ImprovementAction.team_id == team_id)
    if open_only:
        query = query.where(ImprovementAction.status.not_in(("done", "dropped")))
    return (await repo.session.scalars(query.order_by(ImprovementAction.id))).all()


async def finish(
    repo: Repository, actor_id: int, action_id: int, now: datetime
) -> ImprovementAction:
    """Mark an action of a team the actor manages as done (once)."""
    action = await repo.session.get(ImprovementAction, action_id)
    if action is None:
        raise PermissionsError(Permission.MANAGE_TEAM, actor_id)
    await check_can_manage(repo, actor_id, action.team_id)
    if action.done_at is None:
        action.done_at, action.status = now, "done"
    return action


async def change_action(
    repo: Repository, actor_id: int, action_id: int, *, owner: tuple[str, int] | None = None,
    due: date | None = None,
) -> ImprovementAction:
    """Another owner (their name and id; a manager of the same team) or due date for an action
    of a team the actor manages: made in the meeting, an action's owner is often someone else."""
    action = await repo.session.get(ImprovementAction, action_id)
    if action is None:
        raise PermissionsError(Permission.MANAGE_TEAM, actor_id)
    await check_can_manage(repo, actor_id, action.team_id)
    if owner is not None:
        await check_can_manage(repo, owner[1], action.team_id)
        action.owner, action.owner_id = owner[0][:200], owner[1]
    if due is not None:
        action.due_on = due
    await repo.session.flush()
    return action


@dataclass(frozen=True, slots=True)
class ActionEffect:
    """An action's element in the cycle it came from and in the current one."""

    element_id: str
    what: str
    done: bool
    before: float | None
    after: float | None
    status: str = "open"
    """open, on_track, stuck, done or dropped (`bot.services.actions.Status`)."""
    agreed_before: int | None = None
    """The level the team agreed in the cycle the action came from, and in this one."""
    agreed_after: int | None = None


async def default_what(repo: Repository, cycle: Cycle, element: Element, language: str) -> str:
    """What an action offers by default: the catalog's next step from the level the team agreed
    (in this cycle, else the last agreement), or the topic's title when none is known."""
    agreed = (await agreements.agreed_levels(repo, cycle.id)).get(element.id) or (
        await agreements.last_agreed(repo, cycle)).get(element.id)
    step = element.next_step(agreed.level, language) if agreed is not None else None
    return step or element.title(language)
