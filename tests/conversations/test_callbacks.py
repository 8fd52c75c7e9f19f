"""Callback data: one registry of typed verbs; compact, round-tripping, and forgeries refused."""

from __future__ import annotations

import dataclasses
import re
from typing import Any, ClassVar, get_type_hints

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conversations import callbacks
from conversations.payloads import Codec


def _codec(kind: type[callbacks.Button], name: str) -> Codec[Any]:
    hint = get_type_hints(kind, include_extras=True)[name]
    return next(m for m in hint.__metadata__ if isinstance(m, Codec))


def _longest(codec: Codec[Any]) -> str:
    """The longest text the field's pattern accepts (patterns are alternations or x{m,n})."""
    if "|" in codec.pattern:
        return max(codec.pattern.replace("\\", "").split("|"), key=len)
    repeat = re.search(r"\{(\d+),(\d+)\}$", codec.pattern)
    length = int(repeat.group(2)) if repeat else 1
    sample = "9" if codec.pattern.startswith((r"\d", "[0-")) else "a"
    text = (("5" if codec.pattern.startswith("[0-5") or codec.pattern == "[1-5]" else sample)
            * length)
    assert re.fullmatch(codec.pattern, text), codec.pattern
    return text


@pytest.mark.parametrize("kind", callbacks.registered().values(), ids=lambda k: k.__name__)
def test_every_verb_at_its_largest_fits_64_bytes_and_reads_back(
    kind: type[callbacks.Button],
) -> None:
    values = {f.name: _codec(kind, f.name).read(_longest(_codec(kind, f.name)))
              for f in dataclasses.fields(kind)}  # type: ignore[arg-type]
    button = kind(**values)
    data = button.encode()
    assert len(data.encode()) <= callbacks.MAX_BYTES
    assert callbacks.parse(data) == button


@given(
    cycle=st.integers(min_value=1, max_value=999_999_999),
    index=st.integers(min_value=0, max_value=999),
    level=st.one_of(st.none(), st.integers(min_value=1, max_value=5)),
)
def test_an_answer_button_says_exactly_what_it_answers(
    cycle: int, index: int, level: int | None
) -> None:
    data = callbacks.Answer(cycle, index, level).encode()
    assert len(data.encode()) <= 64
    assert callbacks.parse(data) == callbacks.Answer(cycle_id=cycle, index=index, level=level)


@pytest.mark.parametrize(
    "forged",
    ["", "a:1:2", "a:1:2:9", "a:-1:2:3", "a:1:2:3:extra", "v:x:1", "jc:short", "l:de", "l:xx",
     "f:maybe", "a:1:2:3\n", "m:1:<b>", "r:12345678901", "zzz", "g:st", "g:st:x", "g:zz:1",
     "g:tt:1:5:9", "g:tt:1:5", "g:mm:1:maybe", "g:ig:1:friends", "jg:AAAAAAAAAAAA:friends",
     "g:sd:1:quick:1000", "g:st:1:extra", "g::1", ":", "a::1:1"],
)
def test_forged_or_malformed_data_is_refused(forged: str) -> None:
    assert callbacks.parse(forged) is None


def test_a_target_level_is_its_own_field_not_a_number_of_days() -> None:
    parsed = callbacks.parse(callbacks.SetTarget(7, "5", 4).encode())
    assert isinstance(parsed, callbacks.SetTarget)
    assert (parsed.team_id, parsed.chapter_id, parsed.level) == (7, "5", 4)


def test_invite_tokens_fit_in_join_buttons() -> None:
    token = "A" * 16
    data = callbacks.JoinGroup(token, "suppliers").encode()
    assert len(data.encode()) <= 64
    assert callbacks.parse(data) == callbacks.JoinGroup(token=token, group="suppliers")


def test_a_prefix_cannot_be_registered_twice() -> None:
    with pytest.raises(TypeError, match="taken"):
        class Twice(callbacks.Button):
            PREFIX = "a"
            cycle_id: callbacks.Id


class _Reviewing(callbacks.Button):
    """A test-only verb with an optional last field (as `p:<cycle>[:<index>]` would be)."""

    PREFIX: ClassVar[str] = "test"
    cycle_id: callbacks.Id
    index: callbacks.Index | None = None


def test_an_optional_last_field_is_left_off_at_its_default_and_read_back() -> None:
    assert _Reviewing(12).encode() == "test:12"
    assert _Reviewing(12, 3).encode() == "test:12:3"
    assert callbacks.parse("test:12") == _Reviewing(12)
    assert callbacks.parse("test:12:3") == _Reviewing(12, 3)
    assert callbacks.parse("test") is None and callbacks.parse("test:12:3:4") is None


def test_changing_an_answer_and_adding_an_example_are_verbs_of_their_own() -> None:
    """While changing an answer from the summary, every button says so (it leads back there)."""
    for button in (callbacks.ReviewAnswer(12, 4, 3), callbacks.ReviewAnswer(12, 4, None),
                   callbacks.ReviewView(12, 4), callbacks.ReviewPause(12, 4),
                   callbacks.Overview(12, 1), callbacks.AddExample(12, 4)):
        assert callbacks.parse(button.encode()) == button
    assert callbacks.ReviewAnswer(12, 4, 3).encode() != callbacks.Answer(12, 4, 3).encode()
    for forged in ("ra:12:4", "rv:12", "rp:12:4:1", "o:12", "x:12:-1", "x:12:4:r"):
        assert callbacks.parse(forged) is None


GROUPS = {"survey": callbacks.SURVEY, "joining": callbacks.JOINING,
          "meeting": callbacks.MEETING}


def test_each_group_of_verbs_is_declared_once_and_reads_only_its_own() -> None:
    """The survey's, joining's and meeting's verbs: one declaration each (the union), from which
    the handler's pattern and its reader both come; no verb is in two groups."""
    for name, group in GROUPS.items():
        others = [kind for other, verbs in GROUPS.items() if other != name
                  for kind in verbs.kinds]
        assert group.kinds and not set(group.kinds) & set(others), name
    answer = callbacks.Answer(12, 3, 4)
    consent = callbacks.Consent("abcdefgh12")
    vote = callbacks.MeetingVote(7, "5.2", 3)
    assert callbacks.SURVEY.read(answer.encode()) == answer
    assert callbacks.JOINING.read(consent.encode()) == consent
    assert callbacks.MEETING.read(vote.encode()) == vote
    for data in (consent.encode(), vote.encode(), callbacks.Report(12).encode(), "a:12:3:9"):
        assert callbacks.SURVEY.read(data) is None, data
    assert callbacks.SURVEY.pattern.match(answer.encode())
    assert not callbacks.SURVEY.pattern.match(consent.encode())
    assert callbacks.MEETING.pattern.match(vote.encode())
