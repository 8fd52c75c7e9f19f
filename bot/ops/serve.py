"""Running the bot for real: long polling by default, a webhook server when WEBHOOK_URL is set.

The webhook server is our own small aiohttp app rather than PTB's built-in one, because load
balancers need a health endpoint and every worker must check the secret header itself.

An update is handled before it is acknowledged. Telegram never resends an update it got a 2xx
for, so a worker that answered first and was killed before its handler committed lost that tap for
good. The 200 now comes after the handler's units of work have committed (and its reply was sent):
a worker killed before that never answered, and Telegram delivers the update again, to this worker
or another; the update id claimed in the database (`bot.telegram.updates`) makes that harmless if
the kill
came between the commit and the 200. We chose this over an inbox table because it costs nothing
per update (no extra write and commit, no second hand-over), and a handler takes milliseconds to a
few seconds (a chart), far inside Telegram's patience for a webhook answer; should one ever take
longer, Telegram's resend meets the claim and is answered as handled.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import signal
from collections.abc import AsyncIterator

from aiohttp import web
from telegram import Update

from bot.app import Wiring, build_application
from bot.config import Config
from bot.ops import polling
from bot.ops.cockpit import add_cockpit
from bot.ops.health import HEALTH_PATH, health_endpoint
from bot.ops.logs import configure_logging
from bot.telegram.runtime import IsoApplication

log = logging.getLogger(__name__)
WEBHOOK_PATH = "/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def serve(settings: Config) -> None:
    secrets = [settings.token]
    if settings.webhook_secret is not None:
        secrets.append(settings.webhook_secret.get_secret_value())
    configure_logging(settings.log_level, secrets, as_json=settings.log_format == "json")
    if settings.webhook_url:
        asyncio.run(_serve_until_stopped(settings))
    else:
        build_application(settings, polling.lone_poller(settings)).run_polling(
            allowed_updates=Update.ALL_TYPES)


async def _serve_until_stopped(settings: Config) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    async with webhook_worker(settings) as _:
        await stop.wait()


@contextlib.asynccontextmanager
async def webhook_worker(
    settings: Config, wiring: Wiring | None = None, *, register: bool = True
) -> AsyncIterator[IsoApplication]:
    """One worker: the application, its webhook server, and (if `register`) setWebhook."""
    application = build_application(settings, wiring)
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    await application.start()
    runner = web.AppRunner(webhook_app(application, settings), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, settings.webhook_listen, settings.webhook_port).start()
    if register and settings.webhook_url:
        await application.bot.set_webhook(
            settings.webhook_url.rstrip("/") + WEBHOOK_PATH, allowed_updates=Update.ALL_TYPES,
            secret_token=(settings.webhook_secret.get_secret_value()
                          if settings.webhook_secret else None))
    log.info("webhook worker listening on %s:%s", settings.webhook_listen, settings.webhook_port)
    try:
        yield application
    finally:
        await runner.cleanup()
        await application.stop()
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)


async def _update_from(request: web.Request, application: IsoApplication) -> Update | None:
    """The update in the request's body; None for anything else (bad JSON, an array, no id)."""
    try:
        payload = await request.json()
    except ValueError:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("update_id"), int):
        return None
    try:
        return Update.de_json(payload, application.bot)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


async def handle_before_acknowledging(application: IsoApplication, update: Update) -> None:
    """Handle `update` now, in its person's turn, like the update queue would, and return when
    it is done (failures included: the error handler has told the person by then). Shielded: a
    caller that hangs up does not cut a handler off halfway."""
    await asyncio.shield(application.update_processor.process_update(
        update, application.process_update(update)))


def webhook_app(application: IsoApplication, settings: Config) -> web.Application:
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not secret or not hmac.compare_digest(given.encode(), secret.encode()):  # fail closed
            return web.Response(status=403, text="wrong secret")
        update = await _update_from(request, application)
        if update is None:
            return web.Response(status=400, text="not an update")
        await handle_before_acknowledging(application, update)
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post(WEBHOOK_PATH, receive)
    app.router.add_get(HEALTH_PATH, health_endpoint(application))
    add_cockpit(app, application)
    return app
