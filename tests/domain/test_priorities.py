"""What to improve first: the reasons must match what a management team sees in the figures."""

from __future__ import annotations

from domain.aggregation import aggregate
from domain.priorities import Reason, priorities, trend
from tests.support.model_for_tests import small_model

MODEL = small_model()


def team(*levels: dict[str, int | None]) -> list[dict[str, int | None]]:
    return list(levels)


def test_the_largest_gap_to_target_comes_first_with_its_reasons() -> None:
    answers = team({"A1": 1, "A2": 3, "A3": 4, "B1": 5}, {"A1": 2, "A2": 3, "A3": 4, "B1": 5},
                   {"A1": 1, "A2": 3, "A3": 4, "B1": 5})
    ranked = priorities(aggregate(MODEL, "full", answers, 3))
    assert [p.element_id for p in ranked] == ["A1", "A2"]
    assert ranked[0].reasons == (Reason.BELOW_TARGET, Reason.LOW_LEVEL)


def test_a_team_at_its_targets_has_no_priorities_but_a_higher_target_creates_one() -> None:
    answers = team(*[{"A1": 4, "A2": 4, "A3": 4, "B1": 4}] * 3)
    result = aggregate(MODEL, "full", answers, 3)
    assert priorities(result) == ()
    assert [p.element_id for p in priorities(result, targets={"B1": 5})] == ["B1"]


def test_disagreement_and_decline_are_reasons_of_their_own() -> None:
    before = aggregate(MODEL, "full", team(*[{"A1": 4, "A2": 4, "A3": 4, "B1": 4}] * 4), 3)
    now = aggregate(MODEL, "full", team({"A1": 3}, {"A1": 3}, {"A1": 3}, {"A1": 3},
                                        {"A2": 5}, {"A2": 5}, {"A2": 1}, {"A2": 5}), 3)
    ranked = {p.element_id: p.reasons for p in priorities(now, previous=before, limit=5)}
    assert Reason.WORSENED in ranked["A1"]
    assert Reason.DISAGREEMENT in ranked["A2"]


def test_trend_compares_chapter_levels_with_the_previous_cycle() -> None:
    before = aggregate(MODEL, "full", team(*[{"A1": 2, "A2": 2, "A3": 2, "B1": 3}] * 3), 3)
    after = aggregate(MODEL, "full", team(*[{"A1": 3, "A2": 3, "A3": 3, "B1": 3}] * 3), 3)
    changes = {c.id: c.delta for c in trend(after, before)}
    assert changes == {"A": 1.0, "B": 0.0}
    assert all(c.before is None for c in trend(after, None))


def test_without_a_default_target_nothing_is_below_target_unless_a_target_is_set() -> None:
    """An organisation's report: no target of its own, no "below target" (issue 29)."""
    answers = team(*[{"A1": 1, "A2": 3, "A3": 4, "B1": 5}] * 3)
    result = aggregate(MODEL, "full", answers, 3)
    ranked = priorities(result, default_target=None)
    assert [(p.element_id, p.target, p.reasons) for p in ranked] == [
        ("A1", None, (Reason.LOW_LEVEL,))]
    chosen = priorities(result, targets={"A2": 4}, default_target=None)
    assert {p.element_id: (p.target, p.reasons) for p in chosen} == {
        "A1": (None, (Reason.LOW_LEVEL,)), "A2": (4, (Reason.BELOW_TARGET,))}
