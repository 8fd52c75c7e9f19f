"""The cockpit on the bot's own HTTP server: `GET /app` (the Mini App's one page) and its JSON API.

Served beside `/telegram` and `/health` by the webhook server, and by the health server in polling
mode. The page is one file with its script and style inline; the Content-Security-Policy allows
exactly those two (by their SHA-256), requests to this server and nothing else: no CDN, no other
script, no frame but Telegram's.

Every `/app/api/...` request carries `Authorization: tma <initData>`, checked as Telegram documents
it (`bot.telegram.webapp`); the reader is the signed `user`, acting as in chat (`Actor`). Missing,
forged or expired initData gets 401 and no data. A team or organisation the reader may not see
(the services raise `PermissionsError`) answers 404 exactly like one that does not exist.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Awaitable, Callable

from aiohttp import web
from telegram import InputFile
from telegram.error import TelegramError

from bot.rendering import cockpit as shapes
from bot.rendering import documents, presenting
from bot.rendering.texts import Texts
from bot.services import cockpit
from bot.services.actor import Actor
from bot.services.permissions import PermissionsError
from bot.telegram import replies, webapp
from bot.telegram.runtime import IsoApplication

APP_PATH = "/app"
API = shapes.API
NOT_FOUND = {"error": "not found"}
UNAUTHORIZED = {"error": "unauthorized"}
Handler = Callable[[web.Request, Actor, str], Awaitable[web.StreamResponse]]


def page(texts: Texts) -> tuple[str, str]:
    """The page and its Content-Security-Policy, hashing the inline script and style."""
    html = texts.page("cockpit", words={
        language: texts.words(language, "cockpit_words").ui for language in ("nl", "en")})
    hashes = {kind: [base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
                     for body in re.findall(rf"<{kind}>(.*?)</{kind}>", html, re.S)]
              for kind in ("script", "style")}
    allowed = {kind: " ".join(f"'sha256-{h}'" for h in found) for kind, found in hashes.items()}
    policy = ("default-src 'none'; "
              f"script-src {allowed['script']}; style-src-elem {allowed['style']}; "
              # the colours of the heatmap and the chart's lines are style attributes
              "style-src-attr 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; "
              "base-uri 'none'; form-action 'none'; "
              "frame-ancestors 'self' https://web.telegram.org https://*.telegram.org")
    return html, policy


def add_cockpit(app: web.Application, application: IsoApplication) -> None:
    """The page and its API on `app` (the webhook server or the polling health server)."""
    runtime = application.runtime
    html, policy = page(runtime.texts)
    token = runtime.settings.token

    async def serve_page(_request: web.Request) -> web.Response:
        return web.Response(text=html, content_type="text/html", headers={
            "Content-Security-Policy": policy, "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"})

    def signed(handler: Handler) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        async def checked(request: web.Request) -> web.StreamResponse:
            user = webapp.from_header(request.headers.get("Authorization"), token,
                                      runtime.clock.now())
            if user is None:
                return web.json_response(UNAUTHORIZED, status=401,
                                         headers={"WWW-Authenticate": "tma"})
            actor = Actor.of(user.id, runtime.settings.admin_ids, user.language_code)
            try:
                return await handler(request, actor, user.language_code or "")
            except PermissionsError:
                return web.json_response(NOT_FOUND, status=404)
            except ValueError:  # an id that is not a number names nothing either
                return web.json_response(NOT_FOUND, status=404)
        return checked

    async def me(_request: web.Request, actor: Actor, hint: str) -> web.StreamResponse:
        async with runtime.repository() as repo:
            found = await cockpit.me(repo, actor, hint)
        return web.json_response(shapes.me_json(found))

    async def team(request: web.Request, actor: Actor, hint: str) -> web.StreamResponse:
        team_id = int(request.match_info["team"])
        async with runtime.repository() as repo:
            found = await cockpit.team_history(repo, actor, team_id)
            language = (await cockpit.me(repo, actor, hint)).language
            team = await repo.team(team_id)
        assert team is not None
        return web.json_response(shapes.team_json(runtime.texts, language, team_id, team.name,
                                                  found))

    async def chapter(request: web.Request, actor: Actor, hint: str) -> web.StreamResponse:
        async with runtime.repository() as repo:
            view = await cockpit.team_view(repo, actor, int(request.match_info["team"]),
                                           int(request.match_info["cycle"]))
            language = (await cockpit.me(repo, actor, hint)).language
        shaped = shapes.chapter_json(runtime.texts, language, view, request.match_info["chapter"]
                                     ) if view is not None else None
        if shaped is None:
            return web.json_response(NOT_FOUND, status=404)
        return web.json_response(shaped)

    async def actions(request: web.Request, actor: Actor, hint: str) -> web.StreamResponse:
        async with runtime.repository() as repo:
            lines = await cockpit.action_board(repo, actor, int(request.match_info["team"]))
            language = (await cockpit.me(repo, actor, hint)).language
        return web.json_response(shapes.actions_json(language, lines))

    async def finish(request: web.Request, actor: Actor, _hint: str) -> web.StreamResponse:
        async with runtime.repository() as repo:
            await cockpit.finish_action(repo, actor, int(request.match_info["team"]),
                                        int(request.match_info["action"]), runtime.clock.now())
        return web.json_response({"ok": True})

    async def organisation(request: web.Request, actor: Actor, hint: str) -> web.StreamResponse:
        async with runtime.repository() as repo:
            report = await cockpit.organisation_view(
                repo, actor, int(request.match_info["cycle"]))
            language = (await cockpit.me(repo, actor, hint)).language
        return web.json_response(shapes.organisation_json(runtime.texts, language, report))

    async def made(request: web.Request, actor: Actor, hint: str
                   ) -> tuple[bytes, str, str] | None:
        """The file a download names (body, name, media type), for this reader; None: none."""
        team_id, kind = int(request.match_info["team"]), request.match_info["file"]
        async with runtime.repository() as repo:
            language = (await cockpit.me(repo, actor, hint)).language
            views = (await cockpit.every_cycle(repo, actor, team_id)
                     if kind == "all-cycles.csv" else [])
            view = views[-1] if views else (await cockpit.team_view(repo, actor, team_id)
                                            if kind != "all-cycles.csv" else None)
        if view is None:
            return None
        texts = runtime.texts
        if kind == "all-cycles.csv":
            return (documents.export_all_csv(texts, language, views),
                    documents.history_file_name(view), "text/csv")
        if kind == "export.csv":
            return (documents.export_csv(texts, language, view),
                    documents.file_name(view, "csv"), "text/csv")
        pictures = await presenting.charts(texts, language, view)
        name, body = await documents.full_report(texts, language, view, pictures)
        return body, name, "application/pdf" if name.endswith(".pdf") else "text/html"

    async def download(request: web.Request, actor: Actor, hint: str) -> web.StreamResponse:
        found = await made(request, actor, hint)
        if found is None:
            return web.json_response(NOT_FOUND, status=404)
        body, name, media = found
        return web.Response(body=body, content_type=media, headers={
            "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})

    async def send(request: web.Request, actor: Actor, hint: str) -> web.StreamResponse:
        """The same file sent into the reader's chat with the bot: Telegram's phone apps do not
        save a file a Mini App downloads, but every app opens a document in the chat."""
        found = await made(request, actor, hint)
        if found is None:
            return web.json_response(NOT_FOUND, status=404)
        body, name, _ = found
        try:
            await replies.retrying(lambda: application.bot.send_document(
                actor.id, InputFile(body, name)))
        except TelegramError:  # blocked, or Telegram refused: the page says it did not work
            return web.json_response({"error": "not sent"}, status=502)
        return web.json_response({"ok": True, "sent": name})

    app.router.add_get(APP_PATH, serve_page)
    app.router.add_get(f"{API}/me", signed(me))
    app.router.add_get(f"{API}/teams/{{team}}", signed(team))
    app.router.add_get(f"{API}/teams/{{team}}/cycles/{{cycle}}/chapters/{{chapter}}",
                       signed(chapter))
    app.router.add_get(f"{API}/teams/{{team}}/actions", signed(actions))
    app.router.add_post(f"{API}/teams/{{team}}/actions/{{action}}/done", signed(finish))
    app.router.add_get(f"{API}/teams/{{team}}/{{file:report\\.pdf|export\\.csv|all-cycles\\.csv}}",
                       signed(download))
    app.router.add_post(
        f"{API}/teams/{{team}}/{{file:report\\.pdf|export\\.csv|all-cycles\\.csv}}/send",
        signed(send))
    app.router.add_get(f"{API}/organisations/{{cycle}}", signed(organisation))
    app.router.add_route("*", f"{API}/{{rest:.*}}", signed(_nothing))


async def _nothing(_request: web.Request, _actor: Actor, _hint: str) -> web.StreamResponse:
    """Any other API path, once signed: the same answer as a team that does not exist."""
    return web.json_response(NOT_FOUND, status=404)
