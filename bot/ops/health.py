"""`GET /health`: whether this process can do its work, for load balancers and container checks.

In webhook mode the webhook server answers it; in polling mode a small server of its own does (on
WEBHOOK_LISTEN:WEBHOOK_PORT), and there it also says whether the polling loop still runs: a process
whose loop stopped is alive but deaf, and should be restarted.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web
from sqlalchemy import text

from bot.telegram.runtime import IsoApplication

HEALTH_PATH = "/health"
Endpoint = Callable[[web.Request], Awaitable[web.Response]]


def health_endpoint(application: IsoApplication, *, polling: bool = False) -> Endpoint:
    async def health(_request: web.Request) -> web.Response:
        if polling and (application.updater is None or not application.updater.running):
            return web.json_response({"ok": False, "polling": False}, status=503)
        try:
            async with application.runtime.repository() as repo:  # in turn, like every unit of work
                await repo.session.execute(text("SELECT 1"))
        except Exception as error:  # any database failure makes this worker unhealthy
            return web.json_response({"ok": False, "database": type(error).__name__}, status=503)
        return web.json_response({"ok": True, "bot": application.runtime.bot_username})

    return health
