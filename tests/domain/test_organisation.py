"""The organisation's figures: everyone once, teams side by side under the atom rule, the spread.

The brute-force check that no reader can pin anyone down is `test_adversary_organisation.py`;
here are the cases a director would recognise, and the invariants that hold for any organisation.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from domain.organisation import Member, OrganisationFigures, organisation_figures
from tests.support.model_for_tests import small_model

MODEL = small_model({"A": 2, "B": 1})
IDS = MODEL.scope("full").element_ids
K = 3
SALES, SUPPORT, ENGINEERING, BOARD = 1, 2, 3, 4
TEAMS = (SALES, SUPPORT, ENGINEERING, BOARD)


def _person(teams: set[int], level: int, **facts: bool) -> Member:
    return Member({e: level for e in IDS}, frozenset(teams), **facts)


def _organisation() -> list[Member]:
    """Four teams as in the issue: one of two people, and one person in two teams."""
    return [*(_person({SALES}, 2) for _ in range(4)), _person({SALES, SUPPORT}, 3),
            *(_person({SUPPORT}, 4) for _ in range(3)),
            *(_person({ENGINEERING}, 5) for _ in range(4)),
            _person({BOARD}, 1), _person({BOARD}, 5)]


def _admin(people: list[Member], closed: bool = True) -> OrganisationFigures:
    return organisation_figures(MODEL, "full", people, TEAMS, K, closed=closed)


def _sums(figures: OrganisationFigures, element: str) -> tuple[int, float]:
    """What subtracting the shown team cells from the total leaves: (answers, sum of levels)."""
    total = figures.total.elements[element]
    assert total.answered is not None and total.mean is not None
    answered, levels = total.answered, total.mean * total.answered
    for column in figures.shown_teams:
        assert column.result is not None
        cell = column.result.elements[element]
        assert cell.answered is not None and cell.mean is not None
        answered -= cell.answered
        levels -= cell.mean * cell.answered
    return answered, levels


def test_everyone_counts_once_in_the_total_however_many_teams_they_are_in() -> None:
    figures = _admin(_organisation())
    assert figures.total.respondents == 14
    assert figures.total.elements["A1"].distribution == (1, 4, 1, 3, 5)
    assert [t.respondents for t in figures.teams] == [5, 4, 4, 2]


def test_the_small_team_is_hidden_and_cannot_be_derived_from_the_total() -> None:
    figures = _admin(_organisation())
    shown = [t.team_id for t in figures.shown_teams]
    assert BOARD not in shown
    # Sales and support overlap in one person: they cannot both be shown.
    assert not {SALES, SUPPORT} <= set(shown)
    assert ENGINEERING in shown
    assert figures.total.shown
    overlap = [p for p in _organisation() if sum(t in p.teams for t in shown) > 1]
    assert overlap == []  # so the total minus the shown teams is one part of the organisation
    for element in IDS:
        rest, _ = _sums(figures, element)
        assert rest >= K  # the board's two people never stand alone
    grid = figures.chapter_grid()
    assert grid[TEAMS.index(BOARD)] == (None, None)
    assert grid[TEAMS.index(ENGINEERING)] == (5.0, 5.0)


def test_a_team_manager_sees_her_team_and_the_total_and_no_other_team() -> None:
    people = [_person({SUPPORT}, 4, is_viewer=True, is_manager=True)
              if n == 5 else p for n, p in enumerate(_organisation())]
    figures = organisation_figures(MODEL, "full", people, (SUPPORT,), K, closed=True,
                                   known=(SUPPORT,))
    assert [t.team_id for t in figures.teams] == [SUPPORT]
    assert figures.teams[0].shown and figures.total.shown
    assert figures.teams[0].respondents == 4  # she does not count towards k: 3 others


def test_the_total_is_hidden_from_a_manager_when_it_would_give_away_the_rest() -> None:
    people = [*(_person({SALES}, 2) for _ in range(4)), _person({SUPPORT}, 5),
              _person({SUPPORT}, 4)]
    figures = organisation_figures(MODEL, "full", people, (SALES,), K, closed=True,
                                   known=(SALES,))
    assert figures.teams[0].shown
    assert not figures.total.shown and figures.total.overall is None
    admin = organisation_figures(MODEL, "full", people, (SALES, SUPPORT), K, closed=True)
    assert admin.total.shown and not any(t.shown for t in admin.teams)


def test_the_viewers_own_answers_do_not_count_towards_k() -> None:
    people = [_person({SALES}, 3, is_viewer=True), _person({SALES}, 2), _person({SALES}, 4)]
    figures = organisation_figures(MODEL, "full", people, (SALES,), K, closed=True)
    assert not figures.total.shown and not figures.shown_teams


def test_nothing_while_the_cycle_is_open() -> None:
    figures = _admin(_organisation(), closed=False)
    assert not figures.total.shown and not figures.shown_teams
    assert figures.priorities == () and figures.element_spread == ()
    assert [t.respondents for t in figures.teams] == [5, 4, 4, 2]  # counts of people only


def test_the_spread_puts_the_teams_that_differ_most_first() -> None:
    people = [*(Member({"A1": 1, "A2": 3, "B1": 3}, frozenset({SALES})) for _ in range(3)),
              *(Member({"A1": 5, "A2": 3, "B1": 4}, frozenset({ENGINEERING}))
                for _ in range(3))]
    figures = organisation_figures(MODEL, "full", people, (SALES, ENGINEERING), K, closed=True)
    assert [s.id for s in figures.element_spread] == ["A1", "B1", "A2"]
    first = figures.element_spread[0]
    assert (first.low, first.high, first.lowest, first.highest) == (1.0, 5.0, (SALES,),
                                                                    (ENGINEERING,))
    assert figures.chapter_spread[0].id == "A" and figures.chapter_spread[0].range == 2.0
    assert figures.priorities[0].element_id == "A1"  # the organisation's 3.0 is below target


memberships = st.frozensets(st.sampled_from(TEAMS), max_size=2)
people_strategy = st.lists(
    st.tuples(memberships, st.fixed_dictionaries(
        {e: st.one_of(st.none(), st.integers(1, 5)) for e in IDS})), max_size=16)


@given(people_strategy, st.permutations(range(5)))
def test_which_teams_are_shown_depends_only_on_who_answered_where(
    rows: list[tuple[frozenset[int], dict[str, int | None]]], levels: list[int]
) -> None:
    """Relabel every level (and drop nobody): the shown teams stay the same."""
    people = [Member(answers, teams) for teams, answers in rows]
    relabelled = [Member({e: None if v is None else levels[v - 1] + 1
                          for e, v in p.answers.items()}, p.teams) for p in people]
    assert ([t.shown for t in _admin(people).teams]
            == [t.shown for t in _admin(relabelled).teams])


@given(people_strategy)
def test_every_atom_of_the_shown_teams_is_empty_or_holds_k(
    rows: list[tuple[frozenset[int], dict[str, int | None]]]
) -> None:
    people = [Member(answers, teams) for teams, answers in rows]
    figures = _admin(people)
    shown = [t.team_id for t in figures.shown_teams]
    if shown:
        assert figures.total.shown
    atoms: dict[tuple[bool, ...], int] = {}
    for person in people:
        pattern = tuple(t in person.teams for t in shown)
        atoms[pattern] = atoms.get(pattern, 0) + 1
    if figures.total.shown:
        assert all(size >= K for size in atoms.values())


def test_an_admin_who_manages_two_overlapping_teams_gets_no_total_beside_them() -> None:
    """She reads sales and support in their team reports; with the total beside them, the
    person in both would be sales plus support minus the total (and the rest)."""
    people = _organisation()
    figures = organisation_figures(MODEL, "full", people, TEAMS, K, closed=True,
                                   known=(SALES, SUPPORT))
    assert not figures.total.shown
    shown = {t.team_id for t in figures.shown_teams}
    assert not {SALES, SUPPORT} <= shown and BOARD not in shown
    only_sales = organisation_figures(MODEL, "full", people, TEAMS, K, closed=True,
                                      known=(SALES,))
    assert only_sales.total.shown and SALES in {t.team_id for t in only_sales.shown_teams}
