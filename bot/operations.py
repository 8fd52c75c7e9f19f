"""Operator commands: migrate the schema, and check that the set-up can work."""

from __future__ import annotations

from telegram import Bot
from telegram.error import TelegramError

from bot.db import migrate
from bot.db.engine import create_engine
from bot.settings import Settings, SettingsError


async def migrate_database(settings: Settings) -> None:
    engine = create_engine(settings.database_url)
    try:
        await migrate.upgrade(engine)
        print(f"database at revision {await migrate.current_revision(engine)}")
    finally:
        await engine.dispose()


async def check(settings: Settings) -> int:
    """Print one line per check; the exit code says whether all passed."""
    failures = 0
    engine = create_engine(settings.database_url)
    try:
        revision = await migrate.current_revision(engine)
        print(f"ok   database reachable (schema revision {revision or 'none: run migrate'})")
    except Exception as error:  # any driver error means "not reachable"
        print(f"FAIL database: {type(error).__name__}: {error}")
        failures += 1
    finally:
        await engine.dispose()
    try:
        bot = Bot(settings.token, base_url=settings.telegram_api_base_url,
                  base_file_url=settings.telegram_file_base_url)
        async with bot:
            print(f"ok   bot token valid: @{bot.username}")
    except SettingsError as error:
        print(f"FAIL {error}")
        failures += 1
    except TelegramError as error:
        print(f"FAIL Telegram refused the token or could not be reached: {error.message}")
        failures += 1
    return 1 if failures else 0
