"""The cockpit's action board and downloads, and what the chat offers (issue 30): the all-cycles
CSV under the report and the cockpit's buttons only where MINI_APP_URL (or WEBHOOK_URL) gives an
address. Fixtures in `tests.e2e.test_cockpit`.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import aiohttp
import pytest
from playwright.async_api import expect

from bench.seeding import history_example
from bot.config import Config
from bot.emulator import BotApiEmulator
from tests.support import cockpit as story
from tests.support.clock import FixedClock
from tests.support.cockpit import CYCLES, MANAGER, OTHER_MANAGER, PARTICIPANT, Cockpit, _open
from tests.support.running import RunningBot

pytestmark = pytest.mark.slow
cockpit = story.cockpit  # the same fixtures: a seeded team served over HTTP, Chromium
browser = story.browser


async def test_the_owner_marks_her_action_done_on_the_board_and_nobody_else_can(
    cockpit: Cockpit,
) -> None:
    board = f"/app/api/teams/{cockpit.team_id}/actions"
    status, found = await cockpit.get(board, cockpit.signed(MANAGER))
    assert status == 200
    [action] = found["actions"]
    assert (action["what"], action["status"], action["mine"]) == (
        "Doelen elk kwartaal bespreken", "open", True)
    done = f"{cockpit.base}{board}/{action['id']}/done"
    async with aiohttp.ClientSession() as client:
        for stranger in (OTHER_MANAGER, PARTICIPANT):
            async with client.post(done, headers={
                    "Authorization": f"tma {cockpit.signed(stranger)}"}) as refused:
                assert refused.status == 404
        async with client.post(done, headers={
                "Authorization": f"tma {cockpit.signed(MANAGER)}"}) as answer:
            assert answer.status == 200
    assert (await cockpit.get(board, cockpit.signed(MANAGER)))[1]["actions"][0]["status"] == \
        "done"


async def test_downloads_in_a_browser_and_into_the_chat_in_telegrams_phone_apps(
    cockpit: Cockpit, browser: Any
) -> None:
    url = cockpit.url(cockpit.signed(MANAGER))
    page = await _open(browser, url, 390)
    await page.wait_for_selector("#chapters li")
    async with page.expect_download() as started:
        await page.get_by_text("Alle rondes (csv)").click()
    saved = await (await started.value).path()
    rows = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert len({row[1] for row in rows[1:]}) == CYCLES
    manager = cockpit.person(MANAGER, "Manager")
    manager.started = True  # she has chatted with the bot before (Telegram requires it)
    phone = await browser.new_page(viewport={"width": 390, "height": 844})
    await phone.add_init_script("window.TelegramWebviewProxy = {postEvent() {}};")
    await phone.goto(url)
    await phone.wait_for_selector("#chapters li")
    await phone.get_by_text("Deze ronde (csv)").click()
    sent = await manager.wait_for(lambda m: (m.document_name or "").endswith(".csv"), timeout=60)
    assert sent.document is not None and sent.document.startswith("\ufeff".encode())
    await expect(phone.locator("#sent")).not_to_be_empty()  # a locator: the CSP forbids eval
    assert "chat" in await phone.inner_text("#sent")

@pytest.mark.parametrize("mini_app_url", ["https://cockpit.example.org/app", None])
async def test_the_report_in_chat_offers_every_cycle_and_the_cockpit_where_there_is_one(
    emulator: BotApiEmulator, settings: Config, clock: FixedClock, database_url: str,
    engine: object, mini_app_url: str | None,
) -> None:
    await history_example(database_url, cycles_held=3, respondents=6,
                          now=clock.now() - timedelta(days=30))
    running = RunningBot(emulator, settings.model_copy(update={"mini_app_url": mini_app_url}),
                         clock)
    await running.start()
    try:
        manager = emulator.person(first_name="Manager", language_code="nl", user_id=MANAGER)
        await manager.send("/report")
        document = await manager.wait_for(  # charts and a PDF: seconds on a busy machine
            lambda m: (m.document_name or "").endswith((".pdf", ".html")), timeout=60)
        buttons = dict(document.buttons())
        if mini_app_url is None:
            assert not any("cockpit" in label for label in buttons)
            assert MANAGER not in emulator.menu_buttons
        else:
            assert buttons["🧭 Open de cockpit"] == mini_app_url
            assert emulator.menu_buttons[MANAGER]["web_app"]["url"] == mini_app_url
        await manager.tap("Alle rondes")
        every = await manager.wait_for(
            lambda m: (m.document_name or "").startswith("iso9004-all-cycles"), timeout=60)
        assert every.document is not None
        rows = list(csv.reader(io.StringIO(every.document.decode("utf-8-sig")), delimiter=";"))
        assert len({row[1] for row in rows[1:]}) == 3  # three periods, one per cycle
        assert len(rows) - 1 == 3 * 31  # one row per cycle and topic, under one header
        thin = [row for row in rows[1:] if row[2] == "9"]
        assert thin and all(row[6] == "" for row in thin)  # hidden: empty, never 0
    finally:
        await running.stop()
