"""A message as the bot shows it: its text and inline keyboard, built from registered verbs.

Below both the conversations and the outbox, because both compose screens: the verbs themselves
are registered in `conversations.callbacks` and reach this layer only as `Payload`s.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, MenuButtonWebApp, WebAppInfo
from telegram.error import TelegramError

from bot.rendering.texts import plain

log = logging.getLogger(__name__)


class Payload(Protocol):
    """A button's callback data: a registered verb (`conversations.callbacks`)."""

    def encode(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Screen:
    text: str
    keyboard: InlineKeyboardMarkup | None = None


def keyboard(rows: Sequence[Sequence[tuple[str, Payload]]]) -> InlineKeyboardMarkup:
    """Rows of (label, payload): every button carries a registered verb (`callbacks`)."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(plain(label, 60), callback_data=data.encode())
          for label, data in row] for row in rows]
    )


def with_web_app(
    markup: InlineKeyboardMarkup | None, label: str, url: str | None
) -> InlineKeyboardMarkup | None:
    """`markup` with one more row: a button that opens the Mini App at `url` (private chats
    only, Telegram refuses it elsewhere); unchanged when there is no `url`."""
    if url is None:
        return markup
    rows = [list(row) for row in markup.inline_keyboard] if markup is not None else []
    return InlineKeyboardMarkup(
        [*rows, [InlineKeyboardButton(plain(label, 60), web_app=WebAppInfo(url))]])


@dataclass(frozen=True, slots=True)
class ReportTarget:
    """What a report button names: a cycle (`cycle_id`) or a team's latest report (`team_id`)."""

    cycle_id: int | None = None
    team_id: int | None = None


class NoticeButtons(Protocol):
    """The verbs a notification's buttons carry, made by the conversations layer."""

    def resume(self, cycle_id: int) -> Payload: ...

    def new_action(self, cycle_id: int, element_id: str) -> Payload: ...

    def full_report(self, cycle_id: int) -> Payload: ...

    def export(self, cycle_id: int) -> Payload: ...

    def export_all(self, cycle_id: int) -> Payload: ...
    def action_answer(self, action_id: int, accept: bool) -> Payload:
        """Accept or decline owning an action (the private question after it was assigned)."""
        ...

    def action_status(self, action_id: int, status: str) -> Payload:
        """A check-in's one tap: on_track, stuck, done or dropped."""
        ...

    def report_target(self, data: str | None) -> ReportTarget | None:
        """The cycle or team a report's button (or the tap that asked for it) names, if any."""
        ...


class Unwired:
    """The port before `bot/app.py` wired it: any use says so, rather than sending a button that
    no handler would understand."""

    def _missing(self) -> Payload:
        raise RuntimeError("no NoticeButtons wired: bot.app.build_application sets them")

    def resume(self, cycle_id: int) -> Payload:
        return self._missing()

    def new_action(self, cycle_id: int, element_id: str) -> Payload:
        return self._missing()

    def full_report(self, cycle_id: int) -> Payload:
        return self._missing()

    def export(self, cycle_id: int) -> Payload:
        return self._missing()

    def export_all(self, cycle_id: int) -> Payload:
        return self._missing()

    def action_answer(self, action_id: int, accept: bool) -> Payload:
        return self._missing()

    def action_status(self, action_id: int, status: str) -> Payload:
        return self._missing()

    def report_target(self, data: str | None) -> ReportTarget | None:
        self._missing()
        return None


async def offer_cockpit_menu(bot: Bot, chat_id: int, label: str, url: str | None) -> None:
    """The bot's menu button in this private chat opens the cockpit (for people who manage a
    team); nothing without a cockpit address. A refusal only costs the shortcut, so it is
    logged rather than raised: the report itself has been sent."""
    if url is None or chat_id <= 0:
        return
    try:
        await bot.set_chat_menu_button(chat_id, MenuButtonWebApp(plain(label, 30), WebAppInfo(url)))
    except TelegramError as error:
        log.info("no cockpit menu button for %s: %s", chat_id, error)
