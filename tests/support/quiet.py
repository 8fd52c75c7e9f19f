"""Waiting for the bot to have nothing left to do, for stories where the right answer is silence
or an edit that changes nothing (a refusal collapsed into the line the person already has)."""

from __future__ import annotations

import asyncio

from bot.emulator import BotApiEmulator


async def settled(emulator: BotApiEmulator, quiet: float = 0.5) -> None:
    """Until the bot has fetched every update and made no request for `quiet` seconds."""
    while True:
        made = len(emulator.calls)
        await asyncio.sleep(quiet)
        if len(emulator.calls) == made and not emulator.undelivered():
            return
