"""Simulated group chats: several people in one chat, and the bot in it or not.

A group behaves as Telegram's: a negative chat id, type "group"; the bot learns it was added,
removed or promoted from `my_chat_member` updates; with privacy mode on (Telegram's default for
bots) it receives only commands meant for it and replies to its own messages, unless it is an
administrator; and it may send at most 20 messages a minute there. How a test drives a group
story: bot/emulator/GROUPS.md.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.emulator._members import people_changed, service_message, start_group, upgrade
from bot.emulator._model import ApiError, BotMessage, RateWindow, StoredMessage
from bot.emulator._people import (
    DEFAULT_TIMEOUT,
    NothingArrived,
    SimulatedPerson,
    _find_button,
    membership_change,
    wait_for_event,
)
from bot.emulator._polls import vote

if TYPE_CHECKING:
    from bot.emulator._server import BotApiEmulator

IN_GROUP = frozenset({"member", "administrator"})


@dataclass
class SimulatedGroup:
    emulator: BotApiEmulator = field(repr=False)
    chat_id: int
    title: str
    members: list[SimulatedPerson]
    sends: RateWindow = field(repr=False)
    """The bot's messages here in the last minute; edits do not count (Telegram limits new
    messages in a group, which is why a meeting edits one message in place)."""
    bot_status: str = "left"
    kind: str = "group"
    """Telegram's chat type: "group", or "supergroup" after `upgrade_to_supergroup`."""
    events: list[BotMessage] = field(default_factory=list, repr=False)
    _cursor: int = field(default=0, repr=False)
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition, repr=False)

    def chat_json(self) -> dict[str, Any]:
        return {"id": self.chat_id, "type": self.kind, "title": self.title}

    @property
    def bot_is_member(self) -> bool:
        return self.bot_status in IN_GROUP

    def check_bot_may_send(self) -> None:
        """Telegram's refusals for a bot writing here: not in the group, or over 20 a minute."""
        if not self.bot_is_member:
            raise ApiError(403, "Forbidden: bot is not a member of the group chat")
        flooded = self.sends.admit(self.emulator.clock())
        if flooded is not None:
            raise flooded

    # --- what the members see -------------------------------------------------------------------

    @property
    def messages(self) -> list[BotMessage]:
        """The bot's messages in this group as they look now, oldest first."""
        return [m.snapshot() for m in self.emulator.chat_messages(self.chat_id)
                if m.from_bot and not m.deleted]

    @property
    def last_message(self) -> BotMessage:
        """The bot's newest message in the group."""
        messages = self.messages
        if not messages:
            raise NothingArrived(f"the bot has written nothing in {self.title!r}")
        return messages[-1]

    async def wait_for(self, predicate: Any = None,
                       timeout: float = DEFAULT_TIMEOUT) -> BotMessage:
        """The first bot message or edit in the group since a member's last action that
        matches `predicate` (any, if None)."""
        test = predicate or (lambda _: True)
        self._cursor = await wait_for_event(self.events, self._cursor, self._changed, test,
                                            timeout, f"the group {self.title!r}")
        return self.events[self._cursor]

    async def notice(self, message: StoredMessage) -> None:
        """Called by the emulator when a bot message here arrives, changes or disappears."""
        async with self._changed:
            self.events.append(message.snapshot())
            self._changed.notify_all()

    # --- what members do (through SimulatedPerson's helpers) ------------------------------------

    async def set_bot_status(self, actor: SimulatedPerson, status: str) -> None:
        self._check_member(actor)
        if status == self.bot_status:
            return  # Telegram sends no update when nothing changed
        old, self.bot_status = self.bot_status, status
        await self.emulator.enqueue(
            {"my_chat_member": membership_change(actor, self.chat_json(), old, status)})
        if old not in IN_GROUP and status in IN_GROUP:  # beside it, the service message
            await service_message(self, actor, new_chat_members=[self.emulator.bot_user()])

    async def change_people(self, actor: SimulatedPerson, person: SimulatedPerson,
                            joined: bool) -> None:
        if actor is not person:
            self._check_member(actor)
        await people_changed(self, actor, person, joined)

    async def rename(self, actor: SimulatedPerson, title: str) -> None:
        """A member gives the group a new title (a `new_chat_title` service message)."""
        self._check_member(actor)
        self.title = title
        await service_message(self, actor, new_chat_title=title)

    async def upgrade_to_supergroup(self, actor: SimulatedPerson) -> None:
        """Telegram turns the group into a supergroup (an admin changed a setting, or it grew):
        a new chat id; the old one refuses messages with `migrate_to_chat_id`."""
        self._check_member(actor)
        await upgrade(self, actor)

    async def start_with(self, person: SimulatedPerson, link: str) -> None:
        self._check_member(person)
        self._cursor = len(self.events)
        await start_group(self, person, link)

    async def say(self, person: SimulatedPerson, text: str, reply_to: BotMessage | None) -> int:
        self._check_member(person)
        stored = self.emulator.store_person_message(self.chat_id, text)
        stored.extra["from"] = person.user_json()
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            stored.extra["entities"] = [{"type": "bot_command", "offset": 0,
                                         "length": len(command.encode("utf-16-le")) // 2}]
        if reply_to is not None:
            stored.extra["reply_to_message"] = self.emulator.message_json(
                self.chat_id, reply_to.message_id)
        self._cursor = len(self.events)
        if self.bot_is_member and self._bot_may_read(text, reply_to):
            await self.emulator.enqueue(
                {"message": self.emulator.message_json(self.chat_id, stored.message_id)})
        return stored.message_id

    async def tap(self, person: SimulatedPerson, label: str, message: BotMessage | None,
                  timeout: float = DEFAULT_TIMEOUT) -> str | None:
        self._check_member(person)
        deadline = time.monotonic() + timeout
        while True:
            found = _find_button([message] if message else list(reversed(self.messages)), label)
            if found is not None:
                self._cursor = len(self.events)
                target, data = found
                return await person.tap_data(data, target, max(deadline - time.monotonic(), 1.0))
            if time.monotonic() >= deadline:
                raise NothingArrived(f"{person.first_name} found no button {label!r} in "
                                     f"{self.title!r}")
            await asyncio.sleep(0.02)

    async def vote(self, person: SimulatedPerson, option_ids: list[int]) -> None:
        self._check_member(person)
        await vote(person, self.chat_id, option_ids)

    def _bot_may_read(self, text: str, reply_to: BotMessage | None) -> bool:
        """Privacy mode: commands for this bot (`/x`, `/x@thisbot`) and replies to the bot;
        an administrator bot, or one with privacy mode off, reads everything."""
        if not self.emulator.privacy_mode or self.bot_status == "administrator":
            return True
        if reply_to is not None:
            replied = self.emulator.stored(self.chat_id, reply_to.message_id)
            if replied is not None and replied.from_bot:
                return True
        if not text.startswith("/"):
            return False
        _, _, addressee = text.split(maxsplit=1)[0].partition("@")
        return not addressee or addressee.casefold() == self.emulator.bot_username.casefold()

    def _check_member(self, person: SimulatedPerson) -> None:
        if person not in self.members:
            raise AssertionError(f"{person.first_name} is not in the group {self.title!r}")
