"""Queries about improvement actions once they live: their owners, history and board (for
`bot.services.actions` and `action_review`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import exists, select, update

from bot.db.models import ActionEvent, ImprovementAction, Membership, Person
from bot.db.queries import MANAGER
from bot.db.repositories import Repository

OPEN = ("open", "on_track", "stuck")


async def action(repo: Repository, action_id: int) -> ImprovementAction | None:
    return await repo.session.get(ImprovementAction, action_id)


async def event(repo: Repository, event_id: int) -> ActionEvent | None:
    return await repo.session.get(ActionEvent, event_id)


async def names(repo: Repository, ids: set[int]) -> dict[int, str]:
    """User id → display name of these people (those who left have none)."""
    if not ids:
        return {}
    rows = await repo.session.execute(
        select(Person.user_id, Person.display_name).where(Person.user_id.in_(ids)))
    return {user_id: name for user_id, name in rows}


async def history(repo: Repository, action_id: int) -> list[ActionEvent]:
    """The action's events, oldest first."""
    return list((await repo.session.scalars(select(ActionEvent).where(
        ActionEvent.action_id == action_id).order_by(ActionEvent.id))).all())


async def add_event(repo: Repository, event: ActionEvent) -> int:
    """Written at once; its id."""
    repo.session.add(event)
    await repo.session.flush()
    return event.id


async def board(repo: Repository, team_id: int, of_user: int | None = None
                ) -> Sequence[ImprovementAction]:
    """The team's actions, or only those this person owns or is asked to own."""
    query = select(ImprovementAction).where(ImprovementAction.team_id == team_id)
    if of_user is not None:
        query = query.where((ImprovementAction.owner_id == of_user)
                            | (ImprovementAction.proposed_owner_id == of_user))
    return (await repo.session.scalars(query)).all()


async def teams_managed_or_owned(repo: Repository, user_id: int) -> set[int]:
    """Teams this person actively manages, and those where she owns (or is asked to own) an
    action."""
    managed = select(Membership.team_id).where(
        Membership.user_id == user_id, Membership.active.is_(True), Membership.role == MANAGER)
    owned = select(ImprovementAction.team_id).where(
        (ImprovementAction.owner_id == user_id)
        | (ImprovementAction.proposed_owner_id == user_id))
    found = set((await repo.session.scalars(managed)).all())
    found |= set((await repo.session.scalars(owned)).all())
    return found


async def active_member_names(repo: Repository, team_id: int) -> list[tuple[int, str]]:
    """(user id, name) of the team's active members, by name."""
    rows = await repo.session.execute(
        select(Person.user_id, Person.display_name).join(
            Membership, Membership.user_id == Person.user_id).where(
            Membership.team_id == team_id, Membership.active.is_(True))
        .order_by(Person.display_name))
    return [(user_id, name) for user_id, name in rows]


async def last_event_id(repo: Repository, action_id: int) -> int | None:
    return await repo.session.scalar(select(ActionEvent.id).where(
        ActionEvent.action_id == action_id).order_by(ActionEvent.id.desc()).limit(1))


async def owned_by(repo: Repository, user_id: int) -> Sequence[int]:
    """Ids of the actions this person owns."""
    return (await repo.session.scalars(select(ImprovementAction.id).where(
        ImprovementAction.owner_id == user_id))).all()


async def forget_person(repo: Repository, user_id: int) -> None:
    """No name or id of hers stays on actions and their history."""
    await repo.session.execute(update(ImprovementAction).where(
        ImprovementAction.owner_id == user_id).values(owner="", owner_id=None))
    await repo.session.execute(update(ImprovementAction).where(
        ImprovementAction.proposed_owner_id == user_id).values(proposed_owner_id=None))
    await repo.session.execute(update(ActionEvent).where(ActionEvent.actor_id == user_id)
                               .values(actor_id=None))


async def waiting_for_review(repo: Repository, team_id: int, started_at: datetime
                             ) -> Sequence[ImprovementAction]:
    """The team's open actions made before the meeting started and untouched since, by due
    date."""
    touched = exists().where(ActionEvent.action_id == ImprovementAction.id,
                             ActionEvent.at >= started_at)
    return (await repo.session.scalars(select(ImprovementAction).where(
        ImprovementAction.team_id == team_id, ImprovementAction.status.in_(OPEN),
        ImprovementAction.created_at < started_at, ~touched)
        .order_by(ImprovementAction.due_on, ImprovementAction.id))).all()


async def last_note(repo: Repository, action_id: int) -> str | None:
    return await repo.session.scalar(select(ActionEvent.note).where(
        ActionEvent.action_id == action_id, ActionEvent.note.is_not(None))
        .order_by(ActionEvent.id.desc()).limit(1))


async def decided_since(repo: Repository, team_id: int, started_at: datetime
                        ) -> list[tuple[str, str]]:
    """(what, event kind) of earlier actions decided since the meeting started, in order."""
    found = await repo.session.execute(
        select(ImprovementAction.what, ActionEvent.kind)
        .join(ActionEvent, ActionEvent.action_id == ImprovementAction.id)
        .where(ImprovementAction.team_id == team_id, ImprovementAction.created_at < started_at,
               ActionEvent.at >= started_at,
               ActionEvent.kind.in_(("done", "dropped", "due", "kept")))
        .order_by(ActionEvent.id))
    return [(what, kind) for what, kind in found]


async def worth_doing(repo: Repository, cycle_id: int) -> Sequence[ImprovementAction]:
    """The cycle's actions not dropped, by element."""
    return (await repo.session.scalars(select(ImprovementAction).where(
        ImprovementAction.cycle_id == cycle_id, ImprovementAction.status != "dropped")
        .order_by(ImprovementAction.element_id, ImprovementAction.id))).all()
