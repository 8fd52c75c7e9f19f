"""Report cost: aggregation, chart and HTML for growing numbers of respondents on the full model."""

from __future__ import annotations

import random
import time

from bot.charts import ChartData, draw
from domain.aggregation import aggregate
from domain.catalog import load_model


def _answers(respondents: int) -> list[dict[str, int | None]]:
    chooser = random.Random(respondents)
    ids = load_model("iso9004-2018").scope("full").element_ids
    return [{e: chooser.choice((1, 2, 3, 4, 5, None)) for e in ids} for _ in range(respondents)]


def _time(action: object, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        action()  # type: ignore[operator]
        best = min(best, time.perf_counter() - started)
    return best


def run() -> None:
    model = load_model("iso9004-2018")
    print(f"\n3. Report on the full model ({len(model.scope('full').element_ids)} elements)")
    baseline = None
    for respondents in (100, 1_000, 10_000):
        sets = _answers(respondents)
        seconds = _time(lambda sets=sets: aggregate(model, "full", sets, 3))
        baseline = baseline or seconds
        print(f"   aggregation, {respondents:>6} respondents: {seconds * 1000:8.1f} ms "
              f"({seconds / baseline:5.1f}× the 100-respondent baseline)")
    thousand = _answers(1_000)
    result = aggregate(model, "full", thousand, 3)
    data = ChartData(
        title="Bench", chapter_labels=tuple(c.chapter_id for c in result.chapters),
        chapter_levels=tuple(c.mean for c in result.chapters), previous_levels=None,
        element_labels=tuple(result.elements), now_label="now", before_label="before",
        element_means=tuple(e.mean for e in result.elements.values()),
        element_spreads=tuple(e.spread for e in result.elements.values()))
    chart = _time(lambda: draw(data), repeat=2)
    aggregation = _time(lambda: aggregate(model, "full", thousand, 3))
    print(f"   1,000 respondents: aggregation {aggregation * 1000:.0f} ms + chart "
          f"{chart * 1000:.0f} ms = {(aggregation + chart) * 1000:.0f} ms (target < 1 s); "
          f"the chart costs {chart / aggregation:.1f}× the aggregation")
