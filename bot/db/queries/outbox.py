"""The notification rows (for `bot.services.outbox`): planned idempotently by key, claimed
with `FOR UPDATE SKIP LOCKED`, and the PostgreSQL wake-up of the scheduler's leader."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import func, or_, select, update

from bot.db.engine import WAKE_CHANNEL
from bot.db.models import Cycle, Membership, Notification, Person, Response
from bot.db.repositories import Repository, dialect_insert


async def add_unless_keyed(repo: Repository, rows: Sequence[Mapping[str, object]]) -> None:
    """Notifications in one statement; a row whose key exists already is left out."""
    if len(rows) == 1:
        await repo.session.execute(dialect_insert(repo.session, Notification).values(
            **rows[0]).on_conflict_do_nothing(index_elements=["key"]))
    elif rows:
        await repo.session.execute(
            dialect_insert(repo.session, Notification).on_conflict_do_nothing(
                index_elements=["key"]), list(rows))


async def active_members(
    repo: Repository, team_id: int, *, blocked_too: bool
) -> Sequence[Membership]:
    query = select(Membership).join(Person, Person.user_id == Membership.user_id).where(
        Membership.team_id == team_id, Membership.active.is_(True))
    if not blocked_too:
        query = query.where(Person.blocked_at.is_(None))
    return (await repo.session.scalars(query.order_by(Membership.id))).all()


async def finished_users(repo: Repository, cycle: Cycle) -> set[int]:
    """Who confirmed their answers in this cycle or, for an organisation cycle, in any of it."""
    cycle_ids = (select(Cycle.id).where(Cycle.organisation_cycle_id == cycle.organisation_cycle_id)
                 if cycle.organisation_cycle_id is not None
                 else select(Cycle.id).where(Cycle.id == cycle.id))
    return set((await repo.session.scalars(
        select(Membership.user_id).join(Response, Response.membership_id == Membership.id)
        .where(Response.cycle_id.in_(cycle_ids), Response.completed_at.is_not(None)))).all())


async def claim_due(repo: Repository, now: datetime, limit: int, until: datetime) -> list[int]:
    """Claim up to `limit` due notifications until `until`; others skip what is claimed."""
    query = (
        select(Notification.id)
        .where(Notification.status == "pending", Notification.due_at <= now,
               or_(Notification.claimed_until.is_(None), Notification.claimed_until < now))
        .order_by(Notification.due_at, Notification.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    ids = list((await repo.session.scalars(query)).all())
    if ids:
        await repo.session.execute(
            update(Notification).where(Notification.id.in_(ids)).values(claimed_until=until))
    return ids


async def notification(repo: Repository, notification_id: int) -> Notification | None:
    return await repo.session.get(Notification, notification_id)


async def mark_blocked(repo: Repository, user_id: int, now: datetime) -> None:
    await repo.session.execute(
        update(Person).where(Person.user_id == user_id, Person.blocked_at.is_(None))
        .values(blocked_at=now))


async def notify_leader(repo: Repository) -> None:
    """On PostgreSQL, NOTIFY the scheduler's leader when this transaction commits; one process
    (SQLite) needs no telling."""
    bind = repo.session.bind
    if bind is not None and bind.dialect.name == "postgresql":
        await repo.session.execute(select(func.pg_notify(WAKE_CHANNEL, "")))


async def skip_pending(repo: Repository, cycle_id: int, kinds: Sequence[str], skipped: str
                       ) -> None:
    await repo.session.execute(
        update(Notification)
        .where(Notification.cycle_id == cycle_id, Notification.status == "pending",
               Notification.kind.in_(list(kinds)))
        .values(status=skipped))
