"""Chatting with the bot from a terminal, as one of the simulated people.

The demo's front end: what the bot shows appears as text with numbered buttons; the user types a
message, or a button's number to tap it. Charts and reports are saved as files to open.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.emulator._model import BotMessage
from bot.emulator._people import NothingArrived, SimulatedPerson
from bot.emulator._server import BotApiEmulator

HELP = ("Type a message, or the number of a button to tap it. "
        "':as NAME' switches person, ':quit' stops.")


def render(message: BotMessage) -> str:
    """A message and its buttons as plain lines, buttons numbered from 1."""
    lines = [("✏️ " if message.edited else "") + (message.text or "")]
    if message.photo is not None:
        lines.append("[picture]")
    if message.document_name:
        lines.append(f"[file {message.document_name}]")
    for number, (label, _) in enumerate(message.buttons(), start=1):
        lines.append(f"   [{number}] {label}")
    return "\n".join(lines)


async def chat_in_terminal(
    emulator: BotApiEmulator, people: list[SimulatedPerson], output_dir: Path
) -> None:
    await asyncio.to_thread(output_dir.mkdir, parents=True, exist_ok=True)
    current = people[0]
    shown: dict[int, int] = {p.user_id: 0 for p in people}
    print(HELP)
    loop = asyncio.get_running_loop()
    while True:
        await asyncio.sleep(0.3)
        for event in current.events[shown[current.user_id]:]:
            print(f"\n🤖 → {current.first_name}:\n{render(event)}")
            _save_files(event, output_dir)
        shown[current.user_id] = len(current.events)
        try:
            line = (await loop.run_in_executor(None, input, f"{current.first_name}> ")).strip()
        except EOFError:
            return
        if line == ":quit":
            return
        if line.startswith(":as "):
            wanted = line[4:].strip().casefold()
            current = next((p for p in people if p.first_name.casefold() == wanted), current)
            continue
        target = next((m for m in reversed(current.messages) if m.keyboard), None)
        if line.isdigit() and target is not None and 1 <= int(line) <= len(target.buttons()):
            try:
                await current.tap_data(target.buttons()[int(line) - 1][1], target)
            except NothingArrived as problem:
                print(f"(no answer: {problem})")
            continue
        if line:
            await current.send(line)


def _save_files(message: BotMessage, output_dir: Path) -> None:
    if message.photo is not None:
        path = output_dir / f"picture-{message.chat_id}-{message.message_id}.png"
        path.write_bytes(message.photo)
        print(f"   (saved {path})")
    if message.document is not None:
        path = output_dir / (message.document_name or f"file-{message.message_id}")
        path.write_bytes(message.document)
        print(f"   (saved {path})")
