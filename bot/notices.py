"""The screens of what the bot sends on its own: invitations, reminders, reports from the outbox.

`bot.delivery` composes these long after any update, and `bot/` never imports `conversations/`
(only `bot/app.py`, the wiring point, does; `tests/bot/test_layering.py`). So the screen type and
the keyboard builder live here, below both, and the buttons' payloads come through the
`NoticeButtons` port: the registry of verbs stays the one in `conversations/callbacks.py`, which
implements the port (`conversations.notices`), and `bot/app.py` puts it into the `Runtime`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.texts import Texts, plain
from domain.catalog import load_model


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

    def report_target(self, data: str | None) -> ReportTarget | None:
        self._missing()
        return None


def invitation(
    texts: Texts, language: str, buttons: NoticeButtons, *, cycle_id: int, team: str,
    model_id: str, scope_id: str, deadline: datetime, timezone: str,
) -> Screen:
    """The message that opens a survey for one participant, with the button that starts it."""
    model = load_model(model_id)
    scope = model.scope(scope_id)
    text = texts.render(
        language, "invitation", team=team, scope_title=scope.title(language),
        model_title=model.title(language), total=len(scope.element_ids), minutes=scope.minutes,
        deadline=deadline, timezone=timezone,
    )
    b = texts.buttons(language)
    return Screen(text, keyboard([[(b.start, buttons.resume(cycle_id))]]))
