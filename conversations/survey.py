"""The participant answering a survey: one message edited in place, element after element.

A tap is acknowledged last, after its answer is committed and the next screen is shown: the spinner
on the person's button is the promise that nothing was lost.

Every button is self-contained (see `callbacks`), so the handlers below need no conversation
state. Only "add a remark" waits for typed text: it stores a `positions.ChapterRemark` in the tap's
unit of work, and `conversations.typed` routes the next text to `on_remark_text`. No other tap
touches the positions table, so answering costs no statement more: the remark screen has no
buttons, and the remark is left by typing it, by /skip, or by /resume.
"""

from __future__ import annotations

from datetime import datetime

from telegram import Update, User
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.db.repositories import Repository
from bot.runtime import BotContext
from bot.services import positions, survey
from bot.services.survey import Refusal, SurveyView
from conversations import callbacks, replies, screens
from conversations.handlers import Handler
from domain.catalog import Chapter

SURVEY_BUTTONS = callbacks.pattern_for(
    callbacks.Answer, callbacks.View, callbacks.Pause, callbacks.Resume, callbacks.Remark,
    callbacks.Continue, callbacks.Confirm,
)


async def _language(repo: Repository, user: User, default: str) -> str:
    return await repo.language(user.id) or default


async def on_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    runtime, user = context.runtime, update.effective_user
    message = query.message
    parsed = callbacks.parse(query.data)
    data = parsed if isinstance(parsed, callbacks.SurveyButton) else None
    now = runtime.clock.now()
    async with runtime.repository() as repo:
        result = await _apply(repo, user.id, data, message.message_id if message else None, now)
        if isinstance(result, Refusal) or result[0].language is None:
            language = await _language(repo, user, runtime.settings.default_language)
        else:
            language = result[0].language
        if isinstance(data, callbacks.Remark) and not isinstance(result, Refusal):
            await positions.expect(repo, user.id, positions.ChapterRemark(
                result[0].cycle_id, data.chapter_id), now)  # committed before the question shows
    texts = runtime.texts
    if isinstance(result, Refusal) or data is None:
        reason = result if isinstance(result, Refusal) else Refusal.INVALID
        if reason is Refusal.STALE and message is not None:
            if getattr(message, "reply_markup", None):  # not retired yet (Telegram sends it as is)
                await replies.retire(context, user.id, message.message_id,
                                     texts.render(language, "stale"))
            await show_anew(context, user.id, data.cycle_id if data else 0, language)
        await replies.acknowledge(query, texts.render(language, "refusal", reason=reason.value))
        return
    view, finished_chapter = result
    if isinstance(data, callbacks.Remark):
        chapter = view.model.chapter(data.chapter_id)
        screen = screens.Screen(texts.render(language, "remark_ask", chapter=chapter))
        if message is not None:
            await replies.edit(context, user.id, message.message_id, screen)
        await replies.acknowledge(query)
        return
    if isinstance(data, callbacks.Resume):
        await _move_below(context, user.id, view, language)
        await replies.acknowledge(query)
        return
    if isinstance(data, callbacks.Pause):
        screen = screens.paused(texts, language, view)
    elif isinstance(data, callbacks.Confirm):
        screen = screens.Screen(texts.render(
            language, "confirmed", team=view.team_name, deadline=view.deadline,
            timezone=view.timezone,
        ))
    elif finished_chapter is not None:
        screen = screens.chapter_done(texts, language, view, finished_chapter)
    else:
        screen = screens.question(texts, language, view)
    if message is not None:
        await replies.edit(context, user.id, message.message_id, screen)
    await replies.acknowledge(query)


async def _apply(
    repo: Repository, user_id: int, data: callbacks.SurveyButton | None, message_id: int | None,
    now: datetime,
) -> tuple[SurveyView, Chapter | None] | Refusal:
    """Carry out one tap inside the unit of work; nothing is shown before it is committed."""
    if data is None:
        return Refusal.INVALID
    if isinstance(data, callbacks.Answer):
        outcome = await survey.answer(
            repo, user_id, data.cycle_id, data.index, data.level, message_id, now
        )
        if isinstance(outcome, Refusal):
            return outcome
        return outcome.view, outcome.finished_chapter
    if isinstance(data, callbacks.Confirm):
        confirmed = await survey.confirm(repo, user_id, data.cycle_id, now)
        return confirmed if isinstance(confirmed, Refusal) else (confirmed, None)
    index = data.index if isinstance(data, callbacks.View) else None
    view = await survey.show(repo, user_id, data.cycle_id, now, index)
    if isinstance(view, Refusal):
        return view
    stale_possible = isinstance(
        data, callbacks.View | callbacks.Pause | callbacks.Continue | callbacks.Remark)
    if stale_possible and message_id is not None and view.message_id not in (None, message_id):
        return Refusal.STALE
    if isinstance(data, callbacks.Remark) and data.chapter_id not in {
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


async def on_resume(update: Update, context: BotContext) -> None:
    """/resume: continue the open survey, or choose when there are several."""
    user = update.effective_user
    assert user is not None
    runtime = context.runtime
    async with runtime.repository() as repo:
        await positions.clear(repo, user.id)  # back to the buttons: a remark is no longer typed
        language = await _language(repo, user, runtime.settings.default_language)
        open_surveys = await survey.open_surveys(repo, user.id, runtime.clock.now())
    if not open_surveys:
        await replies.send_text(context, user.id, runtime.texts.render(language, "no_open_survey"))
        return
    if len(open_surveys) == 1:
        await show_anew(context, user.id, open_surveys[0][0].id, language)
        return
    rows = [[(("✅ " if done else "") + team.name, callbacks.Resume(cycle.id))]
            for cycle, team, done in open_surveys]
    await replies.send(context, user.id, screens.Screen(
        runtime.texts.render(language, "choose_survey"), screens.keyboard(rows)))


async def on_remark_text(
    update: Update, context: BotContext, expected: positions.ChapterRemark
) -> None:
    """The remark typed after "add a remark" (routed here by `conversations.typed`)."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    runtime = context.runtime
    async with runtime.repository() as repo:  # saved and no longer expected, in one go
        await positions.clear(repo, user.id)
        language = await _language(repo, user, runtime.settings.default_language)
        view = await survey.save_remark(repo, user.id, expected.cycle_id, expected.chapter_id,
                                        message.text or "", runtime.clock.now())
    texts = runtime.texts
    if isinstance(view, Refusal):
        await replies.send_text(context, user.id, texts.render(
            language, "refusal", reason=view.value))
        return
    chapter = view.model.chapter(expected.chapter_id)
    await replies.send_text(context, user.id, texts.render(language, "remark_saved",
                                                           chapter=chapter))
    await show_anew(context, user.id, expected.cycle_id, language)


async def on_skip_remark(
    update: Update, context: BotContext, expected: positions.ChapterRemark
) -> None:
    """/skip instead of the remark: back to the survey, nothing saved."""
    user = update.effective_user
    assert user is not None
    runtime = context.runtime
    async with runtime.repository() as repo:
        await positions.clear(repo, user.id)
        language = await _language(repo, user, runtime.settings.default_language)
    await show_anew(context, user.id, expected.cycle_id, language)


def build_survey_handlers() -> list[Handler]:
    return [CallbackQueryHandler(on_button, pattern=SURVEY_BUTTONS),
            CommandHandler("resume", on_resume)]
