"""The figures a whole group may read: the disclosure rule for every reader at once.

A report is built for one reader, whose own answers do not count towards the threshold k: she
could subtract them. A message in the team's group is read by everyone in it at the same time:
managers and participants who answered, and perhaps people who did not. A figure shown there must
satisfy the rule for *every possible reader*, so it is built for the most restrictive one:

* Any respondent may be reading, so every set shown needs k respondents besides any one of them:
  at least k + 1 in all. That is `domain.disclosure`'s rule with threshold k + 1 and nobody
  marked as the viewer. (An atom that is only the reader is harmless *to her*, but another
  reader sees that one person: so 0 or at least k + 1, never 1.)
* The group's figures are combined with everything else a reader ever saw: a manager also has the
  private report, which may show stakeholder groups beside the team. Had the group its own
  greedy choice of sets, the group's managers-vs-team figure together with a report's group
  figures could cut the team into atoms no single view allowed. So the managers are shown only
  if every atom of the *finest* cut any view could make (every stakeholder group and the
  managers at once) is empty or holds at least k + 1 people, per element too. Any union of
  shown sets, from any view, is then a sum of such atoms.
* Remarks and examples need k + 1 people who finished, for the same reason.

`tests/domain/test_meeting_figures.py` plays the adversary: a manager who answered, reading the
group, subtracting her own answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from domain import disclosure
from domain.aggregation import Respondent, TeamFigures, TeamResult, aggregate
from domain.catalog import AssessmentModel


def for_every_reader(people: Sequence[Respondent]) -> list[Respondent]:
    """The respondents as no reader in particular: nobody's answers are left out."""
    return [replace(person, is_viewer=False) for person in people]


def group_threshold(threshold: int) -> int:
    """k + 1: at least k besides whichever respondent is reading."""
    return disclosure.check_threshold(threshold) + 1


def group_figures(
    model: AssessmentModel, scope_id: str, people: Sequence[Respondent], threshold: int, *,
    closed: bool,
) -> TeamFigures:
    """The team (and the managers, where the finest cut allows) as the whole group may see it."""
    strict = group_threshold(threshold)
    everyone = for_every_reader(people)
    team = aggregate(model, scope_id, everyone, strict, closed=closed)
    managers = frozenset(i for i, p in enumerate(everyone) if p.is_manager)
    if not team.disclosed or not managers or len(managers) == len(everyone):
        return TeamFigures(team, (), None)
    names = sorted({p.group for p in everyone if p.group})
    finest = [frozenset(i for i, p in enumerate(everyone) if p.group == name) for name in names]
    cells = disclosure.atoms(len(everyone), [*finest, managers])
    if not all(len(cell) == 0 or len(cell) >= strict for cell in cells):
        return TeamFigures(team, (), None)
    allowed = frozenset(e for e in model.scope(scope_id).element_ids
                        if disclosure.element_allowed(everyone, cells, e, strict))
    part: TeamResult = aggregate(model, scope_id, [everyone[i] for i in sorted(managers)],
                                 strict, allowed=allowed, closed=closed)
    return TeamFigures(team, (), part)


def remarks_allowed(people: Sequence[Respondent], threshold: int) -> bool:
    """Remarks and examples in the group: k + 1 people who finished (see the docstring)."""
    return disclosure.remarks_allowed(for_every_reader(people), group_threshold(threshold))
