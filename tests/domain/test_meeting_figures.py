"""The group's figures against a manager who answered and reads them with everyone else."""

from __future__ import annotations

from itertools import product

from hypothesis import given
from hypothesis import strategies as st

from domain.aggregation import Respondent, team_figures
from domain.meeting_figures import group_figures, remarks_allowed
from tests.support.model_for_tests import small_model

K = 3
MODEL = small_model({"A": 1})


def test_three_respondents_show_in_a_private_report_but_never_in_the_group() -> None:
    """The attack: Manon answered 1; the group shows a mean of 3 over three people; she knows
    the other two sum to 8: both 4, or a 3 and a 5. With k = 3 she must not see two others."""
    manon = Respondent({"A1": 1}, is_manager=True)
    team = [manon, Respondent({"A1": 4}), Respondent({"A1": 4})]
    assert group_figures(MODEL, "full", team, K, closed=True).team.elements["A1"].mean is None
    # a manager who did not answer sees three others in her own report: that is allowed
    outsider = team_figures(MODEL, "full", team, K, closed=True)
    assert outsider.team.elements["A1"].mean is not None
    # four respondents: whoever reads, three others remain
    four = [*team, Respondent({"A1": 2})]
    assert group_figures(MODEL, "full", four, K, closed=True).team.elements["A1"].mean == 2.75


def test_nothing_while_the_cycle_is_open() -> None:
    team = [Respondent({"A1": level}) for level in (1, 2, 3, 4, 5)]
    assert not group_figures(MODEL, "full", team, K, closed=False).team.shown


def test_managers_need_k_plus_one_on_both_sides_and_in_every_stakeholder_group_cut() -> None:
    managers = [Respondent({"A1": 2}, is_manager=True, group="management") for _ in range(4)]
    staff = [Respondent({"A1": 4}, group="staff") for _ in range(4)]
    shown = group_figures(MODEL, "full", managers + staff, K, closed=True)
    assert shown.managers is not None and shown.managers.elements["A1"].mean == 2
    # three managers: a manager reading the group would see two others' figure
    assert group_figures(MODEL, "full", managers[1:] + staff, K, closed=True).managers is None
    # a stakeholder group that cuts the managers into 3 + 1 (a report may show that group):
    # the managers-vs-team figure would combine with it into an atom of one
    mixed = [*managers[:3], Respondent({"A1": 2}, is_manager=True, group="staff"), *staff]
    assert group_figures(MODEL, "full", mixed, K, closed=True).managers is None


def test_remarks_need_k_plus_one_who_finished() -> None:
    assert not remarks_allowed([Respondent({"A1": 3}) for _ in range(3)], K)
    assert remarks_allowed([Respondent({"A1": 3}) for _ in range(4)], K)


def _readers_view(people: list[Respondent], reader: int) -> list[Respondent]:
    return [Respondent(p.answers, p.group, p.is_manager, is_viewer=i == reader,
                       finished=p.finished) for i, p in enumerate(people)]


@given(st.lists(st.tuples(st.sampled_from([1, 2, 3, 4, 5, None, "missing"]), st.booleans(),
                          st.sampled_from([None, "staff", "customers"])),
                min_size=0, max_size=9))
def test_whatever_the_group_shows_every_respondent_could_see_in_a_report_of_her_own(
        rows: list[tuple[int | str | None, bool, str | None]]) -> None:
    """For every reader who answered: each team or managers figure the group shows exists in her
    own report too (built by `team_figures` for her, her answers not counting), and the
    managers are never shown beside stakeholder groups into atoms her report would refuse."""
    people = [Respondent({} if level == "missing" else {"A1": level},  # type: ignore[dict-item]
                         group=group, is_manager=manager)
              for level, manager, group in rows]
    people = [p for p in people if p.answers]
    shown = group_figures(MODEL, "full", people, K, closed=True)
    for reader in range(len(people)):
        own = team_figures(MODEL, "full", _readers_view(people, reader), K, closed=True)
        if shown.team.elements["A1"].mean is not None:
            assert own.team.elements["A1"].mean is not None
        if shown.managers is not None and shown.managers.elements["A1"].mean is not None:
            others = [p for i, p in enumerate(people) if i != reader]
            for in_group, manager in product([None, "staff", "customers"], [True, False]):
                cell = [p for p in others if p.group == in_group and p.is_manager == manager]
                assert len(cell) == 0 or len(cell) >= K
