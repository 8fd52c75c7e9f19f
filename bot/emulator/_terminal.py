"""Chatting with the bot from a terminal, as one of the simulated people.

The demo's front end. What the bot shows appears as text; every message that carries buttons is
numbered (#12) and its buttons too ([1], [2], ...), so any button on any message can be tapped:
`3` taps button 3 of the newest message with buttons, `12.3` button 3 of message #12 (after a
report the newest is the chart, and the "➕ Action" buttons are on the summary above it). The
small notices Telegram shows after a tap appear as `💬 ...`. Pictures and files are saved to open.

Input is read on a thread of its own, so Ctrl-C stops the demo at once: nothing waits for a line.
"""

from __future__ import annotations

import asyncio
import re
import sys
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path

from bot.emulator._model import BotMessage
from bot.emulator._people import NothingArrived, SimulatedPerson
from bot.emulator._server import BotApiEmulator

Read = Callable[[str], Awaitable[str | None]]  # shows the prompt; None at the end of the input
Write = Callable[[str], None]
FileNamer = Callable[[SimulatedPerson, BotMessage, str | None], Awaitable[str | None]]
"""A file's name from the message and the data of the tap that asked for it, or None."""

HELP = ("Type a message or a /command. To tap a button type its number: 3 taps [3] of the newest "
        "message with buttons, 12.3 taps [3] of message #12.\n"
        "':as NAME' switches person, ':show' shows the messages with buttons again, "
        "':quit' (or Ctrl-D, Ctrl-C) stops.")
QUIET = 0.35  # the bot has answered when nothing new arrived for this long
PATIENCE = 8.0  # ... or after this long at most
LIVE = 0.5  # how often news is looked for while waiting for a line
_TAP = re.compile(r"^(?:#?(?P<message>\d+)\.)?(?P<button>\d+)$")


def render(message: BotMessage, number: bool = True) -> str:
    """A message and its buttons as plain lines; a message with buttons carries its number."""
    label = f"#{message.message_id} " if number and message.keyboard else ""
    lines = [label + ("✏️ " if message.edited else "") + (message.text or "")]
    if message.photo is not None:
        lines.append("[picture]")
    if message.document_name:
        lines.append(f"[file {message.document_name}]")
    for index, (text, _) in enumerate(message.buttons(), start=1):
        lines.append(f"   [{index}] {text}")
    return "\n".join(lines)


def stdin_reader() -> Read:
    """Lines from standard input, read on a daemon thread that never holds up the exit."""
    loop = asyncio.get_running_loop()
    lines: asyncio.Queue[str | None] = asyncio.Queue()

    def pump() -> None:
        for line in iter(sys.stdin.readline, ""):
            loop.call_soon_threadsafe(lines.put_nowait, line)
        loop.call_soon_threadsafe(lines.put_nowait, None)

    threading.Thread(target=pump, daemon=True, name="demo-input").start()

    async def read(prompt: str) -> str | None:
        print(prompt, end="", flush=True)
        return await lines.get()

    return read


async def settle(person: SimulatedPerson) -> None:
    """Wait until the bot has stopped showing this person new things (or long enough)."""
    loop = asyncio.get_running_loop()
    deadline, seen, quiet_since = loop.time() + PATIENCE, len(person.events), loop.time()
    while loop.time() < deadline and loop.time() - quiet_since < QUIET:
        await asyncio.sleep(0.05)
        if len(person.events) != seen:
            seen, quiet_since = len(person.events), loop.time()


class TerminalChat:
    """One terminal, several people; what each has not seen yet is shown when it is their turn."""

    def __init__(self, people: list[SimulatedPerson], output_dir: Path, write: Write,
                 name_file: FileNamer | None) -> None:
        self.people, self.current = people, people[0]
        self.output_dir, self.write, self.name_file = output_dir, write, name_file
        self.shown = {p.user_id: 0 for p in people}
        self.last_tap: dict[int, str | None] = {p.user_id: None for p in people}
        self.told: list[str] = []

    async def show_news(self) -> None:
        person = self.current
        await settle(person)
        for event in person.events[self.shown[person.user_id]:]:
            self.write(f"\n🤖 → {person.first_name}:\n{render(event)}")
            await self._save_files(person, event)
        self.shown[person.user_id] = len(person.events)
        waiting = [f"{p.first_name} ({len(p.events) - self.shown[p.user_id]})"
                   for p in self.people
                   if p is not person and len(p.events) > self.shown[p.user_id]]
        if waiting and waiting != self.told:  # said once, until there is more
            self.write(f"(new messages for {', '.join(waiting)}: type ':as NAME' to read them)")
        self.told = waiting

    def has_news(self) -> bool:
        return len(self.current.events) > self.shown[self.current.user_id]

    async def read_meanwhile(self, read: Read) -> str | None:
        """The next line; what the bot sends while the person thinks appears at once."""
        prompt = f"{self.current.first_name}> "
        line = asyncio.ensure_future(read(prompt))
        while True:
            done, _ = await asyncio.wait({line}, timeout=LIVE)
            if done:
                return line.result()
            if self.has_news():
                await self.show_news()
                print(f"\n{prompt}", end="", flush=True)

    def show_buttons(self) -> None:
        with_buttons = [m for m in self.current.messages if m.keyboard]
        for message in with_buttons[-5:]:
            self.write(render(message))
        if not with_buttons:
            self.write("(no message with buttons)")

    def switch(self, name: str) -> None:
        wanted = next((p for p in self.people if p.first_name.casefold() == name.casefold()), None)
        if wanted is None:
            names = ", ".join(p.first_name for p in self.people)
            self.write(f"(nobody called {name!r} here; you can be {names})")
        else:
            self.current = wanted
            self.write(f"(you are {wanted.first_name} now)")

    def target(self, line: str) -> tuple[BotMessage, str] | None:
        """The message and button a typed number means, or None (then it is a message)."""
        match = _TAP.match(line)
        if match is None:
            return None
        with_buttons = [m for m in self.current.messages if m.keyboard]
        if match["message"] is not None:
            wanted = int(match["message"])
            message = next((m for m in with_buttons if m.message_id == wanted), None)
        else:
            message = with_buttons[-1] if with_buttons else None
        if message is None:
            return None
        buttons = message.buttons()
        index = int(match["button"])
        return (message, buttons[index - 1][1]) if 1 <= index <= len(buttons) else None

    async def tap(self, message: BotMessage, data: str) -> None:
        person = self.current
        if data.startswith(("https://", "http://", "tg://")):  # a link button: Telegram opens it
            start = re.search(r"^https://t\.me/\w+\?start=([\w-]+)$", data)
            if start is None:
                self.write(f"(a link: {data})")
                return
            await person.send(f"/start {start[1]}")
            return
        self.last_tap[person.user_id] = data
        try:
            notice = await person.tap_data(data, message)
        except NothingArrived:
            self.write("(the bot did not answer that tap)")
            return
        if notice:
            self.write(f"   💬 {notice}")

    async def _save_files(self, person: SimulatedPerson, message: BotMessage) -> None:
        content = message.photo if message.photo is not None else message.document
        if content is None:
            return
        name = None
        if self.name_file is not None:
            name = await self.name_file(person, message, self.last_tap[person.user_id])
        if name is None:
            name = (message.document_name if message.photo is None and message.document_name
                    else f"picture-{message.chat_id}-{message.message_id}.png")
        path = self.output_dir / name
        await asyncio.to_thread(path.write_bytes, content)
        self.write(f"   (saved {path})")


async def chat_in_terminal(
    emulator: BotApiEmulator, people: list[SimulatedPerson], output_dir: Path, *,
    read: Read | None = None, write: Write = print, name_file: FileNamer | None = None,
) -> None:
    """Until the input ends or says ':quit': show, read a line, act as the current person."""
    await asyncio.to_thread(output_dir.mkdir, parents=True, exist_ok=True)
    read = read or stdin_reader()
    chat = TerminalChat(people, output_dir, write, name_file)
    write(HELP)
    while True:
        await chat.show_news()
        line = await chat.read_meanwhile(read)
        if line is None or line.strip() == ":quit":
            return
        line = line.strip()
        if line.startswith(":as"):
            chat.switch(line[3:].strip())
        elif line == ":show":
            chat.show_buttons()
        elif line == ":help":
            write(HELP)
        elif (found := chat.target(line)) is not None:
            await chat.tap(*found)
        elif _TAP.match(line):
            write(f"(no button {line} on the messages shown; ':show' lists them)")
        elif line:
            await chat.current.send(line)
