"""Secrets never reach the logs, whatever a library decides to log."""

from __future__ import annotations

import json
import logging

from bot.ops.logs import RedactingFormatter

SECRETS = ["123456:very-secret", "hook-secret"]


def record(message: str, *args: object, exc_info: object = None) -> logging.LogRecord:
    return logging.LogRecord("httpx", logging.WARNING, __file__, 1, message, args,
                             exc_info)  # type: ignore[arg-type]


def test_the_token_in_a_request_url_is_redacted() -> None:
    line = RedactingFormatter(SECRETS).format(
        record("POST %s", "https://api.telegram.org/bot123456:very-secret/getUpdates"))
    assert "very-secret" not in line and "[redacted]" in line


def test_a_traceback_that_carries_the_token_is_redacted_too() -> None:
    try:
        raise ConnectionError("https://api.telegram.org/bot123456:very-secret/sendMessage failed")
    except ConnectionError as error:
        failure = (type(error), error, error.__traceback__)
    line = RedactingFormatter(SECRETS).format(record("request failed", exc_info=failure))
    assert "ConnectionError" in line and "very-secret" not in line


def test_json_lines_are_structured_and_redacted() -> None:
    line = RedactingFormatter(SECRETS, as_json=True).format(
        record("webhook secret was %s", "hook-secret"))
    entry = json.loads(line)
    assert entry["level"] == "WARNING" and entry["logger"] == "httpx"
    assert entry["message"] == "webhook secret was [redacted]"
