"""One heatmap drawing for every table of levels: topics × groups in the team report, teams ×
chapters in the organisation report.

Rows and columns are labels drawn literally (`bot.rendering.charts` switches mathtext off before any
figure is made, so a team called `R&D $^$` is text); a hidden cell (None) stays the light grey
explained under the picture, never a colour, and a row hidden as a whole says so once, across.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

matplotlib.rcParams["text.parse_math"] = False  # names are text, never formulas
WIDTH_INCHES = 7.5
DPI = 144
HIDDEN, GREY = "#e6e6e6", "#888888"
# Cividis runs dark blue → yellow and stays ordered for colour-blind readers and in greyscale.
HEAT = ListedColormap(matplotlib.colormaps["cividis"](
    [0.0, 0.12, 0.25, 0.37, 0.5, 0.62, 0.75, 0.87, 1.0]))


@dataclass(frozen=True, slots=True)
class Heat:
    """A table of levels with its words, already in the reader's language."""

    title: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    values: tuple[tuple[float | None, ...], ...]  # one tuple per row, one value per column
    hidden: str  # what a grey cell means
    level: str
    decimal_comma: bool
    breaks: tuple[int, ...] = ()
    """A thin line above these rows (a new chapter, the teams below the organisation's row)."""
    row_width: int = 34
    column_width: int = 12
    key: tuple[str, ...] = ()
    """Lines under the cells that say what short column labels stand for ("5 Context of …")."""


CELLS_LEFT, CELLS_WIDTH = 0.4, 0.57


def _number(value: float, decimal_comma: bool) -> str:
    text = f"{value:.1f}"
    return text.replace(".", ",") if decimal_comma else text


def wrap(text: str, width: int) -> str:
    """Whole labels on several lines; a word longer than the width keeps its own line, and a
    leading number ("8", "10.2") stays with the word after it."""
    words = text.split()
    if len(words) > 1 and words[0].replace(".", "").isdigit():
        words[:2] = [f"{words[0]} {words[1]}"]
    lines: list[str] = []
    line = ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)


def _key_lines(entries: Sequence[str], width: int) -> list[str]:
    """The key's entries joined by " · ", a line broken only between entries (so "11" stays
    with its title) unless one entry alone is too long."""
    lines: list[str] = []
    for entry in entries:
        if lines and len(lines[-1]) + 3 + len(entry) <= width:
            lines[-1] += f" · {entry}"
        else:
            lines.extend(wrap(entry, width).split("\n"))
    return lines


def _grid(values: Sequence[Sequence[float | None]]) -> list[list[float]]:
    return [[math.nan if value is None else value for value in row] for row in values]


def heatmap(data: Heat) -> Figure:
    wrapped = [wrap(label, data.row_width) for label in data.rows]
    columns = [wrap(label, data.column_width) for label in data.columns]
    rows = sum(label.count("\n") + 1 for label in wrapped)
    # The column labels sit above the cells: a taller head when they run to several lines.
    head = 0.95 + 0.15 * (max((c.count("\n") + 1 for c in columns), default=1) - 1)
    key = _key_lines(data.key, 100)
    foot = 1.05 + (0.2 + 0.17 * len(key) if key else 0)
    height = foot + head + 0.19 * rows + 0.1 * len(wrapped)
    figure = Figure(figsize=(WIDTH_INCHES, height), dpi=DPI)
    axes: Axes = figure.add_axes((CELLS_LEFT, foot / height, CELLS_WIDTH,
                                   1 - (foot - 0.05 + head) / height))
    image = axes.imshow(_grid(data.values), cmap=HEAT, vmin=1, vmax=5, aspect="auto",
                        interpolation="nearest")
    axes.set_facecolor(HIDDEN)  # hidden cells (NaN) stay this light grey, explained below
    for row, values in enumerate(data.values):
        if values and all(value is None for value in values):  # a hidden row says so once
            axes.text((len(values) - 1) / 2, row, data.hidden, ha="center", va="center",
                      fontsize=9, color=GREY, fontstyle="italic")
        for column, value in enumerate(values):
            if value is not None:
                axes.text(column, row, _number(value, data.decimal_comma), ha="center",
                          va="center", fontsize=9, color="black" if value >= 3.2 else "white")
    # Labels as plain texts beside the cells rather than ticks: a tick is a dozen artists, and
    # fifty teams' ticks cost more than the whole rest of the picture.
    axes.set_xticks([])
    axes.set_yticks([])
    rows_at = axes.get_yaxis_transform()  # x in axes fractions, y in rows
    for row, label in enumerate(wrapped):
        axes.text(-0.015, row, label, transform=rows_at, ha="right", va="center", fontsize=9)
    columns_at = axes.get_xaxis_transform()
    for column, label in enumerate(columns):
        axes.text(column, 1.01, label, transform=columns_at, ha="center", va="bottom",
                  fontsize=9)
    for position in data.breaks:
        axes.axhline(position - 0.5, color="#bbbbbb", linewidth=0.8)
    for spine in axes.spines.values():
        spine.set_visible(False)
    for number, line in enumerate(key):
        figure.text(0.03, (foot - 0.2 - 0.17 * number) / height, line, fontsize=8.5,
                    va="top", color="#333333")
    figure.suptitle(data.title, fontsize=14, fontweight="bold", x=0.03, y=1 - 0.12 / height,
                    ha="left", va="top")
    scale = figure.add_axes((0.08, 0.45 / height, 0.4, 0.12 / height))
    figure.colorbar(image, cax=scale, orientation="horizontal", ticks=[1, 2, 3, 4, 5])
    scale.tick_params(labelsize=9)
    scale.set_xlabel(data.level, fontsize=9)
    figure.patches.append(Rectangle((0.56, 0.45 / height), 0.03, 0.12 / height,
                                    transform=figure.transFigure, facecolor=HIDDEN,
                                    edgecolor="#999999", linewidth=0.5))
    figure.text(0.6, 0.51 / height, data.hidden, fontsize=9, va="center", color="#444444")
    return figure
