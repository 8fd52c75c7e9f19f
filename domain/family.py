"""The one family of figures a closed cycle may ever show, decided once, whoever reads it.

Checking each report for its reader at the moment she asks breaks across time and doors: readers
keep what they saw, their roles change, and one person reaches a cycle's figures through the
team report, the organisation report and a shared team result. So disclosure is decided once per
closed cycle, for everyone at once:

* The candidate cuts are the whole (the team, or the organisation), each team, and within each
  shown team its stakeholder groups and its managers. Together the shown cuts split the
  respondents into *atoms*: people in exactly the same shown cuts, "in none of them" included.
  Anything a reader can compute from shown figures is a sum of atoms, so every atom must be empty
  or hold at least **k + 1** people. Then any reader, whatever she answered herself and whichever
  roles she holds now or later, is left with at least k other people in whatever she isolates.
* Chosen greedily in a fixed order that prefers what most readers need (the whole, then the teams
  largest first, then each team's groups by name and its managers), from who answered where and in
  which group or role: never from how they answered.
* Per element the same, on who answered it (a level or "not applicable" alike: deciding on the
  kind of answer would itself tell something about a part nobody sees): which shown cuts may
  carry that element's figure. A shown figure may still say "too few levels" on its own (fewer
  than k + 1 gave a level): that is a coarser view of the figure itself, never of a smaller part.
* Remarks and examples: each atom of the whole and the shown teams holds none or at least k + 1
  people who finished.

What is hidden keeps its reason, in terms a manager can act on ("too few people", "shares too few
people with team A"). Access control only narrows this family afterwards; it never widens it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from domain.disclosure import check_threshold

WHOLE = "whole"
VERSION = 1
"""Of the stored form: a family stored by an older rule is decided again."""


def team_key(team_id: int) -> str:
    return f"team:{team_id}"


def group_key(team_id: int, group: str) -> str:
    return f"group:{team_id}:{group}"


def managers_key(team_id: int) -> str:
    return f"managers:{team_id}"


class Reason(StrEnum):
    """Why a cut is not shown, in words a manager can act on (rendered per language)."""

    TOO_FEW = "too_few"
    """It has fewer than k + 1 respondents."""
    OVERLAP = "overlap"
    """Too few of its people are also in the cut named `other` (or, without one, in no shown cut:
    it would differ from what is shown by only a few people)."""
    REMAINDER = "remainder"
    """Beside it, too few people of `other` (or, without one, of everyone else) would remain."""


@dataclass(frozen=True, slots=True)
class Answered:
    """One response as the family sees it: where it counts, in which group and role, which
    elements it answered (a level or "not applicable" alike); never what it answered."""

    teams: frozenset[int]
    groups: Mapping[int, str | None] = field(default_factory=dict)
    managing: frozenset[int] = frozenset()
    answered: frozenset[str] = frozenset()
    finished: bool = True


@dataclass(frozen=True, slots=True)
class Hidden:
    key: str
    reason: Reason
    other: str | None = None


@dataclass(frozen=True, slots=True)
class Family:
    """What a closed cycle shows: cut keys in the order chosen, the elements each carries, which
    carry remarks and examples, and why the others are not shown."""

    threshold: int
    """k: every atom holds none or at least k + 1 people (`minimum`)."""
    shown: tuple[str, ...] = ()
    carried: Mapping[str, frozenset[str]] = field(default_factory=dict)
    remarks: frozenset[str] = frozenset()
    hidden: tuple[Hidden, ...] = ()

    @property
    def minimum(self) -> int:
        return self.threshold + 1

    def shows(self, key: str) -> bool:
        return key in self.carried

    def elements(self, key: str) -> frozenset[str]:
        return self.carried.get(key, frozenset())

    def why(self, key: str) -> Hidden | None:
        return next((h for h in self.hidden if h.key == key), None)

    def to_json(self) -> str:
        return json.dumps({
            "version": VERSION, "threshold": self.threshold, "shown": list(self.shown),
            "carried": {k: sorted(self.carried[k]) for k in self.shown},
            "remarks": sorted(self.remarks),
            "hidden": [[h.key, h.reason.value, h.other] for h in self.hidden],
        }, sort_keys=True)

    @staticmethod
    def from_json(text: str) -> Family | None:
        """None for a family stored under another version of the rule."""
        data = json.loads(text)
        if data.get("version") != VERSION:
            return None
        return Family(
            threshold=int(data["threshold"]), shown=tuple(data["shown"]),
            carried={k: frozenset(v) for k, v in data["carried"].items()},
            remarks=frozenset(data["remarks"]),
            hidden=tuple(Hidden(k, Reason(r), o) for k, r, o in data["hidden"]))


def nothing(threshold: int) -> Family:
    """An open cycle's family: no figures at all (interim figures could be subtracted)."""
    return Family(threshold)


def candidates(people: Sequence[Answered], team_order: Sequence[int]
               ) -> list[tuple[str, frozenset[int]]]:
    """The teams in preference order: largest first, then by the order given (team ids)."""
    members = {t: frozenset(i for i, p in enumerate(people) if t in p.teams) for t in team_order}
    rank = {t: n for n, t in enumerate(team_order)}
    teams = sorted(team_order, key=lambda t: (-len(members[t]), rank[t]))
    return [(team_key(t), members[t]) for t in teams]


def _parts(people: Sequence[Answered], team_id: int) -> list[tuple[str, frozenset[int]]]:
    """A team's stakeholder groups by name, then its managers."""
    names = sorted({g for p in people if team_id in p.teams
                    and (g := p.groups.get(team_id)) is not None})
    found = [(group_key(team_id, name), frozenset(
        i for i, p in enumerate(people) if team_id in p.teams and p.groups.get(team_id) == name))
        for name in names]
    found.append((managers_key(team_id), frozenset(
        i for i, p in enumerate(people) if team_id in p.teams and team_id in p.managing)))
    return found


class _Atoms:
    """People by the shown cuts they are in; adding a cut splits only the atoms it touches."""

    def __init__(self, size: int) -> None:
        self.cell_of = [0] * size
        self.keys_of: dict[int, tuple[str, ...]] = {0: ()}
        self.next = 1

    def split(self, cut: Collection[int], key: str) -> None:
        renamed: dict[int, int] = {}
        for index in cut:
            old = self.cell_of[index]
            if old not in renamed:
                renamed[old] = self.next
                self.keys_of[self.next] = (*self.keys_of[old], key)
                self.next += 1
            self.cell_of[index] = renamed[old]

    def failure(self, cut: Collection[int], weight: Callable[[int], int], minimum: int
                ) -> tuple[bool, tuple[str, ...]] | None:
        """The first part the cut would leave with 1..minimum-1 (weighted) people: (inside the
        cut?, the shown keys of its atom); None when every part is empty or large enough."""
        inside: dict[int, int] = {}
        for index in cut:
            inside[self.cell_of[index]] = inside.get(self.cell_of[index], 0) + weight(index)
        whole: dict[int, int] = {}
        for index, cell in enumerate(self.cell_of):
            if cell in inside:
                whole[cell] = whole.get(cell, 0) + weight(index)
        for is_inside in (True, False):  # a small overlap first: the likelier thing to fix
            for cell in sorted(inside, key=lambda c: (-len(self.keys_of[c]), c)):
                count = inside[cell] if is_inside else whole[cell] - inside[cell]
                if 0 < count < minimum:
                    return is_inside, self.keys_of[cell]
        return None


def _choose(people_count: int, cuts: Sequence[tuple[str, frozenset[int]]],
            weights: Sequence[Callable[[int], int]], minimum: int, *, keep_whole: bool,
            reasons: list[Hidden] | None = None) -> list[str]:
    """Greedy in the given order: a cut is added when every atom, under each weight (people, who
    answered an element, who finished), stays empty or at least `minimum`. A cut adds nothing
    known before it was tried, so a rejected one leaves the atoms as they were."""
    atoms = _Atoms(people_count)
    chosen: list[str] = []
    for key, cut in cuts:
        if not cut or (len(cut) == people_count and not keep_whole):
            if reasons is not None and not cut and key.startswith("team:"):
                reasons.append(Hidden(key, Reason.TOO_FEW))
            continue
        failed = next((f for w in weights if (f := atoms.failure(cut, w, minimum))), None)
        if failed is None:
            chosen.append(key)
            atoms.split(cut, key)
        elif reasons is not None:
            reasons.append(_reason(key, cut, minimum, failed))
    return chosen


def _reason(key: str, cut: Collection[int], minimum: int,
            failed: tuple[bool, tuple[str, ...]]) -> Hidden:
    if len(cut) < minimum:
        return Hidden(key, Reason.TOO_FEW)
    is_inside, keys = failed
    other = next((k for k in reversed(keys) if k != WHOLE), None)
    return Hidden(key, Reason.OVERLAP if is_inside else Reason.REMAINDER, other)


def decide(people: Sequence[Answered], team_ids: Sequence[int], element_ids: Sequence[str],
           threshold: int, *, organisation: bool) -> Family:
    """The family of a closed cycle (see the module's docstring).

    `team_ids` are the cycle's teams (one for a team cycle, where the team is the whole).
    """
    check_threshold(threshold)
    minimum = threshold + 1
    size = len(people)
    if size < minimum:
        return Family(threshold, hidden=tuple(
            Hidden(k, Reason.TOO_FEW) for k in [WHOLE, *map(team_key, team_ids)]))
    reasons: list[Hidden] = []
    everyone = frozenset(range(size))
    cuts = [(WHOLE, everyone)]
    if organisation:
        cuts += candidates(people, team_ids)
    else:
        cuts += [(team_key(t), everyone) for t in team_ids]
    count: Callable[[int], int] = lambda index: 1  # noqa: E731
    shown = _choose(size, cuts, [count], minimum, keep_whole=True, reasons=reasons)
    parts = [part for key in shown if key.startswith("team:")
             for part in _parts(people, int(key.split(":")[1]))]
    shown += _choose(size, [(WHOLE, everyone), *[c for c in cuts if c[0] in shown[1:]], *parts],
                     [count], minimum, keep_whole=True, reasons=reasons)[len(shown):]
    sets = dict([*cuts, *parts])
    ordered = [(key, sets[key]) for key in shown]
    carried: dict[str, set[str]] = {key: set() for key in shown}
    for element_id in element_ids:
        def answered(index: int, e: str = element_id) -> int:
            return int(e in people[index].answered)

        for key in _choose(size, ordered, [answered], minimum, keep_whole=True):
            carried[key].add(element_id)
    with_remarks = _choose(size, [c for c in ordered if not c[0].startswith(("group:", "mana"))],
                           [lambda index: int(people[index].finished)], minimum, keep_whole=True)
    return Family(threshold, tuple(shown), {k: frozenset(v) for k, v in carried.items()},
                  frozenset(with_remarks), tuple(reasons))
