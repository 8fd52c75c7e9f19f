"""Sending what the outbox says is due, and turning Telegram's answers into outcomes.

Each notification is reloaded by id and re-checked at the moment of sending (is the cycle still
open, has the person finished meanwhile?), because hours may have passed since it was planned.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import datetime

from telegram import InputFile, InputMediaPhoto
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import ExtBot

from bot import documents, presenting
from bot.db.models import Notification
from bot.db.repositories import Repository
from bot.flood import Priority, SendBudget
from bot.runtime import Runtime
from bot.services import away, cycles, outbox, report_view
from bot.services.outbox import Kind, Outcome, Settled
from conversations import callbacks, replies, screens
from conversations.callbacks import Action
from domain.catalog import load_model
from domain.rhythm import days_left

log = logging.getLogger(__name__)
SWEEP_BATCH = 200
CONCURRENT_SENDS = 8
PER_CHAT_GAP = 1.0


@dataclass(frozen=True, slots=True)
class Outgoing:
    chat_id: int
    screen: screens.Screen
    pictures: tuple[bytes, ...] = ()
    document: tuple[str, bytes] | None = None  # (file name, content)


async def post(
    bot: ExtBot[Priority], outgoing: Outgoing, priority: Priority | None = None
) -> None:
    """The message itself: an album, a picture or a file with its caption, or text; Telegram's
    refusals propagate. An album carries one caption and no buttons (Telegram allows none)."""
    caption = outgoing.screen.text[:1024]
    if len(outgoing.pictures) > 1:
        await bot.send_media_group(outgoing.chat_id, [
            InputMediaPhoto(picture, filename=f"chart-{number + 1}.png",
                            caption=caption if number == 0 else None, parse_mode=ParseMode.HTML)
            for number, picture in enumerate(outgoing.pictures)], rate_limit_args=priority)
    elif outgoing.pictures:
        await bot.send_photo(outgoing.chat_id, InputFile(outgoing.pictures[0], "chart.png"),
                             caption=caption, parse_mode=ParseMode.HTML,
                             reply_markup=outgoing.screen.keyboard, rate_limit_args=priority)
    elif outgoing.document is not None:
        name, content = outgoing.document
        await bot.send_document(outgoing.chat_id, InputFile(content, name), caption=caption,
                                parse_mode=ParseMode.HTML, reply_markup=outgoing.screen.keyboard,
                                rate_limit_args=priority)
    else:
        await bot.send_message(outgoing.chat_id, outgoing.screen.text, parse_mode=ParseMode.HTML,
                               reply_markup=outgoing.screen.keyboard, rate_limit_args=priority)


async def send(bot: ExtBot[Priority], outgoing: Outgoing) -> Settled:
    """One message of a broadcast; 429 and network trouble are retried later, a blocked person is
    not."""
    try:
        await post(bot, outgoing, Priority.BROADCAST)
    except RetryAfter as flood:
        return Settled(Outcome.RETRY, replies.seconds_to_wait(flood))
    except Forbidden:
        return Settled(Outcome.BLOCKED)
    except BadRequest as error:
        log.warning("notification refused by Telegram: %s", error.message)
        return Settled(Outcome.BLOCKED if "chat not found" in error.message else Outcome.FAILED)
    except NetworkError:
        return Settled(Outcome.RETRY)
    except TelegramError as error:
        log.warning("notification failed: %s", error)
        return Settled(Outcome.FAILED)
    return Settled(Outcome.SENT)


class _PerChatPacer:
    """Keeps a second between two notifications to the same private chat (Telegram's per-chat
    limit); the overall pace is the `SendBudget`'s."""

    def __init__(self) -> None:
        self._last_per_chat: dict[int, float] = {}

    async def wait_turn(self, chat_id: int) -> None:
        now = time.monotonic()
        slot = max(now, self._last_per_chat.get(chat_id, -PER_CHAT_GAP) + PER_CHAT_GAP)
        self._last_per_chat[chat_id] = slot
        await asyncio.sleep(slot - now)


async def sweep(runtime: Runtime, bot: ExtBot[Priority]) -> int:
    """Send everything that is due now, batch after batch; returns how many were handled.

    A few notifications are composed and sent at once, so database and network round trips do not
    hold the pace below Telegram's limit; the bot's `SendBudget` keeps the overall rate. The next
    batch is claimed as soon as one is done, so a broadcast to thousands keeps its pace.
    """
    handled = 0
    pacer = _PerChatPacer()
    built: dict[int, report_view.ReportView] = {}  # a closed cycle's report serves everyone
    senders = asyncio.Semaphore(CONCURRENT_SENDS)

    async def deliver(notification_id: int, now: datetime) -> None:
        async with senders:
            await _deliver_one(runtime, bot, pacer, built, notification_id, now)

    while True:
        now = runtime.clock.now()
        async with runtime.repository() as repo:
            ids = await outbox.claim_due(repo, now, SWEEP_BATCH)
        await asyncio.gather(*(deliver(notification_id, now) for notification_id in ids))
        handled += len(ids)
        if len(ids) < SWEEP_BATCH:
            return handled


async def _deliver_one(
    runtime: Runtime, bot: ExtBot[Priority], pacer: _PerChatPacer,
    built: dict[int, report_view.ReportView], notification_id: int, now: datetime,
) -> None:
    async with runtime.repository() as repo:
        row = await outbox.notification(repo, notification_id)
        outgoing = await _compose(repo, runtime, row, built, now) if row is not None else []
    settled = Settled(Outcome.SKIPPED)
    for number, message in enumerate(outgoing):
        if number == 0:  # the messages of one notification (a summary, its chart) form one burst
            await pacer.wait_turn(message.chat_id)
        settled = await send(bot, message)
        if settled.retry_after is not None and isinstance(bot.rate_limiter, SendBudget):
            bot.rate_limiter.hold(settled.retry_after)
        if settled.outcome is not Outcome.SENT:
            break
    async with runtime.repository() as repo:
        await outbox.settle(repo, notification_id, settled, runtime.clock.now())


async def _compose(
    repo: Repository, runtime: Runtime, row: Notification,
    built: dict[int, report_view.ReportView], now: datetime,
) -> list[Outgoing]:
    """The messages this notification means now; an empty list means "no longer makes sense".
    """
    kind = Kind(row.kind)
    cycle = await repo.cycle(row.cycle_id) if row.cycle_id is not None else None
    team = await outbox.team_of(repo, row.team_id)
    if kind is Kind.HEADS_UP and team is not None and row.user_id is not None:
        manager = await repo.person(row.user_id)
        if manager is None or team.next_reassessment_at is None or team.reassessment == "off":
            return []
        return [Outgoing(row.user_id, screens.Screen(runtime.texts.render(
            manager.language, "heads_up", team=team.name, opens_at=team.next_reassessment_at,
            timezone=team.timezone)))]
    if cycle is None or team is None:
        return []
    if kind is Kind.CLOSE:
        await close_and_plan_reports(repo, runtime, cycle.id, now)
        return []
    person = await repo.person(row.user_id) if row.user_id is not None else None
    if person is None:
        return []
    language = person.language
    if kind in (Kind.REPORT, Kind.RESULT) and cycle.id not in built:
        built[cycle.id] = await report_view.build(repo, cycle)
    if kind is Kind.REPORT:
        return await report_messages(runtime, person.user_id, language, built[cycle.id])
    if kind is Kind.RESULT:
        report = built[cycle.id].report
        rows = presenting.chapter_rows(report, language)
        return [Outgoing(person.user_id, screens.Screen(runtime.texts.render(
            language, "team_result", team=team.name, shown=report.result.shown, chapters=[
                {"id": r.id, "title": r.title, "level": r.level} for r in rows],
            overall=report.result.overall)))]
    membership = await repo.membership(cycle.team_id, person.user_id)
    if cycle.closed_at is not None or now >= cycle.deadline or membership is None or (
            not membership.active):
        return []
    response = await repo.response(cycle.id, membership.id)
    if response is not None and response.completed_at is not None:
        return []
    if kind is Kind.REMIND and away.is_away(membership.away_until, now):
        return []
    if kind is Kind.INVITE:
        return [Outgoing(person.user_id, screens.invitation(
            runtime.texts, language, cycle_id=cycle.id, team=team.name, model_id=cycle.model_id,
            scope_id=cycle.scope_id, deadline=cycle.deadline, timezone=team.timezone))]
    b = runtime.texts.buttons(language)
    scope = load_model(cycle.model_id).scope(cycle.scope_id)
    text = runtime.texts.render(
        language, "reminder", team=team.name, total=len(scope.element_ids), minutes=scope.minutes,
        answered=await repo.count_answers(response.id) if response is not None else 0,
        days_left=days_left(now, cycle.deadline), deadline=cycle.deadline, timezone=team.timezone)
    return [Outgoing(person.user_id, screens.Screen(text, screens.keyboard(
        [[(b.resume, callbacks.for_cycle(Action.RESUME, cycle.id))]])))]


async def report_messages(
    runtime: Runtime, chat_id: int, language: str, view: report_view.ReportView
) -> list[Outgoing]:
    """The summary; then, when there are figures, the charts as one album and the PDF with the
    buttons for the web page and the CSV."""
    texts, report = runtime.texts, view.report
    b = texts.buttons(language)
    turn_into_actions = screens.keyboard([
        [(str(b.new_action(p.element_id)), callbacks.manage("an", report.cycle.id, p.element_id))]
        for p in report.priorities]) if report.priorities else None
    messages = [Outgoing(chat_id, screens.Screen(presenting.summary(texts, language, view),
                                                 turn_into_actions))]
    if report.result.shown:
        pictures = await presenting.charts(texts, language, view)
        caption = texts.render(language, "report_caption",
                               **presenting.context(texts, language, view))
        messages.append(Outgoing(chat_id, screens.Screen(caption),
                                 tuple(p.png for p in pictures)))
        buttons = screens.keyboard([[
            (b.full_report, callbacks.manage("rd", report.cycle.id)),
            (b.export, callbacks.manage("rx", report.cycle.id)),
        ]])
        messages.append(Outgoing(chat_id, screens.Screen(
            texts.render(language, "report_pdf", team=report.team.name), buttons),
            document=await documents.full_report(texts, language, view, pictures)))
    return messages


async def close_and_plan_reports(
    repo: Repository, runtime: Runtime, cycle_id: int, now: datetime
) -> bool:
    """Close once; plan the report for managers and, if shared, the result for everyone."""
    cycle = await cycles.close_cycle(repo, cycle_id, now)
    if cycle is None:
        return False
    team = await repo.team(cycle.team_id)
    assert team is not None
    await outbox.cancel_for_cycle(repo, cycle.id, (Kind.INVITE, Kind.REMIND, Kind.CLOSE))
    for member in await outbox.active_members(repo, team.id):
        if member.role == "manager":
            await outbox.plan(repo, f"report:{cycle.id}:{member.user_id}", Kind.REPORT, now,
                              user_id=member.user_id, team_id=team.id, cycle_id=cycle.id)
        elif team.share_results:
            await outbox.plan(repo, f"result:{cycle.id}:{member.user_id}", Kind.RESULT, now,
                              user_id=member.user_id, team_id=team.id, cycle_id=cycle.id)
    return True
