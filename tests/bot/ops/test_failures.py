"""The one-line explanations of failures that are hard to provoke for real in a test (Telegram
refusing a webhook address); the rest are provoked through the CLI in tests/bot/ops/test_cli.py."""

from __future__ import annotations

import errno

from telegram.error import BadRequest, NetworkError

from bot.config import load_settings
from bot.ops.failures import explain

SETTINGS = load_settings(telegram_bot_token="4242:secret-token", webhook_port=8443,
                         database_url="postgresql://bot:pass-word@db.example.org/bot")


def test_telegram_refusing_the_webhook_address_names_webhook_url() -> None:
    line = explain(BadRequest("Bad webhook: Failed to resolve host: Name or service not known"),
                   SETTINGS)
    assert line is not None and line.startswith("WEBHOOK_URL: Telegram refused it (Bad webhook")


def test_a_port_in_use_names_webhook_port_not_the_database() -> None:
    line = explain(OSError(errno.EADDRINUSE, "address already in use"), SETTINGS)
    assert line == ("WEBHOOK_PORT: cannot listen on 0.0.0.0:8443 (address already in use): "
                    "choose a free port (or check WEBHOOK_LISTEN)")


def test_secrets_in_an_error_never_reach_the_line() -> None:
    wrapped = NetworkError("could not connect to https://api.telegram.org/bot4242:secret-token/x")
    line = explain(wrapped, SETTINGS)
    assert line is not None and "secret-token" not in line and "[redacted]" in line
    refused = explain(ConnectionRefusedError(errno.ECONNREFUSED, "refused"), SETTINGS)
    assert refused is not None and "pass-word" not in refused
    assert refused.startswith("DATABASE_URL: no database answers at db.example.org:5432")


def test_an_unknown_error_is_left_to_its_traceback() -> None:
    assert explain(ZeroDivisionError("a bug"), SETTINGS) is None
