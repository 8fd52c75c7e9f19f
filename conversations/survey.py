"""The participant answering a survey: one message edited in place, element after element.

A tap is acknowledged last, after its answer is committed and the next screen is shown: the spinner
on the person's button is the promise that nothing was lost.

Every button is self-contained (see `callbacks`), so the handlers below work the same whether or not
this conversation is "active": the state only says whether the next text message is a remark.
"""

from __future__ import annotations

import warnings
from datetime import datetime
from enum import Enum, auto

from telegram import Update, User
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.db.repositories import Repository
from bot.runtime import BotContext
from bot.services import survey
from bot.services.survey import Refusal, SurveyView
from bot.texts import Texts
from conversations import callbacks, replies, screens
from conversations.callbacks import Action, Callback
from conversations.handlers import Handler, handler
from domain.catalog import Chapter


class SurveyState(Enum):
    ANSWERING = auto()
    WRITING_REMARK = auto()


SURVEY_BUTTONS = callbacks.pattern_for(
    Action.ANSWER, Action.VIEW, Action.PAUSE, Action.RESUME, Action.REMARK, Action.CONTINUE,
    Action.CONFIRM, Action.OVERVIEW, Action.EXAMPLE,
)


async def _language(repo: Repository, user: User, default: str) -> str:
    return await repo.language(user.id) or default


async def on_button(update: Update, context: BotContext) -> SurveyState | None:
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    runtime, user = context.runtime, update.effective_user
    message = query.message
    data = callbacks.parse(query.data)
    now = runtime.clock.now()
    async with runtime.repository() as repo:
        result = await _apply(repo, user.id, data, message.message_id if message else None, now)
        if isinstance(result, Refusal) or result[0].language is None:
            language = await _language(repo, user, runtime.settings.default_language)
        else:
            language = result[0].language
    texts = runtime.texts
    if isinstance(result, Refusal) or data is None:
        reason = result if isinstance(result, Refusal) else Refusal.INVALID
        if reason is Refusal.STALE and message is not None:
            if getattr(message, "reply_markup", None):  # not retired yet (Telegram sends it as is)
                await replies.retire(context, user.id, message.message_id,
                                     texts.render(language, "stale"))
            await show_anew(context, user.id, data.cycle_id if data else 0, language)
        await replies.acknowledge(query, texts.render(language, "refusal", reason=reason.value))
        return None
    view, finished_chapter = result
    if data.action in (Action.REMARK, Action.EXAMPLE):
        screen = _prompt(context, language, view, data)
        if message is not None:
            await replies.edit(context, user.id, message.message_id, screen)
        await replies.acknowledge(query)
        return SurveyState.WRITING_REMARK
    if data.action is Action.RESUME:
        await _move_below(context, user.id, view, language)
        await replies.acknowledge(query)
        return SurveyState.ANSWERING
    if message is not None:
        await replies.edit(context, user.id, message.message_id,
                           _screen_after(texts, language, view, data, finished_chapter))
    await replies.acknowledge(query)
    return SurveyState.ANSWERING


def _screen_after(
    texts: Texts, language: str, view: SurveyView, data: Callback, finished: Chapter | None
) -> screens.Screen:
    """What a stored tap leads to, shown in place of the message that was tapped."""
    if data.action is Action.PAUSE:
        return screens.paused(texts, language, view, data.index if data.review else None)
    if data.action is Action.CONFIRM:
        return screens.Screen(texts.render(
            language, "confirmed", team=view.team_name, deadline=view.deadline,
            timezone=view.timezone,
        ))
    if data.action is Action.OVERVIEW:
        return screens.summary(texts, language, view, page=data.index)
    if data.action is Action.ANSWER:
        # The answered topic may get an example, a finished chapter a remark: offered on the
        # next screen, so that skipping them costs nothing.
        offer = screens.Offer(data.index if data.level is not None else None, finished)
        if data.review and view.index is None:
            return screens.summary(texts, language, view, screens.page_of(view, data.index),
                                   offer)
        return screens.question(texts, language, view, offer)
    return screens.question(texts, language, view, review=data.review)


async def _apply(
    repo: Repository, user_id: int, data: Callback | None, message_id: int | None, now: datetime
) -> tuple[SurveyView, Chapter | None] | Refusal:
    """Carry out one tap inside the unit of work; nothing is shown before it is committed."""
    if data is None:
        return Refusal.INVALID
    if data.action is Action.ANSWER:
        outcome = await survey.answer(
            repo, user_id, data.cycle_id, data.index, data.level, message_id, now
        )
        if isinstance(outcome, Refusal):
            return outcome
        return outcome.view, outcome.finished_chapter
    if data.action is Action.CONFIRM:
        confirmed = await survey.confirm(repo, user_id, data.cycle_id, now)
        return confirmed if isinstance(confirmed, Refusal) else (confirmed, None)
    index = data.index if data.action in (Action.VIEW, Action.EXAMPLE) else None
    view = await survey.show(repo, user_id, data.cycle_id, now, index)
    if isinstance(view, Refusal):
        return view
    stale_possible = data.action in (
        Action.VIEW, Action.PAUSE, Action.CONTINUE, Action.REMARK, Action.OVERVIEW, Action.EXAMPLE)
    if stale_possible and message_id is not None and view.message_id not in (None, message_id):
        return Refusal.STALE
    if data.action is Action.REMARK and data.value not in {
        view.model.elements[e].chapter_id for e in view.element_ids
    }:
        return Refusal.INVALID
    return view, None


async def _move_below(context: BotContext, user_id: int, view: SurveyView, language: str) -> None:
    """Show the survey in a fresh message at the bottom of the chat and retire the old one."""
    texts = context.runtime.texts
    if view.message_id is not None:
        await replies.retire(context, user_id, view.message_id, texts.render(language, "stale"))
    sent = await replies.send(context, user_id, screens.question(texts, language, view))
    if sent is not None:
        async with context.runtime.repository() as repo:
            await survey.remember_message(repo, user_id, view.cycle_id, sent.message_id)


async def show_anew(context: BotContext, user_id: int, cycle_id: int, language: str) -> bool:
    """Send the person's current position in `cycle_id` as a new message; False if none."""
    runtime = context.runtime
    async with runtime.repository() as repo:
        view = await survey.show(repo, user_id, cycle_id, runtime.clock.now())
    if isinstance(view, Refusal):
        return False
    await _move_below(context, user_id, view, language)
    return True


async def on_resume(update: Update, context: BotContext) -> SurveyState | None:
    """/resume: continue the open survey, or choose when there are several."""
    user = update.effective_user
    assert user is not None
    runtime = context.runtime
    async with runtime.repository() as repo:
        language = await _language(repo, user, runtime.settings.default_language)
        open_surveys = await survey.open_surveys(repo, user.id, runtime.clock.now())
    if not open_surveys:
        await replies.send_text(context, user.id, runtime.texts.render(language, "no_open_survey"))
        return None
    if len(open_surveys) == 1:
        await show_anew(context, user.id, open_surveys[0][0].id, language)
        return SurveyState.ANSWERING
    rows = [[(("✅ " if done else "") + team.name, callbacks.for_cycle(Action.RESUME, cycle.id))]
            for cycle, team, done in open_surveys]
    await replies.send(context, user.id, screens.Screen(
        runtime.texts.render(language, "choose_survey"), screens.keyboard(rows)))
    return SurveyState.ANSWERING


def _prompt(context: BotContext, language: str, view: SurveyView, data: Callback) -> screens.Screen:
    """Ask for the remark on a chapter or the example behind a topic's level; the next text
    message is that remark or example."""
    texts = context.runtime.texts
    context.cursor.remark_cycle_id = view.cycle_id
    if data.action is Action.REMARK:
        context.cursor.remark_chapter_id = data.value
        return screens.Screen(texts.render(language, "remark_ask",
                                           chapter=view.model.chapter(data.value)))
    context.cursor.remark_chapter_id = EXAMPLE_MARK + str(data.index)
    element = view.element
    signs = getattr(element, "signs", None)  # the catalog's observable signs, once it has them
    return screens.Screen(texts.render(
        language, "example_ask", element=element, level=view.current_answer,
        signs=list(signs(language)) if callable(signs) else []))


EXAMPLE_MARK = "#"  # the typed reply is an example for topic <index>, not a chapter's remark


async def on_remark_text(update: Update, context: BotContext) -> SurveyState:
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    cursor, runtime = context.cursor, context.runtime
    cycle_id, key = cursor.remark_cycle_id, cursor.remark_chapter_id
    cursor.remark_cycle_id = cursor.remark_chapter_id = None
    if cycle_id is None or key is None:
        return SurveyState.ANSWERING
    now = runtime.clock.now()
    async with runtime.repository() as repo:
        language = await _language(repo, user, runtime.settings.default_language)
        if key.startswith(EXAMPLE_MARK):
            view = await survey.save_example(
                repo, user.id, cycle_id, int(key[1:]), message.text or "", now)
        else:
            view = await survey.save_remark(repo, user.id, cycle_id, key, message.text or "", now)
    texts = runtime.texts
    if isinstance(view, Refusal):
        await replies.send_text(context, user.id, texts.render(
            language, "refusal", reason=view.value))
        return SurveyState.ANSWERING
    if key.startswith(EXAMPLE_MARK):
        element = view.model.elements[view.element_ids[int(key[1:])]]
        await replies.send_text(context, user.id, texts.render(language, "example_saved",
                                                               element=element))
    else:
        await replies.send_text(context, user.id, texts.render(
            language, "remark_saved", chapter=view.model.chapter(key)))
    await show_anew(context, user.id, cycle_id, language)
    return SurveyState.ANSWERING


async def on_skip_remark(update: Update, context: BotContext) -> SurveyState:
    user = update.effective_user
    assert user is not None
    cycle_id = context.cursor.remark_cycle_id
    context.cursor.remark_cycle_id = context.cursor.remark_chapter_id = None
    runtime = context.runtime
    async with runtime.repository() as repo:
        language = await _language(repo, user, runtime.settings.default_language)
    if cycle_id is not None:
        await show_anew(context, user.id, cycle_id, language)
    return SurveyState.ANSWERING


def build_survey_conversation() -> ConversationHandler[BotContext]:
    buttons: Handler = CallbackQueryHandler(on_button, pattern=SURVEY_BUTTONS)
    resume: Handler = CommandHandler("resume", on_resume)
    with warnings.catch_warnings():
        # Buttons carry their own state, so tracking the conversation per chat (not per message)
        # is intended; PTB warns about that combination.
        warnings.simplefilter("ignore", PTBUserWarning)
        return ConversationHandler(
            entry_points=[buttons, resume],
            states={
                SurveyState.ANSWERING: [buttons, resume],
                SurveyState.WRITING_REMARK: [
                    handler(MessageHandler(filters.TEXT & ~filters.COMMAND, on_remark_text)),
                    handler(CommandHandler("skip", on_skip_remark)),
                    buttons,
                    resume,
                ],
            },
            fallbacks=[],
            allow_reentry=True,
            name="survey",
        )
