"""Delivering updates to a webhook as Telegram does: one at a time, with the secret-token header,
retried until the bot's server answers 2xx (and every failure recorded for tests to assert)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import aiohttp

if TYPE_CHECKING:
    from bot.emulator._server import BotApiEmulator

RETRY_AFTER_FAILURE = 0.2


async def deliver_to_webhook(api: BotApiEmulator) -> None:
    async with aiohttp.ClientSession() as session:
        while api.webhook is not None:
            async with api.queue_changed:
                pending = api.undelivered()
                if not pending:
                    await api.queue_changed.wait()
                    continue
            queued, hook = pending[0], api.webhook
            secret = hook.get("secret_token")
            headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
            try:
                async with session.post(hook["url"], json=queued.update, headers=headers) as reply:
                    delivered = reply.status < 300
                    if not delivered:
                        api.webhook_failures.append(f"{reply.status} {reply.reason}")
            except aiohttp.ClientError as error:
                delivered = False
                api.webhook_failures.append(str(error))
            if delivered:
                queued.delivered.set()
                api.forget(queued)
            else:
                await asyncio.sleep(RETRY_AFTER_FAILURE)
