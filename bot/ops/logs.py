"""Logging that can never print the bot token or the webhook secret.

Secrets are replaced in the fully formatted line, tracebacks included: an httpx error message or a
traceback can carry the request URL, and Telegram's URLs contain the token. With `LOG_FORMAT=json`
each record is one JSON object per line, for log collectors.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import UTC, datetime

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class RedactingFormatter(logging.Formatter):
    def __init__(self, secrets: Iterable[str], *, as_json: bool = False) -> None:
        super().__init__(TEXT_FORMAT)
        self._secrets = [s for s in secrets if s]
        self._as_json = as_json

    def format(self, record: logging.LogRecord) -> str:
        if self._as_json:
            entry = {
                "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
                "level": record.levelname, "logger": record.name, "message": record.getMessage(),
            }
            if record.exc_info:
                entry["exception"] = self.formatException(record.exc_info)
            line = json.dumps(entry, ensure_ascii=False)
        else:
            line = super().format(record)
        for secret in self._secrets:
            line = line.replace(secret, "[redacted]")
        return line


def configure_logging(level: str, secrets: Iterable[str], *, as_json: bool = False) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter(secrets, as_json=as_json))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL at INFO; those URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
