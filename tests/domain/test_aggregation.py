"""Team figures: the invariants that must hold for any team, and the disclosure rule's cases.

The brute-force check that no manager can pin anyone down is `test_adversary.py`.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.aggregation import Consensus, Respondent, aggregate, agreement_of, team_figures
from tests.support.model_for_tests import small_model

MODEL = small_model()
IDS = MODEL.scope("full").element_ids
answer_sets = st.lists(
    st.fixed_dictionaries({e: st.one_of(st.none(), st.integers(1, 5)) for e in IDS}),
    min_size=0, max_size=12,
)


@given(answer_sets, st.integers(3, 6))
def test_every_shown_figure_lies_between_the_lowest_and_highest_answer(
    sets: list[dict[str, int | None]], threshold: int
) -> None:
    result = aggregate(MODEL, "full", sets, threshold)
    for element_id, element in result.elements.items():
        levels = [s[element_id] for s in sets if s[element_id] is not None]
        if element.mean is None:
            assert len(levels) < threshold or len(sets) < threshold
            assert element.distribution is None and element.spread is None
            continue
        assert min(levels) <= element.mean <= max(levels)
        assert element.distribution is not None and sum(element.distribution) == len(levels)
    for chapter in result.chapters:
        means = [result.elements[e].mean for e in chapter.element_ids]
        shown = [m for m in means if m is not None]
        assert (chapter.mean is None) == (not shown)
        if shown:
            assert min(shown) - 1e-9 <= chapter.mean <= max(shown) + 1e-9  # type: ignore[operator]
    if result.overall is not None:
        assert 1 <= result.overall <= 5


@given(answer_sets, st.randoms())
def test_the_order_in_which_people_answered_changes_nothing(
    sets: list[dict[str, int | None]], chooser: random.Random
) -> None:
    shuffled = list(sets)
    chooser.shuffle(shuffled)
    assert aggregate(MODEL, "full", sets, 3) == aggregate(MODEL, "full", shuffled, 3)


@given(answer_sets)
def test_below_the_threshold_nothing_is_shown(sets: list[dict[str, int | None]]) -> None:
    result = aggregate(MODEL, "full", sets, max(len(sets) + 1, 3))
    assert not result.shown
    assert result.overall is None
    assert all(not e.shown for e in result.elements.values())


def test_not_applicable_is_left_out_instead_of_counting_as_low() -> None:
    result = aggregate(MODEL, "full", [{"A1": 4}] * 3 + [{"A1": None}], threshold=3)
    assert result.elements["A1"].mean == 4
    assert result.elements["A1"].not_applicable == 1


def test_chapters_weigh_equally_whatever_their_size() -> None:
    everyone = {"A1": 2, "A2": 2, "A3": 2, "B1": 4}
    result = aggregate(MODEL, "full", [everyone] * 3, threshold=3)
    assert result.chapter("A").mean == 2 and result.chapter("B").mean == 4
    assert result.overall == 3


def test_a_divided_team_shows_weak_consensus_and_a_united_one_strong() -> None:
    divided = aggregate(MODEL, "full", [{"A1": 1}, {"A1": 5}, {"A1": 1}, {"A1": 5}], 3)
    united = aggregate(MODEL, "full", [{"A1": 3}, {"A1": 3}, {"A1": 3}], 3)
    assert divided.elements["A1"].consensus is Consensus.WEAK
    assert united.elements["A1"].consensus is Consensus.STRONG
    assert divided.elements["A1"].distribution == (2, 0, 0, 0, 2)


def test_agreement_is_one_when_everyone_agrees_and_zero_when_split_between_extremes() -> None:
    assert agreement_of([2, 2, 2]) == 1.0
    assert agreement_of([1, 5, 1, 5]) == 0.0
    assert 0 < agreement_of([2, 3, 3, 4]) < 1
    assert agreement_of([3, 3, 4]) > agreement_of([1, 3, 5])


def _people(*rows: tuple[str | None, bool, int | None]) -> list[Respondent]:
    return [Respondent({"A1": level}, group=group, is_manager=manager)
            for group, manager, level in rows]


def test_small_stakeholder_groups_are_left_out_of_the_breakdown() -> None:
    people = _people(*[("owners", False, 5)] * 3, *[("staff", False, 3)] * 3,
                     *[("suppliers", False, 1)] * 3, *[("customers", False, 2)] * 2)
    # owners and staff are shown; suppliers would leave the 2 customers as team minus the rest.
    figures = team_figures(MODEL, "full", people, 3, closed=True)
    assert [g.group for g in figures.groups] == ["owners", "staff"]
    assert figures.groups[1].result.elements["A1"].mean == 3


def test_a_group_is_hidden_when_the_rest_of_the_team_is_too_small() -> None:
    # 3 staff and 1 owner: showing staff beside the team total would expose the owner.
    people = _people(*[("staff", False, 3)] * 3, ("owners", False, 5))
    assert team_figures(MODEL, "full", people, 3, closed=True).groups == ()


def test_managers_cutting_across_groups_are_left_out_when_they_would_isolate_someone() -> None:
    # 3 staff (one a manager), 3 customers (two managers): the staff manager would be alone.
    people = _people(("staff", True, 1), ("staff", False, 2), ("staff", False, 2),
                     ("customers", True, 1), ("customers", True, 5), ("customers", False, 4))
    figures = team_figures(MODEL, "full", people, 3, closed=True)
    assert [g.group for g in figures.groups] == ["customers", "staff"]
    assert figures.managers is None


def test_the_managers_figure_needs_enough_managers_and_enough_others() -> None:
    four = _people(*[(None, True, 4)] * 3, (None, False, 2))
    six = _people(*[(None, True, 4)] * 3, *[(None, False, 2)] * 3)
    assert team_figures(MODEL, "full", four, 3, closed=True).managers is None
    managers = team_figures(MODEL, "full", six, 3, closed=True).managers
    assert managers is not None and managers.elements["A1"].mean == 4


def test_the_viewer_does_not_count_towards_the_threshold() -> None:
    others = [Respondent({"A1": 4}), Respondent({"A1": 4})]
    viewer = Respondent({"A1": 2}, is_manager=True, is_viewer=True)
    assert not aggregate(MODEL, "full", [*others, viewer], 3).shown
    assert aggregate(MODEL, "full", [*others, Respondent({"A1": 2})], 3).shown
    with_one_more = aggregate(MODEL, "full", [*others, viewer, Respondent({"A1": 1})], 3)
    assert with_one_more.elements["A1"].distribution == (1, 1, 0, 2, 0)


def test_an_open_cycle_has_no_figures_at_all() -> None:
    people = _people(*[("staff", False, 3)] * 4, *[("owners", True, 5)] * 4)
    figures = team_figures(MODEL, "full", people, 3, closed=False)
    assert not figures.team.shown and figures.team.overall is None
    assert all(e.answered is None and e.mean is None for e in figures.team.elements.values())
    assert figures.groups == () and figures.managers is None


def test_a_threshold_below_three_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 3"):
        aggregate(MODEL, "full", [{"A1": 3}] * 5, 2)


def _unsure(answers: dict[str, int | None], unknown: bool = False,
            viewer: bool = False) -> Respondent:
    return Respondent(answers, is_viewer=viewer,
                      unknown=frozenset(answers) if unknown else frozenset())


def test_dont_know_is_counted_apart_and_makes_an_information_gap() -> None:
    people = [_unsure({"A1": 4})] * 3 + [_unsure({"A1": None}, unknown=True)] * 2 + [
        _unsure({"A1": None})]
    element = aggregate(MODEL, "full", people, threshold=3).elements["A1"]
    assert (element.mean, element.not_applicable, element.dont_know) == (4, 1, 2)
    assert element.information_gap  # 2 of 6 did not know


def test_a_topic_nobody_could_judge_still_shows_how_many_did_not_know() -> None:
    people = [_unsure({"A1": None}, unknown=True)] * 3 + [_unsure({"A1": 2})]
    element = aggregate(MODEL, "full", people, threshold=3).elements["A1"]
    assert element.mean is None and element.dont_know == 3 and element.information_gap


def test_the_dont_know_figure_needs_k_others_who_answered_the_topic() -> None:
    people = [_unsure({"A1": None}, unknown=True, viewer=True),
              _unsure({"A1": None}, unknown=True), _unsure({"A1": 3}), _unsure({"B1": 3})]
    result = aggregate(MODEL, "full", people, threshold=3)
    assert result.shown  # three others took part, but only two of them answered A1
    assert result.elements["A1"].dont_know is None and not result.elements["A1"].information_gap
    assert aggregate(MODEL, "full", people, 3, closed=False).elements["A1"].dont_know is None
