"""The meeting's agenda and its steps, as pure functions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain import meeting
from domain.aggregation import aggregate
from domain.meeting import Meeting, MeetingError, Phase
from tests.support.model_for_tests import small_model

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
MODEL = small_model({"A": 3, "B": 3})
IDS = MODEL.scope("full").element_ids  # A1 A2 A3 B1 B2 B3


def people(*answers: dict[str, int | None]) -> list[dict[str, int | None]]:
    return list(answers)


def test_the_agenda_puts_disagreement_first_then_the_gap_then_other_priorities_then_the_rest(
) -> None:
    team = people(
        {"A1": 4, "A2": 1, "A3": 2, "B1": 4, "B2": 5, "B3": 4},
        {"A1": 4, "A2": 5, "A3": 2, "B1": 4, "B2": 5, "B3": 4},
        {"A1": 4, "A2": 1, "A3": 2, "B1": 4, "B2": 5, "B3": 4},
        {"A1": 4, "A2": 5, "A3": 3, "B1": 1, "B2": 5, "B3": 4},
    )
    result = aggregate(MODEL, "full", team, 3)
    order = meeting.agenda(result, IDS, {"B2": 5, "B3": 5})
    # A2 is split 1/5 (consensus 0), B1 three 4s and a 1 (0.48): both weak, the lowest first;
    # then A3 (2.25) and B3 (4 against target 5) below target, A3 furthest; A1 at 4 and B2 at 5
    # reach their targets: last.
    assert order[:4] == ("A2", "B1", "A3", "B3")
    assert set(order[4:]) == {"A1", "B2"}
    assert sorted(order) == sorted(IDS)


def test_an_element_without_figures_goes_by_model_order_at_the_end() -> None:
    # B1 answered by only two people: hidden, although its answers are the most split of all
    team = people({"A1": 3, "A2": 3, "A3": 3, "B1": 1, "B2": 4, "B3": 4},
                  {"A1": 3, "A2": 3, "A3": 3, "B1": 5, "B2": 4, "B3": 4},
                  {"A1": 3, "A2": 3, "A3": 3, "B2": 4, "B3": 4})
    result = aggregate(MODEL, "full", team, 3)
    assert result.elements["B1"].mean is None
    assert meeting.agenda(result, IDS)[-1] == "B1"


@given(st.lists(st.dictionaries(st.sampled_from(IDS), st.sampled_from([1, 2, 3, 4, 5, None])),
                min_size=0, max_size=7))
def test_the_agenda_is_every_element_once_and_hidden_ones_come_last(
        answers: list[dict[str, int | None]]) -> None:
    result = aggregate(MODEL, "full", answers, 3)
    order = meeting.agenda(result, IDS)
    assert sorted(order) == sorted(IDS)
    hidden = [e for e in order if result.elements[e].mean is None]
    assert list(order[len(order) - len(hidden):]) == hidden
    assert hidden == [e for e in IDS if e in hidden]  # model order


def test_a_meeting_walks_voting_revealed_agreed_and_back_shows_what_was_agreed() -> None:
    m = meeting.start(("A2", "A3", "B1"), NOW)
    assert (m.current, m.phase) == ("A2", Phase.VOTING)
    m = meeting.agree(meeting.reveal(m))
    assert m.phase is Phase.AGREED
    m = meeting.forward(m, agreed={"A2"})
    assert (m.current, m.phase) == ("A3", Phase.VOTING)
    m = meeting.back(m, agreed={"A2"})
    assert (m.current, m.phase) == ("A2", Phase.AGREED)
    assert meeting.back(m, agreed={"A2"}).position == 0  # nothing before the first


def test_pause_resume_and_finish() -> None:
    m = meeting.pause(meeting.start(("A1", "A2"), NOW), NOW + timedelta(minutes=5))
    assert m.paused and not m.running
    with pytest.raises(MeetingError):
        meeting.reveal(m)
    m = meeting.resume(m)
    assert m.running and m.current == "A1"
    m = meeting.finish(m, NOW + timedelta(days=2))
    assert m.finished and not m.running
    with pytest.raises(MeetingError):
        meeting.forward(m, ())
    with pytest.raises(MeetingError):
        meeting.resume(m)


def test_skip_later_and_add_keep_the_element_on_screen_sensible() -> None:
    m = meeting.forward(meeting.start(("A1", "A2", "A3", "B1"), NOW), ())
    assert m.current == "A2"
    assert meeting.skip(m, "A1", ()).current == "A2"  # an earlier one goes: still A2
    skipped = meeting.skip(m, "A2", ())
    assert (skipped.agenda, skipped.current) == (("A1", "A3", "B1"), "A3")
    postponed = meeting.later(m, ())
    assert postponed.agenda == ("A1", "A3", "B1", "A2") and postponed.current == "A3"
    added = meeting.add(m, "B3", ())
    assert added.agenda == ("A1", "A2", "B3", "A3", "B1") and added.current == "B3"
    pulled = meeting.add(m, "B1", ())
    assert pulled.agenda == ("A1", "A2", "B1", "A3") and pulled.current == "B1"
    earlier = meeting.add(m, "A1", ())
    assert earlier.current == "A1" and sorted(earlier.agenda) == sorted(m.agenda)
    with pytest.raises(MeetingError):
        meeting.skip(meeting.start(("A1",), NOW), "A1", ())


steps = st.lists(st.tuples(st.sampled_from(
    ["reveal", "agree", "forward", "back", "skip", "later", "add", "move"]),
    st.sampled_from(IDS), st.integers(0, 7)), max_size=25)


@given(st.lists(st.sampled_from(IDS), min_size=1, max_size=6, unique=True), steps)
def test_any_sequence_of_steps_keeps_a_valid_agenda_and_position(
        first: list[str], plan: list[tuple[str, str, int]]) -> None:
    m: Meeting = meeting.start(first, NOW)
    agreed: set[str] = set()
    for step, element, index in plan:
        try:
            if step == "reveal":
                m = meeting.reveal(m)
            elif step == "agree":
                m = meeting.agree(m)
                assert m.current is not None
                agreed.add(m.current)
            elif step == "forward":
                m = meeting.forward(m, agreed)
            elif step == "back":
                m = meeting.back(m, agreed)
            elif step == "skip":
                m = meeting.skip(m, element, agreed)
            elif step == "later":
                m = meeting.later(m, agreed)
            elif step == "add":
                m = meeting.add(m, element, agreed)
            else:
                m = meeting.move(m, element, index, agreed)
        except MeetingError:
            continue
        assert len(set(m.agenda)) == len(m.agenda) >= 1
        assert 0 <= m.position < len(m.agenda)
        if m.phase is Phase.AGREED:
            assert m.current in agreed
