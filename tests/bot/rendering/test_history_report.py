"""The history in the report's files: a fourth picture, a table of every cycle, the medians per
topic in the chapter pages, and the all-cycles CSV; on a phone nothing sticks out sideways."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bench.seeding import THIN_CHAPTER, history_example
from bot.db.engine import create_engine, create_sessionmaker
from bot.db.repositories import Repository
from bot.rendering import documents, history_presenting, presenting
from bot.rendering.texts import Texts
from bot.services import report_view
from bot.services.report_view import ReportView
from tests.support.browser import browser_missing, sticking_out_on_a_phone

CYCLES = 4


async def _views(tmp_path: Path, language: str) -> tuple[ReportView, list[ReportView]]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'history.db'}"
    _, manager, latest_id = await history_example(
        url, cycles_held=CYCLES, respondents=8, language=language,
        now=datetime(2026, 10, 1, 9, 0, tzinfo=UTC))
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine).begin() as session:
            repo = Repository(session)
            latest = await repo.cycle(latest_id)
            assert latest is not None
            return (await report_view.build(repo, latest, manager),
                    await report_view.all_cycles_of(repo, latest, manager))
    finally:
        await engine.dispose()


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_the_report_shows_every_cycle_with_gaps_where_a_cycle_hid_a_figure(
    tmp_path: Path, language: str
) -> None:
    texts = Texts()
    view, every = await _views(tmp_path, language)
    pictures = await presenting.charts(texts, language, view)
    groups = bool(presenting.chart_data(texts, language, view).heat_columns)
    assert len(pictures) == 2 + groups + 1  # radar, bars, (groups,) and the trend last
    context = history_presenting.context(texts, language, view)
    assert len(context["trend_dates"]) == CYCLES
    thin = next(row for row in context["trend_chapters"] if row.id == THIN_CHAPTER)
    assert set(thin.values) == {None}
    page = documents.html(texts, language, view, pictures)
    words = texts.words(language, "report_words")
    assert str(words.trend_title) in page and str(words.medians_over) in page
    assert page.count('class="medians stack"') == len(view.report.result.chapters)
    table = list(csv.reader(io.StringIO(documents.export_all_csv(texts, language, every)
                                        .decode("utf-8-sig")), delimiter=";"))
    this_cycle = list(csv.reader(io.StringIO(documents.export_csv(texts, language, view)
                                             .decode("utf-8-sig")), delimiter=";"))
    assert table[0] == this_cycle[0]  # the same columns
    assert len(table) - 1 == CYCLES * (len(this_cycle) - 1)
    assert table[-len(this_cycle) + 1:] == this_cycle[1:]  # the latest cycle, as its own CSV
    assert len({row[1] for row in table[1:]}) == CYCLES


async def test_with_only_one_earlier_cycle_there_is_no_trend(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'two.db'}"
    _, manager, latest_id = await history_example(url, cycles_held=2, respondents=6)
    engine = create_engine(url)
    async with create_sessionmaker(engine).begin() as session:
        repo = Repository(session)
        latest = await repo.cycle(latest_id)
        assert latest is not None
        view = await report_view.build(repo, latest, manager)
    await engine.dispose()
    assert view.history is not None and len(view.history.points) == 2
    groups = bool(presenting.chart_data(Texts(), "nl", view).heat_columns)
    assert len(await presenting.charts(Texts(), "nl", view)) == 2 + groups
    assert not history_presenting.context(Texts(), "nl", view)["has_trend"]


@pytest.mark.slow
async def test_on_a_phone_the_history_sticks_out_nowhere(tmp_path: Path) -> None:
    if (missing := browser_missing()) is not None:
        pytest.skip(missing)
    texts = Texts()
    view, _ = await _views(tmp_path, "nl")
    path = tmp_path / "history.html"
    path.write_text(documents.html(texts, "nl", view, await presenting.charts(texts, "nl", view)),
                    encoding="utf-8")
    assert await sticking_out_on_a_phone(path) == (390, [])
