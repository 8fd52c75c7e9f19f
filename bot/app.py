"""The one place where the Telegram application is assembled.

Everything the handlers need is created here and reached through `BotContext.runtime`; start-up and
shut-down work happens in `post_init` / `post_shutdown`, never at import.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import Forbidden, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ContextTypes,
    TypeHandler,
)
from telegram.request import HTTPXRequest

from bot.config import Config, refuse_fast_broadcasts
from bot.db import migrate
from bot.db.engine import create_engine, create_sessionmaker
from bot.db.leader import Leadership
from bot.outbox import scheduler
from bot.rendering.texts import Texts
from bot.services import reassessment
from bot.services.ports import Clock, SystemClock
from bot.telegram.flood import SendBudget
from bot.telegram.runtime import (
    AlreadyHandled,
    BotContext,
    IsoApplication,
    LostConnectionBeforeWriting,
    Runtime,
)
from bot.telegram.updates import PerPersonOrderedProcessor, SecondChances, claim_with_first_write
from conversations.group.action_review import build_action_review_handlers
from conversations.group.group_commands import build_group_command_handlers
from conversations.group.group_link import build_group_link_handlers
from conversations.group.meeting import build_meeting_handlers
from conversations.group.meeting_reasons import build_reason_handlers
from conversations.manager.actions import build_action_handlers, build_org_action_handlers
from conversations.manager.cycles import build_cycle_handlers
from conversations.manager.improvement import build_improvement_handlers
from conversations.manager.members import build_member_handlers
from conversations.manager.reports import build_report_handlers
from conversations.manager.settings import build_settings_handlers
from conversations.manager.teams import build_invite_handlers, build_team_handlers
from conversations.notice_buttons import BUTTONS
from conversations.organisation.org_reports import build_org_report_handlers
from conversations.organisation.org_setup import build_org_link_handlers, build_org_setup_handlers
from conversations.organisation.org_survey import build_org_survey_handlers
from conversations.organisation.organisations import build_organisation_handlers
from conversations.participant.account import build_account_handlers
from conversations.participant.away import build_away_handlers
from conversations.participant.blocking import build_blocking_handlers
from conversations.participant.fallbacks import fallback_handlers
from conversations.participant.glossary import build_glossary_handlers
from conversations.participant.joining import build_joining_handlers
from conversations.participant.survey import build_survey_handlers
from conversations.typed import typed_handlers

log = logging.getLogger(__name__)
TELEGRAM_CONNECTIONS = 16

StartHook = Callable[[IsoApplication], Awaitable[None]]
Lifecycle = Callable[[Application], Coroutine[Any, Any, None]]  # type: ignore[type-arg]

COMMANDS: dict[str, Sequence[tuple[str, str]]] = {
    "nl": (
        ("resume", "Verder met je vragenlijst"),
        ("language", "Taal kiezen"),
        ("mydata", "Wat de bot over je bewaart"),
        ("deleteme", "Vergeet mij"),
        ("away", "Even geen herinneringen"),
        ("begrippen", "Begrippen uitgelegd"),
        ("help", "Uitleg"),
        ("newteam", "Team aanmaken (managers)"),
        ("invite", "Uitnodigingslink (managers)"),
        ("survey", "Vragenlijst openen (managers)"),
        ("status", "Respons volgen (managers)"),
        ("report", "Teamrapport (managers)"),
        ("close", "Vragenlijst afsluiten (managers)"),
        ("export", "Cijfers als CSV (managers)"),
        ("members", "Leden van het team (managers)"),
        ("settings", "Teaminstellingen en ritme (managers)"),
        ("targets", "Doelniveaus per hoofdstuk (managers)"),
        ("actions", "Verbeteracties (managers, eigenaars)"),
        ("organisatie", "Organisatie: teams, mensen, vragenlijsten, ritme (beheerders)"),
        ("nieuweorg", "Organisatie aanmaken (beheerders)"),
        ("teamerbij", "Nieuw team in de organisatie (beheerders)"),
        ("orgvragenlijst", "Vragenlijst voor alle teams (beheerders)"),
        ("beheerder", "Beheerder toevoegen (beheerders)"),
        ("organisatierapport", "Organisatierapport (beheerders, managers)"),
        ("orgdoelen", "Doelen van de organisatie per hoofdstuk (beheerders)"),
        ("orgactions", "Verbeteracties van alle teams (beheerders)"),
    ),
    "en": (
        ("resume", "Continue your survey"),
        ("language", "Choose your language"),
        ("mydata", "What the bot stores about you"),
        ("deleteme", "Forget me"),
        ("away", "Pause reminders"),
        ("glossary", "Terms explained"),
        ("help", "Help"),
        ("newteam", "Create a team (managers)"),
        ("invite", "Invite link (managers)"),
        ("survey", "Open a survey (managers)"),
        ("status", "Follow responses (managers)"),
        ("report", "Team report (managers)"),
        ("close", "Close a survey (managers)"),
        ("export", "Figures as CSV (managers)"),
        ("members", "Team members (managers)"),
        ("settings", "Team settings and rhythm (managers)"),
        ("targets", "Target levels per chapter (managers)"),
        ("actions", "Improvement actions (managers, owners)"),
        ("org", "Organisation: teams, people, surveys, rhythm (admins)"),
        ("neworg", "Create an organisation (admins)"),
        ("orgteam", "New team in the organisation (admins)"),
        ("orgsurvey", "Survey for all teams (admins)"),
        ("orgadmin", "Add an admin (admins)"),
        ("orgreport", "Organisation report (admins, managers)"),
        ("orgtargets", "The organisation's targets per chapter (admins)"),
        ("orgactions", "Improvement actions of all teams (admins)"),
    ),
}


GROUP_COMMAND_MENU: dict[str, Sequence[tuple[str, str]]] = {
    "nl": (
        ("meeting", "Overleg van het managementteam"),
        ("link", "Deze groep aan je team koppelen (managers)"),
        ("language", "Taal van de bot in deze groep (managers)"),
        ("help", "Wat de bot in een groep doet"),
    ),
    "en": (
        ("meeting", "The management team's meeting"),
        ("link", "Link this group to your team (managers)"),
        ("language", "The bot's language in this group (managers)"),
        ("help", "What the bot does in a group"),
    ),
}
"""The menu in groups (`BotCommandScopeAllGroupChats`); /unlink works but is rare enough to stay
out of it. The commands themselves: `conversations.group.group_chat.GROUP_COMMANDS`."""


@dataclass
class Wiring:
    """Optional parts a caller (tests, the demo, the CLI) plugs in before the bot starts."""

    clock: Clock = field(default_factory=SystemClock)
    migrate_on_start: bool = True
    run_scheduler: bool = True
    on_start: list[StartHook] = field(default_factory=list)
    on_stop: list[StartHook] = field(default_factory=list)


def build_application(settings: Config, wiring: Wiring | None = None) -> IsoApplication:
    wiring = wiring or Wiring()
    engine = create_engine(settings.database_url)
    runtime = Runtime(
        settings=settings,
        sessions=create_sessionmaker(engine),
        texts=Texts(settings.default_language),
        clock=wiring.clock,
        plan_cycle=reassessment.plan,
        leadership=Leadership(engine),
        write_queue=asyncio.Lock() if engine.dialect.name == "sqlite" else None,
        buttons=BUTTONS,
    )
    application = (
        ApplicationBuilder()
        .application_class(IsoApplication)
        .token(settings.token)
        .request(_telegram_connections())
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_file_base_url)
        .context_types(ContextTypes(context=BotContext))
        .concurrent_updates(PerPersonOrderedProcessor())
        .rate_limiter(SendBudget(settings.broadcast_rate_per_second))
        .post_init(_post_init_for(engine, wiring))
        .post_shutdown(_post_shutdown_for(engine, wiring))
        .build()
    )
    assert isinstance(application, IsoApplication)
    application.runtime = runtime
    application.add_handler(TypeHandler(Update, claim_with_first_write), group=-1)
    for handler in (
        *build_group_link_handlers(),  # first: /start, /language, /help mean other things there
        *build_group_command_handlers(),
        *build_org_link_handlers(),  # before joining: `/start org_…` is no team invite
        *build_joining_handlers(),
        *build_survey_handlers(),
        *build_account_handlers(),
        *build_away_handlers(),
        *build_glossary_handlers(),
        *build_blocking_handlers(),
        *build_team_handlers(),
        *build_invite_handlers(),
        *build_cycle_handlers(),
        *build_report_handlers(),
        *build_org_report_handlers(),
        *build_settings_handlers(),
        *build_member_handlers(),
        *build_improvement_handlers(),
        *build_action_handlers(),
        *build_org_action_handlers(),
        *build_organisation_handlers(),
        *build_org_survey_handlers(),
        *build_org_setup_handlers(),
        *build_meeting_handlers(),
        *build_reason_handlers(),
        *build_action_review_handlers(),
        *typed_handlers(),
        *fallback_handlers(),
    ):
        application.add_handler(handler)
    application.add_error_handler(_error_handler(SecondChances()))
    return application


def _telegram_connections() -> HTTPXRequest:
    """A small pool of kept-alive connections to Telegram, instead of PTB's 256.

    httpcore looks at every idle connection of the pool (two system calls each) whenever a request
    starts or ends. With a hundred people tapping at once the pool grew with every burst, and on
    PostgreSQL that scan took about a third of the bot's CPU (py-spy, bench/answer_path.py); with
    16 connections it costs less than half as much per tap. Sixteen carry well over a hundred calls
    a second; a burst beyond that waits its turn (up to 20 s) instead of failing.
    """
    limits = httpx.Limits(max_connections=TELEGRAM_CONNECTIONS,
                          max_keepalive_connections=TELEGRAM_CONNECTIONS)
    return HTTPXRequest(connection_pool_size=TELEGRAM_CONNECTIONS, pool_timeout=20.0,
                        httpx_kwargs={"limits": limits})


def _post_init_for(engine: AsyncEngine, wiring: Wiring) -> Lifecycle:
    async def post_init(application: Application) -> None:  # type: ignore[type-arg]
        assert isinstance(application, IsoApplication)
        if wiring.migrate_on_start:
            await migrate.upgrade(engine)
        me = await application.bot.get_me()
        refuse_fast_broadcasts(application.runtime.settings, me.api_kwargs)
        application.runtime.bot_username = me.username or application.runtime.bot_username
        await _register_commands(application)
        if wiring.run_scheduler:
            await scheduler.start(application)
        for hook in wiring.on_start:
            await hook(application)
        log.info("bot @%s is ready", me.username)

    return post_init


def _post_shutdown_for(engine: AsyncEngine, wiring: Wiring) -> Lifecycle:
    async def post_shutdown(application: Application) -> None:  # type: ignore[type-arg]
        assert isinstance(application, IsoApplication)
        for hook in reversed(wiring.on_stop):
            await hook(application)
        await scheduler.stop(application)
        await engine.dispose()

    return post_shutdown


async def _register_commands(application: IsoApplication) -> None:
    """The command menus: the private one, and the group one; in both languages, the default
    language's also for every other app language."""
    default = application.runtime.settings.default_language
    for scope, menu in ((BotCommandScopeAllPrivateChats(), COMMANDS),
                        (BotCommandScopeAllGroupChats(), GROUP_COMMAND_MENU)):
        for language, commands in menu.items():
            bot_commands = [BotCommand(name, description) for name, description in commands]
            await application.bot.set_my_commands(bot_commands, scope=scope,
                                                  language_code=language)
            if language == default:
                await application.bot.set_my_commands(bot_commands, scope=scope)


def _error_handler(
    second_chances: SecondChances,
) -> Callable[[object, BotContext], Coroutine[Any, Any, None]]:
    async def on_error(update: object, context: BotContext) -> None:
        error = context.error
        if (isinstance(error, LostConnectionBeforeWriting) and isinstance(update, Update)
                and await second_chances.hand_back(update, context.application.process_update)):
            return
        await _on_error(update, context)

    return on_error


async def _on_error(update: object, context: BotContext) -> None:
    """Log the failure and tell the person, in their language, that their answers are safe."""
    error = context.error
    if isinstance(error, AlreadyHandled):
        log.info("update %s was delivered again; handled once", error.args[0])
        return
    if isinstance(error, Forbidden):
        log.info("a person blocked the bot: %s", error.message)
        return
    log.error("update failed: %r", error, exc_info=error)
    if not isinstance(update, Update) or update.effective_user is None:
        return
    if update.callback_query is not None:
        with contextlib.suppress(TelegramError):
            await update.callback_query.answer()
    runtime = context.runtime
    try:
        async with runtime.repository() as repo:
            language = await repo.language(update.effective_user.id)
    except Exception:  # the database itself may be what failed
        language = None
    text = runtime.texts.render(language, "error")
    try:
        await context.bot.send_message(
            update.effective_user.id, text, parse_mode=ParseMode.HTML
        )
    except TelegramError as send_error:
        log.warning("could not tell the person about the error: %s", html.escape(str(send_error)))
