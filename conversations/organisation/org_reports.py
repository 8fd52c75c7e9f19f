"""`/orgreport`: the organisation report in chat (summary, the heatmap, the PDF) for an
organisation admin or a manager of one of its teams; the web page and the CSV from its buttons.

Who sees which teams is decided by `bot.services.org_reports` (the disclosure rule lives in
`domain.organisation`); this module only picks the organisation, renders and sends. While the
organisation cycle is open there is a summary of counts, no picture and no document.
"""

from __future__ import annotations

from functools import partial

from telegram import InputFile, Update
from telegram.error import Forbidden
from telegram.ext import CommandHandler

from bot.outbox.delivery import Outgoing, post
from bot.rendering import org_documents, org_presenting
from bot.services import org_reports
from bot.services.org_reports import OrgReport
from bot.telegram import keyboards, replies
from bot.telegram.runtime import BotContext
from conversations import callbacks, managing, screens
from conversations.handlers import Handler


async def _messages(context: BotContext, chat_id: int, language: str, report: OrgReport
                    ) -> list[Outgoing]:
    texts = context.runtime.texts
    messages = [Outgoing(chat_id, screens.Screen(org_presenting.summary(texts, language, report)))]
    picture = None if report.is_preview else await org_presenting.picture(texts, language, report)
    if picture is None:
        return messages
    b = texts.buttons(language)
    buttons = keyboards.with_web_app(screens.keyboard([[
        (b.full_report, callbacks.OrgDocument(report.cycle_id)),
        (b.export, callbacks.OrgExport(report.cycle_id))]]), b.cockpit,
        context.runtime.settings.cockpit_url if chat_id > 0 else None)
    messages.append(Outgoing(chat_id, screens.Screen(
        org_presenting.caption(texts, language, report)), (picture.png,)))
    messages.append(Outgoing(chat_id, screens.Screen(
        texts.render(language, "report_pdf", team=report.organisation), buttons),
        document=await org_documents.full_report(texts, language, report, [picture])))
    return messages


async def _report(
    update: Update, context: BotContext, organisation_cycle_id: int
) -> tuple[int, OrgReport]:
    """The person who asked and the report as they may see it (the service decides which teams)."""
    user = update.effective_user
    assert user is not None
    runtime = context.runtime
    async with runtime.repository() as repo:
        return user.id, await org_reports.build_org_report(
            repo, managing.actor(context), organisation_cycle_id)


async def _send_report(
    update: Update, context: BotContext, data: callbacks.OrgReport, language: str
) -> None:
    user_id, report = await _report(update, context, data.organisation_cycle_id)
    try:
        for message in await _messages(context, user_id, language, report):
            await replies.retrying(partial(post, context.bot, message))
    except Forbidden:
        return


async def _send_file(
    update: Update, context: BotContext, data: callbacks.OrgDocument | callbacks.OrgExport,
    language: str,
) -> None:
    """`od`: the report as a web page; `ox`: the CSV of the shown cells."""
    user_id, report = await _report(update, context, data.organisation_cycle_id)
    texts = context.runtime.texts
    if report.is_preview:  # no figures while the cycle is open: only the counts of people
        await replies.send_text(context, user_id, org_presenting.summary(texts, language, report))
        return
    if isinstance(data, callbacks.OrgDocument):
        picture = await org_presenting.picture(texts, language, report)
        pictures = [picture] if picture is not None else []
        body = org_documents.html(texts, language, report, pictures).encode("utf-8")
        name = org_documents.file_name(report, "html")
    else:
        body = org_documents.export_csv(texts, language, report)
        name = org_documents.file_name(report, "csv")
    try:
        await replies.retrying(lambda: context.bot.send_document(user_id, InputFile(body, name)))
    except Forbidden:
        return


async def _command(update: Update, context: BotContext) -> None:
    """The organisation's latest cycle; with several organisations, a button for each."""
    user = update.effective_user
    assert user is not None
    language = await replies.language_of(update, context)
    runtime = context.runtime
    async with runtime.repository() as repo:
        found = await org_reports.reportable(repo, managing.actor(context))
    if not found:
        await replies.send_text(context, user.id,
                                runtime.texts.render(language, "no_org_report"))
    elif len(found) == 1:
        await _send_report(update, context, callbacks.OrgReport(found[0][0]), language)
    else:
        rows = [[(name, callbacks.OrgReport(cycle_id))] for cycle_id, name in found]
        await replies.send(context, user.id, screens.Screen(
            runtime.texts.render(language, "choose_organisation"), screens.keyboard(rows)))


def build_org_report_handlers() -> list[Handler]:
    return [
        CommandHandler(["orgreport", "organisatierapport"], managing.politely(_command)),
        managing.buttons(managing.on(callbacks.OrgReport, _send_report),
                         managing.on(callbacks.OrgDocument, _send_file),
                         managing.on(callbacks.OrgExport, _send_file)),
    ]
