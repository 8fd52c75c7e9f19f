"""Compact, self-describing callback data: every button names exactly what it acts on.

A tap therefore needs no memory of earlier steps: any process, after any restart, can handle it, and
a forged or malformed payload is recognised and refused. Everything stays well under Telegram's
64-byte limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Action(StrEnum):
    ANSWER = "a"  # a:<cycle>:<index>:<level 0-5, 0 = not applicable>[:r while reviewing]
    VIEW = "v"  # v:<cycle>:<index>[:r while reviewing]
    PAUSE = "p"  # p:<cycle>[:<index> reviewed]
    RESUME = "r"  # r:<cycle>
    REMARK = "m"  # m:<cycle>:<chapter>
    CONTINUE = "k"  # k:<cycle>
    CONFIRM = "c"  # c:<cycle>
    OVERVIEW = "o"  # o:<cycle>:<page> (the summary's list of topics, one page)
    EXAMPLE = "x"  # x:<cycle>:<index> (write an example for that topic)
    CONSENT = "jc"  # jc:<token>
    DECLINE = "jx"  # jx:<token>
    JOIN_LANGUAGE = "jl"  # jl:<token>:<language>
    JOIN_GROUP = "jg"  # jg:<token>:<group>
    LANGUAGE = "l"  # l:<language>
    FORGET = "f"  # f:yes | f:no
    MANAGE = "g"  # g:<verb>:<team or cycle id>[:<option>[:<days>]]


_PATTERN = re.compile(
    r"^(?:(?P<answer>a):(?P<a_cycle>\d{1,9}):(?P<a_index>\d{1,3}):(?P<a_level>[0-5])"
    r"(?P<a_review>:r)?"
    r"|(?P<view>v):(?P<v_cycle>\d{1,9}):(?P<v_index>\d{1,3})(?P<v_review>:r)?"
    r"|(?P<paused>p):(?P<p_cycle>\d{1,9}):(?P<p_index>\d{1,3})"
    r"|(?P<indexed>[ox]):(?P<i_cycle>\d{1,9}):(?P<i_index>\d{1,3})"
    r"|(?P<simple>[prkc]):(?P<s_cycle>\d{1,9})"
    r"|(?P<remark>m):(?P<m_cycle>\d{1,9}):(?P<m_chapter>[0-9A-Za-z.]{1,8})"
    r"|(?P<join>j[cx]):(?P<j_token>[A-Za-z0-9_-]{8,40})"
    r"|(?P<join_choice>j[lg]):(?P<jc_token>[A-Za-z0-9_-]{8,40}):(?P<jc_value>[a-z]{2,12})"
    r"|(?P<language>l):(?P<l_value>nl|en)"
    r"|(?P<forget>f):(?P<f_value>yes|no)"
    r"|(?P<manage>g):(?P<g_verb>[a-z]{2}):(?P<g_target>\d{1,9})"
    r"(?::(?P<g_option>[A-Za-z0-9.-]{1,20})(?::(?P<g_days>\d{1,3}))?)?)$"
)


@dataclass(frozen=True, slots=True)
class Callback:
    action: Action
    cycle_id: int = 0
    index: int = 0
    level: int | None = None
    token: str = ""
    value: str = ""
    verb: str = ""
    target: int = 0
    days: int = 0
    review: bool = False
    """Tapped while changing an answer from the summary: the answer leads back to it."""


def parse(data: str | None) -> Callback | None:
    """The decoded button, or None for anything we did not issue in this shape."""
    match = _PATTERN.fullmatch(data or "")
    if match is None:
        return None
    groups = match.groupdict()
    if groups["answer"]:
        level = int(groups["a_level"])
        return Callback(
            Action.ANSWER,
            cycle_id=int(groups["a_cycle"]),
            index=int(groups["a_index"]),
            level=level or None,
            review=bool(groups["a_review"]),
        )
    if groups["view"]:
        return Callback(Action.VIEW, cycle_id=int(groups["v_cycle"]), index=int(groups["v_index"]),
                        review=bool(groups["v_review"]))
    if groups["paused"]:
        return Callback(Action.PAUSE, cycle_id=int(groups["p_cycle"]),
                        index=int(groups["p_index"]), review=True)
    if groups["indexed"]:
        return Callback(Action(groups["indexed"]), cycle_id=int(groups["i_cycle"]),
                        index=int(groups["i_index"]))
    if groups["simple"]:
        return Callback(Action(groups["simple"]), cycle_id=int(groups["s_cycle"]))
    if groups["remark"]:
        return Callback(Action.REMARK, cycle_id=int(groups["m_cycle"]), value=groups["m_chapter"])
    if groups["join"]:
        return Callback(Action(groups["join"]), token=groups["j_token"])
    if groups["join_choice"]:
        return Callback(
            Action(groups["join_choice"]), token=groups["jc_token"], value=groups["jc_value"]
        )
    if groups["manage"]:
        return Callback(Action.MANAGE, verb=groups["g_verb"], target=int(groups["g_target"]),
                        value=groups["g_option"] or "", days=int(groups["g_days"] or 0))
    if groups["language"]:
        return Callback(Action.LANGUAGE, value=groups["l_value"])
    return Callback(Action.FORGET, value=groups["f_value"])


def answer(cycle_id: int, index: int, level: int | None, review: bool = False) -> str:
    return f"a:{cycle_id}:{index}:{level or 0}" + (":r" if review else "")


def view(cycle_id: int, index: int, review: bool = False) -> str:
    return f"v:{cycle_id}:{index}" + (":r" if review else "")


def pause(cycle_id: int, reviewing: int | None = None) -> str:
    """Pause; while reviewing, the button names the topic so that continuing returns to it."""
    return f"p:{cycle_id}" if reviewing is None else f"p:{cycle_id}:{reviewing}"


def for_index(action: Action, cycle_id: int, index: int) -> str:
    """A survey button about one topic or one page: `o:<cycle>:<page>`, `x:<cycle>:<topic>`."""
    return f"{action.value}:{cycle_id}:{index}"


def for_cycle(action: Action, cycle_id: int) -> str:
    return f"{action.value}:{cycle_id}"


def remark(cycle_id: int, chapter_id: str) -> str:
    return f"m:{cycle_id}:{chapter_id}"


def join(action: Action, token: str, value: str | None = None) -> str:
    return f"{action.value}:{token}" if value is None else f"{action.value}:{token}:{value}"


def manage(verb: str, target: int, option: str | None = None, days: int | None = None) -> str:
    """A manager's button: `verb` on a team or cycle, with an optional choice and number of days."""
    parts = ["g", verb, str(target)] + ([option] if option else []) + (
        [str(days)] if days is not None else [])
    return ":".join(parts)


def pattern_for(*actions: Action) -> re.Pattern[str]:
    """A handler pattern matching these actions' prefixes (validation happens in `parse`)."""
    return re.compile("^(?:" + "|".join(re.escape(a.value) for a in actions) + "):")
