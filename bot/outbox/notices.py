"""The screens of what the bot sends on its own: invitations, reminders, reports from the outbox.

`bot.outbox.delivery` composes these long after any update, and `bot/` never imports
`conversations/`
(only `bot/app.py`, the wiring point, does; `tests/bot/test_layering.py`). So the buttons'
payloads come through the `bot.telegram.keyboards.NoticeButtons` port: the registry of verbs stays
the one in `conversations/callbacks.py`, which implements the port (`conversations.notice_buttons`),
and `bot/app.py` puts it into the `Runtime`.
"""

from __future__ import annotations

from datetime import datetime

from bot.rendering.texts import Texts
from bot.telegram.keyboards import NoticeButtons, Screen, keyboard
from domain.catalog import load_model


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
