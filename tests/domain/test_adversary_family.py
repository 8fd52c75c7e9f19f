"""The determined reader across an organisation and over time, by brute force, against the family.

Hypothesis builds small organisations: three teams with overlapping members (and people who
left every team), stakeholder groups and managers per team, and a reader who may have answered
herself and who holds a sequence of roles over time (manager of one team, then co-manager of
another, plain member of a team that shares its result, organisation admin), keeping every view
she was ever allowed. What she sees of one element is, per cut she may open and the stored family
carries, its multiset of answers (the distribution and "not applicable": every figure a report,
chart or export derives is a function of it), plus the family itself (what is shown, what is
hidden and why). She knows who answered and where each counts, their groups and roles, and her
own answer.

We enumerate every assignment of answers to everyone, group them by what she would see, and ask
whose answer is the same in every assignment she cannot tell apart. The only excused case is the
one no aggregate can hide: everyone in the person's atom (at least k people besides her) gave
that same answer.

The control (`naive_views`) is today's rule before the family, a copy kept here: each report
checked on its own, for its reader, at the moment she asks (`domain.organisation`'s
`organisation_figures` with the teams she manages then as known, `disclosure.shown_teams` for
the team reports she gets then). The same adversary pins people down under it in both attacks of
issue #25, which keeps this test from going blind.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import product

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain import disclosure
from domain.family import WHOLE, Answered, Family, decide, group_key, managers_key, team_key
from domain.organisation import Member, organisation_figures
from tests.support.model_for_tests import small_model

K = 3
TEAMS = (1, 2, 3)
ELEMENT = "A1"
MODEL = small_model({"A": 1})
Value = int | None
Moment = tuple[str, int | None]
"""One role she holds for a while: ("admin", None), ("manager", team), ("member", team) of a
team that shares its result with its members."""


@dataclass(frozen=True)
class Person:
    """What every manager knows about a respondent: everything but the answers."""

    teams: frozenset[int]
    groups: tuple[tuple[int, str | None], ...] = ()
    managing: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Organisation:
    people: tuple[Person, ...]
    reader: int | None
    """Her own response among `people`, or None if she did not answer."""
    moments: tuple[Moment, ...]
    values: tuple[Value, ...]


def _family(org: Organisation, values: Sequence[Value]) -> Family:
    return decide([Answered(p.teams, dict(p.groups), p.managing, frozenset({ELEMENT}))
                   for p in org.people],
                  list(TEAMS), [ELEMENT], K, organisation=True)


def cuts(org: Organisation) -> dict[str, frozenset[int]]:
    """Every cut the family could show, as sets of people."""
    found = {WHOLE: frozenset(range(len(org.people)))}
    for team in TEAMS:
        inside = [i for i, p in enumerate(org.people) if team in p.teams]
        found[team_key(team)] = frozenset(inside)
        found[managers_key(team)] = frozenset(i for i in inside if team in org.people[i].managing)
        for i in inside:
            group = dict(org.people[i].groups).get(team)
            if group is not None:
                found[group_key(team, group)] = frozenset(
                    j for j in inside if dict(org.people[j].groups).get(team) == group)
    return found


def opens(moment: Moment, key: str) -> bool:
    """Access only narrows: what one role may open of the family."""
    role, team = moment
    if role == "admin":
        return key == WHOLE or key.startswith("team:")
    if role == "manager":
        return key in (WHOLE, team_key(team or 0), managers_key(team or 0)) or key.startswith(
            f"group:{team}:")
    return key == team_key(team or 0)


def family_views(org: Organisation, values: Sequence[Value]) -> tuple[object, ...]:
    """Everything she saw, over all her roles, under the stored family."""
    family = _family(org, values)
    sets = cuts(org)
    seen = sorted(key for key in family.shown if ELEMENT in family.elements(key)
                  and any(opens(m, key) for m in org.moments))
    return (family.to_json(), *((key, _multiset(sets[key], values)) for key in seen))


def _multiset(members: frozenset[int], values: Sequence[Value]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(Counter(repr(values[i]) for i in members).items()))


def atoms_of(org: Organisation, values: Sequence[Value]) -> list[frozenset[int]]:
    """What she can separate: the atoms of the cuts she saw carrying the element."""
    family = _family(org, values)
    sets = cuts(org)
    seen = [sets[k] for k in family.shown
            if ELEMENT in family.elements(k) and any(opens(m, k) for m in org.moments)]
    return list(disclosure.atoms(len(org.people), seen))


Views = Callable[[Organisation, Sequence[Value]], tuple[object, ...]]
Atoms = Callable[[Organisation, Sequence[Value]], list[frozenset[int]]]


def pinned(org: Organisation, views: Views, atoms: Atoms, domain: Sequence[Value]
           ) -> list[tuple[tuple[Value, ...], int]]:
    """(world, person) where the person's answer is the same in every world she cannot tell from
    this one, and not excused by a unanimous atom of at least k besides her."""
    classes: dict[tuple[object, ...], list[tuple[Value, ...]]] = {}
    for world in product(domain, repeat=len(org.people)):
        own = world[org.reader] if org.reader is not None else "-"
        classes.setdefault((own, *views(org, world)), []).append(world)
    found = []
    for worlds in classes.values():
        for person in range(len(org.people)):
            if person == org.reader or len({w[person] for w in worlds}) > 1:
                continue
            for world in worlds:
                cell = next(a for a in atoms(org, world) if person in a) - {org.reader}
                if len(cell) < K or len({world[i] for i in cell}) > 1:
                    found.append((world, person))
                    break
    return found


membership = st.one_of(st.sampled_from([frozenset({1}), frozenset({2}), frozenset({1, 2})]),
                       st.frozensets(st.sampled_from(TEAMS), max_size=3))


@st.composite
def organisations(draw: st.DrawFn) -> Organisation:
    people = []
    for _ in range(draw(st.integers(4, 7))):
        teams = draw(membership)
        people.append(Person(
            teams, tuple((t, draw(st.sampled_from(["staff", "clients", None]))) for t in teams),
            frozenset(t for t in teams if draw(st.integers(0, 3)) == 0)))
    reader = draw(st.none() | st.integers(0, len(people) - 1))
    moments = tuple(draw(st.lists(st.sampled_from(
        [("admin", None), *((role, t) for role in ("manager", "member") for t in TEAMS)]),
        min_size=1, max_size=4)))
    return Organisation(tuple(people), reader, moments, ())


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(organisations())
def test_no_reader_in_any_sequence_of_roles_pins_down_anyones_answer(org: Organisation) -> None:
    assert pinned(org, family_views, atoms_of, (1, 2, None)) == []


# The two attacks of issue #25, and the naive per-reader rule they break.

def _members(org: Organisation, values: Sequence[Value]) -> list[Member]:
    return [Member({ELEMENT: v}, p.teams, bool(p.managing), is_viewer=i == org.reader)
            for i, (p, v) in enumerate(zip(org.people, values, strict=True))]


def naive_sets(org: Organisation) -> list[frozenset[int]]:
    """The sets she saw under the old rule, moment by moment (decided without looking at the
    answers when nobody says "not applicable", as here)."""
    people = _members(org, [1] * len(org.people))
    viewer = frozenset({org.reader}) if org.reader is not None else frozenset()
    seen: list[frozenset[int]] = []
    for role, team in org.moments:
        managed = [team] if role == "manager" and team else []
        readable = [team] if team else []  # her team report, or her sharing team's result
        members = {t: frozenset(i for i, p in enumerate(org.people) if t in p.teams)
                   for t in TEAMS}
        shown = disclosure.shown_teams([members[t] for t in readable], viewer, K)
        seen += [members[readable[n]] for n in shown]
        if role in ("admin", "manager"):
            figures = organisation_figures(MODEL, "full", people,
                                           list(TEAMS) if role == "admin" else managed, K,
                                           closed=True, known=managed)
            if figures.total.shown:
                seen.append(frozenset(range(len(org.people))))
            seen += [members[c.team_id] for c in figures.shown_teams]
    return seen


def naive_views(org: Organisation, values: Sequence[Value]) -> tuple[object, ...]:
    return tuple(_multiset(s, values) for s in naive_sets(org))


def naive_atoms(org: Organisation, values: Sequence[Value]) -> list[frozenset[int]]:
    return list(disclosure.atoms(len(org.people), naive_sets(org)))


def _people(*teams: set[int], managing: dict[int, int] | None = None) -> tuple[Person, ...]:
    return tuple(Person(frozenset(t), tuple((x, None) for x in t),
                        frozenset({(managing or {}).get(n, 0)}) - {0})
                 for n, t in enumerate(teams))


# 1: she manages A (4 with Xander, who is also in B) and reads the total; later she is co-manager
# of B and reads B's report. Total − A − B = C − Xander: C's two and Xander pinned.
ROLE_CHANGE = Organisation(
    _people({1}, {1}, {1}, {1, 2}, {2}, {2}, {2}, {3}, {3}), None,
    (("manager", 1), ("manager", 2)), ())
# 2: she manages M and answered there; she is a plain member of S, which shares its result
# (her answer counts in both). Total − M − S + her own answer = the two people of team 3.
SHARING = Organisation(
    _people({1, 2}, {1}, {1}, {1}, {2}, {2}, {2}, {3}, {3}), 0,
    (("manager", 1), ("member", 2)), ())


def test_the_adversary_catches_the_naive_rule_in_both_attacks() -> None:
    for attack in (ROLE_CHANGE, SHARING):
        assert pinned(attack, naive_views, naive_atoms, (1, 2)) != []


def test_under_the_family_both_attacks_recover_nothing() -> None:
    for attack in (ROLE_CHANGE, SHARING):
        assert pinned(attack, family_views, atoms_of, (1, 2, None)) == []
