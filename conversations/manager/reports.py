"""A manager reading the team report: `/report` in chat (summary, charts, PDF), the same report as
a web page (HTML) and the CSV export.

Reports are built from aggregates only (see `bot.services.reports`); a participant who asks gets a
polite refusal, a team below the anonymity threshold gets an explanation instead of figures, and
an open cycle only counts of people (also instead of a document or a CSV).
"""

from __future__ import annotations

import html
from functools import partial

from telegram import InputFile, Update
from telegram.error import Forbidden

from bot.outbox import report_cache
from bot.outbox.delivery import post
from bot.rendering import documents, presenting
from bot.services import groups, report_view
from bot.telegram import keyboards, replies
from bot.telegram.runtime import BotContext
from conversations import callbacks, managing
from conversations.handlers import Handler
from conversations.screens import Screen, keyboard


async def _send_report(
    update: Update, context: BotContext, data: callbacks.Report, language: str
) -> None:
    user = update.effective_user
    assert user is not None
    runtime = context.runtime
    async with runtime.repository() as repo:
        cycle = await report_view.latest_cycle(repo, managing.actor(context), data.team_id)
    if cycle is None:
        await replies.send_text(context, user.id, runtime.texts.render(language, "no_report"))
        return
    await keyboards.offer_cockpit_menu(context.bot, user.id,
                                       runtime.texts.buttons(language).cockpit_menu,
                                       runtime.settings.cockpit_url)
    # A closed cycle's report is the same for every manager: rendered once, then kept.
    found, preview = await report_cache.messages(runtime, user.id, language, cycle, user.id)
    try:
        for message in found:
            await replies.retrying(partial(post, context.bot, message))
    except Forbidden:
        return
    if not preview:
        await _offer_meeting(context, user.id, data.team_id, language)


async def _offer_meeting(context: BotContext, user_id: int, team_id: int, language: str) -> None:
    """Below a closed cycle's report: start (or resume) the meeting in the team's linked group."""
    texts = context.runtime.texts
    async with context.runtime.repository() as repo:
        group = await groups.team_group(repo, user_id, team_id)
    if group is None:
        return
    words = texts.words(language, "meeting_words")
    await replies.send(context, user_id, Screen(
        texts.render(language, "meeting_note", kind="offer", title=group.title),
        keyboard([[(html.unescape(str(words.start_in(group.title))),
                    callbacks.StartMeeting(team_id))]])))


async def _send_file(
    update: Update, context: BotContext,
    data: (callbacks.Document | callbacks.ExportCycle | callbacks.ExportLatest
           | callbacks.ExportAllCycles), language: str,
) -> None:
    """`rd` (a cycle): the report as a web page; `rx` (a cycle) or `re` (a team's latest): CSV,
    offering every cycle's too when there are earlier ones; `ra` (a cycle): every closed cycle
    of the edition up to it as one CSV, each cycle's rows from its own report."""
    user = update.effective_user
    assert user is not None
    runtime = context.runtime
    actor = managing.actor(context)
    async with runtime.repository() as repo:
        view = (await report_view.latest(repo, actor, data.team_id)
                if isinstance(data, callbacks.ExportLatest)
                else await report_view.of_cycle(repo, actor, data.cycle_id))
        every = (await report_view.every_cycle(repo, actor, data.cycle_id)
                 if isinstance(data, callbacks.ExportAllCycles) else [])
    if view is None:
        await replies.send_text(context, user.id, runtime.texts.render(language, "no_report"))
        return
    if view.report.is_preview:  # no figures while the cycle is open: only the counts of people
        await replies.send_text(context, user.id, presenting.summary(runtime.texts, language, view))
        return
    more = None
    if isinstance(data, callbacks.Document):
        pictures = await presenting.charts(runtime.texts, language, view)
        body = documents.html(runtime.texts, language, view, pictures).encode("utf-8")
        name = documents.file_name(view, "html")
    elif isinstance(data, callbacks.ExportAllCycles):
        body = documents.export_all_csv(runtime.texts, language, every)
        name = documents.history_file_name(view)
    else:
        body = documents.export_csv(runtime.texts, language, view)
        name = documents.file_name(view, "csv")
        if view.history is not None and len(view.history.points) > 1:
            more = keyboard([[(runtime.texts.buttons(language).export_all,
                               callbacks.ExportAllCycles(view.report.cycle.id))]])
    try:
        await replies.retrying(lambda: context.bot.send_document(
            user.id, InputFile(body, name), reply_markup=more))
    except Forbidden:
        return


def build_report_handlers() -> list[Handler]:
    return [
        managing.command("report", callbacks.Report, _send_report),
        managing.command("export", callbacks.ExportLatest, _send_file),
        managing.buttons(managing.on(callbacks.Report, _send_report),
                         managing.on(callbacks.ExportLatest, _send_file),
                         managing.on(callbacks.Document, _send_file),
                         managing.on(callbacks.ExportCycle, _send_file),
                         managing.on(callbacks.ExportAllCycles, _send_file)),
    ]
