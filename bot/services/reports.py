"""A cycle's answers gathered from the database and handed to the domain to become a team report.

Individual answers never leave this module: what it returns are aggregates that already obey the
disclosure rule (see `domain.disclosure`) for the person who asked: a report is built for one
viewer, whose own answers do not count towards the threshold, and it has figures only once the
cycle is closed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Select, func, select

from bot.db.models import Answer, Cycle, Example, Membership, Remark, Response, Team
from bot.db.repositories import Repository
from bot.services import agreements, improvement, org_cycles
from bot.services.agreements import Agreed
from bot.services.improvement import ActionEffect
from bot.services.permissions import MANAGER
from domain import disclosure
from domain.aggregation import GroupResult, Respondent, TeamResult, aggregate, team_figures
from domain.agreed import Movement, since_agreed
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
    agreed: tuple[Agreed, ...] = ()
    """What the management team agreed for this cycle's elements: its collective judgement, shown
    without a threshold (in catalog order)."""
    last_agreed: tuple[Agreed, ...] = ()
    """Per element of this cycle, the level agreed in the latest earlier cycle that agreed one."""
    movement: Movement = field(default_factory=lambda: Movement(()))
    """This cycle's medians against `last_agreed`, only where the median is shown."""

    @property
    def is_preview(self) -> bool:
        return self.cycle.closed_at is None


async def response_rate(repo: Repository, cycle: Cycle) -> ResponseRate:
    """Counts only; for a team's part of an organisation cycle, the responses that count in the
    team (`bot.services.org_cycles`: a person in two teams answers once and counts in both)."""
    members = await repo.session.scalar(
        select(func.count()).select_from(Membership)
        .where(Membership.team_id == cycle.team_id, Membership.active.is_(True))) or 0
    if cycle.organisation_cycle_id is not None:
        counted = [c for c in await org_cycles.counted_responses(
            repo, cycle.organisation_cycle_id) if cycle.team_id in c.team_ids]
        return ResponseRate(int(members), len(counted), sum(c.completed for c in counted))
    started = await repo.session.scalar(
        select(func.count()).select_from(Response).where(Response.cycle_id == cycle.id)) or 0
    completed = await repo.session.scalar(
        select(func.count()).select_from(Response)
        .where(Response.cycle_id == cycle.id, Response.completed_at.is_not(None))) or 0
    return ResponseRate(int(members), int(started), int(completed))


async def _respondents(
    repo: Repository, cycle: Cycle, viewer: int | None
) -> list[tuple[Response, Respondent]]:
    """Every response with at least one answer, marked with what any manager knows about it.

    `viewer` is the membership of the person who will read the figures (None: not a member).
    A team's part of an organisation cycle gathers every response that counts in the team
    (`_shared_respondents`).
    """
    if cycle.organisation_cycle_id is not None:
        return await _shared_respondents(repo, cycle, cycle.organisation_cycle_id, viewer)
    query = select(Response).where(Response.cycle_id == cycle.id)
    responses = (await repo.session.scalars(query.order_by(Response.id))).all()
    by_response = await _answers(repo, responses, query.with_only_columns(Response.id))
    return [(response, Respondent(
                answers=by_response[response.id], group=response.stakeholder_group,
                is_manager=response.is_manager, finished=response.completed_at is not None,
                is_viewer=viewer is not None and response.membership_id == viewer))
            for response in responses if by_response[response.id]]


async def _shared_respondents(
    repo: Repository, cycle: Cycle, organisation_cycle_id: int, viewer: int | None
) -> list[tuple[Response, Respondent]]:
    """The responses of the organisation cycle that count in this cycle's team, each marked as a
    manager's and with its group as in this team; the viewer's own found by person, wherever
    they answered."""
    counted = {c.response_id: c for c in await org_cycles.counted_responses(
        repo, organisation_cycle_id) if cycle.team_id in c.team_ids}
    viewer_membership = await repo.session.get(Membership, viewer) if viewer else None
    viewer_id = viewer_membership.user_id if viewer_membership is not None else None
    responses = (await repo.session.scalars(
        select(Response).where(Response.id.in_(list(counted))).order_by(Response.id))).all()
    by_response = await _answers(repo, responses, list(counted))
    team = cycle.team_id
    return [(response, Respondent(
                answers=by_response[response.id], group=counted[response.id].group_in[team],
                is_manager=team in counted[response.id].manager_in,
                finished=counted[response.id].completed,
                is_viewer=viewer_id is not None and counted[response.id].user_id == viewer_id))
            for response in responses if by_response[response.id]]


async def _answers(
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


async def respondents_for_a_group(repo: Repository, cycle: Cycle) -> list[Respondent]:
    """Every response with answers, nobody marked as the reader: for a message the whole group
    reads, whose figures `domain.meeting_figures` builds for every reader at once."""
    return [person for _, person in await _respondents(repo, cycle, None)]


async def previous_cycle(repo: Repository, cycle: Cycle) -> Cycle | None:
    return await repo.session.scalar(
        select(Cycle).where(Cycle.team_id == cycle.team_id, Cycle.id < cycle.id,
                            Cycle.closed_at.is_not(None), Cycle.model_id == cycle.model_id)
        .order_by(Cycle.id.desc()).limit(1))


async def reader_class(repo: Repository, cycle: Cycle, viewer_id: int) -> int:
    """Readers who answered in none of the cycles all see the same report (class 0);
    anyone else gets their own (their membership id), so a broadcast builds few reports."""
    membership = await repo.membership(cycle.team_id, viewer_id)
    if membership is None:
        return 0
    answered = await repo.session.scalar(  # in any team: an organisation cycle counts it here
        select(Response.id).join(Membership, Membership.id == Response.membership_id)
        .where(Membership.user_id == viewer_id).limit(1))
    if answered is not None:
        return membership.id
    if cycle.organisation_cycle_id is not None:  # what else they see decides (`_overlap_ok`)
        seen = await visible_teams(repo, cycle.organisation_cycle_id, viewer_id)
        return -1 - hash(tuple(sorted(seen))) % 2**62
    return 0


async def visible_teams(
    repo: Repository, organisation_cycle_id: int, viewer_id: int
) -> frozenset[int]:
    """The teams of the organisation cycle whose figures this person gets: those they manage,
    and those that share their result with their members."""
    rows = await repo.session.execute(
        select(Membership.team_id).join(Team, Team.id == Membership.team_id)
        .join(Cycle, Cycle.team_id == Team.id)
        .where(Cycle.organisation_cycle_id == organisation_cycle_id,
               Membership.user_id == viewer_id, Membership.active.is_(True),
               (Membership.role == MANAGER) | Team.share_results.is_(True)))
    return frozenset(team_id for (team_id,) in rows.all())


async def _overlap_ok(
    repo: Repository, cycle: Cycle, organisation_cycle_id: int, viewer_id: int, threshold: int
) -> bool:
    """Beside the other teams of the organisation cycle the viewer gets figures of, this team's
    figures leave nobody to subtract (`domain.disclosure.shown_teams`)."""
    counted = await org_cycles.counted_responses(repo, organisation_cycle_id)
    seen = sorted(await visible_teams(repo, organisation_cycle_id, viewer_id) | {cycle.team_id})
    shown = disclosure.shown_teams(
        [frozenset(c.response_id for c in counted if t in c.team_ids) for t in seen],
        frozenset(c.response_id for c in counted if c.user_id == viewer_id), threshold)
    return seen.index(cycle.team_id) in shown


async def build_report(repo: Repository, cycle: Cycle, viewer_id: int) -> CycleReport:
    """The report as the person `viewer_id` may see it (see `domain.disclosure`)."""
    team = await repo.team(cycle.team_id)
    assert team is not None
    membership = await repo.membership(team.id, viewer_id)
    viewer = membership.id if membership is not None else None
    model = load_model(cycle.model_id)
    threshold = disclosure.effective_threshold(team.anonymity_threshold)
    sets = await _respondents(repo, cycle, viewer)
    people = [person for _, person in sets]
    closed = cycle.closed_at is not None and (
        cycle.organisation_cycle_id is None
        or await _overlap_ok(repo, cycle, cycle.organisation_cycle_id, viewer_id, threshold))
    figures = team_figures(model, cycle.scope_id, people, threshold, closed=closed)
    result = figures.team
    before_cycle = await previous_cycle(repo, cycle)
    previous = (await _result(repo, before_cycle, cycle.scope_id, threshold, viewer)
                if before_cycle is not None and result.shown else None)
    chapter_targets = await improvement.targets(repo, team.id)
    element_targets = {e: chapter_targets[model.elements[e].chapter_id]
                       for e in model.scope(cycle.scope_id).element_ids
                       if model.elements[e].chapter_id in chapter_targets}
    remarks_shown = result.shown and disclosure.remarks_allowed(people, threshold)
    agreed, last = await _agreed(repo, cycle, model)
    return CycleReport(
        team=team, cycle=cycle, model=model, rate=await response_rate(repo, cycle),
        result=result, managers=figures.managers, previous=previous,
        priorities=priorities(result, element_targets, previous) if result.shown else (),
        trend=trend(result, previous) if result.shown else (),
        groups=figures.groups,
        remarks=await _remarks(repo, [r.id for r, _ in sets]) if remarks_shown else (),
        actions=await _action_effects(repo, cycle, result, viewer) if result.shown else (),
        examples=await _examples(repo, [r.id for r, _ in sets]) if remarks_shown else (),
        agreed=agreed, last_agreed=last,
        movement=since_agreed(result, {a.element_id: a.level for a in last}),
    )


async def _agreed(
    repo: Repository, cycle: Cycle, model: AssessmentModel
) -> tuple[tuple[Agreed, ...], tuple[Agreed, ...]]:
    """This cycle's agreed levels and the last ones agreed before it, for this cycle's elements
    in catalog order. Nothing is agreed while a cycle is open (`agreements.record_agreed`)."""
    element_ids = model.scope(cycle.scope_id).element_ids
    now = await agreements.agreed_levels(repo, cycle.id) if cycle.closed_at is not None else {}
    before = await agreements.last_agreed(repo, cycle)
    return (tuple(now[e] for e in element_ids if e in now),
            tuple(before[e] for e in element_ids if e in before))


async def _action_effects(
    repo: Repository, cycle: Cycle, result: TeamResult, viewer: int | None
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
                                                   result.threshold, viewer)
            element = earlier[source.id].elements.get(action.element_id)
            before = element.mean if element else None
        now = result.elements.get(action.element_id)
        agreed_then = (await agreements.agreed_levels(repo, source.id)).get(action.element_id) \
            if source is not None else None
        agreed_now = (await agreements.agreed_levels(repo, cycle.id)).get(action.element_id)
        effects.append(ActionEffect(action.element_id, action.what, action.done_at is not None,
                                    before, now.mean if now else None, action.status,
                                    agreed_then.level if agreed_then else None,
                                    agreed_now.level if agreed_now else None))
    return tuple(effects)


async def _result(
    repo: Repository, cycle: Cycle, scope_id: str, threshold: int, viewer: int | None
) -> TeamResult:
    """Only the team figures of an earlier cycle, for comparisons, under the same rule."""
    people = [person for _, person in await _respondents(repo, cycle, viewer)]
    return aggregate(load_model(cycle.model_id), scope_id, people, threshold,
                     closed=cycle.closed_at is not None)


async def _remarks(
    repo: Repository, response_ids: Sequence[int]
) -> tuple[tuple[str, str], ...]:
    """Remarks per chapter, sorted by text: an order that says nothing about who wrote them."""
    if not response_ids:
        return ()
    rows = (await repo.session.execute(
        select(Remark.chapter_id, Remark.text).where(Remark.response_id.in_(response_ids))
    )).all()
    return disclosure.remark_order((chapter, text) for chapter, text in rows)


async def _examples(
    repo: Repository, response_ids: Sequence[int]
) -> tuple[tuple[str, str], ...]:
    """Examples per element, shown under the remarks' rule and in their order (by text)."""
    if not response_ids:
        return ()
    rows = await repo.session.execute(
        select(Example.element_id, Example.text).where(Example.response_id.in_(response_ids)))
    return disclosure.remark_order((element_id, text) for element_id, text in rows.all())


async def latest_reportable_cycle(repo: Repository, team_id: int) -> Cycle | None:
    """The open cycle (for a live preview) or else the most recently closed one."""
    return await repo.session.scalar(
        select(Cycle).where(Cycle.team_id == team_id)
        .order_by(Cycle.closed_at.is_not(None), Cycle.id.desc()).limit(1))

