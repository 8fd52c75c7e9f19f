"""The family of a closed cycle: which cuts are shown, per element and for remarks, and why not."""

from __future__ import annotations

import random

from domain.family import (
    WHOLE,
    Answered,
    Family,
    Hidden,
    Reason,
    decide,
    group_key,
    managers_key,
    team_key,
)

E = ("A1", "B1")


def person(teams: set[int], group: str | None = None, *, manager: bool = False,
           answered: tuple[str, ...] = E, finished: bool = True) -> Answered:
    return Answered(frozenset(teams), dict.fromkeys(teams, group),
                    frozenset(teams) if manager else frozenset(), frozenset(answered), finished)


def test_a_team_of_k_shows_nothing_and_k_plus_one_shows_the_whole() -> None:
    three = decide([person({7})] * 3, [7], E, 3, organisation=False)
    assert three.shown == () and three.why(WHOLE) == Hidden(WHOLE, Reason.TOO_FEW)
    four = decide([person({7})] * 4, [7], E, 3, organisation=False)
    assert four.shown == (WHOLE, team_key(7)) and four.elements(team_key(7)) == frozenset(E)


def test_groups_and_managers_need_k_plus_one_in_every_part() -> None:
    people = ([person({7}, "staff")] * 4 + [person({7}, "clients")] * 3
              + [person({7}, "staff", manager=True)] * 4)
    family = decide(people, [7], E, 3, organisation=False)
    # Beside the eight staff, the team minus the staff would be the three clients.
    assert family.why(group_key(7, "staff")) == Hidden(
        group_key(7, "staff"), Reason.REMAINDER, team_key(7))
    assert family.why(group_key(7, "clients")) == Hidden(group_key(7, "clients"), Reason.TOO_FEW)
    assert family.shows(managers_key(7))  # four managers, seven others
    four_clients = decide([*people, person({7}, "clients")], [7], E, 3, organisation=False)
    assert four_clients.shows(group_key(7, "staff")) and four_clients.shows(
        group_key(7, "clients"))
    # the managers are four of the eight staff: staff minus managers is four, managers four
    assert four_clients.shows(managers_key(7))


def test_an_element_few_answered_is_not_carried_and_remarks_need_k_plus_one_finished() -> None:
    people = [person({7}, answered=("A1",), finished=False)] * 5 + [person({7})] * 3
    family = decide(people, [7], E, 3, organisation=False)
    assert family.elements(WHOLE) == frozenset({"A1"})  # three answered B1
    assert family.remarks == frozenset()
    assert decide([person({7})] * 4, [7], E, 3, organisation=False).remarks == frozenset(
        {WHOLE, team_key(7)})


def test_overlapping_teams_the_larger_first_and_reasons_a_manager_can_act_on() -> None:
    people = ([person({1})] * 4 + [person({1, 2})] + [person({2})] * 3 + [person({3})] * 2
              + [person({4})] * 4)
    family = decide(people, [1, 2, 3, 4], E, 3, organisation=True)
    assert family.shown == (WHOLE, team_key(1), team_key(4))
    assert family.why(team_key(2)) == Hidden(team_key(2), Reason.OVERLAP, team_key(1))
    assert family.why(team_key(3)) == Hidden(team_key(3), Reason.TOO_FEW)


def test_a_team_that_is_the_rest_minus_a_few_leaves_a_remainder() -> None:
    people = [person({1})] * 5 + [person(set())] * 2 + [person({2})] * 4
    family = decide(people, [1, 2], E, 3, organisation=True)
    assert family.shown == (WHOLE, team_key(1))
    assert family.why(team_key(2)) == Hidden(team_key(2), Reason.REMAINDER, None)


def test_the_choice_depends_on_who_answered_where_not_on_the_order_of_responses() -> None:
    people = ([person({1}, "a")] * 5 + [person({1, 2}, "b")] * 4 + [person({2})] * 3
              + [person({3}, manager=True)] * 4)
    first = decide(people, [1, 2, 3], E, 3, organisation=True)
    shuffled = list(people)
    random.Random(4).shuffle(shuffled)
    assert decide(shuffled, [1, 2, 3], E, 3, organisation=True) == first


def test_the_family_is_stored_and_read_back_unchanged() -> None:
    people = [person({1}, "a")] * 5 + [person({1, 2})] * 4 + [person({2})] * 4
    family = decide(people, [1, 2], E, 3, organisation=True)
    assert Family.from_json(family.to_json()) == family
    assert Family.from_json('{"version": 0}') is None
