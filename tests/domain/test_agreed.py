"""Where the team moved since it agreed: only elements whose median is shown are compared."""

from __future__ import annotations

from domain.aggregation import Respondent, aggregate
from domain.agreed import Direction, since_agreed
from tests.support.model_for_tests import small_model

MODEL = small_model()  # A1, A2, A3, B1


def _people(answers: list[dict[str, int | None]], viewer: int | None = None) -> list[Respondent]:
    return [Respondent(answers=a, is_viewer=number == viewer) for number, a in enumerate(answers)]


def test_each_shown_median_is_above_below_or_as_agreed() -> None:
    people = _people([{"A1": 2, "A2": 3, "A3": 4, "B1": 3}] * 3)
    movement = since_agreed(aggregate(MODEL, "full", people, 3), {"A1": 3, "A2": 3, "A3": 2})
    assert [(e.element_id, e.direction) for e in movement.elements] == [
        ("A1", Direction.BELOW), ("A2", Direction.SAME), ("A3", Direction.ABOVE)]
    assert movement.count(Direction.ABOVE) == movement.count(Direction.BELOW) == 1
    assert movement.of("B1") is None  # nothing was agreed for it


def test_a_hidden_median_has_no_comparison_and_is_not_counted() -> None:
    # A2 was answered by two people only: its median is hidden, and "below 4" would betray it.
    people = _people([{"A1": 3, "A2": 2}, {"A1": 3, "A2": 2}, {"A1": 3, "A2": None}])
    result = aggregate(MODEL, "full", people, 3)
    assert result.shown and result.elements["A2"].median is None
    movement = since_agreed(result, {"A1": 2, "A2": 4})
    assert [e.element_id for e in movement.elements] == ["A1"]
    assert movement.count(Direction.BELOW) == 0 and movement.ids(Direction.ABOVE) == ("A1",)


def test_nothing_is_compared_for_a_reader_whose_own_answers_leave_too_few_others() -> None:
    people = _people([{"A1": 5}, {"A1": 1}, {"A1": 1}], viewer=0)
    assert since_agreed(aggregate(MODEL, "full", people, 3), {"A1": 2}).elements == ()
    assert since_agreed(aggregate(MODEL, "full", people[1:] * 2, 3, closed=False),
                        {"A1": 2}).elements == ()  # an open cycle shows no figures at all
