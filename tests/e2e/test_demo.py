"""The demo as a newcomer uses it: the real `iso9004-bot demo`, driven through its own input.

The test types lines where a person would, and reads back only what the terminal printed: it
creates a team, runs a survey with three people besides the manager, closes it, and taps a button
on the report's summary (not the newest message: the chart is below it) to create an improvement
action; the chart and the report are saved under names that say which team and cycle they are of.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pty
import re
import select
import signal
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs

import aiohttp
import pytest

from bot.ops.demo import demo_settings, run_demo

_HEADER = re.compile(r"^🤖 → (?P<person>\w+):$")
_NUMBERED = re.compile(r"^#(?P<id>\d+) ")
_BUTTON = re.compile(r"^   \[(?P<n>\d+)\] (?P<label>.+)$")


class DrivenTerminal:
    """The demo's input: a line at a time, each returned once the demo asks for the next one."""

    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self.capsys = capsys
        self.transcript = ""
        self.person = "Anna"
        self._lines: asyncio.Queue[str | None] = asyncio.Queue()
        self._prompts: asyncio.Queue[str] = asyncio.Queue()

    async def read(self, prompt: str) -> str | None:
        self.transcript += self.capsys.readouterr().out
        await self._prompts.put(prompt)
        return await self._lines.get()

    async def ready(self) -> str:
        return await asyncio.wait_for(self._prompts.get(), 60)

    async def type(self, line: str | None) -> str:
        """Type `line`; what the demo printed in answer."""
        mark = len(self.transcript)
        await self._lines.put(line)
        prompt = await self.ready()
        self.person = prompt.removesuffix("> ")
        return self.transcript[mark:]

    async def quit(self) -> None:
        await self._lines.put(":quit")

    async def until(self, text: str) -> str:
        """Press Enter until `text` has been shown (the bot's scheduler sends some things)."""
        for _ in range(60):
            if text in self.transcript:
                return self.transcript
            await self.type("")
            await asyncio.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the end:\n{self.transcript[-1500:]}")

    def button(self, label: str) -> str:
        """What to type to tap `label` on the newest message that shows it ("12.3")."""
        person, message, found = "", None, None
        for line in self.transcript.splitlines():
            if (header := _HEADER.match(line)) is not None:
                person, message = header["person"], None
            elif (numbered := _NUMBERED.match(line)) is not None:
                message = numbered["id"]
            elif ((button := _BUTTON.match(line)) and message and person == self.person
                  and label in button["label"]):
                found = f"{message}.{button['n']}"
        assert found is not None, f"no button {label!r} for {self.person}"
        return found

    async def tap(self, label: str) -> str:
        return await self.type(self.button(label))


async def answer_the_quick_scan(terminal: DrivenTerminal, team: str, level: int) -> None:
    await terminal.until(f"{team} vraagt naar jouw mening")
    await terminal.tap("Beginnen")
    for topic in range(2, 8):
        assert f"onderwerp {topic} van 7" in await terminal.type(str(level))
    await terminal.type(str(level))
    assert "bevestigd" in await terminal.tap("bevestigen")


async def join(terminal: DrivenTerminal, person: str, invite: str) -> None:
    await terminal.type(f":as {person}")
    await terminal.type(f"/start {invite}")
    await terminal.type("1")  # the consent's first button, in Dutch or English
    await terminal.tap("Nederlands")


async def the_cockpit_opens_as_printed(transcript: str) -> None:
    """The address the demo prints opens the cockpit, signed for Manon, who manages the team."""
    found = re.search(r"(http://127\.0\.0\.1:\d+)/app#(\S+)", transcript)
    assert found is not None, transcript[:2000]
    init_data = parse_qs(found[2])["tgWebAppData"][0]
    async with aiohttp.ClientSession() as client:
        async with client.get(f"{found[1]}/app") as page:
            assert page.status == 200 and "Content-Security-Policy" in page.headers
        async with client.get(f"{found[1]}/app/api/me",
                              headers={"Authorization": f"tma {init_data}"}) as me:
            assert me.status == 200
            assert [t["name"] for t in (await me.json())["teams"]] == ["Demo: Zorg & Co"]


async def newcomer(terminal: DrivenTerminal) -> None:
    await terminal.ready()
    await the_cockpit_opens_as_printed(terminal.transcript)
    assert "nobody called 'Nobody' here" in await terminal.type(":as Nobody")
    await terminal.type(":as Manon")
    created = await terminal.type("/newteam Testteam")
    found = re.search(r"start=([\w-]+)", created)
    assert found is not None, created
    await terminal.type("/survey")
    await terminal.tap("Testteam")  # Manon manages the demo team too
    await terminal.tap("Snelle scan")
    await terminal.tap("1 week")
    assert "is open" in await terminal.tap("Vragenlijst openen")
    # Figures need k + 1 = 4 respondents: three colleagues and the manager herself.
    for person, level in (("Anna", 2), ("Bram", 3), ("Daan", 2)):
        await join(terminal, person, found[1])
        await answer_the_quick_scan(terminal, "Testteam", level)
    await terminal.type(":as Manon")
    await answer_the_quick_scan(terminal, "Testteam", 3)
    await terminal.type("/close")
    await terminal.tap("Testteam")
    await terminal.tap("Ja, afsluiten")
    await terminal.until("Niveau per hoofdstuk")
    await terminal.until(".pdf]")  # the printable report: now the newest message with buttons
    added = await terminal.tap("Actie voor")  # on the summary above the charts and the PDF
    assert "Verbeteractie toegevoegd" in added
    await terminal.type("/actions")
    assert "Open verbeteracties" in await terminal.tap("Testteam")
    await terminal.tap("webpagina")
    await terminal.until("-report.html")
    closed = await terminal.tap("Beginnen")  # the closed survey's invitation, still on screen
    assert "💬 Deze vragenlijst is gesloten" in closed
    await terminal.quit()


def names_in(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


async def test_a_newcomer_can_try_every_feature_in_the_demo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    for name in ("DATABASE_URL", "TELEGRAM_BOT_TOKEN", "TELEGRAM_API_BASE_URL", "WEBHOOK_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    output = tmp_path / "demo-output"
    terminal = DrivenTerminal(capsys)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'the-real-bot.sqlite3'}")
    settings = demo_settings(str(output))
    await asyncio.wait_for(asyncio.gather(
        run_demo(settings, str(output), read=terminal.read), newcomer(terminal)), 240)
    transcript = terminal.transcript + capsys.readouterr().out
    assert f"State: the SQLite file {output / 'demo.sqlite3'}" in transcript
    assert "Eva, Femke, Gijs and Hans, four colleagues, answer the demo team's survey" in transcript
    saved = names_in(output)
    assert "demo.sqlite3" in saved
    for kind in (r"chart-\d+\.png", r"report\.pdf", r"report\.html"):
        assert any(re.fullmatch(rf"testteam-cycle\d+-\d{{4}}-\d\d-\d\d-{kind}", name)
                   for name in saved), saved
    assert names_in(tmp_path) == ["demo-output"]  # the real bot's database was left alone


def _exit_status(pid: int, seconds: float) -> int | None:
    """The child's wait status once it has ended, or None if it is still running after `seconds`:
    woken by the kernel when it ends (a pidfd), never waiting without a bound."""
    pidfd = os.pidfd_open(pid)
    try:
        if not select.select([pidfd], [], [], seconds)[0]:
            return None
        return os.waitpid(pid, 0)[1]  # it has ended: this returns at once
    finally:
        os.close(pidfd)


@pytest.mark.parametrize("started", ["in a terminal", "with Ctrl-C ignored"])
def test_ctrl_c_stops_the_demo_at_once_and_cleanly(tmp_path: Path, started: str) -> None:
    """In a terminal of its own (a pseudo-terminal), as a person runs it; and as a background job
    of a non-interactive shell starts it, with SIGINT ignored: the demo restores Ctrl-C itself."""
    pid, terminal = pty.fork()
    if pid == 0:  # the child: the demo, in an empty folder, on its own database
        os.chdir(tmp_path)
        for name in ("DATABASE_URL", "TELEGRAM_BOT_TOKEN", "TELEGRAM_API_BASE_URL"):
            os.environ.pop(name, None)
        signal.signal(signal.SIGINT,
                      signal.SIG_IGN if started == "with Ctrl-C ignored" else signal.SIG_DFL)
        os.execv(sys.executable, [sys.executable, "-m", "bot", "demo"])
    shown = b""

    def read_until(text: bytes, seconds: float) -> None:
        nonlocal shown
        deadline = time.monotonic() + seconds
        while text not in shown and (left := deadline - time.monotonic()) > 0:
            if select.select([terminal], [], [], left)[0]:
                try:
                    shown += os.read(terminal, 65536)
                except OSError:  # the demo has ended and its terminal with it
                    return

    status: int | None = None
    try:
        read_until(b"Anna> ", 60)
        assert b"Anna> " in shown, shown.decode(errors="replace")
        stopped_at = time.monotonic()
        os.kill(pid, signal.SIGINT)
        status = _exit_status(pid, 10)
        took = time.monotonic() - stopped_at
        read_until(b"never", 0.3)
    finally:
        if status is None:  # still running (or the test failed before): end it, bounded too
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                _exit_status(pid, 10)
        os.close(terminal)
    assert status is not None, f"Ctrl-C did not stop the demo ({started}) within 10 s"
    assert os.waitstatus_to_exitcode(status) == 130
    assert took < 5, took
    assert b"Traceback" not in shown and b"CRITICAL" not in shown, \
        shown.decode(errors="replace")[-4000:]
