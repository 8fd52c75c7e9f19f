"""What the meeting's one message shows, read from the database as plain data.

Every edit renders what is stored, never what one tap believes: with people voting at once, the
last edit then shows every vote. The figures are the group's (`domain.meeting_figures`): built for
every possible reader at once, because everyone in the group reads the same message, managers
who answered included. Remarks and examples follow the same stricter rule, in an order (by text)
that says nothing about who wrote them. The votes are shown only as a count until the chair
reveals them, so nobody anchors on what others chose.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.db.models import (
    Cycle,
    MeetingRow,
    Team,
)
from bot.db.queries import improvement as improvement_queries
from bot.db.queries import meetings as queries
from bot.db.repositories import Repository
from bot.services import agreements, families, positions, reports
from bot.services.agreements import Agreed
from domain import family_figures
from domain import meeting as steps
from domain.aggregation import ElementResult, TeamResult
from domain.catalog import AssessmentModel, Element, load_model
from domain.family import team_key


def as_state(row: MeetingRow) -> steps.Meeting:
    return steps.Meeting(tuple(row.agenda), row.position, steps.Phase(row.phase),
                         row.started_at, row.paused_at, row.finished_at)


async def agreed_ids(repo: Repository, cycle_id: int) -> frozenset[str]:
    return frozenset(await agreements.agreed_levels(repo, cycle_id))


async def _group_result(repo: Repository, cycle: Cycle) -> tuple[TeamResult, TeamResult | None,
                                                                   bool]:
    """The cycle's stored family (`bot.services.families`), as every report reads it: already
    k + 1 for any reader, so the group sees exactly the team report's figures, never more."""
    people = await reports.respondents_for_a_group(repo, cycle)
    family = await families.of_cycle(repo, cycle)
    figures = family_figures.team_figures(load_model(cycle.model_id), cycle.scope_id, people,
                                          family, cycle.team_id)
    return figures.team, figures.managers, team_key(cycle.team_id) in family.remarks


async def agenda_for(repo: Repository, cycle: Cycle) -> tuple[str, ...]:
    """The agenda from the figures the group may see (`domain.meeting.agenda`), the previous
    cycle's too (an element that worsened is a priority)."""
    model = load_model(cycle.model_id)
    result, _, _ = await _group_result(repo, cycle)
    earlier = await reports.previous_cycle(repo, cycle)
    previous = (await _group_result(repo, earlier))[0] if earlier is not None else None
    chosen = await improvement_queries.targets(repo, cycle.team_id)
    ids = model.scope(cycle.scope_id).element_ids
    targets = {e: chosen[model.elements[e].chapter_id] for e in ids
               if model.elements[e].chapter_id in chosen}
    return steps.agenda(result, ids, targets, previous)


@dataclass(frozen=True, slots=True)
class ActionView:
    id: int
    element_id: str
    what: str
    owner: str
    owner_id: int | None
    due_on: date | None


@dataclass(frozen=True, slots=True)
class MeetingView:
    meeting_id: int
    chat_id: int
    message_id: int | None
    team_name: str
    language: str
    timezone: str
    cycle_id: int
    cycle_closed_at: datetime | None
    model: AssessmentModel
    state: steps.Meeting
    element: Element | None
    team: ElementResult | None
    managers: ElementResult | None
    examples: tuple[str, ...]
    remarks: tuple[str, ...]
    votes: tuple[int, int, int, int, int]
    agreed: Agreed | None
    action: ActionView | None
    asking: str | None
    """"action": the chair's reply saying what the action on this element is, is awaited."""
    owners: tuple[tuple[int, str], ...]
    """The team's managers (user id, name): who can own an action."""
    all_agreed: dict[str, Agreed]
    all_actions: tuple[ActionView, ...]

    @property
    def voters(self) -> int:
        return sum(self.votes)

    @property
    def element_number(self) -> int:
        return self.state.position + 1


async def view(repo: Repository, meeting_id: int) -> MeetingView:
    row = await queries.meeting(repo, meeting_id)
    assert row is not None
    cycle = await repo.cycle(row.cycle_id)
    assert cycle is not None
    team = await repo.team(cycle.team_id)
    assert team is not None
    link = await queries.group_link(repo, row.chat_id)
    model = load_model(cycle.model_id)
    state = as_state(row)
    element_id = state.current
    result, managers, words_allowed = await _group_result(repo, cycle)
    all_agreed = await agreements.agreed_levels(repo, cycle.id)
    all_actions = await _actions(repo, cycle)
    counts = ([0, 0, 0, 0, 0] if element_id is None
              else await queries.vote_counts(repo, row.id, element_id))
    awaited = await queries.positions_in_chat(repo, row.chat_id, positions.MeetingAction.KIND)
    asking = next((kind for kind, payload in awaited
                   if positions.decode(kind, payload)
                   == positions.MeetingAction(row.id, element_id or "")), None)
    return MeetingView(
        meeting_id=row.id, chat_id=row.chat_id, message_id=row.message_id, team_name=team.name,
        language=link.language if link else "nl", timezone=team.timezone, cycle_id=cycle.id,
        cycle_closed_at=cycle.closed_at, model=model, state=state,
        element=model.elements[element_id] if element_id else None,
        team=_shown(result, element_id),
        managers=_shown(managers, element_id),
        examples=(await _examples(repo, cycle, element_id)
                  if words_allowed and element_id else ()),
        remarks=(await _remarks(repo, cycle, model.elements[element_id].chapter_id)
                 if words_allowed and element_id else ()),
        votes=(counts[0], counts[1], counts[2], counts[3], counts[4]),
        agreed=all_agreed.get(element_id) if element_id else None,
        action=next((a for a in all_actions if a.element_id == element_id), None),
        asking=asking.removeprefix("meeting_") if asking else None,
        owners=await _managers(repo, team), all_agreed=all_agreed, all_actions=all_actions)


def _shown(result: TeamResult | None, element_id: str | None) -> ElementResult | None:
    """The element's figures, if the group may see them (a hidden one has them all None)."""
    if result is None or element_id is None:
        return None
    element = result.elements.get(element_id)
    return element if element is not None and element.shown else None


async def unfinished_view(
    repo: Repository, meeting_id: int, chat_id: int
) -> MeetingView | None:
    """The meeting as shown now, if it is this group's and not finished."""
    row = await queries.meeting(repo, meeting_id)
    if row is None or row.finished_at is not None or row.chat_id != chat_id:
        return None
    return await view(repo, meeting_id)


async def _actions(repo: Repository, cycle: Cycle) -> tuple[ActionView, ...]:
    return tuple(ActionView(a.id, a.element_id, a.what, a.owner, a.owner_id, a.due_on)
                 for a in await queries.actions_of_cycle(repo, cycle.id))


async def _managers(repo: Repository, team: Team) -> tuple[tuple[int, str], ...]:
    return tuple(await queries.manager_names(repo, team.id))


async def _examples(repo: Repository, cycle: Cycle, element_id: str) -> tuple[str, ...]:
    return tuple(sorted(await queries.example_texts(repo, cycle.id, element_id)))


async def _remarks(repo: Repository, cycle: Cycle, chapter_id: str) -> tuple[str, ...]:
    return tuple(sorted(await queries.remark_texts(repo, cycle.id, chapter_id)))
