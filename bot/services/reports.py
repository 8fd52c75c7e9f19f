"""A cycle's answers gathered from the database and handed to the domain to become a team report.

Individual answers never leave this module: what it returns are aggregates that already obey the
team's anonymity threshold (see `domain.aggregation`).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from bot.db.models import Answer, Cycle, Example, Membership, Remark, Response, Team
from bot.db.repositories import Repository
from bot.services import improvement
from bot.services.improvement import ActionEffect
from domain.aggregation import (
    AnswerSet,
    GroupResult,
    TeamResult,
    aggregate,
    by_group,
    subset_result,
)
from domain.catalog import AssessmentModel, load_model
from domain.priorities import Change, Priority, priorities, trend


@dataclass(frozen=True, slots=True)
class ResponseRate:
    members: int
    started: int
    completed: int

    @property
    def not_started(self) -> int:
        return max(self.members - self.started, 0)


@dataclass(frozen=True, slots=True)
class CycleReport:
    team: Team
    cycle: Cycle
    model: AssessmentModel
    rate: ResponseRate
    result: TeamResult
    managers: TeamResult | None
    previous: TeamResult | None
    priorities: tuple[Priority, ...]
    trend: tuple[Change, ...]
    groups: tuple[GroupResult, ...]
    remarks: tuple[tuple[str, str], ...]
    actions: tuple[ActionEffect, ...] = ()
    examples: tuple[tuple[str, str], ...] = ()
    """(element id, text): the participants' "what makes you say so?", under the remarks' rule."""

    @property
    def is_preview(self) -> bool:
        return self.cycle.closed_at is None


async def response_rate(repo: Repository, cycle: Cycle) -> ResponseRate:
    members = await repo.session.scalar(
        select(func.count()).select_from(Membership)
        .where(Membership.team_id == cycle.team_id, Membership.active.is_(True))) or 0
    started = await repo.session.scalar(
        select(func.count()).select_from(Response).where(Response.cycle_id == cycle.id)) or 0
    completed = await repo.session.scalar(
        select(func.count()).select_from(Response)
        .where(Response.cycle_id == cycle.id, Response.completed_at.is_not(None))) or 0
    return ResponseRate(int(members), int(started), int(completed))


async def _answer_sets(
    repo: Repository, cycle: Cycle
) -> list[tuple[Response, AnswerSet]]:
    """Confirmed responses; once a cycle is closed, every response with at least one answer."""
    query = select(Response).where(Response.cycle_id == cycle.id)
    if cycle.closed_at is None:
        query = query.where(Response.completed_at.is_not(None))
    responses = (await repo.session.scalars(query.order_by(Response.id))).all()
    by_response: dict[int, dict[str, int | None]] = {response.id: {} for response in responses}
    rows = await repo.session.execute(  # one query for the whole cycle, however many respondents
        select(Answer.response_id, Answer.element_id, Answer.level)
        .where(Answer.response_id.in_(query.with_only_columns(Response.id))))
    for response_id, element_id, level in rows.all():
        by_response[response_id][element_id] = level
    return [(response, by_response[response.id]) for response in responses
            if by_response[response.id]]


async def previous_cycle(repo: Repository, cycle: Cycle) -> Cycle | None:
    return await repo.session.scalar(
        select(Cycle).where(Cycle.team_id == cycle.team_id, Cycle.id < cycle.id,
                            Cycle.closed_at.is_not(None), Cycle.model_id == cycle.model_id)
        .order_by(Cycle.id.desc()).limit(1))


async def build_report(repo: Repository, cycle: Cycle) -> CycleReport:
    team = await repo.team(cycle.team_id)
    assert team is not None
    model = load_model(cycle.model_id)
    threshold = team.anonymity_threshold
    sets = await _answer_sets(repo, cycle)
    result = aggregate(model, cycle.scope_id, [answers for _, answers in sets], threshold)
    manager_sets = [answers for response, answers in sets if response.is_manager]
    managers = subset_result(model, cycle.scope_id, manager_sets, len(sets), threshold)
    before_cycle = await previous_cycle(repo, cycle)
    previous = (await _result(repo, before_cycle, cycle.scope_id, threshold)
                if before_cycle is not None else None)
    chapter_targets = await improvement.targets(repo, team.id)
    element_targets = {e: chapter_targets[model.elements[e].chapter_id]
                       for e in model.scope(cycle.scope_id).element_ids
                       if model.elements[e].chapter_id in chapter_targets}
    return CycleReport(
        team=team, cycle=cycle, model=model, rate=await response_rate(repo, cycle),
        result=result, managers=managers, previous=previous,
        priorities=priorities(result, element_targets, previous) if result.shown else (),
        trend=trend(result, previous) if result.shown else (),
        groups=by_group(model, cycle.scope_id,
                        [(r.stakeholder_group, a) for r, a in sets], threshold),
        remarks=await _remarks(repo, cycle, [r.id for r, _ in sets], result.shown),
        actions=await _action_effects(repo, cycle, result) if result.shown else (),
        examples=await _examples(repo, [r.id for r, _ in sets], result.shown),
    )


async def _action_effects(
    repo: Repository, cycle: Cycle, result: TeamResult
) -> tuple[ActionEffect, ...]:
    """Actions taken after earlier cycles, with their element's level then and now."""
    effects = []
    earlier: dict[int, TeamResult] = {}  # several actions often come from the same cycle
    for action in await improvement.actions(repo, cycle.team_id, open_only=False):
        if action.cycle_id is None or action.cycle_id >= cycle.id:
            continue
        source = await repo.cycle(action.cycle_id)
        before = None
        if source is not None and source.model_id == cycle.model_id:
            if source.id not in earlier:
                earlier[source.id] = await _result(repo, source, source.scope_id,
                                                   result.threshold)
            element = earlier[source.id].elements.get(action.element_id)
            before = element.mean if element else None
        now = result.elements.get(action.element_id)
        effects.append(ActionEffect(action.element_id, action.what, action.done_at is not None,
                                    before, now.mean if now else None))
    return tuple(effects)


async def _result(repo: Repository, cycle: Cycle, scope_id: str, threshold: int) -> TeamResult:
    """Only the team figures of an earlier cycle, for comparisons, under the same anonymity rule."""
    sets = await _answer_sets(repo, cycle)
    return aggregate(load_model(cycle.model_id), scope_id, [a for _, a in sets], threshold)


async def _remarks(
    repo: Repository, cycle: Cycle, response_ids: Sequence[int], shown: bool
) -> tuple[tuple[str, str], ...]:
    """Remarks per chapter in an order that says nothing about who wrote them."""
    if not shown or not response_ids:
        return ()
    rows = (await repo.session.execute(
        select(Remark.chapter_id, Remark.text).where(Remark.response_id.in_(response_ids))
    )).all()
    shuffled = list(rows)
    random.Random(cycle.id).shuffle(shuffled)
    return tuple(sorted(shuffled, key=lambda row: row[0]))


async def _examples(
    repo: Repository, response_ids: Sequence[int], shown: bool
) -> tuple[tuple[str, str], ...]:
    """Examples per element, ordered by their text: the order says nothing about who wrote them."""
    if not shown or not response_ids:
        return ()
    rows = await repo.session.execute(
        select(Example.element_id, Example.text).where(Example.response_id.in_(response_ids)))
    return tuple(sorted((element_id, text) for element_id, text in rows.all()))


async def latest_reportable_cycle(repo: Repository, team_id: int) -> Cycle | None:
    """The open cycle (for a live preview) or else the most recently closed one."""
    return await repo.session.scalar(
        select(Cycle).where(Cycle.team_id == team_id)
        .order_by(Cycle.closed_at.is_not(None), Cycle.id.desc()).limit(1))

