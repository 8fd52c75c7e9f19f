"""Webhook workers on a port of their own, with the secret Telegram sends along."""

from __future__ import annotations

import socket

from pydantic import SecretStr

from bot.config import Config

SECRET = "a-long-webhook-secret-0123456789"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def worker_settings(settings: Config, port: int, public_url: str) -> Config:
    return settings.model_copy(update={
        "webhook_url": public_url, "webhook_listen": "127.0.0.1", "webhook_port": port,
        "webhook_secret": SecretStr(SECRET)})
