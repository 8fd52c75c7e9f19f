"""Long polling: one poller per bot, with a health endpoint of its own (on WEBHOOK_PORT when that
is set; on the default port only when it is free, so that two bots can poll side by side).

Telegram hands updates to one `getUpdates` caller at a time and answers a second one with
409 Conflict, so two pollers would fight over every update. On PostgreSQL the poller therefore
holds an advisory lock for as long as it runs; a second process started with the same settings
(`docker compose --scale bot=2` without WEBHOOK_URL, a second systemd instance) finds the lock
taken and exits with one line, and its restart policy keeps it as a stand-by that takes over once
the first one is gone. Scaling out is what webhook mode is for. SQLite serves one process only.
"""

from __future__ import annotations

import logging

from aiohttp import web

from bot.app import Wiring, build_application
from bot.config import Config
from bot.db.engine import create_engine
from bot.db.leader import Leadership
from bot.ops.cockpit import add_cockpit
from bot.ops.failures import CannotStart
from bot.ops.health import HEALTH_PATH, health_endpoint
from bot.telegram.runtime import IsoApplication

log = logging.getLogger(__name__)
POLLING_LOCK_KEY = 9004_0409


def health_listen(settings: Config) -> str:
    """A poller needs no public address: its health check is for this machine (or container)
    unless WEBHOOK_LISTEN says otherwise."""
    return settings.webhook_listen if "webhook_listen" in settings.model_fields_set \
        else "127.0.0.1"


def health_asked_for(settings: Config) -> bool:
    """Whether an operator asked for the poller's health check: WEBHOOK_PORT is set (compose
    and the systemd unit set it). Then a taken port stops the bot; on the default port, a second
    bot on the same host (another organisation's, or the real bot beside a test run) polls on
    without one instead of exiting."""
    return "webhook_port" in settings.model_fields_set


def lone_poller(settings: Config) -> Wiring:
    """What `run` plugs in for polling: the poller's lock, then the health server."""
    engine = create_engine(settings.database_url)
    turn = Leadership(engine, key=POLLING_LOCK_KEY, role="polls Telegram")
    runner: list[web.AppRunner] = []

    async def take_the_turn(_application: IsoApplication) -> None:
        if not await turn.try_to_lead():
            raise CannotStart("another process is already polling Telegram for this bot with this "
                          "database: run one poller, or set WEBHOOK_URL to run several workers")

    listen = health_listen(settings)

    async def serve_health(application: IsoApplication) -> None:
        app = web.Application()
        app.router.add_get(HEALTH_PATH, health_endpoint(application, polling=True))
        add_cockpit(app, application)  # the cockpit, where MINI_APP_URL points in polling mode
        runner.append(web.AppRunner(app, access_log=None))
        await runner[0].setup()
        where = f"{listen}:{settings.webhook_port}"
        try:
            await web.TCPSite(runner[0], listen, settings.webhook_port).start()
        except OSError as error:
            if not health_asked_for(settings):  # the default port, taken: poll on without
                log.warning("%s not served: %s is taken (%s); polling without it (set "
                            "WEBHOOK_PORT to a free port to have it)", HEALTH_PATH, where,
                            error.strerror)
                await runner.pop().cleanup()
                return
            raise CannotStart(f"WEBHOOK_PORT: cannot serve {HEALTH_PATH} on {where} "
                          f"({error.strerror}): choose a free port") from None
        log.info("health check at http://%s:%s%s", listen, settings.webhook_port, HEALTH_PATH)

    async def stop(_application: IsoApplication) -> None:
        if runner:
            await runner.pop().cleanup()
        await turn.resign()
        await engine.dispose()

    return Wiring(on_start=[take_the_turn, serve_health], on_stop=[stop])


async def start_polling(settings: Config, wiring: Wiring | None = None) -> IsoApplication:
    """The application started and polling, as `run_polling` would, but under our control."""
    application = build_application(settings, wiring)
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0, timeout=1)
    return application


async def stop_polling(application: IsoApplication) -> None:
    assert application.updater is not None
    await application.updater.stop()
    await application.stop()
    await application.shutdown()
    if application.post_shutdown is not None:
        await application.post_shutdown(application)
