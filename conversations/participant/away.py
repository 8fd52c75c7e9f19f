"""`/away 24-12`: no reminders until that day is over; `/away off` to be reachable again."""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import CommandHandler

from bot.services import away
from bot.telegram import replies
from bot.telegram.runtime import BotContext
from conversations.handlers import Handler
from domain.rhythm import parse_day

BACK = ("off", "uit", "terug", "back")
LOOKS_LIKE_A_DAY = re.compile(r"\d{1,4}[-/.]\d{1,2}(?:[-/.]\d{1,4})?")
"""Written as a day, so when it is not one (31-02) the person hears that, not the usage."""


async def on_away(update: Update, context: BotContext) -> None:
    user, message = update.effective_user, update.effective_message
    assert user is not None and message is not None
    runtime = context.runtime
    language = await replies.language_of(update, context)
    argument = " ".join((message.text or "").split()[1:]).strip().lower()
    now = runtime.clock.now()
    timezone = runtime.settings.default_timezone
    back = argument in BACK
    until = None if back else parse_day(argument, now.date())
    if not back and (until is None or until < now.date()):
        problem = ("past" if until is not None else
                   "no_such_day" if LOOKS_LIKE_A_DAY.fullmatch(argument) else None)
        await replies.send_text(context, user.id, runtime.texts.render(
            language, "away_usage", problem=problem, argument=argument))
        return
    async with runtime.repository() as repo:
        moment = await away.set_away(repo, user.id, until, timezone)
    await replies.send_text(context, user.id, runtime.texts.render(
        language, "away_set", until=moment, timezone=timezone))


def build_away_handlers() -> list[Handler]:
    return [CommandHandler("away", on_away)]
