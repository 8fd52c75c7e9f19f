"""Secrets never reach the logs, whatever a library decides to log."""

from __future__ import annotations

import logging

import pytest

from bot.logs import RedactSecrets


def test_the_token_in_a_request_url_is_redacted(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("test.redaction")
    logger.addFilter(RedactSecrets(["123456:very-secret", "hook-secret"]))
    with caplog.at_level(logging.INFO, logger="test.redaction"):
        logger.info("POST %s", "https://api.telegram.org/bot123456:very-secret/getUpdates")
        logger.warning("webhook secret was %s", "hook-secret")
    assert "very-secret" not in caplog.text
    assert "hook-secret" not in caplog.text
    assert caplog.text.count("[redacted]") == 2
