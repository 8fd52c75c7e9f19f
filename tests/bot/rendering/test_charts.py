"""The report's charts: names drawn literally, hidden figures as labelled gaps, honest legends."""

from __future__ import annotations

import math
import struct

from matplotlib.figure import Figure

from bot.rendering.charts import ChartData, Words, draw, figures

WORDS = Words(now="This cycle", previous="Previous cycle", target="Target",
              hidden="fewer than 3 answers", level="Level", chapters_title="Level per chapter",
              elements_title="Level per element", groups_title="Per group", decimal_comma=False)


def chart_data(**changes: object) -> ChartData:
    data = ChartData(
        words=WORDS,
        chapter_labels=("5 Context", "6 Identity", "7 R&D $^$ <b> leadership"),
        chapter_levels=(3.2, None, 2.5),
        chapter_previous=None, chapter_targets=None,
        element_labels=("5.1 General", "6.1 General", "7.1 Money $5 and $10 ^_^"),
        element_means=(3.2, None, 2.5), element_spreads=(0.8, None, 1.1),
        element_previous=None, element_targets=None,
    )
    return data if not changes else ChartData(**{**_fields(data), **changes})  # type: ignore[arg-type]


def _fields(data: ChartData) -> dict[str, object]:
    return {name: getattr(data, name) for name in data.__slots__}  # type: ignore[attr-defined]


def _texts(figure: Figure) -> list[str]:
    return [text.get_text() for text in figure.findobj(lambda a: hasattr(a, "get_text"))]


def _size(png: bytes) -> tuple[int, int]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)


def test_names_with_dollars_and_carets_are_drawn_as_text_not_parsed_as_formulas() -> None:
    data = chart_data(heat_columns=("R&D $^$ <b>", "Whole team"),
                      heat_values=((3.0, 3.2), (None, None), (2.0, 2.5)))
    pictures = draw(data)  # mathtext would raise on "$^$"
    assert len(pictures) == 3
    radar, _, heatmap = figures(data)
    assert any("R&D $^$ <b>" in text for text in _texts(radar))
    assert any("R&D $^$ <b>" in text for text in _texts(heatmap))


def test_a_hidden_chapter_is_a_labelled_gap_never_a_zero() -> None:
    radar = figures(chart_data())[0]
    axes = radar.axes[0]
    now = next(line for line in axes.get_lines() if line.get_label() == "This cycle")
    levels = list(now.get_ydata())
    assert math.isnan(levels[1]) and 0.0 not in levels
    labels = [tick.get_text() for tick in axes.get_xticklabels()]
    assert "fewer than 3 answers" in labels[1] and "fewer than" not in labels[0]


def test_hidden_elements_say_so_and_shown_ones_carry_their_level() -> None:
    bars = figures(chart_data())[1]
    texts = _texts(bars)
    assert texts.count("fewer than 3 answers") == 1
    assert "3.2" in texts and "2.5" in texts
    assert "3,2" in _texts(figures(chart_data(words=Words(**{
        **{n: getattr(WORDS, n) for n in WORDS.__slots__}, "decimal_comma": True})))[1])


def test_previous_cycle_and_targets_appear_only_where_they_exist() -> None:
    first = figures(chart_data())[0]
    assert first.legends == []  # one series needs no legend, and there is no "previous" to name
    later = figures(chart_data(chapter_previous=(3.0, None, 2.9), chapter_targets=(4, None, 3),
                               element_previous=(3.0, None, 2.9), element_targets=(4, 4, 3)))
    for figure in later[:2]:
        legend = [t.get_text() for t in figure.legends[0].get_texts()]
        assert legend == ["This cycle", "Previous cycle", "Target"]


def test_the_pictures_are_sharp_on_a_phone_and_have_no_team_name_corner() -> None:
    data = chart_data()
    for picture in draw(data):
        width, height = _size(picture.png)
        assert width >= 1080 and height > 250
        assert picture.jpeg.startswith(b"\xff\xd8")
    assert len(draw(data)) == 2  # no heatmap without groups
    radar = figures(data)[0]
    assert radar.get_suptitle() == "Level per chapter"


def test_the_agreed_level_is_a_star_on_every_element_even_where_the_bar_is_hidden() -> None:
    bars = figures(chart_data(element_agreed=(3, 2, None),
                              words=Words(**{**{n: getattr(WORDS, n) for n in WORDS.__slots__},
                                             "agreed": "Agreed"})))[1]
    axes = bars.axes[0]
    stars = next(line for line in axes.get_lines() if line.get_label() == "Agreed")
    assert list(stars.get_xdata())[:2] == [3, 2] and math.isnan(list(stars.get_xdata())[2])
    assert [t.get_text() for t in bars.legends[0].get_texts()] == ["This cycle", "Agreed"]
    assert figures(chart_data())[1].legends == []  # nothing agreed: no star, no legend
