"""`/begrippen` or `/glossary`: the standard's terms in plain words, named on every question."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.services import glossary
from bot.telegram import replies
from bot.telegram.runtime import BotContext
from conversations.handlers import Handler


async def on_glossary(update: Update, context: BotContext) -> None:
    user = update.effective_user
    assert user is not None
    runtime = context.runtime
    language = await replies.language_of(update, context)
    async with runtime.repository() as repo:
        model = await glossary.model_for(repo, user.id)
    await replies.send_text(context, user.id, runtime.texts.render(
        language, "glossary", model_title=model.title(language), terms=model.glossary(language)))


def build_glossary_handlers() -> list[Handler]:
    return [CommandHandler(["begrippen", "glossary"], on_glossary)]
