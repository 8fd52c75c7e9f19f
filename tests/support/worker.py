"""A webhook worker in a process of its own, for tests that kill it (`kill -9`) or start several.

`python -m tests.support.worker SETTINGS_JSON NOW [--register]` runs `bot.ops.serve.webhook_worker`
with the given settings (a JSON object of `Config` fields) and a clock fixed at NOW (ISO 8601),
prints `ready` once it listens, and serves until SIGTERM or SIGKILL.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import sys
from datetime import datetime

from pydantic import SecretStr

from bot.app import Wiring
from bot.config import load_settings
from bot.ops.logs import configure_logging
from bot.ops.serve import webhook_worker
from tests.support.clock import FixedClock

WEBHOOK_FIELDS = ("webhook_url", "webhook_listen", "webhook_port", "webhook_secret")


async def _run(fields: dict[str, object], now: datetime, register: bool) -> None:
    webhook = {name: fields.pop(name) for name in WEBHOOK_FIELDS}
    secret = str(webhook["webhook_secret"])
    settings = load_settings(**fields).model_copy(
        update=webhook | {"webhook_secret": SecretStr(secret)})
    configure_logging("WARNING", [settings.token, secret])
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    wiring = Wiring(clock=FixedClock(now), run_scheduler=False)
    async with webhook_worker(settings, wiring, register=register):
        print("ready", flush=True)
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(_run(json.loads(sys.argv[1]), datetime.fromisoformat(sys.argv[2]),
                     "--register" in sys.argv[3:]))
