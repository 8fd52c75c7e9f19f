"""The emulator's HTTP face and its memory: updates, chats, callback queries, calls, faults.

It listens on 127.0.0.1 like a local Bot API server, so the real python-telegram-bot stack (httpx,
request encoding, error mapping, polling or webhooks) is exercised exactly as in production.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from aiohttp import web

from bot.emulator import _commands, _methods  # noqa: F401 (_commands registers its methods)
from bot.emulator._groups import SimulatedGroup
from bot.emulator._model import ApiCall, ApiError, RateWindow, StoredMessage
from bot.emulator._people import SimulatedPerson
from bot.emulator._polls import EmulatedPoll
from bot.emulator._webapp import sign_init_data
from bot.emulator._webhook import deliver_to_webhook

log = logging.getLogger(__name__)

_NOT_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_JSON_FIELDS = frozenset({"reply_markup", "entities", "caption_entities", "commands", "scope",
                          "allowed_updates", "link_preview_options", "reply_parameters", "media",
                          "options"})


@dataclass
class CallbackQuery:
    id: str
    person: SimulatedPerson
    created: float = field(default_factory=time.monotonic)
    answered: asyncio.Event = field(default_factory=asyncio.Event)
    text: str | None = None


@dataclass
class Queued:
    update: dict[str, Any]
    delivered: asyncio.Event = field(default_factory=asyncio.Event)


@dataclass
class Fault:
    """A refusal to inject: the next `times` matching calls fail with it."""

    error: ApiError
    method: str | None = None
    chat_id: int | None = None
    times: int = 1


class BotApiEmulator:
    """A local stand-in for api.telegram.org; use as `async with BotApiEmulator(token) as api`."""

    def __init__(
        self, token: str, *, bot_username: str = "iso9004_bot", first_update_id: int = 1,
        callback_answer_window: float = 15.0, port: int = 0,
        flood_limit_per_second: int | None = None, group_limit_per_minute: int = 20,
        announced: bool = True,
    ) -> None:
        self.token = token
        self.announced = announced
        """`getMe` says `"is_emulator": true`, a field Telegram does not have: the bot may then
        broadcast faster than Telegram's 30 a second (`bot.config.refuse_fast_broadcasts`).
        False: it poses as a self-hosted Bot API server, which relays to Telegram's limits."""
        self.bot_id = int(token.split(":", 1)[0]) if token.split(":", 1)[0].isdigit() else 1
        self.bot_username = bot_username
        self.callback_answer_window = callback_answer_window
        self.calls: list[ApiCall] = []
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        """Command menus by (scope, language), see `_commands`."""
        self.webhook: dict[str, Any] | None = None
        self.menu_buttons: dict[int | None, Any] = {}
        """setChatMenuButton's button per chat id (None: the default for everyone)."""
        self.allowed_updates: list[str] | None = None
        """As the bot last asked (None: Telegram's default)."""
        self.webhook_failures: list[str] = []
        self.faults: list[Fault] = []
        self.flood_limit_per_second = flood_limit_per_second
        self._recent_sends = RateWindow(flood_limit_per_second or 30, 1.0)
        self.clock: Callable[[], float] = time.monotonic
        """The emulator's clock for its rate limits; a test may replace it to let time pass."""
        self.group_limit_per_minute = group_limit_per_minute
        self.privacy_mode = True
        self.polls: dict[str, EmulatedPoll] = {}
        """Telegram's default for bots: in groups, only commands and replies to the bot reach it."""
        self._groups: dict[int, SimulatedGroup] = {}
        self.migrated: dict[int, int] = {}
        """Groups upgraded to supergroups: old chat id → new (see `_members.upgrade`)."""
        self._group_ids = itertools.count(-1_000_001, -1)
        self._people: dict[int, SimulatedPerson] = {}
        self._messages: dict[int, dict[int, StoredMessage]] = {}
        self._queries: dict[str, CallbackQuery] = {}
        self._queue: list[Queued] = []
        self.queue_changed = asyncio.Condition()
        self._update_ids = itertools.count(first_update_id)
        self._query_ids = itertools.count(1)
        self._user_ids = itertools.count(10_001)
        self._port = port
        self._runner: web.AppRunner | None = None
        self._stopping = False  # a waiting getUpdates answers at once: the server is going
        self._webhook_task: asyncio.Task[None] | None = None

    # --- lifecycle ------------------------------------------------------------------------------

    async def start(self) -> None:
        self._stopping = False
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self._port).start()
        self._port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        await self.stop_webhook_delivery()
        async with self.queue_changed:  # a long poll still waiting ends now, not at its timeout,
            self._stopping = True       # which the server's shutdown would otherwise wait for
            self.queue_changed.notify_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> BotApiEmulator:
        await self.start()
        return self

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        traceback: TracebackType | None) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """What the bot uses as `base_url`; like Telegram's, the token is appended to it."""
        return f"http://127.0.0.1:{self._port}/bot"

    # --- people and chats -----------------------------------------------------------------------

    def person(self, first_name: str, language_code: str | None = "nl",
               user_id: int | None = None, username: str | None = None) -> SimulatedPerson:
        person = SimulatedPerson(self, user_id or next(self._user_ids), first_name,
                                 language_code, username)
        self._people[person.user_id] = person
        return person

    def init_data(self, person: SimulatedPerson, *, auth_date: int | None = None) -> str:
        """A Mini App launch for `person`, signed with this bot's token as Telegram signs it."""
        user = {"id": person.user_id, "first_name": person.first_name,
                **({"language_code": person.language_code} if person.language_code else {}),
                **({"username": person.username} if person.username else {})}
        return sign_init_data(self.token, user, auth_date=auth_date)

    def people(self) -> list[SimulatedPerson]:
        return list(self._people.values())

    def person_by_id(self, user_id: int) -> SimulatedPerson | None:
        return self._people.get(user_id)

    def group(self, title: str, members: list[SimulatedPerson] | None = None) -> SimulatedGroup:
        """A new group chat (negative id, type "group") holding `members`; the bot is not in it
        until one of them adds it (`person.add_bot_to(group)`)."""
        group = SimulatedGroup(self, next(self._group_ids), title, list(members or []),
                               RateWindow(self.group_limit_per_minute, 60.0))
        self._groups[group.chat_id] = group
        return group

    def group_by_id(self, chat_id: int) -> SimulatedGroup | None:
        return self._groups.get(chat_id)

    def rename_group(self, old_id: int, new_id: int) -> None:
        """A group's new id (it became a supergroup); its messages stay with the old chat."""
        group = self._groups.pop(old_id)
        group.chat_id = new_id
        self._groups[new_id] = group

    def audience(self, chat_id: int) -> SimulatedPerson | SimulatedGroup:
        """Who sees the bot's messages in `chat_id`: the person, or the group's members."""
        return self._groups.get(chat_id) or self._people[chat_id]

    def chat_messages(self, chat_id: int) -> list[StoredMessage]:
        return list(self._messages.get(chat_id, {}).values())

    def stored(self, chat_id: int, message_id: int) -> StoredMessage | None:
        return self._messages.get(chat_id, {}).get(message_id)

    def new_message(self, chat_id: int, *, from_bot: bool) -> StoredMessage:
        chat = self._messages.setdefault(chat_id, {})
        message = StoredMessage(chat_id, len(chat) + 1, from_bot, int(time.time()))
        chat[message.message_id] = message
        return message

    def store_person_message(self, chat_id: int, text: str) -> StoredMessage:
        message = self.new_message(chat_id, from_bot=False)
        message.text = message.html = text
        return message

    def message_json(self, chat_id: int, message_id: int) -> dict[str, Any]:
        stored = self.stored(chat_id, message_id)
        chat = self.audience(chat_id)
        if stored is None:
            return {"message_id": message_id, "date": 0, "chat": chat.chat_json()}
        sender = self.bot_user() if stored.from_bot else (  # in a group: the sender's, in extra
            stored.extra.get("from") or self._people[chat_id].user_json())
        body: dict[str, Any] = {"message_id": stored.message_id, "date": stored.date,
                                "chat": chat.chat_json(), "from": sender, **stored.extra}
        if stored.text and "photo" not in stored.extra and "document" not in stored.extra:
            body["text"] = stored.text
        elif stored.text:
            body["caption"] = stored.text
        if stored.markup and stored.markup.get("inline_keyboard"):
            body["reply_markup"] = stored.markup
        if stored.edit_date is not None:
            body["edit_date"] = stored.edit_date
        return body

    def bot_user(self) -> dict[str, Any]:
        return {"id": self.bot_id, "is_bot": True, "first_name": "ISO 9004",
                "username": self.bot_username}

    def new_callback_query(self, person: SimulatedPerson) -> CallbackQuery:
        query = CallbackQuery(str(next(self._query_ids) * 7919 + person.user_id), person)
        self._queries[query.id] = query
        return query

    def callback_query(self, query_id: str) -> CallbackQuery | None:
        return self._queries.get(query_id)

    # --- what tests assert ----------------------------------------------------------------------

    def refused_calls(self) -> list[ApiCall]:
        """Requests Telegram would have refused, apart from the faults a test injected."""
        return [call for call in self.calls if not call.ok and not call.injected]

    def unanswered_callback_queries(self) -> list[str]:
        return [q.id for q in self._queries.values() if not q.answered.is_set()]

    def calls_to(self, method: str, chat_id: int | None = None) -> list[ApiCall]:
        return [c for c in self.calls if c.method.lower() == method.lower()
                and (chat_id is None or c.chat_id == chat_id)]

    # --- faults ---------------------------------------------------------------------------------

    def flood(self, retry_after: int = 1, *, times: int = 1, method: str | None = None,
              chat_id: int | None = None) -> None:
        """The next `times` matching calls get 429 Too Many Requests with `retry_after`."""
        error = ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)
        self.faults.append(Fault(error, method, chat_id, times))

    def server_error(self, *, times: int = 1, method: str | None = None, status: int = 502) -> None:
        """The next `times` matching calls fail as Telegram does when it is having a bad day."""
        self.faults.append(Fault(ApiError(status, "Bad Gateway"), method, None, times))

    def _over_flood_limit(self, method: str) -> ApiError | None:
        """Telegram's overall limit for a bot (about 30 messages a second), when switched on."""
        if self.flood_limit_per_second is None or not method.lower().startswith("send"):
            return None
        if self._recent_sends.limit != self.flood_limit_per_second:
            self._recent_sends.limit = self.flood_limit_per_second
        return self._recent_sends.admit(self.clock())

    def _injected_fault(self, method: str, params: Mapping[str, Any]) -> ApiError | None:
        for fault in self.faults:
            chat = params.get("chat_id")
            if (fault.method in (None, method) and fault.times > 0
                    and (fault.chat_id is None or str(fault.chat_id) == str(chat))):
                fault.times -= 1
                return fault.error
        return None

    # --- updates --------------------------------------------------------------------------------

    def wants(self, update: Mapping[str, Any]) -> bool:
        """Whether the bot asked for this kind of update (`allowed_updates` of its last
        getUpdates or setWebhook; by default everything but chat_member and reactions)."""
        kind = next(key for key in update if key != "update_id")
        if self.allowed_updates is None:
            return kind not in _NOT_BY_DEFAULT
        return kind in self.allowed_updates

    async def enqueue(self, update: dict[str, Any]) -> None:
        """A new update, unless the bot did not ask for its kind (Telegram drops it then)."""
        update["update_id"] = next(self._update_ids)
        if self.wants(update):
            await self._push(Queued(update))

    async def redeliver(self, update: dict[str, Any]) -> None:
        queued = Queued(update)
        await self._push(queued)
        await asyncio.wait_for(queued.delivered.wait(), 10)

    async def _push(self, queued: Queued) -> None:
        async with self.queue_changed:
            self._queue.append(queued)
            self.queue_changed.notify_all()

    async def take_updates(self, offset: int | None, limit: int, timeout: float) -> list[Any]:
        """getUpdates: confirm what is below `offset`, then wait up to `timeout` for news."""
        deadline = time.monotonic() + timeout
        async with self.queue_changed:
            while True:
                if offset is not None:
                    self._queue = [q for q in self._queue if not (
                        q.delivered.is_set() and q.update["update_id"] < offset)]
                waiting = [q for q in self._queue if not q.delivered.is_set()
                           or q.update["update_id"] >= (offset or 0)][:limit]
                remaining = deadline - time.monotonic()
                if waiting or remaining <= 0 or self._runner is None or self._stopping:
                    for queued in waiting:
                        queued.delivered.set()
                    return [q.update for q in waiting]
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.queue_changed.wait(), remaining)

    # --- webhooks -------------------------------------------------------------------------------

    def start_webhook_delivery(self) -> None:
        if self._webhook_task is None:
            self._webhook_task = asyncio.create_task(deliver_to_webhook(self))

    async def stop_webhook_delivery(self) -> None:
        task, self._webhook_task = self._webhook_task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def undelivered(self) -> list[Queued]:
        return [q for q in self._queue if not q.delivered.is_set()]

    def forget(self, queued: Queued) -> None:
        self._queue.remove(queued)

    # --- HTTP -----------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401,
                                      "description": "Unauthorized"}, status=401)
        method = request.match_info["method"]
        params = await _read_params(request)
        injected = self._injected_fault(method, params)
        try:
            if injected is not None:
                raise injected
            flooded = self._over_flood_limit(method)
            if flooded is not None:
                raise flooded
            result = await _methods.call(self, method, params)
        except ApiError as error:
            self.calls.append(ApiCall(method, _loggable(params), False, error.description,
                                      injected is not None))
            return web.json_response(error.body(), status=error.code)
        self.calls.append(ApiCall(method, _loggable(params), True))
        return web.json_response({"ok": True, "result": result})


async def _read_params(request: web.Request) -> dict[str, Any]:
    params: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        params.update(await request.json())
    elif request.can_read_body:
        for name, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                params[name] = {"upload": value.file.read(), "filename": value.filename}
            else:
                params[name] = value
    for name in _JSON_FIELDS & set(params):
        if isinstance(params[name], str):
            with contextlib.suppress(json.JSONDecodeError):
                params[name] = json.loads(params[name])
    return params


def _loggable(params: Mapping[str, Any]) -> dict[str, Any]:
    return {k: ("<upload>" if isinstance(v, dict) and "upload" in v else v)
            for k, v in params.items()}
