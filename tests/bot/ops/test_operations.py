"""`check` in webhook mode also asks Telegram where it delivers, and whether that last worked."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from bot.ops.cli import main
from tests.support.threaded_emulator import emulator_in_thread

TOKEN = "515151:check-token"


def test_check_says_whether_telegram_delivers_to_the_webhook(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    with emulator_in_thread(TOKEN) as base_url:
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
        monkeypatch.setenv("TELEGRAM_API_BASE_URL", base_url)
        monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bot.sqlite3'}")
        monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org")
        monkeypatch.setenv("WEBHOOK_SECRET", "a-secret")
        assert main(["migrate"]) == 0
        assert main(["check"]) == 1
        before = capsys.readouterr().out
        query = urllib.parse.urlencode({"url": "https://bot.example.org/telegram"})
        with urllib.request.urlopen(f"{base_url}{TOKEN}/setWebhook?{query}") as reply:
            assert json.load(reply)["ok"] is True
        assert main(["check"]) == 0
        after = capsys.readouterr().out
    assert "ok   settings valid: webhook mode, https://bot.example.org/telegram" in before
    assert "FAIL Telegram delivers to no webhook yet: start the bot" in before
    assert "ok   Telegram delivers to https://bot.example.org/telegram" in after
    assert TOKEN not in before + after and "a-secret" not in before + after
