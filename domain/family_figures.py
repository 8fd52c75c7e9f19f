"""A closed cycle's figures as its stored family allows: the same for every reader.

`domain.family` decides once which cuts exist; this module only computes them. Nobody is a
viewer here: every shown part already holds k + 1 people, so whoever reads it (having answered
or not) is left with k others. Readers differ only in which of the family's cuts they may open
(the services narrow), never in what a cut shows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from domain import organisation
from domain.aggregation import GroupResult, Respondent, TeamFigures, TeamResult, aggregate
from domain.catalog import AssessmentModel
from domain.family import WHOLE, Family, group_key, managers_key, team_key
from domain.organisation import Member, OrganisationFigures, TeamColumn
from domain.priorities import priorities


def _nobody_viewing(people: Sequence[Respondent]) -> list[Respondent]:
    return [replace(p, is_viewer=False) if p.is_viewer else p for p in people]


def cut(model: AssessmentModel, scope_id: str, people: Sequence[Respondent], family: Family,
        key: str) -> TeamResult:
    """One cut's figures: hidden entirely when the family does not show it, and per element
    only where the family carries that element for it."""
    return aggregate(model, scope_id, _nobody_viewing(people), family.minimum,
                     allowed=family.elements(key), closed=family.shows(key))


def team_figures(model: AssessmentModel, scope_id: str, people: Sequence[Respondent],
                 family: Family, team_id: int) -> TeamFigures:
    """A team's report: everyone who counts in the team (`people`, with their group and role in
    this team), its shown stakeholder groups in the family's order, and its managers if shown."""
    team = cut(model, scope_id, people, family, team_key(team_id))
    if not team.shown:
        return TeamFigures(team, (), None)
    groups = []
    for key in family.shown:
        prefix = group_key(team_id, "")
        if key.startswith(prefix):
            name = key[len(prefix):]
            groups.append(GroupResult(name, cut(
                model, scope_id, [p for p in people if p.group == name], family, key)))
    managers = (cut(model, scope_id, [p for p in people if p.is_manager], family,
                    managers_key(team_id))
                if family.shows(managers_key(team_id)) else None)
    return TeamFigures(team, tuple(groups), managers)


def organisation_figures(
    model: AssessmentModel, scope_id: str, people: Sequence[Member], team_ids: Sequence[int],
    family: Family, targets: Mapping[str, int] | None = None,
) -> OrganisationFigures:
    """The organisation report for a reader who may open `team_ids` (in display order) besides
    the whole: each shown in full or not at all, exactly as every other reader sees it."""
    everyone = [person.respondent() for person in people]
    total = cut(model, scope_id, everyone, family, WHOLE)
    columns = []
    for team_id in team_ids:
        members = [everyone[i] for i, p in enumerate(people) if team_id in p.teams]
        key = team_key(team_id)
        result = (cut(model, scope_id, members, family, key) if family.shows(key) else None)
        columns.append(TeamColumn(team_id, len(members), result))
    found = tuple(columns)
    return OrganisationFigures(
        total=total, teams=found,
        element_spread=organisation.spread(found, model.scope(scope_id).element_ids,
                                           organisation.median_of),
        chapter_spread=organisation.spread(found, [c.chapter_id for c in total.chapters],
                                           organisation.chapter_of),
        priorities=(priorities(total, targets, limit=organisation.PRIORITY_LENGTH,
                               default_target=None) if total.shown else ()),
    )
