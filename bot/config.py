"""Settings from the environment or a `.env` file, checked once at start-up.

A missing or malformed setting must stop the process with one clear line, not a traceback, so the
CLI turns `ConfigError` into exactly that. Everything that can be known to be wrong before the
bot talks to anyone is refused here: a database URL no driver of ours can open, a webhook Telegram
would not call (plain http) or that anyone could forge (no secret), a secret Telegram refuses, a
broadcast pace Telegram would answer with 429s, a threshold that lets one person's answers show.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Literal, Self
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from domain.disclosure import MINIMUM_THRESHOLD

TELEGRAM_API_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_DATABASE_URL = f"sqlite+aiosqlite:///{Path('iso9004-bot.sqlite3')}"
MINIMUM_ANONYMITY_THRESHOLD = MINIMUM_THRESHOLD  # the domain's guard (domain/disclosure.py)
TELEGRAM_BROADCAST_LIMIT = 30  # messages per second to different chats, in all
DATABASE_URL_EXAMPLES = ("sqlite+aiosqlite:///iso9004-bot.sqlite3 or "
                         "postgresql+asyncpg://user:password@host:5432/database")
_SECRET_CHARACTERS = re.compile(r"[A-Za-z0-9_-]{1,256}")
_DRIVERS = {"sqlite": "sqlite", "sqlite+aiosqlite": "sqlite",
            "postgres": "postgresql", "postgresql": "postgresql",
            "postgresql+asyncpg": "postgresql"}
MAKE_A_SECRET = "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"


class ConfigError(Exception):
    """One line that tells the operator which setting is wrong and how."""


class Config(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = TELEGRAM_API_BASE_URL
    database_url: str = DEFAULT_DATABASE_URL
    default_language: Literal["nl", "en"] = "nl"
    default_timezone: str = "Europe/Amsterdam"
    anonymity_threshold: int = Field(default=MINIMUM_ANONYMITY_THRESHOLD, le=50)
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    webhook_secret: SecretStr | None = None
    sweep_interval_seconds: float = Field(default=30.0, gt=0)
    broadcast_rate_per_second: float = Field(default=29.0, gt=0)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["text", "json"] = "text"
    mini_app_url: str | None = None
    """Where Telegram opens the cockpit (`GET /app`); by default WEBHOOK_URL + /app."""

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _parse_admin_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p for p in value.replace(";", ",").replace(" ", ",").split(",") if p]
            if not all(p.isdigit() for p in parts):
                raise ValueError("use Telegram user ids (numbers), separated by commas")
            return frozenset(int(p) for p in parts)
        if isinstance(value, int):
            return frozenset({value})
        return value

    @field_validator("default_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (use e.g. Europe/Amsterdam)") from None
        return value

    @field_validator("telegram_api_base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @field_validator("database_url")
    @classmethod
    def _database_we_can_open(cls, value: str) -> str:
        """Only the two drivers we install; the URL itself is never echoed (it holds a password)."""
        scheme = value.split("://", 1)[0] if "://" in value else ""
        if not scheme:
            raise ValueError(f"not a database URL; use {DATABASE_URL_EXAMPLES}")
        if scheme not in _DRIVERS:
            raise ValueError(f"{scheme}:// is not supported; use {DATABASE_URL_EXAMPLES}")
        if _DRIVERS[scheme] == "postgresql" and not urlsplit(value).hostname:
            raise ValueError(f"no host in the PostgreSQL URL; use {DATABASE_URL_EXAMPLES}")
        return value

    @field_validator("anonymity_threshold")
    @classmethod
    def _protective_threshold(cls, value: int) -> int:
        if value < MINIMUM_ANONYMITY_THRESHOLD:
            raise ValueError(
                f"must be at least {MINIMUM_ANONYMITY_THRESHOLD}: with fewer, a manager who "
                "answered can subtract her own answers and see someone else's")
        return value

    @field_validator("mini_app_url")
    @classmethod
    def _mini_app_telegram_opens(cls, value: str | None) -> str | None:
        """Telegram opens Mini Apps over https only; plain http is for this machine (the
        emulator of the tests and the demo)."""
        if value is not None and not (
                (value.startswith("https://") and urlsplit(value).hostname)
                or (value.startswith("http://") and _on_this_machine(value))):
            raise ValueError("must be the public https:// address where Telegram opens the "
                             "cockpit (the bot serves it at /app); leave it empty for none")
        return value

    @property
    def cockpit_url(self) -> str | None:
        """MINI_APP_URL, or else WEBHOOK_URL + /app; None: no cockpit buttons anywhere."""
        if self.mini_app_url:
            return self.mini_app_url
        return self.webhook_url.rstrip("/") + "/app" if self.webhook_url else None

    @field_validator("webhook_url", "webhook_secret", "mini_app_url", mode="before")
    @classmethod
    def _empty_means_unset(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("webhook_url")
    @classmethod
    def _https_only(cls, value: str | None) -> str | None:
        if value is not None and not (value.startswith("https://") and urlsplit(value).hostname):
            raise ValueError("must be the bot's public https:// address (Telegram calls webhooks "
                             "over TLS only); leave it empty for polling")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_telegram_accepts(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _SECRET_CHARACTERS.fullmatch(value.get_secret_value()):
            raise ValueError("Telegram accepts 1 to 256 characters A-Z a-z 0-9 _ - only; "
                             f"make one with {MAKE_A_SECRET}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.webhook_url and self.webhook_secret is None:
            raise ValueError(
                "WEBHOOK_SECRET: required in webhook mode (WEBHOOK_URL is set), or anyone who "
                f"knows the URL can post updates as any user; make one with {MAKE_A_SECRET}")
        if (self.broadcast_rate_per_second > TELEGRAM_BROADCAST_LIMIT
                and not _on_this_machine(self.telegram_api_base_url)):
            raise ValueError(
                f"BROADCAST_RATE_PER_SECOND: at most {TELEGRAM_BROADCAST_LIMIT}, Telegram's limit "
                "for messages to different chats (faster ones are refused with 429)")
        return self

    @property
    def telegram_file_base_url(self) -> str:
        """Telegram serves files from /file/bot<token>; a local Bot API server does the same."""
        base = self.telegram_api_base_url
        return (base[: -len("/bot")] if base.endswith("/bot") else base) + "/file/bot"

    @property
    def token(self) -> str:
        if self.telegram_bot_token is None or not self.telegram_bot_token.get_secret_value():
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN is not set: get one from @BotFather, "
                "or try `iso9004-bot demo`, which needs none"
            )
        return self.telegram_bot_token.get_secret_value()

    def secrets(self) -> list[str]:
        """What must never be printed: the token, the webhook secret, the database password."""
        found = [s.get_secret_value() for s in (self.telegram_bot_token, self.webhook_secret)
                 if s is not None and s.get_secret_value()]
        password = urlsplit(self.database_url).password if "://" in self.database_url else None
        return found + ([password] if password else [])


EMULATOR_MARK = "is_emulator"
"""The field our Bot API emulator adds to its `getMe` answer (`bot.emulator`): only a Bot API
that says so may be sent faster than Telegram's 30 messages a second."""


def refuse_fast_broadcasts(settings: Config, me: Mapping[str, object]) -> None:
    """A pace above Telegram's limit only against the emulator, which says so in `getMe` (`me`:
    the fields Telegram does not define). A local address is not enough: a self-hosted Bot API
    server on this machine still relays every message to Telegram and its 30 a second."""
    if settings.broadcast_rate_per_second <= TELEGRAM_BROADCAST_LIMIT or me.get(EMULATOR_MARK):
        return
    where = urlsplit(settings.telegram_api_base_url).netloc
    raise ConfigError(
        f"BROADCAST_RATE_PER_SECOND: at most {TELEGRAM_BROADCAST_LIMIT}, Telegram's limit for "
        f"messages to different chats; the Bot API at {where} is not the emulator (a Bot API "
        "server relays to Telegram), so faster ones would be refused with 429")


def _on_this_machine(url: str) -> bool:
    """A Bot API on a loopback address may be our emulator (tests, demo, benchmarks), which may be
    sent faster than 30 a second; whether it is, its `getMe` says (`refuse_fast_broadcasts`)."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def load_settings(**overrides: object) -> Config:
    """Read the settings, turning pydantic's report into one readable line."""
    try:
        return Config(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        first = error.errors()[0]
        message = first["msg"].removeprefix("Value error, ")
        if not first["loc"]:  # a rule across settings names its setting itself
            raise ConfigError(message) from None
        name = str(first["loc"][0]).upper()
        raise ConfigError(f"{name}: {message}") from None
