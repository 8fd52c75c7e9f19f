"""Every mistake an operator can make, through the real command line in a process of its own:
one line that names the setting or the cause, a non-zero exit code, no traceback, no token."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import make_url

from tests.support.threaded_emulator import emulator_in_thread

TOKEN = "424242:the-real-token-nobody-may-see"
WRONG_TOKEN = "424242:a-wrong-token-nobody-may-see"
SECRET = "webhook-secret-nobody-may-see"
POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Case:
    name: str
    command: tuple[str, ...]
    env: dict[str, str] = field(default_factory=dict)
    mentions: str = ""


def _cases() -> list[Case]:
    port = closed_port()
    database_mistakes = {
        "nonsense": ("nonsense", "DATABASE_URL"),
        "mysql": ("mysql://x/y", "DATABASE_URL"),
        "closed-port": (f"postgresql+asyncpg://postgres@127.0.0.1:{port}/x", "DATABASE_URL"),
        "missing-folder": ("sqlite+aiosqlite:////nonexistent/folder/bot.sqlite3", "DATABASE_URL"),
    }
    if POSTGRES_URL:
        missing = make_url(POSTGRES_URL).set(database="no_such_database_firstrun")
        database_mistakes["missing-database"] = (
            missing.render_as_string(hide_password=False), "no_such_database_firstrun")
    cases = [
        Case(f"{command}-{label}", (command,), {"DATABASE_URL": url}, mentions)
        for label, (url, mentions) in database_mistakes.items()
        for command in ("run", "check", "migrate")
    ]
    cases += [  # the demo never uses DATABASE_URL (it would deliver the real bot's notifications)
        Case(f"demo-{label}", ("demo", "--database-url", url), {},
             mentions.replace("DATABASE_URL", "--database-url"))
        for label, (url, mentions) in database_mistakes.items()
    ]
    cases.append(Case("demo-nonsense-setting", ("demo",), {"DATABASE_URL": "nonsense"},
                      "DATABASE_URL"))  # but refuses to start with settings that are wrong
    webhook = {"WEBHOOK_URL": "https://bot.example.org", "WEBHOOK_SECRET": SECRET}
    cases += [
        Case("run-no-token", ("run",), {"TELEGRAM_BOT_TOKEN": ""}, "TELEGRAM_BOT_TOKEN"),
        Case("run-unreachable-telegram", ("run",),
             {"TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{port}/bot"}, "TELEGRAM_API_BASE_URL"),
        Case("check-unreachable-telegram", ("check",),
             {"TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{port}/bot"}, "TELEGRAM_API_BASE_URL"),
        Case("run-rejected-token", ("run",), {"TELEGRAM_BOT_TOKEN": WRONG_TOKEN},
             "TELEGRAM_BOT_TOKEN"),
        Case("check-rejected-token", ("check",), {"TELEGRAM_BOT_TOKEN": WRONG_TOKEN},
             "TELEGRAM_BOT_TOKEN"),
        Case("webhook-secret-charset", ("run",), webhook | {"WEBHOOK_SECRET": "not allowed!"},
             "WEBHOOK_SECRET"),
        Case("webhook-secret-too-long", ("run",), webhook | {"WEBHOOK_SECRET": "x" * 257},
             "WEBHOOK_SECRET"),
        Case("webhook-without-secret", ("run",), webhook | {"WEBHOOK_SECRET": ""},
             "WEBHOOK_SECRET"),
        Case("webhook-over-http", ("run",), webhook | {"WEBHOOK_URL": "http://bot.example.org"},
             "WEBHOOK_URL"),
        Case("broadcast-too-fast", ("run",), {"BROADCAST_RATE_PER_SECOND": "100",
                                             "TELEGRAM_API_BASE_URL": "https://api.telegram.org/bot"},
             "BROADCAST_RATE_PER_SECOND"),
        Case("threshold-too-low", ("run",), {"ANONYMITY_THRESHOLD": "2"}, "ANONYMITY_THRESHOLD"),
        Case("demo-threshold-too-low", ("demo",), {"ANONYMITY_THRESHOLD": "2"},
             "ANONYMITY_THRESHOLD"),
        Case("simulate-negative-team", ("simulate", "--team-size", "-3"), {}, "--team-size"),
        Case("simulate-team-of-one", ("simulate", "--team-size", "1"), {}, "--team-size"),
    ]
    return cases


CASES = _cases()


@dataclass(frozen=True)
class Outcome:
    code: int
    output: str


def _environment(changes: dict[str, str], base_url: str, folder: Path) -> dict[str, str]:
    """A working set-up in `folder`, with `changes` (an empty DATABASE_URL unsets it)."""
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith(("TELEGRAM_", "DATABASE_", "WEBHOOK_", "LOG_"))}
    environment |= {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": base_url,
                    "DATABASE_URL": f"sqlite+aiosqlite:///{folder / 'bot.sqlite3'}",
                    "WEBHOOK_PORT": str(closed_port())}  # 8443 may be taken on this machine
    environment |= changes
    return {k: v for k, v in environment.items() if v or not k.startswith("DATABASE_")}


def _run(case: Case, base_url: str, folder: Path) -> Outcome:
    """The command in a process of its own, in an empty `folder`."""
    folder.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "bot", *case.command],
        env=_environment(case.env, base_url, folder), cwd=folder,
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120, check=False)
    return Outcome(done.returncode, (done.stdout + done.stderr).strip())


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Outcome]]:
    """All cases at once, a few processes at a time: each takes a second or two to start."""
    root = tmp_path_factory.mktemp("cli")
    with emulator_in_thread(TOKEN) as base_url, ThreadPoolExecutor(max_workers=4) as pool:
        futures = {case.name: pool.submit(_run, case, base_url, root / case.name)
                   for case in CASES}
        yield {name: future.result() for name, future in futures.items()}


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_mistake_is_one_line_that_names_it(case: Case, outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes[case.name]
    assert outcome.code != 0, outcome.output
    assert "Traceback" not in outcome.output
    for secret in (TOKEN, WRONG_TOKEN, SECRET, TOKEN.split(":")[1], WRONG_TOKEN.split(":")[1]):
        assert secret not in outcome.output
    assert case.mentions in outcome.output
    lines = outcome.output.splitlines()
    if case.command[0] == "check" and len(lines) > 1:  # a line per check, one of them failing
        assert next(line for line in lines if case.mentions in line).startswith("FAIL ")
        assert all(line.startswith(("ok   ", "FAIL ")) for line in lines), lines
    elif case.command[0] == "simulate":  # argparse: the usage line, then the one error line
        assert len(lines) == 2 and lines[1].startswith("iso9004-bot simulate: error:"), lines
    else:
        assert len(lines) == 1, lines
        assert lines[0].startswith("iso9004-bot: ")


@pytest.mark.slow
def test_a_fast_broadcast_pace_against_a_local_bot_api_that_is_not_the_emulator_stops(
    tmp_path: Path,
) -> None:
    """A self-hosted Bot API server on this machine relays to Telegram's 30 a second: a local
    address is not the emulator, only the emulator's own word in `getMe` is (issue #28)."""
    fast = {"BROADCAST_RATE_PER_SECOND": "100"}
    with emulator_in_thread(TOKEN, announced=False) as base_url:
        outcome = _run(Case("local-bot-api", ("run",), fast), base_url, tmp_path / "local")
    lines = outcome.output.splitlines()
    assert outcome.code != 0 and len(lines) == 1, lines
    assert lines[0].startswith("iso9004-bot: BROADCAST_RATE_PER_SECOND: at most 30")
    assert "is not the emulator" in lines[0] and TOKEN.split(":")[1] not in lines[0]
    with emulator_in_thread(TOKEN, announced=False) as base_url:
        outcome = _run(Case("check-local", ("check",), fast), base_url, tmp_path / "check")
    assert "FAIL BROADCAST_RATE_PER_SECOND: at most 30" in outcome.output
    with emulator_in_thread(TOKEN) as base_url:
        outcome = _run(Case("check-emulator", ("check",), fast), base_url, tmp_path / "emu")
    assert "ok   bot token valid" in outcome.output
    assert "BROADCAST_RATE_PER_SECOND" not in outcome.output  # the emulator says what it is


def test_check_on_a_fresh_directory_fails_and_creates_nothing(tmp_path: Path) -> None:
    with emulator_in_thread(TOKEN) as base_url:
        outcome = _run(Case("fresh", ("check",), {"DATABASE_URL": ""}), base_url, tmp_path / "new")
    assert outcome.code == 1
    assert "FAIL DATABASE_URL: the SQLite file iso9004-bot.sqlite3 does not exist yet" in (
        outcome.output)
    assert "ok   bot token valid" in outcome.output
    assert list((tmp_path / "new").iterdir()) == []


def test_check_reports_an_unmigrated_database_as_a_failure(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "bot.sqlite3").touch()
    with emulator_in_thread(TOKEN) as base_url:
        outcome = _run(Case("empty", ("check",), {
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'empty' / 'bot.sqlite3'}"}),
            base_url, tmp_path / "cwd")
    assert outcome.code == 1
    assert "FAIL database reachable but empty (no schema): run `iso9004-bot migrate`" in (
        outcome.output)


def test_run_polls_answers_its_health_check_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    port = closed_port()
    with emulator_in_thread(TOKEN) as base_url:
        bot = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"], cwd=tmp_path, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=_environment(
                {"WEBHOOK_LISTEN": "127.0.0.1", "WEBHOOK_PORT": str(port)}, base_url, tmp_path))
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                        assert json.load(r)["ok"] is True
                        break
                except OSError:
                    assert time.monotonic() < deadline and bot.poll() is None, "no health check"
                    time.sleep(0.2)
            bot.send_signal(signal.SIGTERM)
            output, _ = bot.communicate(timeout=30)
        finally:
            bot.kill()
    assert bot.returncode == 0, output
    assert "Traceback" not in output and TOKEN not in output
    assert "is ready" in output


def test_log_level_debug_adds_the_traceback_still_without_the_token(tmp_path: Path) -> None:
    with emulator_in_thread(TOKEN) as base_url:
        outcome = _run(Case("debug", ("run",), {"TELEGRAM_BOT_TOKEN": WRONG_TOKEN,
                                                "LOG_LEVEL": "DEBUG"}), base_url, tmp_path / "d")
    assert outcome.code == 1
    assert "Traceback" in outcome.output and "InvalidToken" in outcome.output
    assert WRONG_TOKEN.split(":")[1] not in outcome.output
    assert outcome.output.splitlines()[-1].startswith("iso9004-bot: TELEGRAM_BOT_TOKEN: ")


@pytest.mark.parametrize("command", ["migrate", "check", "run"])
def test_a_database_migrated_by_a_newer_version_is_one_line(tmp_path: Path, command: str) -> None:
    database = tmp_path / "newer.sqlite3"
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        connection.execute("INSERT INTO alembic_version VALUES ('from_the_future')")
    with emulator_in_thread(TOKEN) as base_url:
        outcome = _run(Case("newer", (command,), {"DATABASE_URL": f"sqlite:///{database}"}),
                       base_url, tmp_path / "cwd")
    assert outcome.code == 1
    assert "Traceback" not in outcome.output
    line = next(line for line in outcome.output.splitlines() if "from_the_future" in line)
    assert "newer version of the bot" in line


@pytest.mark.parametrize("webhook", [False, True], ids=["polling", "webhook"])
def test_a_port_in_use_is_one_line_naming_webhook_port(tmp_path: Path, webhook: bool) -> None:
    with socket.socket() as taken, emulator_in_thread(TOKEN) as base_url:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        mode = {"WEBHOOK_URL": "https://bot.example.org", "WEBHOOK_SECRET": SECRET} if webhook \
            else {}
        outcome = _run(Case("port", ("run",), mode | {
            "WEBHOOK_LISTEN": "127.0.0.1", "WEBHOOK_PORT": str(port)}), base_url, tmp_path / "p")
    assert outcome.code == 1
    assert "Traceback" not in outcome.output and SECRET not in outcome.output
    assert outcome.output == (f"iso9004-bot: WEBHOOK_PORT: cannot listen on 127.0.0.1:{port} "
                              "(Address already in use): choose a free port (or check "
                              "WEBHOOK_LISTEN)")
