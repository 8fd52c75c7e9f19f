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
