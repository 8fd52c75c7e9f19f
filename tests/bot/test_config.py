"""Settings: sensible defaults, and one clear line for anything wrong."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, load_settings, refuse_fast_broadcasts
from bot.ops.cli import main


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    for name in ("TELEGRAM_BOT_TOKEN", "ADMIN_IDS", "ANONYMITY_THRESHOLD", "DEFAULT_TIMEZONE",
                 "DEFAULT_LANGUAGE", "DATABASE_URL", "TELEGRAM_API_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(str(tmp_path))


def test_defaults_suit_a_dutch_organisation_on_sqlite() -> None:
    settings = load_settings()
    assert settings.default_language == "nl"
    assert settings.default_timezone == "Europe/Amsterdam"
    assert settings.anonymity_threshold == 3
    assert settings.database_url.startswith("sqlite+aiosqlite:///")
    assert settings.admin_ids == frozenset()


def test_admin_ids_accept_the_ways_people_write_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADMIN_IDS", "12, 34;56")
    assert load_settings().admin_ids == frozenset({12, 34, 56})


@pytest.mark.parametrize(
    ("name", "value", "mentioned"),
    [
        ("ANONYMITY_THRESHOLD", "many", "ANONYMITY_THRESHOLD"),
        ("ANONYMITY_THRESHOLD", "1", "ANONYMITY_THRESHOLD"),
        ("DEFAULT_TIMEZONE", "Europe/Atlantis", "Europe/Atlantis"),
        ("DEFAULT_LANGUAGE", "de", "DEFAULT_LANGUAGE"),
        ("TELEGRAM_API_BASE_URL", "api.telegram.org", "TELEGRAM_API_BASE_URL"),
        ("ADMIN_IDS", "alice", "ADMIN_IDS"),
    ],
)
def test_a_malformed_setting_is_named_in_one_line(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, mentioned: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as raised:
        load_settings()
    assert mentioned in str(raised.value)
    assert "\n" not in str(raised.value)


def test_running_without_a_token_exits_with_a_hint(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run"]) == 2
    error = capsys.readouterr().err.strip()
    assert error.count("\n") == 0
    assert "TELEGRAM_BOT_TOKEN" in error
    assert "demo" in error


def test_the_token_never_appears_in_the_settings_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:very-secret")
    settings = load_settings()
    assert "very-secret" not in repr(settings)
    assert settings.token == "123456:very-secret"


def test_webhook_mode_with_https_and_a_secret_telegram_accepts_is_valid() -> None:
    settings = load_settings(webhook_url="https://bot.example.org", webhook_secret="Ab_9-" * 10)
    assert settings.webhook_url == "https://bot.example.org"


def test_the_emulator_on_this_machine_may_be_sent_faster_than_telegram_allows() -> None:
    assert load_settings(telegram_api_base_url="http://127.0.0.1:8081/bot",
                         broadcast_rate_per_second=1000).broadcast_rate_per_second == 1000
    with pytest.raises(ConfigError, match="BROADCAST_RATE_PER_SECOND"):
        load_settings(telegram_api_base_url="https://telegram.example.org/bot",
                      broadcast_rate_per_second=31)


def test_only_the_emulators_own_word_allows_more_than_telegrams_pace() -> None:
    fast = load_settings(telegram_api_base_url="http://127.0.0.1:8081/bot",
                         broadcast_rate_per_second=100)
    refuse_fast_broadcasts(fast, {"is_emulator": True})
    with pytest.raises(ConfigError, match=r"at most 30.*127\.0\.0\.1:8081"):
        refuse_fast_broadcasts(fast, {})  # a self-hosted Bot API server on this machine
    refuse_fast_broadcasts(load_settings(broadcast_rate_per_second=30), {})
def test_the_cockpit_address_is_mini_app_url_or_else_the_webhooks_app_path() -> None:
    """Telegram opens Mini Apps over https only; plain http only on this machine (the demo)."""
    assert load_settings().cockpit_url is None
    hooked = load_settings(webhook_url="https://bot.example.org/", webhook_secret="s3cret")
    assert hooked.cockpit_url == "https://bot.example.org/app"
    chosen = load_settings(mini_app_url="https://cockpit.example.org/app")
    assert chosen.cockpit_url == "https://cockpit.example.org/app"
    assert load_settings(mini_app_url="http://127.0.0.1:8443/app").cockpit_url is not None
    with pytest.raises(ConfigError, match="MINI_APP_URL"):
        load_settings(mini_app_url="http://cockpit.example.org/app")
