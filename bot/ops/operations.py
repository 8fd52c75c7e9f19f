"""Operator commands: migrate the schema, check that the set-up can work, and the checks `run`
makes before it starts, so that a wrong address or token is one line instead of a traceback."""

from __future__ import annotations

import socket
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Bot
from telegram.error import TelegramError

from bot.config import Config, ConfigError, refuse_fast_broadcasts
from bot.db import migrate
from bot.db.engine import create_engine, normalise_url
from bot.ops.failures import CannotStart, explain, redact
from bot.ops.polling import health_asked_for, health_listen
from bot.ops.serve import WEBHOOK_PATH


class NotReady(Exception):
    """A check failed; the message is the one line to show."""


async def migrate_database(settings: Config) -> None:
    engine = create_engine(settings.database_url)
    try:
        await migrate.upgrade(engine)
        print(f"database at revision {await migrate.current_revision(engine)}")
    finally:
        await engine.dispose()


async def reach_database(settings: Config) -> None:
    """Connect once, so that an unreachable or missing database is reported before anything
    else starts (the caller turns the driver's error into one line with `explain`)."""
    engine = create_engine(settings.database_url)
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    finally:
        await engine.dispose()


def _bot(settings: Config) -> Bot:
    return Bot(settings.token, base_url=settings.telegram_api_base_url,
               base_file_url=settings.telegram_file_base_url)


async def reach_telegram(settings: Config) -> str:
    """The bot's username, or Telegram's refusal (a rejected token, no connection) raised; a
    broadcast pace only the emulator takes is refused here too, before anything starts."""
    async with _bot(settings) as bot:
        refuse_fast_broadcasts(settings, bot.bot.api_kwargs)
        return bot.username


async def _telegram_lines(settings: Config) -> list[str]:
    """The token, and in webhook mode where Telegram delivers and whether that last worked."""
    async with _bot(settings) as bot:
        lines = [f"ok   bot token valid: @{bot.username}"]
        try:
            refuse_fast_broadcasts(settings, bot.bot.api_kwargs)
        except ConfigError as error:
            lines.append(f"FAIL {error}")
        if not settings.webhook_url:
            return lines
        expected = settings.webhook_url.rstrip("/") + WEBHOOK_PATH
        info = await bot.get_webhook_info()
    if not info.url:
        lines.append(f"FAIL Telegram delivers to no webhook yet: start the bot, it registers "
                     f"{expected}")
    elif info.url != expected:
        lines.append(f"FAIL Telegram delivers to {info.url}, not to {expected}: another set-up "
                     "uses this token, or WEBHOOK_URL changed (starting the bot registers it)")
    elif info.last_error_message:
        lines.append(f"FAIL Telegram's last delivery to {expected} failed "
                     f"({info.last_error_message}): is the TLS front reachable from outside?")
    else:
        lines.append(f"ok   Telegram delivers to {expected} "
                     f"({info.pending_update_count} updates waiting)")
    return lines


def check_port(settings: Config) -> None:
    """The port `run` will listen on is free: found out later, the scheduler is already running.
    A poller on the default port needs none: it polls on without a health check."""
    if not settings.webhook_url and not health_asked_for(settings):
        return
    listen = settings.webhook_listen if settings.webhook_url else health_listen(settings)
    with socket.socket(socket.AF_INET6 if ":" in listen else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as aiohttp will
        try:
            probe.bind((listen, settings.webhook_port))
        except OSError as error:
            raise CannotStart(f"WEBHOOK_PORT: cannot listen on {listen}:{settings.webhook_port} "
                          f"({error.strerror or error}): choose a free port "
                          "(or check WEBHOOK_LISTEN)") from None


async def preflight(settings: Config) -> None:
    """What `run` needs before it starts: the token, its port, the database and Telegram."""
    settings.token  # noqa: B018 - a missing token is a ConfigError, before any connection
    check_port(settings)
    await reach_database(settings)
    await reach_telegram(settings)


def sqlite_path(settings: Config) -> Path | None:
    url = make_url(normalise_url(settings.database_url))
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


async def _schema_line(engine: AsyncEngine) -> str:
    head = ScriptDirectory.from_config(migrate.alembic_config()).get_current_head()
    revision = await migrate.current_revision(engine)
    if revision is None:
        raise NotReady("database reachable but empty (no schema): run `iso9004-bot migrate`")
    if revision != head:
        known = ScriptDirectory.from_config(migrate.alembic_config()).get_revision
        try:
            known(revision)
        except Exception:  # alembic's lookup error: a revision of a newer version
            raise NotReady(f"database schema is at revision {revision}, unknown to this version: "
                           "it was migrated by a newer version of the bot; run that") from None
        raise NotReady(f"database schema is at revision {revision}, this version needs {head}: "
                       "run `iso9004-bot migrate`")
    return f"database reachable, schema up to date (revision {revision})"


async def _check_database(settings: Config) -> str:
    path = sqlite_path(settings)
    if path is not None and not path.exists():  # connecting would create an empty file
        raise NotReady(f"DATABASE_URL: the SQLite file {path} does not exist yet: "
                       "run `iso9004-bot migrate` (or start the bot) to create it")
    engine = create_engine(settings.database_url)
    try:
        return await _schema_line(engine)
    finally:
        await engine.dispose()


def _mode(settings: Config) -> str:
    if settings.webhook_url:
        return (f"settings valid: webhook mode, {settings.webhook_url.rstrip('/')}/telegram, "
                f"listening on {settings.webhook_listen}:{settings.webhook_port}")
    return "settings valid: polling mode (one process polls Telegram)"


async def check(settings: Config) -> int:
    """Print one line per check; the exit code says whether all passed. Creates nothing."""
    failures = 0
    print(f"ok   {_mode(settings)}")
    try:
        print(f"ok   {await _check_database(settings)}")
    except NotReady as problem:
        print(f"FAIL {problem}")
        failures += 1
    except Exception as error:  # the driver's errors, explained
        print(f"FAIL {explain(error, settings) or _unknown(error, settings)}")
        failures += 1
    try:
        for line in await _telegram_lines(settings):
            print(line)
            failures += line.startswith("FAIL")
    except ConfigError as error:
        print(f"FAIL {error}")
        failures += 1
    except TelegramError as error:
        print(f"FAIL {explain(error, settings) or _unknown(error, settings)}")
        failures += 1
    return 1 if failures else 0


def _unknown(error: BaseException, settings: Config) -> str:
    return redact(f"{type(error).__name__}: {error}", settings.secrets())
