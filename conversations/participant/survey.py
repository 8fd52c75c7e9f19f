"""The participant answering a survey: one message edited in place, element after element.

A tap is acknowledged last, after its answer is committed and the next screen is shown: the spinner
on the person's button is the promise that nothing was lost.

Every button is self-contained (see `callbacks`), so the handlers below need no conversation
state. Only "add a remark" and "add an example" wait for typed text: they store a
`positions.ChapterRemark` or `positions.TopicExample` in the tap's unit of work, and
`conversations.typed` routes the next text to `on_remark_text` / `on_example_text`. No other tap
touches the positions table, so answering costs no statement more (the offers to add a remark or
an example are buttons on the next screen); the prompts have no buttons, and are left by typing,
by /skip, or by /resume.
"""

from __future__ import annotations

from datetime import datetime

from telegram import Update, User
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.db.repositories import Repository
from bot.rendering.texts import Texts
from bot.services import positions, survey
from bot.services.survey import AnswerRefusal, SurveyView
from bot.telegram import replies
from bot.telegram.runtime import BotContext
from conversations import callbacks, screens
from conversations.handlers import Handler
from domain.catalog import Chapter
from domain.scoring import DONT_KNOW

SURVEY_BUTTONS = callbacks.SURVEY.pattern
Reviewing = callbacks.ReviewView | callbacks.ReviewAnswer | callbacks.ReviewPause
"""Buttons of someone changing an answer from the summary, which they lead back to."""


async def _language(repo: Repository, user: User, default: str) -> str:
    return await repo.language(user.id) or default


async def on_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    runtime, user = context.runtime, update.effective_user
    message = query.message
    data = callbacks.SURVEY.read(query.data)
    now = runtime.clock.now()
    async with runtime.repository() as repo:
        result = await _apply(repo, user.id, data, message.message_id if message else None, now)
        if isinstance(result, AnswerRefusal) or result[0].language is None:
            language = await _language(repo, user, runtime.settings.default_language)
        else:
            language = result[0].language
        if data is not None and not isinstance(result, AnswerRefusal):
            await _expect_text(repo, user.id, data, result[0], now)  # before the prompt shows
    texts = runtime.texts
    if isinstance(result, AnswerRefusal) or data is None:
        reason = result if isinstance(result, AnswerRefusal) else AnswerRefusal.INVALID
        if reason is AnswerRefusal.STALE and message is not None:
            if getattr(message, "reply_markup", None):  # not retired yet (Telegram sends it as is)
                await replies.retire(context, user.id, message.message_id,
                                     texts.render(language, "stale"))
            await show_anew(context, user.id, data.cycle_id if data else 0, language)
        await replies.acknowledge(query, texts.render(language, "refusal", reason=reason.value))
        return
    view, finished_chapter = result
    if isinstance(data, callbacks.Remark | callbacks.AddExample):
        if message is not None:
            await replies.edit(context, user.id, message.message_id,
                               _prompt(texts, language, view, data))
        await replies.acknowledge(query)
        return
    if isinstance(data, callbacks.Resume):
        await _move_below(context, user.id, view, language)
        await replies.acknowledge(query)
        return
    if message is not None:
        await replies.edit(context, user.id, message.message_id,
                           _screen_after(texts, language, view, data, finished_chapter))
    await replies.acknowledge(query)


async def _expect_text(
    repo: Repository, user_id: int, data: callbacks.SurveyButton, view: SurveyView, now: datetime
) -> None:
    if isinstance(data, callbacks.Remark):
        await positions.expect(repo, user_id,
                               positions.ChapterRemark(view.cycle_id, data.chapter_id), now)
    elif isinstance(data, callbacks.AddExample):
        await positions.expect(repo, user_id, positions.TopicExample(view.cycle_id, data.index),
                               now)


def _screen_after(
    texts: Texts, language: str, view: SurveyView, data: callbacks.SurveyButton,
    finished: Chapter | None,
) -> screens.Screen:
    """What a stored tap leads to, shown in place of the message that was tapped."""
    if isinstance(data, callbacks.Pause):
        return screens.paused(texts, language, view)
    if isinstance(data, callbacks.ReviewPause):
        return screens.paused(texts, language, view, data.index)
    if isinstance(data, callbacks.Confirm):
        return screens.Screen(texts.render(
            language, "confirmed", team=view.team_name, deadline=view.deadline,
            timezone=view.timezone,
        ))
    if isinstance(data, callbacks.Overview) and view.index is None:  # once all are answered
        return screens.summary(texts, language, view, page=data.page)
    if isinstance(data, callbacks.Answer | callbacks.ReviewAnswer):
        # The answered topic may get an example, a finished chapter a remark: offered on the
        # next screen, so that skipping them costs nothing.
        offer = screens.Offer(
            data.index if data.level not in (None, DONT_KNOW) else None, finished)
        if isinstance(data, callbacks.ReviewAnswer) and view.index is None:
            return screens.summary(texts, language, view, screens.page_of(view, data.index),
                                   offer)
        return screens.question(texts, language, view, offer)
    return screens.question(texts, language, view, review=isinstance(data, Reviewing),
                            signs=isinstance(data, callbacks.Signs))


async def _apply(
    repo: Repository, user_id: int, data: callbacks.SurveyButton | None, message_id: int | None,
    now: datetime,
) -> tuple[SurveyView, Chapter | None] | AnswerRefusal:
    """Carry out one tap inside the unit of work; nothing is shown before it is committed."""
    if data is None:
        return AnswerRefusal.INVALID
    if isinstance(data, callbacks.Answer | callbacks.ReviewAnswer):
        outcome = await survey.answer(
            repo, user_id, data.cycle_id, data.index, data.level, message_id, now
        )
        if isinstance(outcome, AnswerRefusal):
            return outcome
        return outcome.view, outcome.finished_chapter
    if isinstance(data, callbacks.Confirm):
        confirmed = await survey.confirm(repo, user_id, data.cycle_id, now)
        return confirmed if isinstance(confirmed, AnswerRefusal) else (confirmed, None)
    index = (data.index if isinstance(data, callbacks.View | callbacks.ReviewView
                                      | callbacks.AddExample | callbacks.Signs) else None)
    view = await survey.show(repo, user_id, data.cycle_id, now, index)
    if isinstance(view, AnswerRefusal):
        return view
    stale_possible = not isinstance(data, callbacks.Resume)
    if stale_possible and message_id is not None and view.message_id not in (None, message_id):
        return AnswerRefusal.STALE
    if isinstance(data, callbacks.Remark) and data.chapter_id not in {
        view.model.elements[e].chapter_id for e in view.element_ids
    }:
        return AnswerRefusal.INVALID
    return view, None


async def _move_below(context: BotContext, user_id: int, view: SurveyView, language: str,
                      offer: screens.Offer = screens.NO_OFFER) -> None:
    """Show the survey in a fresh message at the bottom of the chat and retire the old one."""
    texts = context.runtime.texts
    if view.message_id is not None:
        await replies.retire(context, user_id, view.message_id, texts.render(language, "stale"))
    sent = await replies.send(context, user_id, screens.question(texts, language, view, offer))
    if sent is not None:
        async with context.runtime.repository() as repo:
            await survey.remember_message(repo, user_id, view.cycle_id, sent.message_id)


async def show_anew(context: BotContext, user_id: int, cycle_id: int, language: str,
                    example_of: int | None = None) -> bool:
    """Send the person's current position in `cycle_id` as a new message; False if none.

    After an example for topic `example_of`, the remark on its chapter is offered again when
    that topic finished the chapter: the screen that offered the example offered the remark too,
    and writing one must not cost the other (remarks are what the meeting shows)."""
    runtime = context.runtime
    async with runtime.repository() as repo:
        view = await survey.show(repo, user_id, cycle_id, runtime.clock.now())
    if isinstance(view, AnswerRefusal):
        return False
    offer = screens.NO_OFFER if example_of is None else _remark_after(view, example_of)
    await _move_below(context, user_id, view, language, offer)
    return True


def _remark_after(view: SurveyView, index: int) -> screens.Offer:
    """The remark offer that came with the example's screen: the topic at `index` is the last of
    its chapter in this scope and every topic of the chapter is answered."""
    if not 0 <= index < len(view.element_ids):
        return screens.NO_OFFER
    chapter = view.model.chapter(view.model.elements[view.element_ids[index]].chapter_id)
    in_scope = [e for e in chapter.element_ids if e in view.element_ids]
    finished = in_scope[-1] == view.element_ids[index] and all(e in view.answers
                                                               for e in in_scope)
    return screens.Offer(None, chapter) if finished else screens.NO_OFFER


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


def _prompt(
    texts: Texts, language: str, view: SurveyView, data: callbacks.SurveyButton
) -> screens.Screen:
    """Ask for the remark on a chapter or the example behind a topic's level."""
    if isinstance(data, callbacks.Remark):
        return screens.Screen(texts.render(language, "remark_ask",
                                           chapter=view.model.chapter(data.chapter_id)))
    element = view.element  # its observable signs are hints for what to write
    return screens.Screen(texts.render(
        language, "example_ask", element=element, level=view.current_answer,
        signs=element.signs(language)))


async def on_remark_text(
    update: Update, context: BotContext, expected: positions.ChapterRemark
) -> None:
    """The remark typed after "add a remark" (routed here by `conversations.typed`)."""
    await _save_typed(update, context, expected)


async def on_example_text(
    update: Update, context: BotContext, expected: positions.TopicExample
) -> None:
    """The one-line example typed after "an example for …?" (routed by `conversations.typed`)."""
    await _save_typed(update, context, expected)


async def _save_typed(
    update: Update, context: BotContext,
    expected: positions.ChapterRemark | positions.TopicExample,
) -> None:
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    runtime = context.runtime
    text, now = message.text or "", runtime.clock.now()
    async with runtime.repository() as repo:  # saved and no longer expected, in one go
        await positions.clear(repo, user.id)
        language = await _language(repo, user, runtime.settings.default_language)
        if isinstance(expected, positions.TopicExample):
            view = await survey.save_example(repo, user.id, expected.cycle_id, expected.index,
                                             text, now)
        else:
            view = await survey.save_remark(repo, user.id, expected.cycle_id,
                                            expected.chapter_id, text, now)
    texts = runtime.texts
    if isinstance(view, AnswerRefusal):
        await replies.send_text(context, user.id, texts.render(
            language, "refusal", reason=view.value))
        return
    if isinstance(expected, positions.TopicExample):
        saved = texts.render(language, "example_saved",
                             element=view.model.elements[view.element_ids[expected.index]])
    else:
        saved = texts.render(language, "remark_saved",
                             chapter=view.model.chapter(expected.chapter_id))
    await replies.send_text(context, user.id, saved)
    example_of = expected.index if isinstance(expected, positions.TopicExample) else None
    await show_anew(context, user.id, expected.cycle_id, language, example_of)


async def on_skip_remark(
    update: Update, context: BotContext,
    expected: positions.ChapterRemark | positions.TopicExample,
) -> None:
    """/skip instead of the remark or example: back to the survey, nothing saved."""
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
