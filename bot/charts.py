"""The report's pictures: a radar of chapter levels (previous cycle overlaid) and element levels.

Matplotlib is slow and not thread-safe through pyplot, so figures are built with the object API and
rendered in a worker thread (`render_png`), never on the event loop that serves people's taps.
"""

from __future__ import annotations

import asyncio
import io
import math
from dataclasses import dataclass
from typing import cast

from matplotlib.figure import Figure
from matplotlib.projections.polar import PolarAxes

PHONE_WIDTH_INCHES = 6.0
DPI = 160


@dataclass(frozen=True, slots=True)
class ChartData:
    """Everything a chart shows, already translated: the chart module knows no catalog."""

    title: str
    chapter_labels: tuple[str, ...]
    chapter_levels: tuple[float | None, ...]
    previous_levels: tuple[float | None, ...] | None
    element_labels: tuple[str, ...]
    element_means: tuple[float | None, ...]
    element_spreads: tuple[float | None, ...]
    now_label: str
    before_label: str


def _radar(figure: Figure, data: ChartData) -> None:
    axes = cast(PolarAxes, figure.add_axes((0.22, 0.56, 0.56, 0.36), projection="polar"))
    axes.set_theta_offset(math.pi / 2)
    axes.set_theta_direction(-1)
    count = len(data.chapter_labels)
    angles = [2 * math.pi * i / count for i in range(count)] + [0.0]
    series = [(data.chapter_levels, data.now_label, "#1f6fb2", 0.25)]
    if data.previous_levels is not None:
        series.insert(0, (data.previous_levels, data.before_label, "#999999", 0.08))
    for levels, label, colour, alpha in series:
        values = [level or 0.0 for level in levels]
        values.append(values[0])
        axes.plot(angles, values, color=colour, linewidth=2, label=label)
        axes.fill(angles, values, color=colour, alpha=alpha)
    axes.set_xticks(angles[:-1], [_wrap(label, 14) for label in data.chapter_labels], fontsize=8)
    axes.tick_params(axis="x", pad=10)
    axes.set_ylim(0, 5)
    axes.set_yticks([1, 2, 3, 4, 5], ["1", "2", "3", "4", "5"], fontsize=7)
    axes.legend(loc="upper left", bbox_to_anchor=(-0.38, 1.22), fontsize=8, frameon=False)


def _elements(figure: Figure, data: ChartData) -> None:
    axes = figure.add_axes((0.36, 0.04, 0.58, 0.42))
    positions = list(range(len(data.element_labels)))
    means = [m or 0.0 for m in data.element_means]
    spreads = [s or 0.0 for s in data.element_spreads]
    # The spread drawn around the mean, kept within the scale: nobody answers below 1 or above 5.
    below = [min(spread, max(mean - 1, 0)) for mean, spread in zip(means, spreads, strict=True)]
    above = [min(spread, max(5 - mean, 0)) for mean, spread in zip(means, spreads, strict=True)]
    axes.barh(positions, means, xerr=[below, above], color="#1f6fb2", alpha=0.8,
              error_kw={"ecolor": "#555555", "capsize": 2})
    axes.set_yticks(positions, [_wrap(label, 36) for label in data.element_labels], fontsize=7)
    axes.invert_yaxis()
    axes.set_xlim(0, 5.5)
    axes.set_xticks([1, 2, 3, 4, 5])
    axes.grid(axis="x", alpha=0.3)


def _wrap(text: str, width: int) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines[:3])


def draw(data: ChartData) -> bytes:
    """The PNG; pure CPU work, safe to run in a thread."""
    height = 6.0 + 0.28 * len(data.element_labels)
    figure = Figure(figsize=(PHONE_WIDTH_INCHES, height), dpi=DPI)
    figure.suptitle(data.title, fontsize=11, x=0.98, y=0.995, ha="right", va="top")
    _radar(figure, data)
    _elements(figure, data)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


async def render_png(data: ChartData) -> bytes:
    return await asyncio.to_thread(draw, data)

