"""What the emulator remembers: messages as people see them, calls as the bot made them."""

from __future__ import annotations

import collections
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Keyboard = list[list[tuple[str, str]]]


class ApiError(Exception):
    """A refusal in Telegram's own shape: `{"ok": false, "error_code": ..., "description": ...}`."""

    def __init__(self, code: int, description: str, retry_after: int | None = None,
                 migrate_to_chat_id: int | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.retry_after = code, description, retry_after
        self.migrate_to_chat_id = migrate_to_chat_id

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error_code": self.code,
                                "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        if self.migrate_to_chat_id is not None:
            body["parameters"] = {"migrate_to_chat_id": self.migrate_to_chat_id}
        return body


def bad_request(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: {reason}")


@dataclass(slots=True)
class RateWindow:
    """At most `limit` sends within any `seconds`, counted on the emulator's clock.

    Both Telegram limits we emulate are sliding windows of this kind: about 30 messages a second
    for the whole bot, and 20 messages a minute in one group.
    """

    limit: int
    seconds: float
    _times: collections.deque[float] = field(default_factory=collections.deque)

    def admit(self, now: float) -> ApiError | None:
        """None if one more send fits (and counts it), else Telegram's 429 with `retry_after`."""
        while self._times and now - self._times[0] >= self.seconds:
            self._times.popleft()
        if len(self._times) >= self.limit:
            wait = max(1, math.ceil(self.seconds - (now - self._times[0])))
            return ApiError(429, f"Too Many Requests: retry after {wait}", wait)
        self._times.append(now)
        return None


@dataclass(frozen=True, slots=True)
class ApiCall:
    """One request the bot made, and how the emulator answered it."""

    method: str
    params: Mapping[str, Any]
    ok: bool
    description: str = ""
    injected: bool = False

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        numeric = isinstance(value, int | str) and str(value).lstrip("-").isdigit()
        return int(value) if numeric else None  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class BotMessage:
    """A bot message as the person sees it at one moment: after sending, or after an edit."""

    chat_id: int
    message_id: int
    text: str
    html: str
    keyboard: Keyboard = field(default_factory=list)
    edited: bool = False
    deleted: bool = False
    photo: bytes | None = None
    document: bytes | None = None
    document_name: str | None = None
    media_group_id: str | None = None  # the album a photo belongs to

    def buttons(self) -> list[tuple[str, str]]:
        return [button for row in self.keyboard for button in row]

    def __str__(self) -> str:
        labels = " | ".join(label for label, _ in self.buttons())
        return f"#{self.message_id}{' (edited)' if self.edited else ''}: {self.text!r}" + (
            f" [{labels}]" if labels else "")


@dataclass(slots=True)
class StoredMessage:
    """The emulator's copy of a message in a private chat or a group, kept current through edits."""

    chat_id: int
    message_id: int
    from_bot: bool
    date: int
    text: str = ""
    html: str = ""
    markup: dict[str, Any] | None = None
    edit_date: int | None = None
    photo: bytes | None = None
    document: bytes | None = None
    document_name: str | None = None
    deleted: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def snapshot(self) -> BotMessage:
        return BotMessage(
            chat_id=self.chat_id, message_id=self.message_id, text=self.text, html=self.html,
            keyboard=keyboard_of(self.markup), edited=self.edit_date is not None,
            deleted=self.deleted, photo=self.photo, document=self.document,
            document_name=self.document_name, media_group_id=self.extra.get("media_group_id"),
        )


def keyboard_of(markup: Mapping[str, Any] | None) -> Keyboard:
    rows: Sequence[Sequence[Mapping[str, Any]]] = (markup or {}).get("inline_keyboard", [])
    return [
        [(str(b.get("text", "")), str(b.get("callback_data", b.get("url", (
            b.get("web_app") or {}).get("url", ""))))) for b in row]
        for row in rows
    ]


def check_inline_keyboard(markup: Any) -> dict[str, Any] | None:
    """Validate `reply_markup` the way Telegram does; the normalised markup, or None."""
    if markup is None:
        return None
    if isinstance(markup, str):
        try:
            markup = json.loads(markup)
        except json.JSONDecodeError:
            raise bad_request("can't parse reply keyboard markup JSON object") from None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard")
    if rows is None and "force_reply" in markup:
        from bot.emulator._replies import check_force_reply  # it builds on this module
        check_force_reply(markup)
    if rows is None:
        return markup  # reply keyboards and keyboard removal are accepted as they are
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request("field \"inline_keyboard\" must be an Array of Array")
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not str(button.get("text", "")).strip():
                raise bad_request("text buttons are unallowed in the inline keyboard")
            kinds = {"callback_data", "url", "switch_inline_query", "login_url", "web_app",
                     "pay", "copy_text"} & set(button)
            if len(kinds) != 1:
                raise bad_request("can't find field \"callback_data\"")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode("utf-8")) <= 64:
                raise bad_request("BUTTON_DATA_INVALID")
            url = button.get("url")
            if url is not None and not str(url).startswith(("https://", "http://", "tg://")):
                raise bad_request(f"inline keyboard button URL '{url}' is invalid")
    return {"inline_keyboard": rows}
