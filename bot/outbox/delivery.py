"""Sending what the outbox says is due, and turning Telegram's answers into outcomes.

Each notification is reloaded by id and re-checked at the moment of sending (a decent hour? is the
cycle still open, has the person finished, is "tomorrow" still true?), because hours, or after
downtime days, may have passed since it was planned. Telegram's answers are read by meaning
(`bot.telegram.refusals`); one notification's failure is settled and never stops the rest of a
sweep.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from dataclasses import dataclass
from datetime import date, datetime

from telegram import InputFile, InputMediaPhoto
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import ExtBot

from bot.db.models import Notification, Organisation, Team
from bot.db.repositories import Repository
from bot.outbox import action_notices, notices
from bot.rendering import documents, presenting
from bot.services import away, cycles, org_cycles, outbox, reassessment, report_view, reports
from bot.services.outbox import Kind, Outcome, Settled
from bot.telegram import keyboards, refusals
from bot.telegram.flood import Lane, SendBudget
from bot.telegram.refusals import Meaning
from bot.telegram.runtime import Runtime
from domain.catalog import load_model
from domain.holidays import team_calendar
from domain.rhythm import Calendar, days_left, heads_up_wording, rhythm_owner, send_moment

log = logging.getLogger(__name__)
SWEEP_BATCH = 200
CONCURRENT_SENDS = 8
PER_CHAT_GAP = 1.0


@dataclass(frozen=True, slots=True)
class Outgoing:
    chat_id: int
    screen: keyboards.Screen
    pictures: tuple[bytes, ...] = ()
    document: tuple[str, bytes] | None = None  # (file name, content)


async def post(
    bot: ExtBot[Lane], outgoing: Outgoing, priority: Lane | None = None
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


async def send(bot: ExtBot[Lane], outgoing: Outgoing) -> Settled:
    """One message of a broadcast, and what Telegram's answer means for the notification: 429 and
    network trouble are tried again later, a blocked person and a permanent refusal are not."""
    try:
        await post(bot, outgoing, Lane.BROADCAST)
    except TelegramError as error:
        answer = refusals.meaning_of(error)
        if answer.meaning is Meaning.SLOW_DOWN:
            return Settled(Outcome.RETRY, answer.wait, answer.reason)
        if answer.meaning in (Meaning.TROUBLE, Meaning.TIMED_OUT):
            return Settled(Outcome.RETRY, reason=answer.reason)
        if answer.meaning is Meaning.BLOCKED:
            return Settled(Outcome.BLOCKED, reason=answer.reason)
        log.warning("notification to %s refused by Telegram: %s", outgoing.chat_id, answer.reason)
        return Settled(Outcome.FAILED, reason=answer.reason)
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


async def sweep(runtime: Runtime, bot: ExtBot[Lane]) -> int:
    """Send everything that is due now, batch after batch; returns how many were handled.

    A few notifications are composed and sent at once, so database and network round trips do not
    hold the pace below Telegram's limit; the bot's `SendBudget` keeps the overall rate. The next
    batch is claimed as soon as one is done, so a broadcast to thousands keeps its pace.
    """
    handled = 0
    pacer = _PerChatPacer()
    built: dict[tuple[int, int], report_view.ReportView] = {}  # per cycle and class of reader
    senders = asyncio.Semaphore(CONCURRENT_SENDS)

    async def deliver(notification_id: int, now: datetime) -> None:
        async with senders:
            await _deliver_one(runtime, bot, pacer, built, notification_id, now)

    while True:
        now = runtime.clock.now()
        async with runtime.repository() as repo:
            ids = await outbox.claim_due(repo, now, SWEEP_BATCH)
        # `_deliver_one` settles its own failures; nothing one notification does stops the others.
        await asyncio.gather(*(deliver(notification_id, now) for notification_id in ids),
                             return_exceptions=True)
        handled += len(ids)
        if len(ids) < SWEEP_BATCH:
            return handled


@dataclass(frozen=True, slots=True)
class Later:
    """Not now: the notification is due again at `due_at` (the next working moment)."""

    due_at: datetime


async def _deliver_one(
    runtime: Runtime, bot: ExtBot[Lane], pacer: _PerChatPacer,
    built: dict[tuple[int, int], report_view.ReportView], notification_id: int, now: datetime,
) -> None:
    """Compose, send and settle one notification; whatever fails is settled as failed, with its
    reason in the log and on the row, so it is neither retried for ever nor lost silently."""
    try:
        settled = await _attempt(runtime, bot, pacer, built, notification_id, now)
    except Exception as error:
        log.exception("notification %s failed", notification_id)
        settled = Settled(Outcome.FAILED, reason=f"{type(error).__name__}: {error}")
    try:
        async with runtime.repository() as repo:
            await outbox.settle(repo, notification_id, settled, runtime.clock.now())
    except Exception:
        log.exception("notification %s could not be settled; it is tried again when its claim "
                      "expires", notification_id)


async def _attempt(
    runtime: Runtime, bot: ExtBot[Lane], pacer: _PerChatPacer,
    built: dict[tuple[int, int], report_view.ReportView], notification_id: int, now: datetime,
) -> Settled:
    async with runtime.repository() as repo:
        row = await outbox.notification(repo, notification_id)
        composed = await _compose(repo, runtime, row, built, now) if row is not None else []
    if isinstance(composed, Later):
        return Settled(Outcome.SKIPPED, due_at=composed.due_at)
    settled = Settled(Outcome.SKIPPED)
    for number, message in enumerate(composed):
        if number == 0:  # the messages of one notification (a summary, its chart) form one burst
            await pacer.wait_turn(message.chat_id)
        settled = await send(bot, message)
        if settled.retry_after is not None and isinstance(bot.rate_limiter, SendBudget):
            bot.rate_limiter.hold(settled.retry_after)
        if settled.outcome is not Outcome.SENT:
            break
    return settled


@functools.lru_cache(maxsize=64)
def _calendar(timezone: str, year: int) -> Calendar:
    return team_calendar(timezone, date(year, 1, 1))


def calendar_of(team: Team, now: datetime) -> Calendar:
    """The team's working days around `now` (built once per time zone and year)."""
    return _calendar(team.timezone, now.year)


async def _compose(
    repo: Repository, runtime: Runtime, row: Notification,
    built: dict[tuple[int, int], report_view.ReportView], now: datetime,
) -> list[Outgoing] | Later:
    """The messages this notification means *now*; an empty list means "no longer makes sense".

    Everything is checked again at the moment of sending, because hours (or, after downtime, days)
    may have passed since it was planned: working hours, whether "tomorrow" is still true, whether
    reminders are still wanted, the person away, blocked, finished or gone.
    """
    kind = Kind(row.kind)
    cycle = await repo.cycle(row.cycle_id) if row.cycle_id is not None else None
    team = await outbox.team_of(repo, row.team_id)
    if team is None:
        return []
    calendar = calendar_of(team, now)
    if kind is Kind.CLOSE:  # silent itself; its reports wait for a decent hour
        if cycle is not None:
            await cycles.close_and_plan_reports(
                repo, cycle.id, now, send_moment(row.due_at, now, calendar))
        return []
    moment = send_moment(row.due_at, now, calendar)
    if moment > now:
        return Later(moment)
    person = await repo.person(row.user_id) if row.user_id is not None else None
    if person is None or person.blocked_at is not None:
        return []
    if kind is Kind.HEADS_UP:  # the rhythm is the organisation's when it has one
        organisation = await repo.session.get(Organisation, team.organisation_id)
        owner = organisation if organisation is not None and rhythm_owner(
            organisation.reassessment) == "organisation" else team
        return _heads_up(runtime, row, team, owner.reassessment, owner.next_reassessment_at,
                         person.language, now, calendar,
                         organisation.name if owner is organisation and organisation else None)
    if kind in action_notices.KINDS:
        screens = await action_notices.compose(repo, runtime, row, person.language, now)
        return [Outgoing(person.user_id, screen) for screen in screens]
    if cycle is None:
        return []
    language = person.language
    if kind in (Kind.REPORT, Kind.RESULT):  # built per class of reader (domain.disclosure)
        key = (cycle.id, await reports.reader_class(repo, cycle, person.user_id))
        if key not in built:
            built[key] = await report_view.build(repo, cycle, person.user_id)
        view = built[key]
    if kind is Kind.REPORT:
        return await report_messages(runtime, person.user_id, language, view)
    if kind is Kind.RESULT:
        report = view.report
        rows = presenting.chapter_rows(report, language)
        return [Outgoing(person.user_id, keyboards.Screen(runtime.texts.render(
            language, "team_result", team=team.name, shown=report.result.shown, chapters=[
                {"id": r.id, "title": r.title, "level": r.level} for r in rows],
            overall=report.result.overall)))]
    if cycle.organisation_cycle_id is not None:  # the one survey of the person, wherever it is
        cycle = await org_cycles.answering_cycle(repo, cycle, person.user_id)
        if cycle.team_id != team.id:
            team = await outbox.team_of(repo, cycle.team_id) or team
    membership = await repo.membership(cycle.team_id, person.user_id)
    if cycle.closed_at is not None or now >= cycle.deadline or membership is None or (
            not membership.active):
        return []
    response = await repo.response(cycle.id, membership.id)
    if response is not None and response.completed_at is not None:
        return []
    if kind is Kind.REMIND and (not team.reminders_enabled
                                or away.is_away(membership.away_until, now)):
        return []
    if kind is Kind.INVITE:
        return [Outgoing(person.user_id, notices.invitation(
            runtime.texts, language, runtime.buttons, cycle_id=cycle.id, team=team.name,
            model_id=cycle.model_id, scope_id=cycle.scope_id, deadline=cycle.deadline,
            timezone=team.timezone))]
    b = runtime.texts.buttons(language)
    scope = load_model(cycle.model_id).scope(cycle.scope_id)
    text = runtime.texts.render(
        language, "reminder", team=team.name, total=len(scope.element_ids), minutes=scope.minutes,
        answered=await repo.count_answers(response.id) if response is not None else 0,
        days_left=days_left(now, cycle.deadline), deadline=cycle.deadline, timezone=team.timezone)
    return [Outgoing(person.user_id, keyboards.Screen(text, keyboards.keyboard(
        [[(b.resume, runtime.buttons.resume(cycle.id))]])))]


def _heads_up(
    runtime: Runtime, row: Notification, team: Team, rhythm: str, opens_at: datetime | None,
    language: str, now: datetime, calendar: Calendar, organisation: str | None = None,
) -> list[Outgoing]:
    """The managers' notice before a reassessment opens, if that opening (the team's, or its
    organisation's) is still planned and still ahead; "tomorrow" only when it is (after a weekend
    it names the day). The organisation's names it and points to `/org`, where it is changed."""
    if (opens_at is None or rhythm == "off"
            or not row.key.startswith(reassessment.heads_up_prefix(team.id, opens_at))):
        return []
    wording = heads_up_wording(now, opens_at, calendar)
    if wording is None:
        return []
    assert row.user_id is not None
    return [Outgoing(row.user_id, keyboards.Screen(runtime.texts.render(
        language, "heads_up", team=team.name, opens_at=opens_at, timezone=team.timezone,
        tomorrow=wording == "tomorrow", quarterly=rhythm == "quarterly",
        organisation=organisation)))]


async def report_messages(
    runtime: Runtime, chat_id: int, language: str, view: report_view.ReportView
) -> list[Outgoing]:
    """The summary; then, when there are figures, the charts as one album and the PDF with the
    buttons for the web page and the CSV."""
    texts, report = runtime.texts, view.report
    b = texts.buttons(language)
    made = runtime.buttons
    turn_into_actions = keyboards.keyboard([
        [(str(b.new_action(p.element_id)), made.new_action(report.cycle.id, p.element_id))]
        for p in report.priorities]) if report.priorities else None
    messages = [Outgoing(chat_id, keyboards.Screen(presenting.summary(texts, language, view),
                                                 turn_into_actions))]
    if report.result.shown:
        pictures = await presenting.charts(texts, language, view)
        caption = texts.render(language, "report_caption",
                               **presenting.context(texts, language, view))
        messages.append(Outgoing(chat_id, keyboards.Screen(caption),
                                 tuple(p.png for p in pictures)))
        buttons = keyboards.keyboard([[
            (b.full_report, made.full_report(report.cycle.id)),
            (b.export, made.export(report.cycle.id)),
        ], *([[(b.export_all, made.export_all(report.cycle.id))]]
             if view.history is not None and len(view.history.points) > 1 else [])])
        markup = keyboards.with_web_app(  # Telegram opens a Mini App from a private chat only
            buttons, b.cockpit, runtime.settings.cockpit_url if chat_id > 0 else None)
        messages.append(Outgoing(chat_id, keyboards.Screen(
            texts.render(language, "report_pdf", team=report.team.name), markup),
            document=await documents.full_report(texts, language, view, pictures)))
    return messages
