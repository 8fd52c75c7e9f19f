"""Replies and reply prompts: `reply_parameters` on a new message and `ForceReply`.

With privacy mode on, a reply to one of the bot's messages is the only plain text of a group that
reaches it, so a bot that wants a typed answer in a group (a meeting's reason) sends a `ForceReply`:
the person's app opens a reply to that message. With `selective`, only the people the message is
meant for get the prompt: the sender of the message it replies to, and anyone it mentions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.emulator import _methods
from bot.emulator._model import BotMessage, bad_request

if TYPE_CHECKING:
    from bot.emulator._groups import SimulatedGroup
    from bot.emulator._people import SimulatedPerson
    from bot.emulator._server import BotApiEmulator

PLACEHOLDER_LIMIT = 64


def replied_message(api: BotApiEmulator, chat_id: int,
                    params: _methods.Params) -> dict[str, Any] | None:
    """The message a new one replies to, as Telegram shows it; Telegram refuses a reply to a
    message that is not in the chat, unless told to send it anyway."""
    reply = params.get("reply_parameters")
    if reply is None:
        if params.get("reply_to_message_id") is None:
            return None
        reply = {"message_id": params["reply_to_message_id"],
                 "allow_sending_without_reply": params.get("allow_sending_without_reply")}
    if not isinstance(reply, dict):
        raise bad_request("can't parse reply parameters JSON object")
    message_id = _methods._int(reply, "message_id")
    if int(reply.get("chat_id") or chat_id) != chat_id:
        raise bad_request("message to be replied not found")
    stored = api.stored(chat_id, message_id)
    if stored is None or stored.deleted:
        if str(reply.get("allow_sending_without_reply")).lower() == "true":
            return None
        raise bad_request("message to be replied not found")
    replied = api.message_json(chat_id, message_id)
    replied.pop("reply_to_message", None)  # Telegram nests one level only
    return replied


def check_force_reply(markup: dict[str, Any]) -> None:
    """`ForceReply`: `force_reply` must be true, a placeholder 1-64 characters."""
    if markup.get("force_reply") is not True:
        raise bad_request("can't parse reply keyboard markup JSON object")
    placeholder = markup.get("input_field_placeholder")
    if placeholder is not None and not 1 <= len(str(placeholder)) <= PLACEHOLDER_LIMIT:
        raise bad_request("can't parse reply keyboard markup JSON object")


def prompt_for(group: SimulatedGroup, person: SimulatedPerson) -> BotMessage:
    """The bot's newest `ForceReply` in the group that Telegram shows `person` as a prompt."""
    api = group.emulator
    for stored in reversed(api.chat_messages(group.chat_id)):
        markup = stored.markup or {}
        if not stored.from_bot or stored.deleted or not markup.get("force_reply"):
            continue
        if not markup.get("selective") or _meant_for(stored.extra, stored.html, person):
            return stored.snapshot()
    raise AssertionError(f"Telegram shows {person.first_name} no reply prompt in "
                         f"{group.title!r}")


def _meant_for(extra: dict[str, Any], html: str, person: SimulatedPerson) -> bool:
    replied = extra.get("reply_to_message") or {}
    if (replied.get("from") or {}).get("id") == person.user_id:
        return True
    mentions = [f"tg://user?id={person.user_id}"]
    if person.username:
        mentions.append(f"@{person.username}")
    return any(mention in html for mention in mentions)
