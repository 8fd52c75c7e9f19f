"""The report as a web page in a real browser: Debian's Chromium, driven by Playwright.

Skipped with a reason where Chromium or Playwright is missing, so the README's test command passes
on a fresh machine; `.ci/run` installs Chromium so CI always runs these.
"""

from __future__ import annotations

import io
import struct
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from bot.rendering import documents, presenting
from bot.rendering.texts import Texts
from tests.support.browser import (
    ARGUMENTS,
    CHROMIUM,
    PHONE,
    async_playwright,
    sticking_out_on_a_phone,
)
from tests.support.seeded import seeded_view

TEAM = "R&D $^$ <b> Kwaliteitsmanagementsysteemverbeteringsprogrammacommissie"

pytestmark = pytest.mark.skipif(
    async_playwright is None or not Path(CHROMIUM).exists(),
    reason="Playwright for Python or Debian's Chromium (apt-get install -y chromium) is missing")


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    assert async_playwright is not None
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGUMENTS)
        yield launched
        await launched.close()


@pytest.fixture(params=["nl", "en"])
async def report_page(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, Path]:
    language = str(request.param)
    texts = Texts()
    view = await seeded_view(language, TEAM)  # seeded once per run (tests/support/seeded.py)
    page = documents.html(texts, language, view, await presenting.charts(texts, language, view))
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    return language, path


async def test_on_a_phone_nothing_sticks_out_sideways(
    browser: Any, report_page: tuple[str, Path]
) -> None:
    _, path = report_page
    assert await sticking_out_on_a_phone(path) == (PHONE["width"], [])
    page = await browser.new_page(viewport=PHONE)
    await page.goto(path.as_uri())
    assert TEAM in " ".join((await page.inner_text("h1")).split())  # the name, literally


async def test_a_full_page_screenshot_is_phone_wide_and_as_long_as_the_report(
    browser: Any, report_page: tuple[str, Path]
) -> None:
    _, path = report_page
    page = await browser.new_page(viewport=PHONE, device_scale_factor=2)
    await page.goto(path.as_uri())
    height = await page.evaluate("document.documentElement.scrollHeight")
    shot = await page.screenshot(full_page=True)
    width, shot_height = struct.unpack(">II", shot[16:24])
    assert (width, shot_height) == (2 * PHONE["width"], 2 * height)
    assert height > 3 * PHONE["height"]  # every chapter is there, not cut off
    pictures = await page.evaluate(
        "Array.from(document.images).map(i => [i.naturalWidth, i.getBoundingClientRect().width])")
    assert len(pictures) == 3
    assert all(natural >= 1080 and shown <= PHONE["width"] for natural, shown in pictures)


async def test_printed_on_a4_it_opens_with_the_overview_and_puts_the_agenda_on_its_own_page(
    browser: Any, report_page: tuple[str, Path]
) -> None:
    language, path = report_page
    page = await browser.new_page()
    await page.goto(path.as_uri())
    await page.emulate_media(media="print")
    assert await page.evaluate(
        "getComputedStyle(document.querySelector('.agenda-section')).breakBefore") == "page"
    printed = await page.pdf(format="A4", print_background=True)
    pages = PdfReader(io.BytesIO(printed)).pages
    assert 4 <= len(pages) <= 14
    width, height = (float(v) for v in pages[0].mediabox.upper_right)
    assert abs(width - 595.3) < 1.5 and abs(height - 841.9) < 1.5  # A4 in points
    first, second = (" ".join((p.extract_text() or "").split()) for p in pages[:2])
    glance, agenda = {"nl": ("In één oogopslag", "Agenda voor het overleg"),
                      "en": ("At a glance", "Agenda for the meeting")}[language]
    assert "R&D $^$ <b>" in first and glance in first and agenda not in first
    assert agenda in second
