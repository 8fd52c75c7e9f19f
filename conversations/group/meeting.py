"""The management-team meeting in the team's group: `/meeting`, its buttons and the chair's replies.

A thin translator: parse, call `services.meeting`, render what is stored, edit the one message.
Telegram allows a bot 20 new messages a minute in a group, so the meeting lives in one message
that every step edits; a new message appears only when the meeting starts or is resumed (shown
anew at the bottom of the chat, the old one retired with a note), for a refusal of a command,
and for the summary at the end. Taps come from several people at once and are handled
concurrently: each edit renders the database as it is after the tap's commit, and then checks
that the message still shows the latest state, editing once more if another tap overtook it, so
the last edit always shows every vote. "Message is not modified" is success (`replies.edit`).
With privacy mode on the bot sees only replies to its own messages, so the chair's reason and
action are replies to the meeting's message, read through a position keyed by person *and* chat;
any other manager's reply, or `/reason`, is `conversations.group.meeting_reasons`'.
"""

from __future__ import annotations

import asyncio
import json

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.services import action_review as review_service
from bot.services import groups
from bot.services import meeting as service
from bot.services.meeting import MeetingRefused, Started
from bot.services.meeting_view import MeetingView, unfinished_view, view
from bot.services.permissions import PermissionsError
from bot.services.positions import MeetingAction, MeetingReason
from bot.telegram import replies
from bot.telegram.runtime import AlreadyHandled, BotContext
from conversations import callbacks, managing
from conversations.group import action_review
from conversations.group.group_chat import (
    edit_in_group,
    language_in_group,
    say_in_group,
    send_to_group,
)
from conversations.group.meeting_screens import meeting as meeting_screen
from conversations.group.meeting_screens import summary
from conversations.handlers import Handler
from conversations.screens import Screen
from domain import meeting as steps

MAX_EDIT_ROUNDS = 3


def _note(context: BotContext, language: str | None, kind: str, **extra: object) -> str:
    return context.runtime.texts.render(language, "meeting_note", kind=kind, **extra)


async def on_meeting_command(update: Update, context: BotContext) -> None:
    """`/meeting [element]` in the group: start or resume (managers of the linked team only)."""
    chat, user = update.effective_chat, update.effective_user
    assert chat is not None and user is not None
    runtime = context.runtime
    if chat.type == chat.PRIVATE:
        language = await replies.language_of(update, context)
        await replies.send_text(context, user.id, _note(context, language, "in_group"))
        return
    add = context.args[0] if context.args else None
    try:
        async with runtime.repository() as repo:
            started = await service.start(repo, user.id, chat.id, runtime.clock.now(), add)
    except (PermissionsError, MeetingRefused) as refusal:
        await say_in_group(update, context, "meeting_note", kind=_kind(refusal))
        return
    await present(context, started)
    await action_review.post(context, started, user.id)


def _kind(refusal: Exception) -> str:
    return refusal.refusal.value if isinstance(refusal, MeetingRefused) else "not_manager"


async def present(context: BotContext, started: Started) -> bool:
    """Show the meeting in a new message at the bottom of the group's chat; False when Telegram
    refused it there (the bot was removed, and its link is left)."""
    runtime = context.runtime
    async with runtime.repository() as repo:
        shown = await view(repo, started.meeting_id)
    if started.old_message_id is not None:
        await replies.retire(context, shown.chat_id, started.old_message_id,
                             _note(context, shown.language, "moved"))
    return await _post(context, shown)


async def _post(context: BotContext, shown: MeetingView) -> bool:
    """The meeting in a new message in its group's chat, remembered as the one to edit."""
    runtime = context.runtime
    screen = meeting_screen(runtime.texts, shown)
    message = await send_to_group(context, shown.chat_id, screen)
    async with runtime.repository() as repo:
        await service.shown_in(repo, shown.meeting_id, message.message_id if message else None)
    RENDERING.remember(shown.meeting_id, message.message_id if message else None, screen)
    await refresh(context, shown.meeting_id, screen)
    return message is not None


async def show_in_supergroup(context: BotContext, old_chat_id: int,
                             moved: groups.MovedMeeting) -> None:
    """The group became a supergroup mid-meeting: the meeting is posted anew in the new chat,
    as it was, and its old message says where it went, if Telegram still lets the bot edit in
    the old chat (it usually refuses: one try, never retried)."""
    shown = await _read(context, moved.meeting_id)
    if moved.old_message_id is not None:
        await replies.retire(context, old_chat_id, moved.old_message_id,
                             _note(context, shown.language, "moved_to_supergroup"))
    await _post(context, shown)


def _key(screen: Screen) -> str:
    markup = screen.keyboard.to_dict() if screen.keyboard else None
    return json.dumps([screen.text, markup], sort_keys=True)


def _same(one: Screen, other: Screen) -> bool:
    return _key(one) == _key(other)


class _Rendering:
    """Per process and event loop, an optimisation only: one render of a meeting at a time, and
    what this process last put in its message. Eight votes at once then become a few edits
    instead of eight, most of them "not modified". Nothing depends on it: a restarted or other
    worker starts empty and at worst edits to what the message shows already (success). Keyed
    by the running loop too: an asyncio lock belongs to the loop it first waited in, and a bot
    started again in the same process (the demo, the tests) runs in a new one."""

    def __init__(self) -> None:
        self.locks: dict[tuple[int, int], asyncio.Lock] = {}
        self.shown: dict[tuple[int, int], tuple[int, str]] = {}

    @staticmethod
    def _key(meeting_id: int) -> tuple[int, int]:
        return id(asyncio.get_running_loop()), meeting_id

    def lock(self, meeting_id: int) -> asyncio.Lock:
        if len(self.locks) > 1000:  # meetings long over; an idle lock is free to drop
            self.locks = {k: v for k, v in self.locks.items() if v.locked()}
            self.shown = {k: v for k, v in self.shown.items() if k in self.locks}
        return self.locks.setdefault(self._key(meeting_id), asyncio.Lock())

    def knows(self, meeting_id: int) -> bool:
        return self._key(meeting_id) in self.shown

    def showing(self, meeting_id: int, message_id: int, screen: Screen) -> bool:
        return self.shown.get(self._key(meeting_id)) == (message_id, _key(screen))

    def remember(self, meeting_id: int, message_id: int | None, screen: Screen) -> None:
        if message_id is not None:
            self.shown[self._key(meeting_id)] = (message_id, _key(screen))


RENDERING = _Rendering()


async def _read(context: BotContext, meeting_id: int) -> MeetingView:
    async with context.runtime.repository() as repo:
        return await view(repo, meeting_id)


async def refresh(context: BotContext, meeting_id: int, showing: Screen | None = None) -> None:
    """Make the meeting's message show what is stored (see the module docstring on races);
    `showing` is what the message is known to show already (just sent, or read before the
    step): not edited again."""
    texts = context.runtime.texts
    async with RENDERING.lock(meeting_id):
        current = await _read(context, meeting_id)
        for _ in range(MAX_EDIT_ROUNDS):
            if current.state.finished or current.message_id is None:
                return
            screen = meeting_screen(texts, current)
            if RENDERING.showing(meeting_id, current.message_id, screen) or (
                    showing is not None and _same(screen, showing)):
                return
            showing = None
            shown = await edit_in_group(context, current.chat_id, current.message_id, screen)
            RENDERING.remember(meeting_id, shown, screen)
            if shown != current.message_id:  # the message was gone: a new one shows it
                async with context.runtime.repository() as repo:
                    await service.shown_in(repo, meeting_id, shown)
            latest = await _read(context, meeting_id)
            if latest.message_id == shown and _same(meeting_screen(texts, latest), screen):
                return
            current = latest


async def _shown(context: BotContext, meeting_id: int, chat_id: int) -> Screen | None:
    """What the message shows before a step (taps that change nothing visible edit nothing:
    Telegram would answer "not modified"); None for a meeting of another group or none."""
    async with context.runtime.repository() as repo:
        before = await unfinished_view(repo, meeting_id, chat_id)
    return meeting_screen(context.runtime.texts, before) if before else None


async def _finish(context: BotContext, meeting_id: int) -> None:
    """Retire the meeting's message and post the summary (the one other new message)."""
    finished = await _read(context, meeting_id)
    if finished.message_id is not None:
        await replies.retire(context, finished.chat_id, finished.message_id,
                             _note(context, finished.language, "finished"))
    await send_to_group(context, finished.chat_id, Screen(summary(context.runtime.texts, finished)))


async def on_meeting_button(update: Update, context: BotContext) -> None:
    """Any meeting button: the service decides whether this person may; a refusal is a toast."""
    query = update.callback_query
    assert query is not None and query.message is not None
    data = callbacks.MEETING.read(query.data)
    chat_id, user_id = query.message.chat.id, query.from_user.id
    runtime = context.runtime
    now = runtime.clock.now()
    toast: str | None = None
    language: str | None = None
    answering = True
    try:
        language = await language_in_group(update, context)
        before = (await _shown(context, data.meeting_id, chat_id)
                  if data is not None and not RENDERING.knows(data.meeting_id)
                  else None)
        async with runtime.repository() as repo:
            match data:
                case callbacks.MeetingVote(meeting_id=m, element_id=e, level=level):
                    await service.vote(repo, user_id, chat_id, m, e, level)
                    toast = _note(context, language, "voted", level=level)
                case callbacks.MeetingReveal(meeting_id=m, element_id=e):
                    await service.steer(repo, user_id, chat_id, m,
                                        lambda s, _: steps.reveal(s), e)
                case callbacks.MeetingAgree(meeting_id=m, element_id=e, level=level):
                    await service.agree(repo, user_id, chat_id, m, e, level, now)
                case callbacks.MeetingGo(meeting_id=m, element_id=e, step=step):
                    await service.steer(repo, user_id, chat_id, m, _MOVES[step], e)
                case callbacks.MeetingPause(meeting_id=m):
                    await service.steer(repo, user_id, chat_id, m, service.pause_at(now))
                case callbacks.MeetingResume(meeting_id=m):
                    await service.steer(repo, user_id, chat_id, m, lambda s, _: steps.resume(s))
                case callbacks.MeetingFinish(meeting_id=m):
                    await service.steer(repo, user_id, chat_id, m, service.finish_at(now))
                    await review_service.plan_we_did(repo, m, now)
                case callbacks.MeetingAction(meeting_id=m, element_id=e):
                    await service.ask_action(repo, user_id, chat_id, m, e, now)
                case callbacks.MeetingOwner(meeting_id=m, action_id=a, user_id=owner):
                    await service.change_action(repo, user_id, chat_id, a, now, owner_id=owner)
                case callbacks.MeetingDue(meeting_id=m, action_id=a, days=days):
                    await service.change_action(repo, user_id, chat_id, a, now,
                                                due_in_days=days)
                case _:
                    toast = runtime.texts.render(language, "refusal", reason="invalid")
                    return
        if isinstance(data, callbacks.MeetingFinish):
            await _finish(context, data.meeting_id)
        else:
            await refresh(context, m, before)
    except (PermissionsError, MeetingRefused) as refusal:
        toast = _note(context, language, _kind(refusal))
    except AlreadyHandled:
        # a redelivered tap: its first delivery answered it, and Telegram refuses a second answer
        answering = False
        raise
    finally:
        if answering:
            await replies.acknowledge(query, toast)


_MOVES: dict[str, service.Transition] = {
    "next": steps.forward, "back": steps.back, "later": steps.later,
    "skip": lambda s, agreed: steps.skip(s, s.current or "", agreed),
}


async def on_reason(update: Update, context: BotContext, position: MeetingReason) -> None:
    await _typed(update, context, position)


async def on_action_text(update: Update, context: BotContext, position: MeetingAction) -> None:
    await _typed(update, context, position)


async def _typed(
    update: Update, context: BotContext, position: MeetingReason | MeetingAction
) -> None:
    """The chair's reply in the group: the reason of an agreed level, or what an action is."""
    message, user, chat = update.effective_message, update.effective_user, update.effective_chat
    assert message is not None and user is not None and chat is not None
    text = (message.text or "").strip()
    if not text:
        return
    runtime = context.runtime
    before = (await _shown(context, position.meeting_id, chat.id)
              if not RENDERING.knows(position.meeting_id) else None)
    try:
        async with runtime.repository() as repo:
            if isinstance(position, MeetingReason):
                await service.give_reason(repo, user.id, chat.id, position, text,
                                          runtime.clock.now())
            else:
                await service.add_action(repo, user.id, chat.id, position, text,
                                         runtime.clock.now())
    except (PermissionsError, MeetingRefused) as refusal:  # e.g. no longer a manager
        await say_in_group(update, context, "meeting_note", kind=_kind(refusal))
        return
    await refresh(context, position.meeting_id, before)


async def _start_from_report(
    update: Update, context: BotContext, data: callbacks.StartMeeting, language: str
) -> None:
    """The private report's button: the same start, in the team's linked group."""
    user = update.effective_user
    assert user is not None
    runtime = context.runtime
    async with runtime.repository() as repo:
        link = await groups.team_group(repo, user.id, data.team_id)
    if link is None:
        await replies.send_text(context, user.id, _note(context, language, "in_group"))
        return
    try:
        async with runtime.repository() as repo:
            started = await service.start(repo, user.id, link.chat_id, runtime.clock.now())
    except MeetingRefused as refusal:
        await replies.send_text(context, user.id, _note(context, language, _kind(refusal)))
        return
    posted = await present(context, started)  # what happened, not what was meant to
    if posted:
        await action_review.post(context, started, user.id)
    await replies.send_text(context, user.id, _note(
        context, language, "started_in_group" if posted else "could_not_post", title=link.title))


def build_meeting_handlers() -> list[Handler]:
    return [
        CommandHandler("meeting", on_meeting_command, filters=filters.ChatType.GROUPS
                       | filters.ChatType.PRIVATE),
        CallbackQueryHandler(on_meeting_button, pattern=callbacks.MEETING.pattern),
        managing.buttons(managing.on(callbacks.StartMeeting, _start_from_report)),
    ]
