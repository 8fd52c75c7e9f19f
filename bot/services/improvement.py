"""Targets per chapter and improvement actions: turning a report's priorities into work.

An action remembers the element and the cycle it came from, so a later report can show the
element's level before and after — the check in plan-do-check-act.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.db.models import Cycle, ImprovementAction, Team
from bot.db.queries import improvement as queries
from bot.db.repositories import Repository
from bot.services import agreements
from bot.services.actor import Actor
from bot.services.permissions import (
    Permission,
    PermissionsError,
    check_can_manage,
    check_can_manage_cycle,
)
from bot.services.records import ActionInfo
from domain.catalog import Element, load_model
from domain.priorities import DEFAULT_TARGET

ACTION_HORIZON = timedelta(days=90)


async def targets(repo: Repository, actor: Actor, team_id: int) -> dict[str, int]:
    """The team's chosen target per chapter, for one of its managers (else `PermissionsError`).
    Reports read them unchecked from `bot.db.queries.improvement`: their reader is decided there."""
    await check_can_manage(repo, actor.id, team_id)
    return await queries.targets(repo, team_id)


async def set_target(
    repo: Repository, actor_id: int, team_id: int, chapter_id: str, level: int
) -> Team:
    """A chapter's target level, chosen by a manager of the team."""
    team = await check_can_manage(repo, actor_id, team_id)
    await queries.set_target(repo, team_id, chapter_id, level)
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
    existing = await queries.action_for(repo, team_id, cycle_id, element_id)
    if existing is not None:
        return existing
    return await queries.add(repo, ImprovementAction(
        team_id=team_id, cycle_id=cycle_id, element_id=element_id, what=what[:500],
        owner=owner[:200], owner_id=actor_id, created_at=now,
        due_on=due or (now + ACTION_HORIZON).date()))


async def actions(
    repo: Repository, actor: Actor, team_id: int, *, open_only: bool
) -> tuple[ActionInfo, ...]:
    """The team's actions (open ones only, or all), for one of its managers."""
    await check_can_manage(repo, actor.id, team_id)
    return tuple(ActionInfo.of(a) for a in await queries.actions(repo, team_id,
                                                                 open_only=open_only))


async def finish(
    repo: Repository, actor_id: int, action_id: int, now: datetime
) -> ImprovementAction:
    """Mark an action of a team the actor manages as done (once)."""
    action = await queries.action(repo, action_id)
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
    action = await queries.action(repo, action_id)
    if action is None:
        raise PermissionsError(Permission.MANAGE_TEAM, actor_id)
    await check_can_manage(repo, actor_id, action.team_id)
    if owner is not None:
        await check_can_manage(repo, owner[1], action.team_id)
        action.owner, action.owner_id = owner[0][:200], owner[1]
    if due is not None:
        action.due_on = due
    await queries.flush(repo)
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


async def action_from_priority(
    repo: Repository, actor: Actor, cycle_id: int, element_id: str, language: str,
    owner: str, now: datetime,
) -> ImprovementAction | None:
    """A report's priority button: the action for that topic (the catalog's next step as its
    text), for a manager of the cycle's team only; None for a forged cycle or topic."""
    cycle = await repo.cycle(cycle_id)
    element = load_model(cycle.model_id).elements.get(element_id) if cycle else None
    if cycle is None or element is None:
        return None
    await check_can_manage_cycle(repo, actor.id, cycle.id)  # before any read
    what = await default_what(repo, cycle, element, language)
    return await add_action(repo, actor.id, cycle.id, element.id, what, owner, now)

