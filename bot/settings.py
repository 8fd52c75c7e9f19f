"""Settings from the environment or a `.env` file, checked once at start-up.

A missing or malformed setting must stop the process with one clear line, not a traceback, so the
CLI turns `SettingsError` into exactly that.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

TELEGRAM_API_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_DATABASE_URL = f"sqlite+aiosqlite:///{Path('iso9004-bot.sqlite3')}"


class SettingsError(Exception):
    """One line that tells the operator which setting is wrong and how."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = TELEGRAM_API_BASE_URL
    database_url: str = DEFAULT_DATABASE_URL
    default_language: Literal["nl", "en"] = "nl"
    default_timezone: str = "Europe/Amsterdam"
    anonymity_threshold: int = Field(default=3, ge=2, le=50)
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    webhook_secret: SecretStr | None = None
    sweep_interval_seconds: float = Field(default=30.0, gt=0)
    broadcast_rate_per_second: float = Field(default=29.0, gt=0)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["text", "json"] = "text"

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _parse_admin_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p for p in value.replace(";", ",").replace(" ", ",").split(",") if p]
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

    @property
    def telegram_file_base_url(self) -> str:
        """Telegram serves files from /file/bot<token>; a local Bot API server does the same."""
        base = self.telegram_api_base_url
        return (base[: -len("/bot")] if base.endswith("/bot") else base) + "/file/bot"

    @property
    def token(self) -> str:
        if self.telegram_bot_token is None or not self.telegram_bot_token.get_secret_value():
            raise SettingsError(
                "TELEGRAM_BOT_TOKEN is not set: get one from @BotFather, "
                "or try `iso9004-bot demo`, which needs none"
            )
        return self.telegram_bot_token.get_secret_value()


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning pydantic's report into one readable line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "settings"
        raise SettingsError(f"{name}: {first['msg']}") from None
