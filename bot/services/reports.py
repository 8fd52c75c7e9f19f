"""A cycle's answers gathered from the database and handed to the domain to become a team report.

Individual answers never leave this module: what it returns are aggregates that obey the cycle's
stored family (`bot.services.families`, `domain.family`): decided once at the close, the same for
every reader (every shown part holds k + 1 people, so whoever reads it has k others), and no
figures while the cycle is open. The caller decides who may open the report; nothing here widens.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.db.models import Cycle, Response
from bot.db.queries import improvement as improvement_queries
from bot.db.queries import reports as queries
from bot.db.repositories import Repository
from bot.services import agreements, families, org_cycles
from bot.services.actor import Actor
from bot.services.agreements import Agreed
from bot.services.improvement import ActionEffect
from bot.services.permissions import check_can_manage
from bot.services.records import CycleInfo, TeamInfo
from domain import disclosure, family_figures
from domain.aggregation import GroupResult, Respondent, TeamResult
from domain.agreed import Movement, since_agreed
from domain.catalog import AssessmentModel, load_model
from domain.family import team_key
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
    team: TeamInfo
    cycle: CycleInfo
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
    withheld: tuple[families.Withheld, ...] = ()
    """Why the team, a group or the managers show no figures (from the stored family)."""

    @property
    def is_preview(self) -> bool:
        return self.cycle.closed_at is None


@dataclass(frozen=True, slots=True)
class CycleStatus:
    """`/status`: the team, its open cycle (None: none open) and who took part so far."""

    team: TeamInfo
    cycle: CycleInfo | None
    rate: ResponseRate | None


async def cycle_status(repo: Repository, actor: Actor, team_id: int) -> CycleStatus:
    """The open cycle's counts of people, for a manager of the team only (else
    `PermissionsError`)."""
    team = await check_can_manage(repo, actor.id, team_id)
    cycle = await repo.open_cycle(team.id)
    if cycle is None:
        return CycleStatus(TeamInfo.of(team), None, None)
    return CycleStatus(TeamInfo.of(team), CycleInfo.of(cycle), await response_rate(repo, cycle))


async def response_rate(repo: Repository, cycle: Cycle) -> ResponseRate:
    """Counts only; for a team's part of an organisation cycle, the responses that count in the
    team (`bot.services.org_cycles`: a person in two teams answers once and counts in both)."""
    members = await queries.active_members(repo, cycle.team_id)
    if cycle.organisation_cycle_id is not None:
        counted = [c for c in await org_cycles.counted_responses(
            repo, cycle.organisation_cycle_id) if cycle.team_id in c.team_ids]
        return ResponseRate(members, len(counted), sum(c.completed for c in counted))
    return ResponseRate(members, *await queries.started_and_completed(repo, cycle.id))


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
    query = queries.responses_of(cycle.id)
    responses = await queries.responses(repo, query)
    by_response = await queries.answers(repo, responses, query.with_only_columns(Response.id))
    unknown = await queries.unknown(repo, query.with_only_columns(Response.id))
    return [(response, Respondent(
                answers=by_response[response.id], group=response.stakeholder_group,
                is_manager=response.is_manager, finished=response.completed_at is not None,
                is_viewer=viewer is not None and response.membership_id == viewer,
                unknown=unknown.get(response.id, frozenset())))
            for response in responses if by_response[response.id]]


async def _shared_respondents(
    repo: Repository, cycle: Cycle, organisation_cycle_id: int, viewer: int | None
) -> list[tuple[Response, Respondent]]:
    """The responses of the organisation cycle that count in this cycle's team, each marked as a
    manager's and with its group as in this team; the viewer's own found by person, wherever
    they answered."""
    counted = {c.response_id: c for c in await org_cycles.counted_responses(
        repo, organisation_cycle_id) if cycle.team_id in c.team_ids}
    viewer_membership = await queries.membership(repo, viewer) if viewer else None
    viewer_id = viewer_membership.user_id if viewer_membership is not None else None
    responses = await queries.responses(repo, list(counted))
    by_response = await queries.answers(repo, responses, list(counted))
    unknown = await queries.unknown(repo, list(counted))
    team = cycle.team_id
    return [(response, Respondent(
                answers=by_response[response.id], group=counted[response.id].group_in[team],
                is_manager=team in counted[response.id].manager_in,
                finished=counted[response.id].completed,
                is_viewer=viewer_id is not None and counted[response.id].user_id == viewer_id,
                unknown=unknown.get(response.id, frozenset())))
            for response in responses if by_response[response.id]]


async def respondents_for_a_group(repo: Repository, cycle: Cycle) -> list[Respondent]:
    """Every response with answers, nobody marked as the reader: for a message the whole group
    reads, whose figures `domain.meeting_figures` builds for every reader at once."""
    return [person for _, person in await _respondents(repo, cycle, None)]


async def previous_cycle(repo: Repository, cycle: Cycle) -> Cycle | None:
    return await queries.previous_cycle(repo, cycle)


async def reader_class(repo: Repository, cycle: Cycle, viewer_id: int) -> int:
    """Every reader of a cycle's report sees the same figures (its stored family,
    `bot.services.families`), so a broadcast builds one report per cycle: class 0."""
    return 0


async def visible_teams(
    repo: Repository, organisation_cycle_id: int, viewer_id: int
) -> frozenset[int]:
    """The teams of the organisation cycle whose figures this person gets: those they manage,
    and those that share their result with their members."""
    return await queries.visible_teams(repo, organisation_cycle_id, viewer_id)


async def build_report(repo: Repository, cycle: Cycle, viewer_id: int) -> CycleReport:
    """The report as the person `viewer_id` may see it (see `domain.disclosure`)."""
    team = await repo.team(cycle.team_id)
    assert team is not None
    membership = await repo.membership(team.id, viewer_id)
    viewer = membership.id if membership is not None else None
    model = load_model(cycle.model_id)
    family = await families.of_cycle(repo, cycle)
    sets = await _respondents(repo, cycle, None)  # the same for every reader: nobody is "viewer"
    people = [person for _, person in sets]
    figures = family_figures.team_figures(model, cycle.scope_id, people, family, team.id)
    result = figures.team
    before_cycle = await previous_cycle(repo, cycle)
    previous = (await _result(repo, before_cycle, cycle.scope_id, 0, viewer)
                if before_cycle is not None and result.shown else None)
    chapter_targets = await improvement_queries.targets(repo, team.id)
    element_targets = {e: chapter_targets[model.elements[e].chapter_id]
                       for e in model.scope(cycle.scope_id).element_ids
                       if model.elements[e].chapter_id in chapter_targets}
    remarks_shown = result.shown and team_key(team.id) in family.remarks
    agreed, last = await _agreed(repo, cycle, model)
    return CycleReport(
        team=TeamInfo.of(team), cycle=CycleInfo.of(cycle), model=model,
        rate=await response_rate(repo, cycle),
        result=result, managers=figures.managers, previous=previous,
        priorities=priorities(result, element_targets, previous) if result.shown else (),
        trend=trend(result, previous) if result.shown else (),
        groups=figures.groups,
        remarks=await _remarks(repo, [r.id for r, _ in sets]) if remarks_shown else (),
        actions=await _action_effects(repo, cycle, result, viewer) if result.shown else (),
        examples=await _examples(repo, [r.id for r, _ in sets]) if remarks_shown else (),
        agreed=agreed, last_agreed=last,
        movement=since_agreed(result, {a.element_id: a.level for a in last}),
        withheld=await families.withheld(repo, family, {team.id}, parts=True),
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
    for action in await improvement_queries.actions(repo, cycle.team_id, open_only=False):
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
    """Only the team figures of an earlier cycle, for comparisons, as its own stored family
    shows them to every reader (`threshold` and `viewer` no longer change anything)."""
    people = [person for _, person in await _respondents(repo, cycle, None)]
    return family_figures.cut(load_model(cycle.model_id), scope_id, people,
                              await families.of_cycle(repo, cycle), team_key(cycle.team_id))


async def _remarks(
    repo: Repository, response_ids: Sequence[int]
) -> tuple[tuple[str, str], ...]:
    """Remarks per chapter, sorted by text: an order that says nothing about who wrote them."""
    if not response_ids:
        return ()
    return disclosure.remark_order(await queries.remarks(repo, response_ids))


async def _examples(
    repo: Repository, response_ids: Sequence[int]
) -> tuple[tuple[str, str], ...]:
    """Examples per element, shown under the remarks' rule and in their order (by text)."""
    if not response_ids:
        return ()
    return disclosure.remark_order(await queries.examples(repo, response_ids))


async def latest_reportable_cycle(repo: Repository, team_id: int) -> Cycle | None:
    """The open cycle (for a live preview) or else the most recently closed one."""
    return await queries.latest_reportable_cycle(repo, team_id)

