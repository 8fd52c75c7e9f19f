"""`python -m bench.cockpit_picture`: the README's picture of the cockpit, `docs/cockpit.png`.

Real output: a team with five closed cycles seeded through the services, the bot against the
emulator, the cockpit served as in the demo and opened in Debian's Chromium at 390 px, signed for
the team's manager as Telegram signs a Mini App launch.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench._common import TOKEN, sqlite_url
from bench.seeding import history_example
from bot.config import load_settings
from bot.emulator import BotApiEmulator, launch_url
from bot.ops.demo import serve_cockpit
from bot.ops.polling import start_polling, stop_polling

PICTURE = Path(__file__).parents[1] / "docs" / "cockpit.png"
CHROMIUM = "/usr/bin/chromium"


async def main() -> None:
    from playwright.async_api import async_playwright

    with tempfile.TemporaryDirectory() as scratch:
        url = sqlite_url(Path(scratch), "picture.db")
        team_id, manager, _ = await history_example(
            url, cycles_held=5, respondents=24, language="nl",
            now=datetime.now(UTC).replace(microsecond=0))
        async with BotApiEmulator(TOKEN) as emulator:
            settings = load_settings(telegram_bot_token=TOKEN, database_url=url,
                                     telegram_api_base_url=emulator.base_url)
            application = await start_polling(settings)
            cockpit = await serve_cockpit(application)
            try:
                person = emulator.person(first_name="Manager", user_id=manager)
                address = launch_url(f"{cockpit.base}/app", emulator.init_data(person))
                async with async_playwright() as playwright:
                    browser = await playwright.chromium.launch(
                        executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
                    page = await browser.new_page(viewport={"width": 390, "height": 844},
                                                  device_scale_factor=2)
                    for attempt in ("first launch", "next launch"):
                        started = time.perf_counter()
                        await page.goto(address)
                        await page.wait_for_selector("#chapters li")
                        print(f"{attempt}, until the chapters are on screen: "
                              f"{(time.perf_counter() - started) * 1000:.0f} ms (wall)")
                        if attempt == "first launch":
                            await page.goto("about:blank")
                    await page.wait_for_selector("#actions .card, #actions p")
                    await page.screenshot(path=str(PICTURE))
                    await browser.close()
            finally:
                await cockpit.runner.cleanup()
                await stop_polling(application)
    print(f"{PICTURE} (team {team_id})")


if __name__ == "__main__":
    asyncio.run(main())
