"""The statements of a tap, built once per dialect and run as plain Core with bound parameters.

SQLAlchemy builds a statement written inline anew on every call, derives its cache key from the
whole expression tree, and for ORM entities builds objects and an identity map on the way back.
For the statements of every tap (claim the update, the participant's cycle and language, their
answers, the new answer) that was more than half of the 2.5 ms of CPU the database cost per tap,
measured in-process; end to end, the CPU per answer went from 1.79x to 1.54x the floor
(bench/answer_path.py). Built once, a statement's cache key is memoised on it, and its compiled SQL
is reused.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Insert, Select, Update, bindparam, exists, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.db.models import Answer, Cycle, Membership, Person, ProcessedUpdate, Response, Team


@dataclass(frozen=True)
class Prepared:
    claim_update: Insert
    unblock: Update
    claim_and_unblock: Select[int] | None
    """PostgreSQL: the claim and `unblock` in one round trip (None on SQLite, where a statement
    costs no round trip and the two run one after the other)."""
    language: Select[str]
    participation: Select[*tuple[Any, ...]]
    answers: Select[str, int | None, bool]
    save_answer: Insert


@functools.cache
def prepared(dialect: str) -> Prepared:
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    save_answer = insert(Answer)
    save_answer = save_answer.on_conflict_do_update(
        index_elements=["response_id", "element_id"],
        set_={"level": save_answer.excluded.level,
              "dont_know": save_answer.excluded.dont_know,
              "answered_at": save_answer.excluded.answered_at},
    )
    claim_update = insert(ProcessedUpdate).on_conflict_do_nothing(index_elements=["update_id"])
    # Only a mark that is set is written: for everyone else this is an index lookup, no write.
    unblock = update(Person).where(
        Person.user_id == bindparam("sender"), Person.blocked_at.is_not(None)
    ).values(blocked_at=None)
    claim_and_unblock = None
    if dialect == "postgresql":
        claimed = claim_update.values(
            update_id=bindparam("update_id"), processed_at=bindparam("processed_at")
        ).returning(ProcessedUpdate.update_id).cte("claimed")
        cleared = unblock.where(exists(select(claimed.c.update_id))).cte("cleared")
        claim_and_unblock = select(func.count()).select_from(claimed).add_cte(cleared)
    return Prepared(
        claim_update=claim_update,
        unblock=unblock,
        claim_and_unblock=claim_and_unblock,
        language=select(Person.language).where(Person.user_id == bindparam("user_id")),
        participation=(
            select(
                Cycle.id, Cycle.model_id, Cycle.scope_id, Cycle.deadline, Cycle.closed_at,
                Team.name, Team.timezone,
                Membership.id, Membership.active, Membership.role, Membership.stakeholder_group,
                Response.id, Response.completed_at, Response.message_id,
                Person.language, Cycle.organisation_cycle_id,
            )
            .join(Team, Team.id == Cycle.team_id)
            .outerjoin(Membership, (Membership.team_id == Cycle.team_id)
                       & (Membership.user_id == bindparam("user_id")))
            .outerjoin(Response, (Response.cycle_id == Cycle.id)
                       & (Response.membership_id == Membership.id))
            .outerjoin(Person, Person.user_id == Membership.user_id)
            .where(Cycle.id == bindparam("cycle_id"))
        ),
        answers=select(Answer.element_id, Answer.level, Answer.dont_know).where(
            Answer.response_id == bindparam("response_id")),
        save_answer=save_answer,
    )
