"""Telegram's second limit: about 20 new messages a minute in one group (edits are free).

Without a budget per group, a few people trying the group's menu (`/help`, `/meeting`,
`/language`, `/link`) within a minute made the bot answer every one with a new message; Telegram
answered the 21st with a 429 and `retry_after` of up to a minute, so the chair's `/meeting`
appeared 20 to 54 seconds late, with old refusal lines after it (issue #28). Two parts, both per
process like the send budget they belong to (a second worker has a budget of its own; the group's
limit is then shared, which the room kept for the meeting absorbs):

- `GroupWindows`: every new message to a group takes a slot in that group's sliding minute.
  The meeting's own message and summary may use all 20 and wait for a slot rather than meet a
  429; chatter (answers to commands, refusals, help: `Lane.GROUP_CHATTER`) may use only
  `20 - KEPT_FOR_THE_MEETING` and is not sent at all when the group is that busy
  (`GroupCrowded`): a late refusal line helps nobody.
- `GroupChatter`: what the bot last said in each group, so that refusals and help collapse:
  one refusal line per person per minute (a later refusal edits it), and the same answer asked
  again within seconds edits the bot's last one instead of sending a new message.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

GROUP_MESSAGES_PER_MINUTE = 20
KEPT_FOR_THE_MEETING = 5
"""Slots of a group's minute that chatter may not take: the meeting's message and summary
always find room."""
REFUSAL_QUIET_SECONDS = 60.0
REPEAT_EDIT_SECONDS = 30.0
_FORGET_AFTER = 1000  # entries; older ones are dropped when this many are kept


class GroupCrowded(Exception):
    """A line of chatter for a group that has too many new messages this minute: not sent."""

    def __init__(self, chat_id: int) -> None:
        super().__init__(f"group {chat_id} is busy: chatter is not sent this minute")
        self.chat_id = chat_id


def group_of(data: dict[str, object]) -> int | None:
    """The group a request writes to (a negative chat id), or None for a person or a channel
    name; Telegram's group limit is by chat."""
    chat = data.get("chat_id")
    if isinstance(chat, int):
        return chat if chat < 0 else None
    if isinstance(chat, str) and chat.startswith("-") and chat[1:].isdigit():
        return int(chat)
    return None


class GroupWindows:
    """The sliding minute of new messages per group, counted from sending until a minute after
    Telegram's answer (Telegram counts a message when it arrives, between the two)."""

    def __init__(self, per_minute: int = GROUP_MESSAGES_PER_MINUTE, seconds: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute, self.seconds, self.clock = per_minute, seconds, clock
        self._answered: dict[int, deque[float]] = {}
        self._in_flight: dict[int, int] = {}

    def used(self, chat_id: int) -> int:
        now = self.clock()
        answered = self._answered.get(chat_id)
        while answered and now - answered[0] >= self.seconds:
            answered.popleft()
        if answered is not None and not answered:
            del self._answered[chat_id]
        return len(answered or ()) + self._in_flight.get(chat_id, 0)

    async def take(self, chat_id: int, *, chatter: bool) -> None:
        """A slot for one new message in the group; chatter raises `GroupCrowded` instead of
        waiting, the meeting waits until the oldest message of the minute has aged out."""
        room = self.per_minute - (KEPT_FOR_THE_MEETING if chatter else 0)
        while self.used(chat_id) >= room:
            if chatter:
                raise GroupCrowded(chat_id)
            answered = self._answered.get(chat_id)
            await asyncio.sleep(answered[0] + self.seconds - self.clock() if answered else 0.05)
        self._in_flight[chat_id] = self._in_flight.get(chat_id, 0) + 1

    def release(self, chat_id: int) -> None:
        """The message's answer came: it counts for a minute from now."""
        left = self._in_flight.get(chat_id, 1) - 1
        if left:
            self._in_flight[chat_id] = left
        else:
            self._in_flight.pop(chat_id, None)
        self._answered.setdefault(chat_id, deque()).append(self.clock())


@dataclass(slots=True)
class Line:
    """A line the bot sent in a group: which message, when, and what it shows now."""

    message_id: int
    sent_at: float
    text: str


class GroupChatter:
    """The bot's recent answers in groups: the refusal line each person got, and the last
    answer of each kind, with when they were sent and what they show. Per process and an
    optimisation of what the group sees only: a restarted worker starts empty and at worst sends
    one line more."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._lines: dict[tuple[int, int | str], Line] = {}

    def _recent(self, key: tuple[int, int | str], seconds: float) -> Line | None:
        found = self._lines.get(key)
        if found is None or self.clock() - found.sent_at >= seconds:
            return None
        return found

    def refusal_for(self, chat_id: int, user_id: int) -> Line | None:
        """The refusal line this person got here within the last minute, to edit instead."""
        return self._recent((chat_id, user_id), REFUSAL_QUIET_SECONDS)

    def answer_for(self, chat_id: int, kind: str) -> Line | None:
        """The bot's answer of this kind here within the last seconds, to edit instead."""
        return self._recent((chat_id, kind), REPEAT_EDIT_SECONDS)

    def refused(self, chat_id: int, user_id: int, message_id: int, text: str) -> None:
        self._remember((chat_id, user_id), message_id, text)

    def answered(self, chat_id: int, kind: str, message_id: int, text: str) -> None:
        self._remember((chat_id, kind), message_id, text)

    def _remember(self, key: tuple[int, int | str], message_id: int, text: str) -> None:
        now = self.clock()
        if len(self._lines) >= _FORGET_AFTER:
            self._lines = {k: v for k, v in self._lines.items()
                           if now - v.sent_at < REFUSAL_QUIET_SECONDS}
        self._lines[key] = Line(message_id, now, text)
