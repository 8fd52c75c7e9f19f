"""The history as a picture: each chapter's level over all cycles of the edition, one line each.

A cycle whose figure its report hides is a gap in the line (NaN breaks it), never a dip to zero;
the agreed levels are marked where the management team agreed any, the targets as short ticks at
the right end. Dates on the axis are the cycles' opening dates, already written in the reader's
language by the caller: this module knows no catalog and no language.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.figure import Figure

from bot.rendering.heatmap import wrap

WIDTH_INCHES, DPI = 7.5, 144  # the other charts' 1080 px
# Okabe and Ito's palette again, then two darker tones for the tenth and eleventh chapter.
LINES = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
         "#000000", "#999999", "#7F3C8D", "#11A579")
MARKERS = "osD^v<>ph*X"


@dataclass(frozen=True, slots=True)
class TrendWords:
    title: str
    level: str
    hidden: str
    agreed: str
    target: str


@dataclass(frozen=True, slots=True)
class TrendData:
    words: TrendWords
    dates: tuple[str, ...]
    """One label per cycle, oldest first."""
    labels: tuple[str, ...]
    """One per chapter."""
    levels: tuple[tuple[float | None, ...], ...]
    """Per chapter, its level per cycle; None where that cycle's report hides it."""
    agreed: tuple[tuple[float | None, ...], ...] = ()
    targets: tuple[int | None, ...] = ()


def _nan(series: Sequence[float | None]) -> list[float]:
    return [math.nan if value is None else value for value in series]


def trend_figure(data: TrendData) -> Figure:
    words = data.words
    height = 4.6 + 0.22 * math.ceil(len(data.labels) / 2)
    figure = Figure(figsize=(WIDTH_INCHES, height), dpi=DPI)
    legend_room = (0.35 + 0.22 * math.ceil(len(data.labels) / 2)) / height
    axes = figure.add_axes((0.08, legend_room + 0.08, 0.86, 0.8 - legend_room))
    positions = list(range(len(data.dates)))
    for number, (label, series) in enumerate(zip(data.labels, data.levels, strict=True)):
        colour, marker = LINES[number % len(LINES)], MARKERS[number % len(MARKERS)]
        axes.plot(positions, _nan(series), color=colour, marker=marker, linewidth=2,
                  markersize=6, label=wrap(label, 30))
        for position, value in zip(positions, series, strict=True):
            if value is None:  # said at the gap, in grey: not a zero, a hidden figure
                axes.plot([position], [0.6], marker="x", color="#888888", markersize=5)
        if number < len(data.agreed):
            axes.plot(positions, _nan(data.agreed[number]), linestyle="none", marker="*",
                      markersize=11, color=colour, markeredgecolor="black")
        target = data.targets[number] if number < len(data.targets) else None
        if target is not None:
            right = positions[-1] + 0.25
            axes.plot([right - 0.12, right + 0.12], [target, target], color=colour,
                      linewidth=3, linestyle=":")
    axes.set_xticks(positions, list(data.dates), fontsize=9)
    axes.set_xlim(-0.3, positions[-1] + 0.5 if positions else 1)
    axes.set_ylim(0.4, 5.2)
    axes.set_yticks([1, 2, 3, 4, 5])
    axes.set_ylabel(words.level)
    axes.grid(axis="y", alpha=0.3)
    figure.suptitle(words.title, fontsize=14, fontweight="bold", x=0.03, y=0.985, ha="left",
                    va="top")
    figure.text(0.03, 1 - 0.5 / height, f"★ {words.agreed} · ⋯ {words.target} · × {words.hidden}",
                fontsize=9, color="#555555", va="top")
    figure.legend(loc="lower center", ncols=2, fontsize=8.5, frameon=False,
                  bbox_to_anchor=(0.5, 0.0))
    return figure
