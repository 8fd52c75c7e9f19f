"""What the bot says when nothing else understood the update: a hint, never silence."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot.services import survey
from bot.telegram import replies
from bot.telegram.runtime import BotContext
from conversations.participant.account import send_help
from conversations.participant.survey import show_anew


async def on_unknown_button(update: Update, context: BotContext) -> None:
    """A forged, outdated or foreign callback: stop the spinner and say so."""
    query = update.callback_query
    assert query is not None
    runtime = context.runtime
    async with runtime.repository() as repo:
        language = await repo.language(query.from_user.id)
    await replies.acknowledge(query, runtime.texts.render(language, "refusal", reason="invalid"))


async def on_unexpected_message(update: Update, context: BotContext) -> None:
    """Free text, a sticker or a photo where a button was expected: hint, then the question."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    runtime = context.runtime
    is_command = bool(message.text and message.text.startswith("/"))
    async with runtime.repository() as repo:
        known_language = await repo.language(user.id)
        open_surveys = await survey.open_surveys(repo, user.id, runtime.clock.now())
    language = known_language or runtime.texts.language(user.language_code)
    unfinished = [cycle for cycle, _team, done in open_surveys if not done]
    texts = runtime.texts
    if is_command:
        await replies.send_text(context, user.id, texts.render(language, "unexpected",
                                                               kind="command"))
    elif not unfinished:
        await send_help(context, user.id, language)
    else:
        await replies.send_text(context, user.id, texts.render(language, "unexpected",
                                                               kind="text"))
        await show_anew(context, user.id, unfinished[0].id, language)


def fallback_handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CallbackQueryHandler(on_unknown_button),
        MessageHandler(filters.ChatType.PRIVATE & ~filters.StatusUpdate.ALL,
                       on_unexpected_message),
    ]
