"""What every manager flow shares: asking "which team?", and turning a refusal into one message.

Who may act on which team is decided by the services (`bot.services.permissions`), never here: a
step just calls its service, and a `PermissionsError` becomes the polite `not_manager` line.
A flow lists its buttons as `on(<verb's payload class>, step)`; the step gets the typed payload.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.db.models import Team
from bot.services import teams
from bot.services.actor import Actor
from bot.services.permissions import Permission, PermissionsError
from bot.telegram import replies
from bot.telegram.runtime import BotContext
from conversations import callbacks, screens

P = ParamSpec("P")
B = TypeVar("B", bound=callbacks.Button)
ManagerStep = Callable[[Update, BotContext, B, str], Awaitable[object]]
"""One step of a manager flow: (update, context, the tapped verb's payload, language).
What it returns is ignored: a step that waits for typed text stores a `bot.services.positions`
position instead. The services it calls check the tapper's rights; a refusal reaches the person
as one message."""


@dataclass(frozen=True, slots=True)
class Step(Generic[B]):
    kind: type[B]
    run: ManagerStep[B]


def on(kind: type[B], run: ManagerStep[B]) -> Step[B]:
    """The step that handles taps on buttons of this verb."""
    return Step(kind, run)


def actor(context: BotContext) -> Actor:
    """The person acting in this update, built once at its claim (`bot.telegram.updates`): what
    every service takes to decide, itself, whether she may read or do what she asks."""
    assert context.actor is not None, "every handled update has a sender"
    return context.actor


async def managed_teams(update: Update, context: BotContext) -> list[Team]:
    user = update.effective_user
    assert user is not None
    async with context.runtime.repository() as repo:
        return await teams.managed_teams(repo, user.id)


async def pick_team(
    update: Update, context: BotContext, make: Callable[[int], callbacks.Button], language: str,
    eligible: Callable[[Team], bool] = lambda team: True,
) -> Team | None:
    """The one team this manager has, or None after offering a button per team (or saying none)."""
    user = update.effective_user
    assert user is not None
    texts = context.runtime.texts
    candidates = [team for team in await managed_teams(update, context) if eligible(team)]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        await replies.send_text(context, user.id, texts.render(language, "no_teams"))
        return None
    rows = [[(team.name, make(team.id))] for team in candidates]
    await replies.send(context, user.id, screens.Screen(
        texts.render(language, "choose_team"), screens.keyboard(rows)))
    return None


async def refuse(
    update: Update, context: BotContext, refusal: PermissionsError, language: str | None = None
) -> None:
    """The one polite answer to a refused manager verb (a command, a button, a typed step)."""
    user = update.effective_user
    assert user is not None
    language = language or await replies.language_of(update, context)
    template = {Permission.CREATE_TEAMS: "not_allowed",
                Permission.ADMINISTER_ORG: "not_org_admin"}.get(refusal.permission, "not_manager")
    await replies.send_text(context, user.id, context.runtime.texts.render(language, template))


def politely(
    handle: Callable[Concatenate[Update, BotContext, P], Awaitable[None]],
) -> Callable[Concatenate[Update, BotContext, P], Coroutine[Any, Any, None]]:
    """A handler (a command, a typed step) whose services may refuse: the refusal becomes
    `refuse`'s message."""

    async def handle_politely(
        update: Update, context: BotContext, /, *args: P.args, **kwargs: P.kwargs
    ) -> None:
        try:
            await handle(update, context, *args, **kwargs)
        except PermissionsError as refusal:
            await refuse(update, context, refusal)

    return handle_politely


def command(
    name: str, make: Callable[[int], B], step: ManagerStep[B]
) -> CommandHandler[BotContext, None]:
    """`/name`: ask which team when the manager has several (buttons `make(team id)`), else go
    straight to `step` as if that button was tapped."""

    async def handle(update: Update, context: BotContext) -> None:
        language = await replies.language_of(update, context)
        team = await pick_team(update, context, make, language)
        if team is not None:
            await step(update, context, make(team.id), language)

    return CommandHandler(name, politely(handle))


def buttons(*steps: Step[Any]) -> CallbackQueryHandler[BotContext, None]:
    """The manager buttons of these verbs; every tap is acknowledged, after its step.

    A payload that does not parse (forged, malformed) gets the "invalid button" answer."""
    by_kind: dict[type[callbacks.Button], Step[Any]] = {step.kind: step for step in steps}
    verbs: callbacks.Verbs[callbacks.Button] = callbacks.Verbs(tuple(by_kind))

    async def handle(update: Update, context: BotContext) -> None:
        query = update.callback_query
        assert query is not None
        data = verbs.read(query.data)
        language = await replies.language_of(update, context)
        step = by_kind.get(type(data)) if data is not None else None
        answer: str | None = None
        try:
            if step is None:
                answer = context.runtime.texts.render(language, "refusal", reason="invalid")
            else:
                await step.run(update, context, data, language)
        except PermissionsError as refusal:
            await refuse(update, context, refusal, language)
        finally:
            await replies.acknowledge(query, answer)

    return CallbackQueryHandler(handle, pattern=verbs.pattern)
