"""An organisation's figures: one profile of everyone, its teams side by side, where they differ.

A person answers once per organisation cycle and counts in every team of it where they are a
member, so teams overlap; the organisation's profile counts each person once. The teams shown
beside the organisation total are chosen by the one rule of `domain.disclosure`: each shown team
is a shown set, the total is everyone, and the atoms (people in exactly the same shown teams,
including "in no shown team", the total minus the shown teams) must each be empty or hold at
least k people other than the viewer. A team that would break it is hidden,
chosen greedily from who answered and where they count (facts every admin sees in the status per
team), never from the answers; so no sum or difference of shown cells and the total gives away a
hidden team, or the overlap of two shown ones. Per element the shown teams are chosen again
(in the same order) so that each atom has none or at least k answers and levels to it: one
"not applicable" in a small overlap hides that element in a team or two, not in every team.

Two viewers: an organisation admin, to whom every team of the cycle is a candidate; and a team
manager, who sees her own team(s) and the total. Teams the viewer manages she also reads in their
own team reports (the same people: everyone who counts in the team), so they are known sets: the
total and the other teams are shown only if they make no small atom together with them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

from domain import disclosure
from domain.aggregation import TeamResult, aggregate
from domain.catalog import AssessmentModel
from domain.disclosure import AnswerSet, Respondent
from domain.priorities import Priority, priorities

PRIORITY_LENGTH = 5


@dataclass(frozen=True, slots=True)
class Member:
    """One response in an organisation cycle, and the teams in which it counts."""

    answers: AnswerSet
    teams: frozenset[int]
    is_manager: bool = False
    is_viewer: bool = False
    finished: bool = True

    def respondent(self) -> Respondent:
        return Respondent(self.answers, None, self.is_manager, self.is_viewer, self.finished)


@dataclass(frozen=True, slots=True)
class TeamColumn:
    """One team of the organisation: how many respondents count in it, and its figures if shown.
    """

    team_id: int
    respondents: int
    result: TeamResult | None

    @property
    def shown(self) -> bool:
        return self.result is not None


@dataclass(frozen=True, slots=True)
class Spread:
    """Where the shown teams see one element (or chapter) differently: the lowest and highest
    team figure (element: the team's median; chapter: the team's chapter level)."""

    id: str
    low: float
    high: float
    lowest: tuple[int, ...]
    highest: tuple[int, ...]

    @property
    def range(self) -> float:
        return self.high - self.low


@dataclass(frozen=True, slots=True)
class OrganisationFigures:
    total: TeamResult
    teams: tuple[TeamColumn, ...]
    """The teams the viewer may know of, in the order given; hidden ones carry no result."""
    element_spread: tuple[Spread, ...]
    chapter_spread: tuple[Spread, ...]
    priorities: tuple[Priority, ...]

    @property
    def shown_teams(self) -> tuple[TeamColumn, ...]:
        return tuple(t for t in self.teams if t.shown)

    def chapter_grid(self) -> tuple[tuple[float | None, ...], ...]:
        """The heatmap teams × chapters: per team, per chapter of the total; None is hidden."""
        return tuple(tuple(t.result.chapter(c.chapter_id).mean if t.result else None
                           for c in self.total.chapters) for t in self.teams)


def organisation_figures(
    model: AssessmentModel, scope_id: str, people: Sequence[Member], team_ids: Sequence[int],
    threshold: int, *, closed: bool, known: Collection[int] = (),
    targets: Mapping[str, int] | None = None,
) -> OrganisationFigures:
    """The organisation as one viewer may see it (the viewer is the member marked `is_viewer`).

    `team_ids` are the teams the viewer may know of, in display order: for an admin every team
    of the cycle, for a team manager her own. `known` are the teams whose own report she reads
    (those she manages): she has their figures anyway, so they cut the atoms from the start, the
    total is shown only if it fits beside them, and they come first. Other candidates are tried
    largest first (by respondents, then display order), so a small team is the one left out
    rather than a large one. Nothing is shown while the cycle is open.
    """
    disclosure.check_threshold(threshold)
    everyone = [person.respondent() for person in people]
    members = {t: frozenset(i for i, p in enumerate(people) if t in p.teams)
               for t in {*team_ids, *known}}
    order = [t for t in team_ids if t in known] + sorted(
        (t for t in team_ids if t not in known), key=lambda t: -len(members[t]))
    disclosed = closed and disclosure.enough(disclosure.others(everyone), threshold)
    total_shown = disclosed and disclosure.shown_together(
        everyone, [members[t] for t in known], threshold)
    # Without the total, only the teams' own people are in view: nobody outside them is shown.
    universe = (list(range(len(people))) if total_shown
                else sorted(set().union(*(members[t] for t in order))))
    position = {index: number for number, index in enumerate(universe)}
    part = [everyone[i] for i in universe]
    sets = {t: frozenset(position[i] for i in members[t] if i in position) for t in members}
    fixed = [sets[t] for t in known]
    chosen = disclosure.breakdown(part, [sets[t] for t in order], threshold, keep_whole=True,
                                  fixed=fixed) if closed and part else ()
    shown = [order[c] for c in chosen]
    # Per element the total must fit beside her team reports too: one "not applicable" too few
    # outside her team would otherwise be the total's count minus her team report's.
    element_ids = model.scope(scope_id).element_ids
    beside = disclosure.atoms(len(people), [members[t] for t in known]) if known else ()
    total = aggregate(model, scope_id, everyone, threshold, closed=total_shown, allowed=[
        e for e in element_ids
        if disclosure.element_allowed(everyone, beside, e, threshold)] if known else None)
    results: dict[int, TeamResult] = {}
    if shown:
        carrying: dict[int, set[str]] = {t: set() for t in shown}
        for element_id in model.scope(scope_id).element_ids:  # which shown teams carry it
            for c in disclosure.breakdown(part, [sets[t] for t in shown], threshold,
                                          keep_whole=True, element_id=element_id, fixed=fixed):
                carrying[shown[c]].add(element_id)
        for t in shown:
            results[t] = aggregate(model, scope_id, [everyone[i] for i in sorted(members[t])],
                                   threshold, allowed=carrying[t])
    columns = tuple(TeamColumn(t, len(members[t]), results.get(t)) for t in team_ids)
    return OrganisationFigures(
        total=total, teams=columns,
        element_spread=_spread(columns, model.scope(scope_id).element_ids, _median),
        chapter_spread=_spread(columns, [c.chapter_id for c in total.chapters], _chapter),
        priorities=priorities(total, targets, limit=PRIORITY_LENGTH,
                              default_target=None) if total.shown else (),
    )


def _median(result: TeamResult, element_id: str) -> float | None:
    return result.elements[element_id].median


def _chapter(result: TeamResult, chapter_id: str) -> float | None:
    return result.chapter(chapter_id).mean


def _spread(
    columns: Sequence[TeamColumn], keys: Sequence[str],
    measure: Callable[[TeamResult, str], float | None],
) -> tuple[Spread, ...]:
    """Per element or chapter with at least two shown teams' figures, the largest range first
    (ties in model order): where the departments see the organisation differently."""
    found: list[Spread] = []
    for key in keys:
        values = [(value, c.team_id) for c in columns if c.result is not None
                  and (value := measure(c.result, key)) is not None]
        if len(values) < 2:
            continue
        low, high = min(v for v, _ in values), max(v for v, _ in values)
        found.append(Spread(key, low, high, tuple(t for v, t in values if v == low),
                            tuple(t for v, t in values if v == high)))
    order = {spread.id: number for number, spread in enumerate(found)}
    return tuple(sorted(found, key=lambda s: (-s.range, order[s.id])))


# Public names for `domain.family_figures`, which builds the same report from a stored family.
spread = _spread
median_of = _median
chapter_of = _chapter
