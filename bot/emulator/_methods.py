"""The Bot API methods, with the checks Telegram makes and the refusals it gives.

Descriptions follow Telegram's wording, because python-telegram-bot (and our error handling) map
them to exception types and users to behaviour.
"""

from __future__ import annotations

import json
import struct
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

from bot.emulator import _replies
from bot.emulator._html import EntityParseError, telegram_length, visible_text
from bot.emulator._model import ApiError, StoredMessage, bad_request, check_inline_keyboard

if TYPE_CHECKING:
    from bot.emulator._server import BotApiEmulator

Params = Mapping[str, Any]
Method = Callable[["BotApiEmulator", Params], Awaitable[Any]]

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
NOT_MODIFIED = ("message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message")
QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"


async def call(api: BotApiEmulator, method: str, params: Params) -> Any:
    implementation = _METHODS.get(method.lower())
    if implementation is None:
        raise ApiError(404, "Not Found")
    return await implementation(api, params)


def _int(params: Params, name: str, default: int | None = None) -> int:
    value = params.get(name, default)
    try:
        return int(value)
    except (TypeError, ValueError):
        raise bad_request(f"invalid {name} specified" if value is not None
                          else f"{name} is required") from None


def _text(params: Params, name: str, limit: int, *, required: bool) -> tuple[str, str]:
    """(visible text, source) after Telegram's parse-mode rules and length limit."""
    source = str(params.get(name) or "")
    if params.get("parse_mode") == "HTML":
        try:
            text = visible_text(source)
        except EntityParseError as error:
            raise bad_request(f"can't parse entities: {error}") from None
    else:
        text = source
    if required and not text.strip():
        raise bad_request("message text is empty")
    if telegram_length(text) > limit:
        raise bad_request("message caption is too long" if name == "caption"
                          else "message is too long")
    return text, source


def _sending_chat(api: BotApiEmulator, params: Params) -> int:
    """The chat a new message goes to; in a group it counts towards the 20 a minute."""
    chat_id = _chat(api, params)
    group = api.group_by_id(chat_id)
    if group is not None:
        group.check_bot_may_send()
    return chat_id


def _chat(api: BotApiEmulator, params: Params) -> int:
    """A chat the bot may write in (a group it is a member of, or a person who started it)."""
    chat_id = _int(params, "chat_id")
    group = api.group_by_id(chat_id)
    if chat_id in api.migrated:
        raise ApiError(400, "Bad Request: group chat was upgraded to a supergroup chat",
                       migrate_to_chat_id=api.migrated[chat_id])
    if group is not None:
        if not group.bot_is_member:
            raise ApiError(403, "Forbidden: bot is not a member of the group chat")
        return chat_id
    person = api.person_by_id(chat_id)
    if person is None:
        raise bad_request("chat not found")
    if person.blocked:
        raise ApiError(403, "Forbidden: bot was blocked by the user")
    if not person.started:
        raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
    return chat_id


def _own_message(api: BotApiEmulator, params: Params, action: str) -> StoredMessage:
    chat_id = _chat(api, params)
    stored = api.stored(chat_id, _int(params, "message_id"))
    if stored is None or stored.deleted:
        raise bad_request(f"message to {action} not found")
    if not stored.from_bot:
        raise bad_request(f"message can't be {action}ed")
    return stored


async def _deliver(api: BotApiEmulator, stored: StoredMessage) -> dict[str, Any]:
    await api.audience(stored.chat_id).notice(stored)
    return api.message_json(stored.chat_id, stored.message_id)


async def get_me(api: BotApiEmulator, params: Params) -> Any:
    return {**api.bot_user(), "can_join_groups": True,
            "can_read_all_group_messages": not api.privacy_mode,
            "supports_inline_queries": False, "can_connect_to_business": False,
            "has_main_web_app": False,
            **({"is_emulator": True} if api.announced else {})}


async def get_updates(api: BotApiEmulator, params: Params) -> Any:
    if api.webhook is not None:
        raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                            "use deleteWebhook to delete the webhook first")
    remember_allowed_updates(api, params)
    offset = params.get("offset")
    return await api.take_updates(
        int(offset) if offset is not None else None,
        min(max(_int(params, "limit", 100), 1), 100),
        float(params.get("timeout") or 0),
    )


def remember_allowed_updates(api: BotApiEmulator, params: Params) -> None:
    """Telegram keeps the last `allowed_updates` it was given; an empty list means the default."""
    allowed = params.get("allowed_updates")
    if allowed is None:
        return
    if not isinstance(allowed, list) or not all(isinstance(kind, str) for kind in allowed):
        raise bad_request("can't parse allowed updates JSON object")
    api.allowed_updates = list(allowed) or None


async def send_message(api: BotApiEmulator, params: Params) -> Any:
    chat_id = _sending_chat(api, params)
    text, source = _text(params, "text", MESSAGE_LIMIT, required=True)
    markup = check_inline_keyboard(params.get("reply_markup"))
    replied = _replies.replied_message(api, chat_id, params)
    stored = api.new_message(chat_id, from_bot=True)
    stored.text, stored.html, stored.markup = text, source, markup
    if replied is not None:
        stored.extra["reply_to_message"] = replied
    return await _deliver(api, stored)


async def _send_file(api: BotApiEmulator, params: Params, kind: str) -> Any:
    chat_id = _sending_chat(api, params)
    caption, source = _text(params, "caption", CAPTION_LIMIT, required=False)
    markup = check_inline_keyboard(params.get("reply_markup"))
    upload = params.get(kind)
    if not isinstance(upload, dict) or not upload.get("upload"):
        raise bad_request(f"there is no {kind} in the request")
    stored = api.new_message(chat_id, from_bot=True)
    stored.text, stored.html, stored.markup = caption, source, markup
    file_id = f"{kind}-{chat_id}-{stored.message_id}"
    if kind == "photo":
        stored.photo = upload["upload"]
        width, height = _picture_size(upload["upload"])
        stored.extra = {"photo": [{"file_id": file_id, "file_unique_id": file_id,
                                   "width": width, "height": height}]}
    else:
        stored.document, stored.document_name = upload["upload"], upload.get("filename")
        stored.extra = {"document": {"file_id": file_id, "file_unique_id": file_id,
                                     "file_name": upload.get("filename") or "file",
                                     "file_size": len(upload["upload"])}}
    return await _deliver(api, stored)


async def send_photo(api: BotApiEmulator, params: Params) -> Any:
    return await _send_file(api, params, "photo")


async def send_document(api: BotApiEmulator, params: Params) -> Any:
    return await _send_file(api, params, "document")


async def send_media_group(api: BotApiEmulator, params: Params) -> Any:
    """An album: 2–10 photos sent at once, each a message of the same `media_group_id`.

    Like Telegram, it takes no `reply_markup` (an album has no buttons), checks every item before
    sending any, and refers to uploads by `attach://name`.
    """
    chat_id = _sending_chat(api, params)
    media = params.get("media")
    if not media:
        raise bad_request("media to send are not specified")
    if not isinstance(media, list) or not all(isinstance(item, dict) for item in media):
        raise bad_request("can't parse media JSON object")
    if len(media) > 10:
        raise bad_request("too much messages to send as an album")
    if len(media) < 2:
        raise bad_request("media must include 2-10 items")
    photos = []
    for item in media:
        if item.get("type") != "photo":
            raise bad_request("can't parse InputMedia: unsupported media type")
        reference = str(item.get("media") or "")
        upload = params.get(reference.removeprefix("attach://"))
        if not reference.startswith("attach://") or not isinstance(upload, dict):
            raise bad_request("can't parse InputMedia: media not found")
        caption, source = _text(item, "caption", CAPTION_LIMIT, required=False)
        photos.append((upload["upload"], caption, source))
    group = f"album-{chat_id}-{len(api.calls)}"
    sent = []
    for picture, caption, source in photos:
        stored = api.new_message(chat_id, from_bot=True)
        stored.text, stored.html, stored.photo = caption, source, picture
        width, height = _picture_size(picture)
        file_id = f"photo-{chat_id}-{stored.message_id}"
        stored.extra = {"media_group_id": group, "photo": [
            {"file_id": file_id, "file_unique_id": file_id, "width": width, "height": height}]}
        sent.append(await _deliver(api, stored))
    return sent


def _picture_size(picture: bytes) -> tuple[int, int]:
    """A PNG's own width and height (from its header); other pictures count as 800 × 800."""
    if picture[:8] == b"\x89PNG\r\n\x1a\n" and len(picture) >= 24:
        width, height = struct.unpack(">II", picture[16:24])
        return int(width), int(height)
    return 800, 800


async def edit_message_text(api: BotApiEmulator, params: Params) -> Any:
    stored = _own_message(api, params, "edit")
    text, source = _text(params, "text", MESSAGE_LIMIT, required=True)
    markup = check_inline_keyboard(params.get("reply_markup"))
    if source == stored.html and _buttons(markup) == _buttons(stored.markup):
        raise bad_request(NOT_MODIFIED)
    stored.text, stored.html, stored.markup = text, source, markup
    stored.edit_date = int(time.time())
    return await _deliver(api, stored)


async def edit_message_reply_markup(api: BotApiEmulator, params: Params) -> Any:
    stored = _own_message(api, params, "edit")
    markup = check_inline_keyboard(params.get("reply_markup"))
    if _buttons(markup) == _buttons(stored.markup):
        raise bad_request(NOT_MODIFIED)
    stored.markup, stored.edit_date = markup, int(time.time())
    return await _deliver(api, stored)


async def delete_message(api: BotApiEmulator, params: Params) -> Any:
    stored = _own_message(api, params, "delete")
    stored.deleted = True
    await _deliver(api, stored)
    return True


async def answer_callback_query(api: BotApiEmulator, params: Params) -> Any:
    query = api.callback_query(str(params.get("callback_query_id", "")))
    if (query is None or query.answered.is_set()
            or time.monotonic() - query.created > api.callback_answer_window):
        raise bad_request(QUERY_TOO_OLD)
    text = params.get("text")
    if text is not None and len(str(text)) > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    query.text = str(text) if text else None
    query.answered.set()
    return True


async def send_chat_action(api: BotApiEmulator, params: Params) -> Any:
    _chat(api, params)
    return True


async def set_webhook(api: BotApiEmulator, params: Params) -> Any:
    url = str(params.get("url") or "")
    if not url:
        return await delete_webhook(api, params)
    if not url.startswith(("https://", "http://")):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    api.webhook = {"url": url, "secret_token": params.get("secret_token") or None}
    remember_allowed_updates(api, params)
    if str(params.get("drop_pending_updates")).lower() == "true":
        await api.take_updates(None, 10_000, 0)
    api.start_webhook_delivery()
    return True


async def delete_webhook(api: BotApiEmulator, params: Params) -> Any:
    api.webhook = None
    await api.stop_webhook_delivery()
    if str(params.get("drop_pending_updates")).lower() == "true":
        await api.take_updates(None, 10_000, 0)
    return True


async def get_webhook_info(api: BotApiEmulator, params: Params) -> Any:
    return {"url": (api.webhook or {}).get("url", ""), "has_custom_certificate": False,
            "pending_update_count": 0}


async def _true(api: BotApiEmulator, params: Params) -> Any:
    return True


async def set_chat_menu_button(api: BotApiEmulator, params: Params) -> Any:
    """Kept per chat (and for everyone without a chat), so a test can see what a person's menu
    button opens."""
    button = params.get("menu_button")
    if isinstance(button, str):
        button = json.loads(button)
    api.menu_buttons[params.get("chat_id") and _int(params, "chat_id")] = button
    return True


def _buttons(markup: Mapping[str, Any] | None) -> Any:
    return (markup or {}).get("inline_keyboard") or []


_METHODS: dict[str, Method] = {
    "getme": get_me, "getupdates": get_updates, "sendmessage": send_message,
    "sendphoto": send_photo, "senddocument": send_document, "sendmediagroup": send_media_group,
    "editmessagetext": edit_message_text, "editmessagereplymarkup": edit_message_reply_markup,
    "deletemessage": delete_message, "answercallbackquery": answer_callback_query,
    "sendchataction": send_chat_action, "setwebhook": set_webhook,
    "deletewebhook": delete_webhook, "getwebhookinfo": get_webhook_info, "close": _true,
    "logout": _true, "setmydescription": _true, "setmyshortdescription": _true,
    "setchatmenubutton": set_chat_menu_button,
}



def register(name: str, method: Method) -> None:
    """A method implemented in a module of its own (polls), built on the checks here."""
    _METHODS[name.lower()] = method
