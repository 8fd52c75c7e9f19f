"""The Bot API emulator on a thread of its own, for commands run in another process."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from bot.emulator import BotApiEmulator


@contextmanager
def emulator_in_thread(token: str, *, announced: bool = True) -> Iterator[str]:
    """The emulator's base URL while it serves `token` (any other token gets Telegram's 401);
    not `announced`, it poses as a self-hosted Bot API server (`BotApiEmulator.announced`)."""
    ready, stop = threading.Event(), threading.Event()
    base_url: list[str] = []

    def serve() -> None:
        async def run() -> None:
            async with BotApiEmulator(token, announced=announced) as api:
                base_url.append(api.base_url)
                ready.set()
                await asyncio.to_thread(stop.wait)
        asyncio.run(run())

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        assert ready.wait(10), "the emulator did not start"
        yield base_url[0]
    finally:
        stop.set()
        thread.join(10)
