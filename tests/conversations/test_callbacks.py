"""Callback data: compact, self-describing, and forged payloads are recognised."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conversations import callbacks
from conversations.callbacks import Action


@given(
    cycle=st.integers(min_value=1, max_value=999_999_999),
    index=st.integers(min_value=0, max_value=999),
    level=st.one_of(st.none(), st.integers(min_value=1, max_value=5)),
)
def test_an_answer_button_says_exactly_what_it_answers(
    cycle: int, index: int, level: int | None
) -> None:
    data = callbacks.answer(cycle, index, level)
    assert len(data.encode()) <= 64
    parsed = callbacks.parse(data)
    assert parsed == callbacks.Callback(Action.ANSWER, cycle_id=cycle, index=index, level=level)


@pytest.mark.parametrize(
    "forged",
    ["", "a:1:2", "a:1:2:9", "a:-1:2:3", "a:1:2:3:extra", "v:x:1", "jc:short", "l:de",
     "f:maybe", "a:1:2:3\n", "m:1:<b>", "r:12345678901", "zzz"],
)
def test_forged_or_malformed_data_is_refused(forged: str) -> None:
    assert callbacks.parse(forged) is None


def test_invite_tokens_fit_in_join_buttons() -> None:
    token = "A" * 16
    data = callbacks.join(Action.JOIN_GROUP, token, "suppliers")
    assert len(data.encode()) <= 64
    parsed = callbacks.parse(data)
    assert parsed is not None and parsed.token == token and parsed.value == "suppliers"


@given(cycle=st.integers(min_value=1, max_value=999_999_999),
       index=st.integers(min_value=0, max_value=999),
       level=st.one_of(st.none(), st.integers(min_value=1, max_value=5)))
def test_buttons_while_changing_an_answer_say_so_and_fit(
    cycle: int, index: int, level: int | None
) -> None:
    for data, expected in (
        (callbacks.answer(cycle, index, level, review=True),
         callbacks.Callback(Action.ANSWER, cycle_id=cycle, index=index, level=level,
                            review=True)),
        (callbacks.view(cycle, index, review=True),
         callbacks.Callback(Action.VIEW, cycle_id=cycle, index=index, review=True)),
        (callbacks.pause(cycle, index),
         callbacks.Callback(Action.PAUSE, cycle_id=cycle, index=index, review=True)),
        (callbacks.for_index(Action.OVERVIEW, cycle, index),
         callbacks.Callback(Action.OVERVIEW, cycle_id=cycle, index=index)),
        (callbacks.for_index(Action.EXAMPLE, cycle, index),
         callbacks.Callback(Action.EXAMPLE, cycle_id=cycle, index=index)),
    ):
        assert len(data.encode()) <= 64 and callbacks.parse(data) == expected
    assert callbacks.parse(callbacks.pause(cycle)) == callbacks.Callback(Action.PAUSE,
                                                                         cycle_id=cycle)


@pytest.mark.parametrize("forged", ["a:1:2:3:x", "v:1:2:rr", "o:1", "x:1:", "p:1:2:3", "o:1:-2"])
def test_forged_review_and_example_buttons_are_refused(forged: str) -> None:
    assert callbacks.parse(forged) is None
