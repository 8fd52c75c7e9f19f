"""Queries behind a team report (`bot.services.reports`): counts of people, the responses and
their answers, remarks and examples, the cycles around it. Only reads; what may be shown of
them is decided by the service and `domain.disclosure`, never here."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, func, select

from bot.db.models import Answer, Cycle, Example, Membership, Remark, Response, Team
from bot.db.queries import MANAGER
from bot.db.repositories import Repository


async def active_members(repo: Repository, team_id: int) -> int:
    return int(await repo.session.scalar(
        select(func.count()).select_from(Membership)
        .where(Membership.team_id == team_id, Membership.active.is_(True))) or 0)


async def started_and_completed(repo: Repository, cycle_id: int) -> tuple[int, int]:
    """How many responses the cycle has, and how many of them are finished."""
    started = await repo.session.scalar(
        select(func.count()).select_from(Response).where(Response.cycle_id == cycle_id)) or 0
    completed = await repo.session.scalar(
        select(func.count()).select_from(Response)
        .where(Response.cycle_id == cycle_id, Response.completed_at.is_not(None))) or 0
    return int(started), int(completed)


def responses_of(cycle_id: int) -> Select[Response]:
    return select(Response).where(Response.cycle_id == cycle_id)


async def responses(
    repo: Repository, query: Select[Response] | list[int]
) -> Sequence[Response]:
    """The responses of a query (`responses_of`) or with these ids, in the order they began."""
    chosen = query if isinstance(query, Select) else select(Response).where(
        Response.id.in_(query))
    return (await repo.session.scalars(chosen.order_by(Response.id))).all()


async def answers(
    repo: Repository, responses: Sequence[Response], ids: Select[tuple[int]] | list[int]
) -> dict[int, dict[str, int | None]]:
    """The answers of these responses by response and element, in one query however many."""
    by_response: dict[int, dict[str, int | None]] = {response.id: {} for response in responses}
    rows = await repo.session.execute(
        select(Answer.response_id, Answer.element_id, Answer.level)
        .where(Answer.response_id.in_(ids)))
    for response_id, element_id, level in rows.all():
        by_response[response_id][element_id] = level
    return by_response


async def membership(repo: Repository, membership_id: int) -> Membership | None:
    return await repo.session.get(Membership, membership_id)


async def previous_cycle(repo: Repository, cycle: Cycle) -> Cycle | None:
    """The team's last closed cycle before this one, with the same model (earlier by id)."""
    return await repo.session.scalar(
        select(Cycle).where(Cycle.team_id == cycle.team_id, Cycle.id < cycle.id,
                            Cycle.closed_at.is_not(None), Cycle.model_id == cycle.model_id)
        .order_by(Cycle.id.desc()).limit(1))


async def answered_anywhere(repo: Repository, user_id: int) -> bool:
    """Whether this person has a response in any team (an organisation cycle counts it in
    several)."""
    return await repo.session.scalar(
        select(Response.id).join(Membership, Membership.id == Response.membership_id)
        .where(Membership.user_id == user_id).limit(1)) is not None


async def visible_teams(
    repo: Repository, organisation_cycle_id: int, viewer_id: int
) -> frozenset[int]:
    """The teams of the organisation cycle that this person manages, or that share their
    result with her as a member."""
    rows = await repo.session.execute(
        select(Membership.team_id).join(Team, Team.id == Membership.team_id)
        .join(Cycle, Cycle.team_id == Team.id)
        .where(Cycle.organisation_cycle_id == organisation_cycle_id,
               Membership.user_id == viewer_id, Membership.active.is_(True),
               (Membership.role == MANAGER) | Team.share_results.is_(True)))
    return frozenset(team_id for (team_id,) in rows.all())


async def remarks(repo: Repository, response_ids: Sequence[int]) -> list[tuple[str, str]]:
    """(chapter id, text) of these responses' remarks, in no meaningful order."""
    rows = await repo.session.execute(
        select(Remark.chapter_id, Remark.text).where(Remark.response_id.in_(response_ids)))
    return [(chapter, text) for chapter, text in rows.all()]


async def examples(repo: Repository, response_ids: Sequence[int]) -> list[tuple[str, str]]:
    """(element id, text) of these responses' examples, in no meaningful order."""
    rows = await repo.session.execute(
        select(Example.element_id, Example.text).where(Example.response_id.in_(response_ids)))
    return [(element, text) for element, text in rows.all()]


async def latest_reportable_cycle(repo: Repository, team_id: int) -> Cycle | None:
    """The open cycle, or else the most recently closed one."""
    return await repo.session.scalar(
        select(Cycle).where(Cycle.team_id == team_id)
        .order_by(Cycle.closed_at.is_not(None), Cycle.id.desc()).limit(1))


async def unknown(
    repo: Repository, ids: Select[tuple[int]] | list[int]
) -> dict[int, frozenset[str]]:
    """Per response, the elements answered "don't know" (their level is None, as for not
    applicable); kept apart from `answers` so that loader stays one plain mapping."""
    rows = await repo.session.execute(
        select(Answer.response_id, Answer.element_id)
        .where(Answer.response_id.in_(ids), Answer.dont_know.is_(True)))
    found: dict[int, set[str]] = {}
    for response_id, element_id in rows.all():
        found.setdefault(response_id, set()).add(element_id)
    return {response_id: frozenset(ids) for response_id, ids in found.items()}


async def last_closed(repo: Repository, team_id: int) -> Cycle | None:
    """The team's closed cycle with the highest id."""
    return await repo.session.scalar(
        select(Cycle).where(Cycle.team_id == team_id, Cycle.closed_at.is_not(None))
        .order_by(Cycle.id.desc()).limit(1))
