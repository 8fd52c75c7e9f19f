"""A person's own account: help, language, what is stored, and being forgotten."""

from __future__ import annotations

from enum import Enum, auto

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler

from bot.services import account, joining
from bot.services.joining import preferred_language
from bot.telegram import replies
from bot.telegram.runtime import BotContext
from conversations import callbacks, screens
from conversations.handlers import Handler

FORGET: callbacks.Verbs[callbacks.Forget] = callbacks.Verbs.of(callbacks.Forget)
CHOOSE_LANGUAGE: callbacks.Verbs[callbacks.ChooseLanguage] = callbacks.Verbs.of(
    callbacks.ChooseLanguage)


class AccountState(Enum):
    CONFIRMING_FORGET = auto()


async def on_help(update: Update, context: BotContext) -> None:
    assert update.effective_user is not None
    language = await replies.language_of(update, context)
    await send_help(context, update.effective_user.id, language)


async def send_help(context: BotContext, user_id: int, language: str) -> None:
    """The commands this person can use: a participant never sees the manager commands."""
    async with context.runtime.repository() as repo:
        is_manager = await account.manages_a_team(repo, user_id)
    await replies.send_text(context, user_id, context.runtime.texts.render(
        language, "help", is_manager=is_manager))


async def on_language(update: Update, context: BotContext) -> None:
    assert update.effective_user is not None
    texts = context.runtime.texts
    language = await replies.language_of(update, context)
    b = texts.buttons(language)
    await replies.send(context, update.effective_user.id, screens.Screen(
        texts.render(language, "choose_language"),
        screens.keyboard([[(b.dutch, callbacks.ChooseLanguage("nl")),
                           (b.english, callbacks.ChooseLanguage("en"))]])))


async def on_language_button(update: Update, context: BotContext) -> None:
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    data = CHOOSE_LANGUAGE.read(query.data)
    runtime = context.runtime
    now = runtime.clock.now()
    if data is None:
        await _refuse_invalid(update, context)
        return
    async with runtime.repository() as repo:
        await joining.greet(repo, user.id, user.full_name, user.language_code,
                            runtime.settings.default_language, now)
        await joining.set_language(repo, user.id, data.language)
    language = data.language
    if query.message is not None:
        await replies.edit(context, user.id, query.message.message_id,
                           screens.Screen(runtime.texts.render(language, "language_set")))
    await replies.acknowledge(query)


async def on_mydata(update: Update, context: BotContext) -> None:
    user = update.effective_user
    assert user is not None
    runtime = context.runtime
    async with runtime.repository() as repo:
        stored = await account.describe(repo, user.id)
    language = stored.person.language if stored else preferred_language(
        user.language_code, runtime.settings.default_language)
    if stored is None:
        await replies.send_text(context, user.id, runtime.texts.render(language, "deleted"))
        return
    await replies.send_text(context, user.id, runtime.texts.render(
        language, "mydata", person=stored.person, teams=stored.teams,
        administers=stored.administers))


async def _refuse_invalid(update: Update, context: BotContext) -> None:
    """A forged or malformed button: the "invalid button" answer, and nothing else changes."""
    query = update.callback_query
    assert query is not None
    language = await replies.language_of(update, context)
    await replies.acknowledge(query, context.runtime.texts.render(
        language, "refusal", reason="invalid"))


async def on_deleteme(update: Update, context: BotContext) -> AccountState | int:
    assert update.effective_user is not None
    texts = context.runtime.texts
    language = await replies.language_of(update, context)
    async with context.runtime.repository() as repo:
        to_hand_over = await account.teams_to_hand_over(repo, update.effective_user.id)
    if to_hand_over:
        await replies.send_text(context, update.effective_user.id,
                                texts.render(language, "hand_over", teams=to_hand_over))
        return ConversationHandler.END
    b = texts.buttons(language)
    await replies.send(context, update.effective_user.id, screens.Screen(
        texts.render(language, "deleteme_confirm"),
        screens.keyboard([[(b.yes_delete, callbacks.Forget(confirmed=True)),
                           (b.cancel, callbacks.Forget(confirmed=False))]])))
    return AccountState.CONFIRMING_FORGET


async def on_forget_button(update: Update, context: BotContext) -> int:
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    data = FORGET.read(query.data)
    if data is None:
        await _refuse_invalid(update, context)
        return ConversationHandler.END
    language = await replies.language_of(update, context)
    runtime = context.runtime
    confirmed, refusal = data.confirmed, None
    if confirmed:
        async with runtime.repository() as repo:
            refusal = await account.forget(repo, user.id, runtime.clock.now())
    text = (runtime.texts.render(language, "hand_over", teams=refusal.teams) if refusal
            else runtime.texts.render(language, "deleted" if confirmed else "cancelled"))
    if query.message is not None:
        await replies.edit(context, user.id, query.message.message_id, screens.Screen(text))
    await replies.acknowledge(query)
    return ConversationHandler.END


def build_account_handlers() -> list[Handler]:
    """Plain handlers: the confirmation button says what it confirms, so nothing is remembered
    between /deleteme and the tap (`AccountState` only documents the step)."""
    forget_button: Handler = CallbackQueryHandler(
        on_forget_button, pattern=FORGET.pattern
    )
    language_button: Handler = CallbackQueryHandler(
        on_language_button, pattern=CHOOSE_LANGUAGE.pattern
    )
    commands: list[Handler] = [
        CommandHandler("help", on_help),
        CommandHandler("language", on_language),
        CommandHandler("mydata", on_mydata),
        CommandHandler("deleteme", on_deleteme),
    ]
    return [*commands, forget_button, language_button]
