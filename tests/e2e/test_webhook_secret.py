"""#13's sixth attack: forged updates. Webhook mode cannot be configured without a secret, and a
webhook server that somehow got none accepts nothing rather than everything."""

from __future__ import annotations

import aiohttp
import pytest

from bot.app import Wiring
from bot.config import Config, ConfigError, load_settings
from bot.emulator import BotApiEmulator
from bot.ops.serve import webhook_worker
from tests.support.clock import FixedClock
from tests.support.webhooks import free_port


def test_webhook_mode_without_a_secret_is_a_settings_error() -> None:
    with pytest.raises(ConfigError, match="WEBHOOK_SECRET: required in webhook mode"):
        load_settings(webhook_url="https://bot.example.org", webhook_secret="")


async def test_a_webhook_server_without_a_secret_refuses_every_update(
    emulator: BotApiEmulator, settings: Config, clock: FixedClock,
) -> None:
    port = free_port()
    unguarded = settings.model_copy(update={  # past the settings' check, as no operator can get
        "webhook_url": f"http://127.0.0.1:{port}", "webhook_listen": "127.0.0.1",
        "webhook_port": port, "webhook_secret": None})
    async with webhook_worker(unguarded, Wiring(clock=clock, run_scheduler=False),
                              register=False), aiohttp.ClientSession() as client:
        update = {"update_id": 7, "message": {
            "message_id": 1, "date": 0, "chat": {"id": 5, "type": "private"},
            "from": {"id": 5, "is_bot": False, "first_name": "Mallory"}, "text": "/start"}}
        async with client.post(f"http://127.0.0.1:{port}/telegram", json=update) as forged:
            assert forged.status == 403
    assert emulator.calls_to("sendMessage") == []
