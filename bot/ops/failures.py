"""What went wrong with a dependency, in one line an operator can act on.

The database driver, httpx and python-telegram-bot each report a wrong address or a refusal as a
chain of exceptions tens of lines long. `explain` walks that chain for the cause a person can fix
(the setting to correct, the service to start) and says it in one line; anything it does not
recognise is a bug and keeps its traceback. Nothing it returns contains the token, the webhook
secret or the database password.
"""

from __future__ import annotations

import errno
import socket
import sqlite3
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import asyncpg  # type: ignore[import-untyped]
from alembic.util import CommandError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from telegram.error import BadRequest, InvalidToken, NetworkError, TimedOut

from bot.config import Config

Rule = Callable[[BaseException, Config], str | None]
_CONNECT_ERRORS = {errno.ECONNREFUSED, errno.EHOSTUNREACH, errno.ENETUNREACH, errno.ETIMEDOUT,
                   errno.ECONNRESET}


class CannotStart(Exception):
    """Something the bot found itself (a second poller, a port in use); the message is the line."""


def explain(error: BaseException, settings: Config) -> str | None:
    """One line naming the setting or the cause and what to do, or None for an unknown error."""
    chain = list(_causes(error))
    for rule in _RULES:  # the most specific rules first, over the whole chain
        for cause in chain:
            line = rule(cause, settings)
            if line is not None:
                return redact(line, settings.secrets())
    return None


def redact(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "[redacted]")
    return text


def _causes(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop(0)
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        orig = getattr(current, "orig", None)
        pending += [orig if isinstance(orig, BaseException) else None,
                    current.__cause__, current.__context__]


def _refusal(error: BaseException, _settings: Config) -> str | None:
    return str(error) if isinstance(error, CannotStart) else None


def _rejected_token(error: BaseException, _settings: Config) -> str | None:
    if isinstance(error, InvalidToken):
        return ("TELEGRAM_BOT_TOKEN: Telegram rejected the token (401 Unauthorized): "
                "copy it again from @BotFather (/mybots → API Token)")
    return None


def _telegram_unreachable(error: BaseException, settings: Config) -> str | None:
    if not isinstance(error, NetworkError) or isinstance(error, BadRequest):
        return None
    host = urlsplit(settings.telegram_api_base_url).netloc
    reason = "no answer in time" if isinstance(error, TimedOut) else error.message
    return (f"Telegram is not reachable at {host} ({reason}): check the network, a firewall "
            "or proxy, and TELEGRAM_API_BASE_URL")


def _database_name(settings: Config) -> tuple[str, str]:
    url = make_url(settings.database_url)
    return url.database or "", f"{url.host or 'localhost'}:{url.port or 5432}"


def _missing_database(error: BaseException, settings: Config) -> str | None:
    if not isinstance(error, asyncpg.InvalidCatalogNameError):
        return None
    name, where = _database_name(settings)
    return (f"DATABASE_URL: the database {name!r} does not exist on {where}: create it "
            f"(createdb {name}) or correct the name")


def _refused_login(error: BaseException, settings: Config) -> str | None:
    if not isinstance(error, asyncpg.InvalidAuthorizationSpecificationError):
        return None
    _, where = _database_name(settings)
    return (f"DATABASE_URL: PostgreSQL at {where} refused the login ({error}): "
            "check the user and password")


def _port_taken(error: BaseException, settings: Config) -> str | None:
    if not isinstance(error, OSError) or error.errno not in (errno.EADDRINUSE, errno.EACCES,
                                                            errno.EADDRNOTAVAIL):
        return None
    where = f"{settings.webhook_listen}:{settings.webhook_port}"
    return (f"WEBHOOK_PORT: cannot listen on {where} ({error.strerror or error}): "
            "choose a free port (or check WEBHOOK_LISTEN)")


def _refused_webhook(error: BaseException, _settings: Config) -> str | None:
    if not isinstance(error, BadRequest) or "webhook" not in error.message.casefold():
        return None
    return f"WEBHOOK_URL: Telegram refused it ({error.message}): use the bot's public https address"


def _nothing_listens(error: BaseException, settings: Config) -> str | None:
    if not isinstance(error, OSError) or not (
            isinstance(error, socket.gaierror) or error.errno in (None, *_CONNECT_ERRORS)):
        return None
    _, where = _database_name(settings)
    if isinstance(error, socket.gaierror):
        reason = "unknown host"
    elif isinstance(error, ConnectionRefusedError):
        reason = "connection refused"
    elif isinstance(error, TimeoutError):
        reason = "no answer in time"
    else:
        reason = error.strerror or str(error) or type(error).__name__
    return f"DATABASE_URL: no database answers at {where} ({reason}): is PostgreSQL running there?"


def _sqlite_file(error: BaseException, settings: Config) -> str | None:
    if not isinstance(error, sqlite3.OperationalError) or "open" not in str(error):
        return None
    path = make_url(settings.database_url).database
    return (f"DATABASE_URL: cannot open the SQLite file {path} ({error}): does its folder "
            "exist, and may this user write there?")


def _unknown_schema(error: BaseException, _settings: Config) -> str | None:
    if not isinstance(error, CommandError) or "revision" not in str(error):
        return None
    return (f"DATABASE_URL: the database's schema is not one this version knows ({error}): "
            "it was migrated by a newer version of the bot; run that version")


def _other_database_refusal(error: BaseException, _settings: Config) -> str | None:
    if not isinstance(error, DBAPIError | asyncpg.PostgresError | sqlite3.Error):
        return None
    detail = str(getattr(error, "orig", None) or error).splitlines()[0]
    return f"DATABASE_URL: the database refused: {detail}"


_RULES: tuple[Rule, ...] = (
    _refusal, _rejected_token, _missing_database, _refused_login, _sqlite_file, _port_taken,
    _refused_webhook, _telegram_unreachable, _nothing_listens, _unknown_schema,
    _other_database_refusal,
)
