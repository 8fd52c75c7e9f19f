"""Report cost: aggregation for growing numbers of respondents, then the charts and the PDF a
manager receives, on the full model (31 elements) of the example team in `bench.seeding`.

Charts and PDF depend on the model, the groups and the targets, not on the number of respondents;
the aggregation is the part that grows. Each figure is the best of a few runs of the CPU time
this process spent (wall-clock time in brackets): on the shared development machine other work
stretches the wall clock, not the work a report costs.
"""

from __future__ import annotations

import random
from pathlib import Path

from bench._common import best_ms, best_of
from bench.seeding import MODEL, example_view
from bot.rendering import documents, presenting
from bot.rendering.charts import draw
from bot.rendering.texts import Texts
from domain.aggregation import aggregate
from domain.catalog import load_model


def _answers(respondents: int) -> list[dict[str, int | None]]:
    chooser = random.Random(respondents)
    ids = load_model(MODEL).scope("full").element_ids
    return [{e: chooser.choice((1, 2, 3, 4, 5, None)) for e in ids} for _ in range(respondents)]


async def run(scratch: Path) -> None:
    model = load_model(MODEL)
    texts = Texts()
    view = await example_view(f"sqlite+aiosqlite:///{scratch / 'report.db'}", language="nl")
    data = presenting.chart_data(texts, "nl", view)
    pictures = draw(data)
    documents.pdf(texts, "nl", view, pictures)  # the first PDF also loads Pango and the fonts
    charts = best_of(lambda: draw(data))
    pdf = best_of(lambda: documents.pdf(texts, "nl", view, pictures))
    print(f"\n3. Report on the full model ({len(model.scope('full').element_ids)} elements, "
          f"{len(view.report.groups)} groups, targets, previous cycle)")
    print(f"   CPU ms (wall ms): charts (radar, bars, heatmap) {best_ms(charts)} · "
          f"PDF with {len(pictures)} pictures {best_ms(pdf)}")
    baseline = None
    for respondents, target in ((100, None), (1_000, 1.0), (10_000, 2.0)):
        sets = _answers(respondents)
        seconds = best_of(lambda sets=sets: aggregate(model, "full", sets, 3))
        baseline = baseline or seconds[0]
        line = (f"   aggregation, {respondents:>6} respondents: {best_ms(seconds)} "
                f"({seconds[0] / baseline:5.1f}× the 100-respondent baseline)")
        if target is not None:
            total = seconds[0] + charts[0] + pdf[0]
            line += (f"; + charts + PDF = {total * 1000:5.0f} ms CPU "
                     f"(target < {target:.0f} s: {'met' if total < target else 'NOT met'})")
        print(line)
