"""The meeting starts with the past: one message in the group, edited in place, that walks the
team's open actions (what, owner, due date, status, last note) until the chair has decided on
each: done, extend, drop or keep. The decisions are changes of the actions themselves
(`bot.services.action_review`), so `/actions` and the owners see them.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.services import action_review
from bot.services.meeting import MeetingRefused, Started
from bot.services.permissions import PermissionsError
from bot.telegram import replies
from bot.telegram.runtime import BotContext
from conversations import callbacks
from conversations.group.group_chat import edit_in_group, language_in_group, send_to_group
from conversations.handlers import Handler
from conversations.screens import Screen, keyboard


def _screen(context: BotContext, language: str | None, item: action_review.ReviewItem | None,
            decided: list[tuple[str, str]] | None = None) -> Screen:
    texts = context.runtime.texts
    w = texts.words(language, "action_words")
    text = texts.render(language, "meeting_review", item=item, w=w, decided=decided or [])
    if item is None:
        return Screen(text)
    labels = w.review
    return Screen(text, keyboard([[
        (labels[choice], callbacks.MeetingReview(item.meeting_id, item.action_id, choice))
        for choice in action_review.CHOICES]]))


async def post(context: BotContext, started: Started, actor_id: int) -> None:
    """After `/meeting` showed the meeting: the first open action, if any (silent otherwise)."""
    runtime = context.runtime
    async with runtime.repository() as repo:
        item = await action_review.next_item(repo, actor_id, started.group.chat_id,
                                             started.meeting_id)
        language = started.group.language
    if item is not None:
        await send_to_group(context, started.group.chat_id, _screen(context, language, item))


async def on_review_button(update: Update, context: BotContext) -> None:
    """A decision; the message then shows the next open action, or that all are decided."""
    query = update.callback_query
    assert query is not None and query.message is not None
    data = callbacks.parse(query.data)
    chat_id, user_id = query.message.chat.id, query.from_user.id
    runtime = context.runtime
    toast: str | None = None
    language: str | None = None
    try:
        language = await language_in_group(update, context)
        if not isinstance(data, callbacks.MeetingReview):
            toast = runtime.texts.render(language, "refusal", reason="invalid")
            return
        async with runtime.repository() as repo:
            await action_review.decide(repo, user_id, chat_id, data.meeting_id, data.action_id,
                                       data.choice, runtime.clock.now())
            item = await action_review.next_item(repo, user_id, chat_id, data.meeting_id)
            decided = (await action_review.decisions(repo, user_id, chat_id, data.meeting_id)
                       if item is None else [])
        await edit_in_group(context, chat_id, query.message.message_id,
                            _screen(context, language, item, decided))
    except (PermissionsError, MeetingRefused) as refusal:
        kind = refusal.refusal.value if isinstance(refusal, MeetingRefused) else "not_manager"
        toast = runtime.texts.render(language, "meeting_note", kind=kind)
    finally:
        await replies.acknowledge(query, toast)


def build_action_review_handlers() -> list[Handler]:
    return [CallbackQueryHandler(on_review_button,
                                 pattern=callbacks.pattern_for(callbacks.MeetingReview))]
