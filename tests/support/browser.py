"""The browser tests' Chromium: Debian's, driven by Playwright for Python, and what a page looks
like on a phone. Where either is missing, `browser_missing()` says why (tests skip with it)."""

from __future__ import annotations

import shutil
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGUMENTS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}
OVERFLOWING = """() => Array.from(document.querySelectorAll('body *'))
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
    .map(e => e.tagName + '.' + e.className + ': ' + e.textContent.trim().slice(0, 40))"""

try:
    from playwright.async_api import async_playwright
except ImportError:  # pragma: no cover - depends on the machine
    async_playwright = None

def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if async_playwright is None:
        return "Playwright for Python is not installed"
    if not Path(CHROMIUM).exists():
        return "Chromium is not installed (apt-get install -y chromium)"
    return None


async def sticking_out_on_a_phone(page_file: Path) -> tuple[int, list[str]]:
    """The page's scroll width at 390 px, and every element that reaches past the screen."""
    assert async_playwright is not None
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGUMENTS)
        try:
            page = await launched.new_page(viewport=PHONE)
            await page.goto(page_file.as_uri())
            width = await page.evaluate("document.documentElement.scrollWidth")
            return int(width), list(await page.evaluate(OVERFLOWING))
        finally:
            await launched.close()
