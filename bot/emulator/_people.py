"""Simulated Telegram users: they write, tap buttons and read what the bot shows them.

Every action returns only when Telegram would have something observable: `tap` waits until the bot
has answered the callback query (the bot answers last, after it stored and showed the result), and
`wait_for` waits for a message or an edit that matches. A test therefore never sleeps.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.emulator._model import BotMessage, StoredMessage

if TYPE_CHECKING:
    from bot.emulator._groups import SimulatedGroup
    from bot.emulator._server import BotApiEmulator

DEFAULT_TIMEOUT = 10.0


class NothingArrived(AssertionError):
    """The bot did not show what the person was waiting for in time."""


@dataclass
class SimulatedPerson:
    emulator: BotApiEmulator = field(repr=False)
    user_id: int
    first_name: str
    language_code: str | None = "nl"
    username: str | None = None
    started: bool = False
    blocked: bool = False
    events: list[BotMessage] = field(default_factory=list, repr=False)
    toasts: list[str] = field(default_factory=list, repr=False)
    _cursor: int = field(default=0, repr=False)
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition, repr=False)
    _last_update: dict[str, Any] | None = field(default=None, repr=False)

    # --- what the person sees -------------------------------------------------------------------

    def user_json(self) -> dict[str, Any]:
        user: dict[str, Any] = {"id": self.user_id, "is_bot": False, "first_name": self.first_name}
        if self.username:
            user["username"] = self.username
        if self.language_code:
            user["language_code"] = self.language_code
        return user

    def chat_json(self) -> dict[str, Any]:
        return {"id": self.user_id, "type": "private", "first_name": self.first_name}

    @property
    def messages(self) -> list[BotMessage]:
        """The bot's messages in this chat as they look now, oldest first."""
        return [m.snapshot() for m in self.emulator.chat_messages(self.user_id)
                if m.from_bot and not m.deleted]

    @property
    def last_message(self) -> BotMessage:
        messages = self.messages
        if not messages:
            raise NothingArrived(f"{self.first_name} has received no message")
        return messages[-1]

    @property
    def keyboard(self) -> list[list[tuple[str, str]]]:
        """The buttons of the newest message that has any."""
        for message in reversed(self.messages):
            if message.keyboard:
                return message.keyboard
        return []

    async def wait_for(
        self, predicate: Callable[[BotMessage], bool], timeout: float = DEFAULT_TIMEOUT
    ) -> BotMessage:
        """The first message or edit since this person's last action that matches `predicate`."""
        self._cursor = await wait_for_event(self.events, self._cursor, self._changed, predicate,
                                            timeout, self.first_name)
        return self.events[self._cursor]

    async def notice(self, message: StoredMessage) -> None:
        """Called by the emulator when a bot message arrives, changes or disappears."""
        async with self._changed:
            self.events.append(message.snapshot())
            self._changed.notify_all()

    # --- what the person does -------------------------------------------------------------------

    async def send(self, text: str) -> int:
        """Write `text` to the bot (commands get Telegram's entity); returns the message id."""
        body: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            body["entities"] = [{"type": "bot_command", "offset": 0,
                                 "length": len(command.encode("utf-16-le")) // 2}]
        return await self._send_message(body)

    async def send_sticker(self) -> int:
        return await self._send_message({"sticker": {
            "file_id": "sticker-1", "file_unique_id": "s1", "type": "regular", "width": 512,
            "height": 512, "is_animated": False, "is_video": False, "emoji": "👍"}})

    async def send_photo(self) -> int:
        return await self._send_message({"photo": [{
            "file_id": "photo-1", "file_unique_id": "p1", "width": 90, "height": 90}]})

    async def _send_message(self, body: dict[str, Any]) -> int:
        if self.blocked:  # Telegram offers only "Unblock" / "Restart" in a blocked bot's chat
            await self.unblock()
        self.started = True
        stored = self.emulator.store_person_message(self.user_id, body.get("text", ""))
        message = {"message_id": stored.message_id, "from": self.user_json(),
                   "chat": self.chat_json(), "date": stored.date, **body}
        self._cursor = len(self.events)
        self._last_update = {"message": message}
        await self.emulator.enqueue(self._last_update)
        return stored.message_id

    async def tap(
        self, label: str, message: BotMessage | None = None, timeout: float = DEFAULT_TIMEOUT
    ) -> str | None:
        """Tap the button whose label is `label` (or contains it); returns the toast, if any."""
        deadline = time.monotonic() + timeout
        while True:
            candidates = [message] if message is not None else list(reversed(self.messages))
            found = _find_button(candidates, label)
            if found is not None:
                target, data = found
                return await self.tap_data(data, target, max(deadline - time.monotonic(), 1.0))
            if time.monotonic() >= deadline:
                raise NothingArrived(f"{self.first_name} found no button {label!r}; "
                                     f"buttons now: {self.keyboard}")
            await asyncio.sleep(0.02)

    async def tap_data(
        self, data: str, message: BotMessage, timeout: float = DEFAULT_TIMEOUT
    ) -> str | None:
        """Tap a button carrying `data` on `message` (also data no real button ever had)."""
        current = self.emulator.message_json(message.chat_id, message.message_id)
        query = self.emulator.new_callback_query(self)
        self._cursor = len(self.events)
        self._last_update = {"callback_query": {  # in a group, it carries the group message
            "id": query.id, "from": self.user_json(), "message": current,
            "chat_instance": str(message.chat_id), "data": data}}
        await self.emulator.enqueue(self._last_update)
        try:
            await asyncio.wait_for(query.answered.wait(), timeout)
        except TimeoutError:
            raise NothingArrived(
                f"the bot did not answer {self.first_name}'s tap on {data!r} in {timeout}s"
            ) from None
        if query.text:
            self.toasts.append(query.text)
        return query.text

    async def resend_last_update(self) -> None:
        """Telegram delivering this person's last update a second time, with the same update_id."""
        assert self._last_update is not None, "nothing to redeliver"
        await self.emulator.redeliver(self._last_update)

    async def block(self) -> None:
        """Block the bot: its messages are refused with 403, and (if the person had started it)
        the bot is told with a `my_chat_member` update, its status now "kicked"."""
        if not self.blocked:
            self.blocked = True
            await self._membership_changed("member", "kicked")

    async def unblock(self) -> None:
        """Unblock the bot: it may write again and is told so ("kicked" → "member")."""
        if self.blocked:
            self.blocked = False
            await self._membership_changed("kicked", "member")

    async def _membership_changed(self, old: str, new: str) -> None:
        if not self.started:
            return  # no chat with the bot yet: nothing to tell it
        await self.emulator.enqueue(
            {"my_chat_member": membership_change(self, self.chat_json(), old, new)})

    # --- in groups (see bot/emulator/GROUPS.md) -------------------------------------------------

    async def add_bot_to(self, group: SimulatedGroup) -> None:
        """Add the bot to `group` (a `my_chat_member` update: "left" → "member")."""
        await group.set_bot_status(self, "member")

    async def remove_bot_from(self, group: SimulatedGroup) -> None:
        """Remove the bot from `group` ("member"/"administrator" → "left"); it may no longer
        write there (403 "bot is not a member of the group chat")."""
        await group.set_bot_status(self, "left")

    async def promote_bot_in(self, group: SimulatedGroup, admin: bool = True) -> None:
        """Make the bot an administrator of `group` (or, `admin=False`, a member again)."""
        await group.set_bot_status(self, "administrator" if admin else "member")

    async def add_bot_via(self, group: SimulatedGroup, link: str) -> None:
        """Open the bot's `https://t.me/<bot>?startgroup=<payload>` link and pick `group`: the
        bot is added (if it was not there) and `/start@<bot> <payload>` is said in the group."""
        await group.start_with(self, link)

    async def add_to(self, group: SimulatedGroup, person: SimulatedPerson) -> None:
        """Add `person` to `group` (a `new_chat_members` service message; a `chat_member`
        update if the bot is an administrator there and asked for those)."""
        await group.change_people(self, person, joined=True)

    async def remove_from(self, group: SimulatedGroup, person: SimulatedPerson) -> None:
        """Remove `person` from `group` (`left_chat_member`, and `chat_member` as above)."""
        await group.change_people(self, person, joined=False)

    async def rename(self, group: SimulatedGroup, title: str) -> None:
        await group.rename(self, title)

    async def upgrade_to_supergroup(self, group: SimulatedGroup) -> None:
        """Turn `group` into a supergroup (Telegram gives it a new id, `group.chat_id`)."""
        await group.upgrade_to_supergroup(self)

    async def leave(self, group: SimulatedGroup) -> None:
        await group.change_people(self, self, joined=False)

    async def say_in(self, group: SimulatedGroup, text: str,
                     reply_to: BotMessage | None = None) -> int:
        """Write `text` in `group`, perhaps as a reply; the bot sees it only if privacy mode lets
        it through (a command, or a reply to one of its messages). Returns the message id."""
        return await group.say(self, text, reply_to)

    async def answer_prompt_in(self, group: SimulatedGroup, text: str) -> int:
        """Type `text` into the reply prompt (`ForceReply`) the bot showed this person in
        `group`: a reply to that message, which reaches the bot despite privacy mode."""
        from bot.emulator._replies import prompt_for
        return await group.say(self, text, prompt_for(group, self))

    async def tap_in(self, group: SimulatedGroup, label: str,
                     message: BotMessage | None = None) -> str | None:
        """Tap a button on the bot's newest group message that has it; returns the toast."""
        return await group.tap(self, label, message)

    async def vote_in(self, group: SimulatedGroup, *option_ids: int) -> None:
        """Vote on the bot's newest open poll in `group` (0-based options; none: retract)."""
        await group.vote(self, list(option_ids))


def membership_change(actor: SimulatedPerson, chat: dict[str, Any], old: str,
                      new: str) -> dict[str, Any]:
    """A `ChatMemberUpdated` about the bot in `chat`, done by `actor`, in Telegram's shape."""
    bot_user = actor.emulator.bot_user()
    change: dict[str, Any] = {
        "chat": chat, "from": actor.user_json(), "date": int(time.time()),
        "old_chat_member": bot_member(bot_user, old),
        "new_chat_member": bot_member(bot_user, new)}
    return change


def bot_member(bot_user: dict[str, Any], status: str) -> dict[str, Any]:
    member: dict[str, Any] = {"user": bot_user, "status": status}
    if status == "kicked":
        member["until_date"] = 0
    elif status == "administrator":  # the rights Telegram lists for an administrator bot
        member.update({right: True for right in (
            "can_manage_chat", "can_delete_messages", "can_manage_video_chats",
            "can_restrict_members", "can_change_info", "can_invite_users", "can_pin_messages",
            "can_post_stories", "can_edit_stories", "can_delete_stories")})
        member.update(can_be_edited=False, is_anonymous=False, can_promote_members=False)
    return member


async def wait_for_event(
    events: list[BotMessage], start: int, changed: asyncio.Condition,
    predicate: Callable[[BotMessage], bool], timeout: float, who: str,
) -> int:
    """The index of the first event from `start` on that matches, waiting up to `timeout`."""
    deadline = time.monotonic() + timeout
    async with changed:
        while True:
            for index in range(start, len(events)):
                if predicate(events[index]):
                    return index
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                seen = "\n  ".join(str(e) for e in events[start:][-5:]) or "nothing"
                raise NothingArrived(
                    f"{who} waited {timeout}s in vain; since the last action:\n  {seen}")
            try:
                await asyncio.wait_for(changed.wait(), remaining)
            except TimeoutError:
                continue


def _find_button(messages: list[BotMessage], label: str) -> tuple[BotMessage, str] | None:
    for exact in (True, False):
        for message in messages:
            for text, data in message.buttons():
                if text == label if exact else label.casefold() in text.casefold():
                    return message, data
    return None
