"""The report's pictures: chapter levels on a radar, element levels as bars, groups as a heatmap.

Three separate pictures rather than one tall collage, so none has a blank gap and each reads on a
phone when Telegram shows it full screen (1080 px wide, sharp when zoomed). The charts must tell
the truth: a figure hidden by the anonymity rule is a gap with a "fewer than k answers" label,
never a zero; targets and the previous cycle appear only where they exist.

Team, group and element names are drawn literally: mathtext is switched off, because a name like
`R&D $^$` would otherwise be parsed as a formula and raise. Matplotlib is slow and not thread-safe
through pyplot, so figures are built with the object API and rendered in a worker thread.
"""

from __future__ import annotations

import asyncio
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.projections.polar import PolarAxes
from PIL import Image

from bot.rendering.heatmap import Heat, heatmap, wrap

matplotlib.rcParams["text.parse_math"] = False  # names are text, never formulas
matplotlib.rcParams["font.family"] = "DejaVu Sans"
# At 144 dpi hinting buys no sharpness, and skipping it saves a tenth of the drawing time.
matplotlib.rcParams["text.hinting"] = "no_hinting"

WIDTH_INCHES = 7.5
DPI = 144  # 7.5 in × 144 = 1080 px: stays sharp when a phone zooms in
RADAR_INCHES, RADAR_HEIGHT, RADAR_DPI = 5.4, 4.7, 200
# Okabe and Ito's palette, distinguishable with every common colour-vision deficiency.
NOW, PREVIOUS, TARGET, GREY = "#0072B2", "#E69F00", "#009E73", "#888888"
AGREED = "#CC79A7"  # Okabe and Ito's reddish purple


@dataclass(frozen=True, slots=True)
class Words:
    """The chart's own words, already in the reader's language."""

    now: str
    previous: str
    target: str
    hidden: str  # "fewer than 3 answers"
    level: str
    chapters_title: str
    elements_title: str
    groups_title: str
    decimal_comma: bool
    agreed: str = "Agreed"  # "Agreed" or, in a later cycle, "Agreed last time"


@dataclass(frozen=True, slots=True)
class ChartData:
    """Everything the charts show, already translated: this module knows no catalog.

    None in a value means hidden (or, for targets and previous, not there); a whole series of
    None is the same as no series.
    """

    words: Words
    chapter_labels: tuple[str, ...]
    chapter_levels: tuple[float | None, ...]
    chapter_previous: tuple[float | None, ...] | None
    chapter_targets: tuple[float | None, ...] | None
    element_labels: tuple[str, ...]
    element_means: tuple[float | None, ...]
    element_spreads: tuple[float | None, ...]
    element_previous: tuple[float | None, ...] | None
    element_targets: tuple[float | None, ...] | None
    heat_columns: tuple[str, ...] = ()
    heat_values: tuple[tuple[float | None, ...], ...] = ()  # one row per element, one per column
    element_agreed: tuple[int | None, ...] | None = None
    """The level the management team agreed per element, shown without a threshold: it is the
    team's collective judgement, not a figure from answers."""


def _present(series: Sequence[float | None] | None) -> bool:
    return series is not None and any(value is not None for value in series)


def _nan(series: Sequence[float | None]) -> list[float]:
    return [math.nan if value is None else value for value in series]


def _number(value: float, words: Words) -> str:
    text = f"{value:.1f}"
    return text.replace(".", ",") if words.decimal_comma else text


def _legend(figure: Figure, axes: Axes, words: Words, bottom: float) -> None:
    """This cycle first, then the previous one and the target, whatever order they were drawn in."""
    handles, labels = axes.get_legend_handles_labels()
    order = [words.now, words.previous, words.target, words.agreed]
    pairs = sorted(zip(labels, handles, strict=True), key=lambda pair: order.index(pair[0]))
    if len(pairs) > 1:
        figure.legend([h for _, h in pairs], [label for label, _ in pairs], loc="lower center",
                      ncols=len(pairs), fontsize=10, frameon=False, bbox_to_anchor=(0.5, bottom))


def chapter_breaks(labels: Sequence[str]) -> tuple[int, ...]:
    """The rows where a new chapter starts, so the elements read in their chapters."""
    chapters = [label.split(".")[0] for label in labels]
    return tuple(position for position in range(1, len(chapters))
                 if chapters[position] != chapters[position - 1])


def _chapter_breaks(axes: Axes, labels: Sequence[str]) -> None:
    for position in chapter_breaks(labels):
        axes.axhline(position - 0.5, color="#bbbbbb", linewidth=0.8)


def _radar(data: ChartData) -> Figure:
    words = data.words
    # Smaller in inches and denser in dots than the others: the same 1080 px, with labels that
    # stay readable when the radar is printed a hand wide on the PDF's first page.
    figure = Figure(figsize=(RADAR_INCHES, RADAR_HEIGHT), dpi=RADAR_DPI)
    # Fixed margins rather than a layout engine: that would lay every label out twice.
    # A circle half the width across, with room for two-line labels, the title and the legend.
    axes = cast(PolarAxes, figure.add_axes((0.25, 0.9 / RADAR_HEIGHT, 0.5, 2.7 / RADAR_HEIGHT),
                                           projection="polar"))
    axes.set_theta_offset(math.pi / 2)
    axes.set_theta_direction(-1)
    count = len(data.chapter_labels)
    angles = [2 * math.pi * i / count for i in range(count)]
    closed = [*angles, angles[0]]
    levels = _nan(data.chapter_levels)
    if data.chapter_targets is not None and _present(data.chapter_targets):
        targets = _nan(data.chapter_targets)
        axes.plot(closed, [*targets, targets[0]], color=TARGET, linewidth=2, linestyle=":",
                  marker="D", markersize=5, label=words.target)
    if data.chapter_previous is not None and _present(data.chapter_previous):
        previous = _nan(data.chapter_previous)
        axes.plot(closed, [*previous, previous[0]], color=PREVIOUS, linewidth=2,
                  linestyle="--", marker="s", markersize=5, label=words.previous)
    # NaN breaks the line: a hidden chapter is a gap, not a dip to the centre.
    axes.plot(closed, [*levels, levels[0]], color=NOW, linewidth=2.5, marker="o", markersize=7,
              label=words.now)
    if all(not math.isnan(level) for level in levels):
        axes.fill(closed, [*levels, levels[0]], color=NOW, alpha=0.15)
    labels = [wrap(label, 15) + (f"\n({words.hidden})" if level is None else "")
              for label, level in zip(data.chapter_labels, data.chapter_levels, strict=True)]
    axes.set_xticks(angles, labels, fontsize=9.5)
    for tick, level, angle in zip(axes.get_xticklabels(), data.chapter_levels, angles,
                                  strict=True):
        # Labels grow away from the circle, so a long title never runs over it.
        side = math.sin(angle)
        tick.set_horizontalalignment("left" if side > 0.2 else "right" if side < -0.2
                                     else "center")
        if level is None:
            tick.set_color(GREY)
            tick.set_fontstyle("italic")
    axes.tick_params(axis="x", pad=8)
    axes.set_ylim(0, 5)
    axes.set_yticks([1, 2, 3, 4, 5], ["1", "2", "3", "4", "5"], fontsize=8, color=GREY)
    axes.set_rlabel_position(180 / count)
    figure.suptitle(words.chapters_title, fontsize=14, fontweight="bold", x=0.03, y=0.98,
                    ha="left")
    _legend(figure, axes, words, 0.005)
    return figure


def _elements(data: ChartData) -> Figure:
    words = data.words
    wrapped = [wrap(label, 38) for label in data.element_labels]
    rows = sum(label.count("\n") + 1 for label in wrapped)
    height = 1.3 + 0.19 * rows + 0.12 * len(wrapped)
    figure = Figure(figsize=(WIDTH_INCHES, height), dpi=DPI)
    axes = figure.add_axes((0.43, 0.75 / height, 0.54, 1 - 1.3 / height))
    positions = list(range(len(wrapped)))
    means = [m or 0.0 for m in data.element_means]
    spreads = [s or 0.0 for s in data.element_spreads]
    # The spread drawn around the mean, kept within the scale: nobody answers below 1 or above 5.
    below = [min(spread, max(mean - 1, 0)) for mean, spread in zip(means, spreads, strict=True)]
    above = [min(spread, max(5 - mean, 0)) for mean, spread in zip(means, spreads, strict=True)]
    axes.barh(positions, means, xerr=[below, above], color=NOW, height=0.62, label=words.now,
              error_kw={"ecolor": "#333333", "capsize": 2, "elinewidth": 1})
    for position, mean in zip(positions, data.element_means, strict=True):
        if mean is None:
            axes.text(0.08, position, words.hidden, va="center", fontsize=9, color=GREY,
                      fontstyle="italic")
        else:
            axes.text(0.08, position, _number(mean, words), va="center", fontsize=9,
                      color="white", fontweight="bold")
    if data.element_previous is not None and _present(data.element_previous):
        axes.plot(_nan(data.element_previous), positions, linestyle="none", marker="s",
                  markersize=6, color=PREVIOUS, markeredgecolor="black", label=words.previous)
    if data.element_targets is not None and _present(data.element_targets):
        axes.plot(_nan(data.element_targets), positions, linestyle="none", marker="D",
                  markersize=6, color=TARGET, markeredgecolor="black", label=words.target)
    if data.element_agreed is not None and _present(data.element_agreed):
        axes.plot(_nan(data.element_agreed), positions, linestyle="none", marker="*",
                  markersize=11, color=AGREED, markeredgecolor="black", label=words.agreed)
    axes.set_yticks(positions, wrapped, fontsize=9)
    axes.set_ylim(len(positions) - 0.5, -0.5)  # first element on top, no empty band around
    axes.set_xlim(0, 5.2)
    axes.set_xticks([1, 2, 3, 4, 5])
    axes.grid(axis="x", alpha=0.3)
    figure.suptitle(words.elements_title, fontsize=14, fontweight="bold", x=0.03,
                    y=1 - 0.12 / height, ha="left", va="top")
    _chapter_breaks(axes, data.element_labels)
    _legend(figure, axes, words, 0.05 / height)
    return figure


def _heatmap(data: ChartData) -> Figure:
    words = data.words
    return heatmap(Heat(
        title=words.groups_title, rows=data.element_labels, columns=data.heat_columns,
        values=data.heat_values, hidden=words.hidden, level=words.level,
        decimal_comma=words.decimal_comma, breaks=chapter_breaks(data.element_labels)))


@dataclass(frozen=True, slots=True)
class Picture:
    """One chart drawn once and encoded twice: a PNG for chat and the web page, and a JPEG for
    the PDF, because WeasyPrint embeds a JPEG as it is but decodes and re-compresses every PNG
    (that took a third of the PDF's time)."""

    png: bytes
    jpeg: bytes


def encode(figure: Figure) -> Picture:
    raw = io.BytesIO()
    figure.savefig(raw, format="rgba", facecolor="white")
    size = figure.canvas.get_width_height()
    image = Image.frombuffer("RGBA", size, raw.getvalue()).convert("RGB")
    png, jpeg = io.BytesIO(), io.BytesIO()
    image.save(png, format="PNG", compress_level=1)  # charts are mostly flat colour
    image.save(jpeg, format="JPEG", quality=92, subsampling=0)  # no chroma blur on thin text
    return Picture(png.getvalue(), jpeg.getvalue())


def figures(data: ChartData) -> list[Figure]:
    """The radar and the bars, and the heatmap when groups are shown."""
    drawn = [_radar(data), _elements(data)]
    if data.heat_columns:
        drawn.append(_heatmap(data))
    return drawn


def draw(data: ChartData) -> list[Picture]:
    """The pictures, encoded; pure CPU work, safe to run in a thread."""
    return [encode(figure) for figure in figures(data)]


async def render(data: ChartData) -> list[Picture]:
    return await asyncio.to_thread(draw, data)
