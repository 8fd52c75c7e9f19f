"""Polling mode as an operator runs it: a health check that knows whether the poller still polls,
and one poller per bot, however many processes are started."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import shlex
import socket
import sys
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import build_application
from bot.config import Config, load_settings
from bot.emulator import BotApiEmulator
from bot.ops.failures import CannotStart
from bot.ops.polling import health_asked_for, lone_poller, start_polling, stop_polling
from tests.support.processes import ended


def with_free_port(settings: Config) -> Config:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    return settings.model_copy(update={"webhook_listen": "127.0.0.1", "webhook_port": port})


async def health(settings: Config) -> tuple[int, dict[str, object]]:
    async with aiohttp.ClientSession() as client, client.get(
            f"http://127.0.0.1:{settings.webhook_port}/health") as reply:
        return reply.status, await reply.json()


async def test_the_health_check_fails_once_the_poller_stopped(
    settings: Config, engine: AsyncEngine,
) -> None:
    settings = with_free_port(settings)
    application = await start_polling(settings, lone_poller(settings))
    try:
        assert await health(settings) == (200, {"ok": True, "bot": "iso9004_test_bot"})
        assert application.updater is not None
        await application.updater.stop()
        assert await health(settings) == (503, {"ok": False, "polling": False})
        await application.updater.start_polling(poll_interval=0, timeout=1)
    finally:
        await stop_polling(application)


async def image_health_check(settings: Config) -> int:
    """The exit code of deploy/Dockerfile's HEALTHCHECK command, run as Docker runs it."""
    dockerfile = (Path(__file__).parents[2] / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    found = re.search(r"^  CMD (python .+)$", dockerfile, flags=re.MULTILINE)
    assert found is not None
    command = shlex.split(found.group(1))
    process = await asyncio.create_subprocess_exec(
        sys.executable, *command[1:], env=os.environ | {"WEBHOOK_PORT": str(settings.webhook_port)},
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
    return await ended(process)


async def test_the_images_health_check_passes_while_polling_and_fails_when_it_stopped(
    settings: Config, engine: AsyncEngine,
) -> None:
    settings = with_free_port(settings)
    application = await start_polling(settings, lone_poller(settings))
    try:
        assert await image_health_check(settings) == 0
        assert application.updater is not None
        await application.updater.stop()
        assert await image_health_check(settings) != 0
        await application.updater.start_polling(poll_interval=0, timeout=1)
    finally:
        await stop_polling(application)


async def test_a_second_poller_on_the_same_database_refuses_to_start(
    settings: Config, engine: AsyncEngine, backend: str,
) -> None:
    if backend != "postgresql":
        pytest.skip("SQLite serves one process only; the poller's lock is PostgreSQL's")
    first_settings, second_settings = with_free_port(settings), with_free_port(settings)
    first = await start_polling(first_settings, lone_poller(first_settings))
    second = build_application(second_settings, lone_poller(second_settings))
    try:
        await second.initialize()
        assert second.post_init is not None and second.post_shutdown is not None
        with pytest.raises(CannotStart, match="another process is already polling Telegram"):
            await second.post_init(second)
        await second.shutdown()
        await second.post_shutdown(second)
    finally:
        await stop_polling(first)


def _take_the_default_port(held: socket.socket) -> None:
    """Hold 127.0.0.1:8443 as another bot on this host would (if someone holds it already, it
    is taken all the same)."""
    with contextlib.suppress(OSError):
        held.bind(("127.0.0.1", 8443))
        held.listen()


@pytest.mark.slow
async def test_two_bots_poll_side_by_side_on_one_host(
    settings: Config, engine: AsyncEngine, emulator: BotApiEmulator, tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A second organisation's bot on the same host, or the real bot beside a test run: neither
    asked for a health check (no WEBHOOK_PORT), the default port is taken, and both poll on."""
    second_token = "777001:second-organisation"
    async with BotApiEmulator(second_token, bot_username="second_org_bot") as other:
        second = load_settings(
            telegram_bot_token=second_token, telegram_api_base_url=other.base_url,
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'second.sqlite3'}",
            anonymity_threshold=3, admin_ids="", default_language="en")
        assert not health_asked_for(settings) and not health_asked_for(second)
        with socket.socket() as held, caplog.at_level(logging.WARNING, "bot.ops.polling"):
            held.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            _take_the_default_port(held)
            first_bot = await start_polling(settings, lone_poller(settings))
            try:
                second_bot = await start_polling(second, lone_poller(second))
                try:
                    for api in (emulator, other):
                        anna = api.person("Anna", "en")
                        await anna.send("/help")
                        helped = await anna.wait_for(lambda m: "/help" in m.text)
                        assert "/deleteme" in helped.text
                finally:
                    await stop_polling(second_bot)
            finally:
                await stop_polling(first_bot)
    warnings = [r.getMessage() for r in caplog.records if r.name == "bot.ops.polling"]
    assert len(warnings) == 2, warnings  # one line each
    assert all("/health not served: 127.0.0.1:8443 is taken" in line for line in warnings)
