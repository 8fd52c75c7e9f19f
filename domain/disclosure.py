"""Who may see which team figure: the one disclosure rule every view obeys.

The promise to the people who answer is that nobody who reads a report (in practice a manager
who tries hard) can tell what one of them answered. The rule that keeps it:

* A figure exists only if at least k respondents *other than the person looking* contributed to
  it. The viewer knows her own answers and could subtract them, so she does not count.
* Figures exist only once a cycle is closed: interim figures could be subtracted from each other
  ("export, wait for one more person to finish, export again").
* Several sets of people may be shown side by side (the team, stakeholder groups, the managers),
  but together they cut the team into *atoms* (people who belong to exactly the same shown sets),
  and everything shown is a sum of atoms. Subtracting shown figures can reveal an atom, never
  less; so every atom must be empty or hold at least k people other than the viewer. That implies
  the complement of every union of shown sets is empty or at least k, and it also covers sets
  that overlap (the managers cut across the stakeholder groups), where complements are not enough.
* Per element the same holds for the atoms' answers: among the people other than the viewer, each
  atom has none or at least k who answered the element, and none or at least k who gave a level.

Within an atom all its members are interchangeable for every figure, so a person's answer is
pinned down only if everyone in their atom (at least k people) gave that same answer: a
unanimous team or part of it, which no aggregate can hide. `tests/domain/test_adversary.py`
checks this by brute force.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

AnswerSet = Mapping[str, int | None]
"""One person's answers: element id → level 1..5, or None for "not applicable" or "don't know"
(`Respondent.unknown` says which)."""

MINIMUM_THRESHOLD = 3
"""Below three, a viewer who answered could subtract herself and read the one other person."""


@dataclass(frozen=True, slots=True)
class Respondent:
    """One response as the rule sees it: answers plus what any manager knows about the person."""

    answers: AnswerSet
    group: str | None = None
    is_manager: bool = False
    is_viewer: bool = False
    finished: bool = True
    unknown: frozenset[str] = frozenset()
    """Elements answered "don't know" (None in `answers`, like not applicable)."""


def as_respondent(person: Respondent | AnswerSet) -> Respondent:
    """Plain answer sets (tests, comparisons) are respondents other than the viewer."""
    return person if isinstance(person, Respondent) else Respondent(person)


def check_threshold(threshold: int) -> int:
    """The domain's own guard: settings refuse a lower value, but a figure is never risked."""
    if threshold < MINIMUM_THRESHOLD:
        raise ValueError(f"the anonymity threshold must be at least {MINIMUM_THRESHOLD}")
    return threshold


def effective_threshold(configured: int) -> int:
    """A team stored with a lower threshold (from before the minimum) is read at the minimum."""
    return max(configured, MINIMUM_THRESHOLD)


def others(people: Iterable[Respondent]) -> int:
    """How many of these people are not the viewer."""
    return sum(1 for person in people if not person.is_viewer)


def enough(count: int, threshold: int) -> bool:
    """A figure from `count` people other than the viewer may exist."""
    return count >= threshold


def atoms(size: int, sets: Sequence[Collection[int]]) -> tuple[frozenset[int], ...]:
    """The people 0..size-1 grouped by which of `sets` they belong to (the Venn diagram's cells)."""
    cells: dict[tuple[bool, ...], set[int]] = {}
    for index in range(size):
        cells.setdefault(tuple(index in s for s in sets), set()).add(index)
    return tuple(frozenset(cell) for cell in cells.values())


def _empty_or_enough(count: int, threshold: int) -> bool:
    return count == 0 or count >= threshold


def shown_together(
    people: Sequence[Respondent], sets: Sequence[Collection[int]], threshold: int
) -> bool:
    """`sets` may be shown beside the total of `people`: every atom is empty or holds at least k
    people other than the viewer (the atom in none of the sets included: total minus the sets).
    """
    return all(_empty_or_enough(others(people[i] for i in cell), threshold)
               for cell in atoms(len(people), sets))


def breakdown(
    people: Sequence[Respondent], candidates: Sequence[Collection[int]], threshold: int, *,
    keep_whole: bool = False, element_id: str | None = None,
    fixed: Sequence[Collection[int]] = (),
) -> tuple[int, ...]:
    """Which candidate sets (indices into `people`) may be shown beside the team, in their order.

    Greedy and from what every manager knows anyway (who answered, their group and role), never
    from the answers, so the choice itself tells nothing: a candidate is added only if every atom
    of the team under the sets chosen so far plus this one keeps zero or at least k people other
    than the viewer. An empty candidate, or one that is the whole team, adds no information and
    is left out; `keep_whole` keeps the whole one (a team that is the whole organisation is still
    a column of the organisation's heatmap), as long as the whole meets the rule.

    With `element_id`, the atoms must also pass `element_allowed` for that element: which of
    the sets may carry a figure for it (the organisation report asks this per element, so one
    "not applicable" in a small overlap hides that element in a few teams, not in all).

    `fixed` are sets the viewer knows already (from another report): they cut the atoms from
    the start, unchecked, so that no candidate makes a small atom together with them.

    Adding a set only splits the atoms it touches, so only those are checked: the atoms made
    before were checked when they were made (a large organisation has many sets to try).
    """
    check_threshold(threshold)
    cell_of = [0] * len(people)
    cells: dict[int, set[int]] = {0: set(range(len(people)))}
    for known in fixed:
        _split(cells, cell_of, known)
    counts = {cell: _counts(people, members, element_id) for cell, members in cells.items()}
    chosen: list[int] = []
    for number, candidate in enumerate(candidates):
        if not candidate or (len(candidate) == len(people) and not keep_whole):
            continue
        touched: dict[int, set[int]] = {}
        for index in candidate:
            touched.setdefault(cell_of[index], set()).add(index)
        split = {cell: _counts(people, inside, element_id) for cell, inside in touched.items()}
        if not all(_counts_allowed(part, threshold) for cell, inside in split.items()
                   for part in (inside, _minus(counts[cell], inside))):
            continue
        chosen.append(number)
        for cell, inside in touched.items():
            new = max(cells) + 1
            cells[cell] -= inside
            counts[cell] = _minus(counts[cell], split[cell])
            cells[new], counts[new] = inside, split[cell]
            for index in inside:
                cell_of[index] = new
    return tuple(chosen)


def _split(cells: dict[int, set[int]], cell_of: list[int], known: Collection[int]) -> None:
    for index in known:
        cells[cell_of[index]].discard(index)
    by_cell: dict[int, set[int]] = {}
    for index in known:
        by_cell.setdefault(cell_of[index], set()).add(index)
    for inside in by_cell.values():
        new = max(cells) + 1
        cells[new] = inside
        for index in inside:
            cell_of[index] = new


Counts = tuple[int, int, int]
"""Of an atom, people other than the viewer: all, who answered the element, who gave a level."""


def _counts(people: Sequence[Respondent], cell: Iterable[int], element_id: str | None) -> Counts:
    members = [people[i] for i in cell if not people[i].is_viewer]
    if element_id is None:
        return len(members), 0, 0
    answered = [p.answers[element_id] for p in members if element_id in p.answers]
    return len(members), len(answered), sum(1 for level in answered if level is not None)


def _minus(whole: Counts, part: Counts) -> Counts:
    return whole[0] - part[0], whole[1] - part[1], whole[2] - part[2]


def _counts_allowed(counts: Counts, threshold: int) -> bool:
    return all(_empty_or_enough(count, threshold) for count in counts)


def element_allowed(
    people: Sequence[Respondent], cells: Iterable[Collection[int]], element_id: str,
    threshold: int,
) -> bool:
    """The shown sets may carry figures for this element: no atom gives away fewer than k answers.
    """
    for cell in cells:
        members = [people[i] for i in cell if not people[i].is_viewer]
        answered = [p for p in members if element_id in p.answers]
        levels = sum(1 for p in answered if p.answers[element_id] is not None)
        if not (_empty_or_enough(len(answered), threshold)
                and _empty_or_enough(levels, threshold)):
            return False
    return True


def shown_teams(
    teams: Sequence[Collection[int]], viewer: Collection[int], threshold: int
) -> tuple[int, ...]:
    """Which of the teams one reader gets figures of may show them side by side (indices).

    In an organisation cycle one response counts in every team the person is in, so the team
    reports a reader gets are shown sets like any others: sums over their respondents that may be
    added and subtracted (team B minus team A is whoever is in B alone). A combination isolates
    people when some sum and difference of the teams' sets covers fewer than k respondents other
    than the reader (whose own answers are known to her). Greedy in the given order (the teams by
    id: from who counts where, which every manager knows, never from the answers): a team is
    added when, beside those chosen, no combination isolates anyone. Two teams sharing a person
    stay side by side (their difference still holds the others of both); a team that is another
    team plus fewer than k people does not. A team with fewer than k others has no figures of its
    own and is not chosen.
    """
    check_threshold(threshold)
    known = frozenset(viewer)
    chosen: list[int] = []
    for number, team in enumerate(teams):
        members = frozenset(team) - known
        if len(members) < threshold:
            continue
        trial = [frozenset(teams[c]) - known for c in chosen] + [members]
        if not _isolates(trial, threshold):
            chosen.append(number)
    return tuple(chosen)


MAX_SUPPORTS_TRIED = 5000
"""Beyond this many small combinations to examine, a team is not added (never a risk taken)."""


def _isolates(sets: Sequence[frozenset[int]], threshold: int) -> bool:
    """Whether some linear combination of the sets' indicator vectors is non-zero on fewer than
    k people only: the span of the rows, restricted to the atoms, reaches a vector whose support
    is a handful of small atoms exactly when dropping those atoms' columns lowers the rank."""
    people = sorted(set().union(*sets))
    cells = atoms(len(people), [frozenset(i for i, p in enumerate(people) if p in s)
                                for s in sets])
    matrix = [[int(people[next(iter(cell))] in s) for cell in cells] for s in sets]
    full = _rank(matrix)
    small = sorted((i for i, cell in enumerate(cells) if len(cell) < threshold),
                   key=lambda i: len(cells[i]))
    tried = 0

    def search(start: int, picked: list[int], size: int) -> bool:
        nonlocal tried
        for position in range(start, len(small)):
            cell = small[position]
            if size + len(cells[cell]) >= threshold:
                break  # sorted by size: the rest are no smaller
            tried += 1
            subset = [*picked, cell]
            rest = [[row[j] for j in range(len(cells)) if j not in subset] for row in matrix]
            if tried > MAX_SUPPORTS_TRIED or _rank(rest) < full:
                return True
            if search(position + 1, subset, size + len(cells[cell])):
                return True
        return False

    return search(0, [], 0)


def _rank(matrix: Sequence[Sequence[int]]) -> int:
    """Rank over the rationals (Gaussian elimination on exact fractions; matrices are tiny)."""
    rows = [[Fraction(v) for v in row] for row in matrix if row]
    rank, width = 0, len(rows[0]) if rows else 0
    for column in range(width):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][column] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for r in range(len(rows)):
            if r != rank and rows[r][column] != 0:
                factor = rows[r][column] / rows[rank][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank], strict=True)]
        rank += 1
    return rank


def unknown_count(people: Sequence[Respondent], element_id: str, threshold: int) -> int | None:
    """How many answered "don't know" on an element: a figure like any other, so it exists only
    when at least k people other than the viewer answered the element at all (a level, not
    applicable or don't know). It does not wait for k levels: a topic nobody can judge is exactly
    the information gap a management team should see."""
    answered = sum(1 for p in people if not p.is_viewer and element_id in p.answers)
    if not enough(answered, threshold):
        return None
    return sum(1 for p in people if element_id in p.unknown and element_id in p.answers)


def remarks_allowed(people: Sequence[Respondent], threshold: int) -> bool:
    """Remarks are shown only if at least k others finished, so each has k possible authors.

    A remark is offered after a chapter is complete; everyone who finished completed every
    chapter, so k finished people besides the viewer are k possible authors of any remark.
    """
    return enough(sum(1 for p in people if p.finished and not p.is_viewer), threshold)


def remark_order(remarks: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """Per chapter, by text: an order that depends on nothing a manager can know or guess."""
    return tuple(sorted(remarks))
