"""Polling mode as an operator runs it: a health check that knows whether the poller still polls,
and one poller per bot, however many processes are started."""

from __future__ import annotations

import asyncio
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
from bot.config import Config
from bot.ops.failures import CannotStart
from bot.ops.polling import lone_poller, start_polling, stop_polling
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
