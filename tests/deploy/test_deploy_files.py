"""deploy/ is checked without Docker: the files agree with the code, and their commands work."""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path

import pytest

from bot.config import Config, ConfigError, load_settings
from bot.ops.cli import main
from tests.support.threaded_emulator import emulator_in_thread

DEPLOY = Path(__file__).parents[2] / "deploy"
ROOT = DEPLOY.parent
COMPOSE_ONLY = {"POSTGRES_PASSWORD"}  # read by deploy/docker-compose.yml, not by the bot


def example_values() -> dict[str, str]:
    lines = (DEPLOY / ".env.example").read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if re.match(r"^[A-Z_]+=", line))


def bot_settings_of(values: dict[str, str]) -> dict[str, str]:
    return {name.lower(): value for name, value in values.items() if name not in COMPOSE_ONLY}


def test_env_example_documents_every_setting_and_nothing_else() -> None:
    assert set(example_values()) == {name.upper() for name in Config.model_fields} | COMPOSE_ONLY


def test_env_example_is_a_valid_polling_set_up_and_webhook_mode_needs_a_secret_of_its_own(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    values = bot_settings_of(example_values())
    assert load_settings(**values).webhook_url is None
    with pytest.raises(ConfigError, match=r"^WEBHOOK_SECRET: required in webhook mode"):
        load_settings(**values | {"webhook_url": "https://bot.example.org"})


def test_the_readme_settings_table_names_every_setting() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Settings", 1)[1].split("\n## ", 1)[0]
    for name in Config.model_fields:
        assert f"`{name.upper()}`" in table, name


def production_section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("## Running in production", 1)[1].split("\n## ", 1)[0]


def test_running_in_production_covers_every_deploy_file_and_its_commands_work_as_written() -> None:
    section = production_section()
    for path in DEPLOY.iterdir():
        assert f"deploy/{path.name}" in section, path.name
    compose = (DEPLOY / "docker-compose.yml").read_text(encoding="utf-8")
    commands = [line.split("#")[0].strip() for line in section.splitlines()
                if line.strip().startswith("docker compose")]
    assert len(commands) == 2
    for command in commands:
        assert command in compose, command  # the file's own header says the same
    unit = (DEPLOY / "iso9004-bot@.service").read_text(encoding="utf-8")
    for command in re.findall(r"`(systemctl enable --now [^`]+)`", section):
        assert command in unit, command


def test_dockerfile_installs_the_package_and_runs_it_unprivileged_with_a_health_check() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    for copied in re.findall(r"^COPY (?!--)(\S+)", dockerfile, flags=re.MULTILINE):
        assert (ROOT / copied).exists(), copied
    assert re.search(r"^USER (?!root)\w+", dockerfile, flags=re.MULTILINE)
    assert "HEALTHCHECK" in dockerfile and "/health" in dockerfile
    assert 'CMD ["iso9004-bot", "run"]' in dockerfile


def _ignored(path: str, patterns: list[str]) -> bool:
    """Close enough to Docker's rules for our patterns: `**/` matches any folder depth."""
    return any(fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(path, pattern.removeprefix("**/"))
               or fnmatch.fnmatch(path.rsplit("/", 1)[-1], pattern.removeprefix("**/"))
               for pattern in patterns)


def test_dockerignore_keeps_secrets_and_databases_out_of_the_build_but_not_the_sources() -> None:
    lines = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    patterns = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    for copied in re.findall(r"^COPY (?!--)(\S+)", dockerfile, flags=re.MULTILINE):
        assert not _ignored(copied, patterns), copied
    for kept_out in (".env", "deploy/.env", "iso9004-bot.sqlite3", "demo-output", ".git",
                     ".venv", "bot/__pycache__"):
        assert _ignored(kept_out, patterns), kept_out


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
