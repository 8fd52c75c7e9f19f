"""A manager reading the team report: `/report` in chat, the full HTML report and the CSV export.

Reports are built from aggregates only (see `bot.services.reports`); a participant who asks gets a
polite refusal, and a team below the anonymity threshold gets an explanation instead of figures.
"""

from __future__ import annotations

from functools import partial

from telegram import InputFile, Update
from telegram.constants import ParseMode
from telegram.error import Forbidden
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import presenting
from bot.delivery import report_messages
from bot.runtime import BotContext
from bot.services import reports
from conversations import callbacks, managing, replies


async def on_report(update: Update, context: BotContext) -> None:
    language = await managing.language_of(update, context)
    team = await managing.pick_team(update, context, "rp", language)
    if team is not None:
        await _send_report(update, context, team.id, language)


async def on_export(update: Update, context: BotContext) -> None:
    language = await managing.language_of(update, context)
    team = await managing.pick_team(update, context, "re", language)
    if team is not None:
        await _send_file(update, context, team.id, "rx", language, by_team=True)


async def on_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    data = callbacks.parse(query.data)
    language = await managing.language_of(update, context)
    try:
        if data is None:
            return
        if data.verb == "rp":
            await _send_report(update, context, data.target, language)
        elif data.verb == "re":
            await _send_file(update, context, data.target, "rx", language, by_team=True)
        else:
            await _send_file(update, context, data.target, data.verb, language, by_team=False)
    finally:
        await replies.acknowledge(query)


async def _send_report(update: Update, context: BotContext, team_id: int, language: str) -> None:
    user = update.effective_user
    assert user is not None
    team = await managing.refuse_unless_manager(update, context, team_id, language)
    if team is None:
        return
    runtime = context.runtime
    async with runtime.repository() as repo:
        cycle = await reports.latest_reportable_cycle(repo, team.id)
        report = await reports.build_report(repo, cycle) if cycle else None
    if report is None:
        await replies.send_text(context, user.id, runtime.texts.render(language, "no_report"))
        return
    for message in await report_messages(runtime, user.id, language, report):
        if message.picture is None:
            await replies.send(context, user.id, message.screen)
            continue
        try:
            await replies.retrying(partial(
                context.bot.send_photo, user.id, InputFile(message.picture, "report.png"),
                caption=message.screen.text, parse_mode=ParseMode.HTML,
                reply_markup=message.screen.keyboard))
        except Forbidden:
            return


async def _send_file(
    update: Update, context: BotContext, target: int, kind: str, language: str, *, by_team: bool
) -> None:
    """`rd`: the printable HTML report; `rx`: the CSV of aggregates."""
    user = update.effective_user
    assert user is not None
    runtime = context.runtime
    async with runtime.repository() as repo:
        cycle = (await reports.latest_reportable_cycle(repo, target) if by_team
                 else await repo.cycle(target))
    if cycle is None:
        await replies.send_text(context, user.id, runtime.texts.render(language, "no_report"))
        return
    team = await managing.refuse_unless_manager(update, context, cycle.team_id, language)
    if team is None:
        return
    async with runtime.repository() as repo:
        report = await reports.build_report(repo, cycle)
    stamp = f"{cycle.opened_at:%Y-%m-%d}"
    if kind == "rd":
        picture = (await presenting.chart(runtime.texts, language, report)
                   if report.result.shown else None)
        body = presenting.document(runtime.texts, language, report, picture)
        name = f"iso9004-report-{stamp}.html"
    else:
        body = presenting.export_csv(report, language)
        name = f"iso9004-export-{stamp}.csv"
    try:
        await replies.retrying(lambda: context.bot.send_document(user.id, InputFile(body, name)))
    except Forbidden:
        return


def build_report_handlers() -> list[CommandHandler[BotContext, None] | CallbackQueryHandler[BotContext, None]]:  # noqa: E501
    return [
        CommandHandler("report", on_report),
        CommandHandler("export", on_export),
        CallbackQueryHandler(on_button, pattern=r"^g:(?:rp|re|rd|rx):"),
    ]
