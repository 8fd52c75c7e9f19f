"""The chat's words for a report: hidden figures named as such, targets and the previous cycle
mentioned only where they exist."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.rendering import presenting
from bot.rendering.texts import Texts
from bot.services.report_view import ReportView
from tests.support.seeded import seeded_view

TEXTS = Texts()


async def view_of(tmp_path: Path, **options: bool) -> ReportView:
    return await seeded_view("en", **options)  # seeded once per run (tests/support/seeded.py)


async def test_a_first_cycle_without_targets_promises_no_comparison(tmp_path: Path) -> None:
    view = await view_of(tmp_path, previous=False, targets=False)
    summary = presenting.summary(TEXTS, "en", view)
    caption = TEXTS.render("en", "report_caption", **presenting.context(TEXTS, "en", view))
    assert "since the previous cycle" not in summary and "previous" not in caption
    assert "(target" not in summary.split("Improve first")[0]  # no chapter targets were set
    assert "9 Resource management: <i>fewer than 4 answers</i>" in summary
    data = presenting.chart_data(TEXTS, "en", view)
    assert data.chapter_previous is None and data.chapter_targets is None


async def test_a_later_cycle_with_targets_says_both_and_explains_the_gap(tmp_path: Path) -> None:
    view = await view_of(tmp_path)
    summary = presenting.summary(TEXTS, "en", view)
    caption = TEXTS.render("en", "report_caption", **presenting.context(TEXTS, "en", view))
    assert "7 Leadership: <b>3.4</b> (target 4) (+0.1 since the previous cycle)" in summary
    assert "with the previous cycle and the targets" in caption and "per group" in caption
    assert "Per group</b>: Customers" in summary
    data = presenting.chart_data(TEXTS, "en", view)
    assert data.chapter_targets is not None and data.chapter_targets[1] is None  # 6 has none
    assert data.heat_columns == ("Customers", "Staff", "Managers", "Whole team")
    hidden = [n for n, label in enumerate(data.element_labels) if label.startswith("9.")]
    assert all(data.element_means[n] is None for n in hidden)
    assert all(set(data.heat_values[n]) == {None} for n in hidden)


@pytest.mark.parametrize(("counts", "bars"), [
    ((0, 0, 0, 0, 0), ""), ((2, 6, 11, 4, 1), "▂▄█▃▁"), ((0, 3, 0, 0, 3), " █  █"),
])
def test_the_distribution_reads_as_five_small_bars(counts: tuple[int, ...], bars: str) -> None:
    row = presenting.ElementRow("5.1", "General", "5", "Context", None, None, None, counts, None,
                                None, sum(counts), None, None)
    assert row.bars == bars
