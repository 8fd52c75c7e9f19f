"""deploy/ is checked without Docker: the files agree with the code, and their commands work."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.cli import main
from bot.settings import Settings
from tests.support.threaded_emulator import emulator_in_thread

DEPLOY = Path(__file__).parents[2] / "deploy"
ROOT = DEPLOY.parent


def documented_settings() -> set[str]:
    lines = (DEPLOY / ".env.example").read_text(encoding="utf-8").splitlines()
    return {line.split("=", 1)[0] for line in lines if re.match(r"^[A-Z_]+=", line)}


def test_env_example_documents_every_setting_and_nothing_else() -> None:
    assert documented_settings() == {name.upper() for name in Settings.model_fields}


def test_dockerfile_installs_the_package_and_runs_it_unprivileged_with_a_health_check() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    for copied in re.findall(r"^COPY (?!--)(\S+)", dockerfile, flags=re.MULTILINE):
        assert (ROOT / copied).exists(), copied
    assert re.search(r"^USER (?!root)\w+", dockerfile, flags=re.MULTILINE)
    assert "HEALTHCHECK" in dockerfile and "/health" in dockerfile
    assert 'CMD ["iso9004-bot", "run"]' in dockerfile


def test_compose_runs_the_bot_beside_postgres_with_a_volume() -> None:
    compose = (DEPLOY / "docker-compose.yml").read_text(encoding="utf-8")
    assert "\t" not in compose  # YAML forbids tabs
    assert re.search(r"^  db:\n    image: postgres", compose, flags=re.MULTILINE)
    assert "dockerfile: deploy/Dockerfile" in compose
    assert "postgresql+asyncpg://" in compose
    assert re.search(r"^volumes:\n  pgdata:", compose, flags=re.MULTILINE)


def test_systemd_unit_migrates_before_it_runs() -> None:
    unit = (DEPLOY / "iso9004-bot.service").read_text(encoding="utf-8")
    assert "ExecStartPre=/opt/iso9004-bot/bin/iso9004-bot migrate" in unit
    assert "ExecStart=/opt/iso9004-bot/bin/iso9004-bot run" in unit


def test_the_containers_commands_work_without_docker(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    """`migrate` then `check`, as the unit and the image run them, against the local emulator."""
    token = "777:deploy-check"
    with emulator_in_thread(token) as base_url:
        monkeypatch.chdir(tmp_path)
        monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}")
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", token)
        monkeypatch.setenv("TELEGRAM_API_BASE_URL", base_url)
        assert main(["migrate"]) == 0
        assert main(["check"]) == 0
    output = capsys.readouterr().out
    assert "ok   database reachable, schema up to date" in output
    assert "ok   bot token valid" in output
    assert token not in output
