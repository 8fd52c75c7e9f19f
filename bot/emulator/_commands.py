"""The bot's command menus (`setMyCommands`, `getMyCommands`, `deleteMyCommands`) per scope and
language, checked as Telegram checks them.

A menu is kept per (scope, language): a group's menu (`all_group_chats`) is not the private one.
Commands are 1-32 characters of `a-z0-9_` (Telegram refuses capitals too), descriptions 1-256
characters, at most 100 of them; a scope is one of Telegram's seven types, and the scopes that
name a chat need one the bot can see (`chat_member` also a user, in a group).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from bot.emulator import _methods
from bot.emulator._model import bad_request

if TYPE_CHECKING:
    from bot.emulator._server import BotApiEmulator

COMMAND = re.compile(r"[a-z0-9_]{1,32}")
MAX_COMMANDS = 100
GENERAL_SCOPES = frozenset({"default", "all_private_chats", "all_group_chats",
                            "all_chat_administrators"})
CHAT_SCOPES = frozenset({"chat", "chat_administrators", "chat_member"})


def scope_key(api: BotApiEmulator, params: _methods.Params) -> str:
    """The menu a call is about: `default`, `all_group_chats`, `chat:<id>`, …"""
    scope = params.get("scope")
    if scope is None:
        return "default"
    if not isinstance(scope, dict):
        raise bad_request("can't parse BotCommandScope JSON object")
    kind = str(scope.get("type", ""))
    if kind in GENERAL_SCOPES:
        return kind
    if kind not in CHAT_SCOPES:
        raise bad_request("Unsupported type specified")
    chat_id = _methods._int(scope, "chat_id")
    group = api.group_by_id(chat_id)
    if group is None and api.person_by_id(chat_id) is None:
        raise bad_request("chat not found")
    if kind != "chat_member":
        return f"{kind}:{chat_id}"
    user_id = _methods._int(scope, "user_id")
    if group is None:
        raise bad_request("BOT_COMMAND_SCOPE_INVALID")
    if api.person_by_id(user_id) is None:
        raise bad_request("user not found")
    return f"chat_member:{chat_id}:{user_id}"


def _language(params: _methods.Params) -> str:
    language = str(params.get("language_code") or "")
    if language and not re.fullmatch(r"[a-z]{2}", language):
        raise bad_request("invalid language code specified")
    return language


async def set_my_commands(api: BotApiEmulator, params: _methods.Params) -> Any:
    commands = params.get("commands")
    if not isinstance(commands, list) or not all(isinstance(c, dict) for c in commands):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > MAX_COMMANDS:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    for command in commands:
        if not COMMAND.fullmatch(str(command.get("command", "")).removeprefix("/")):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", "")).strip()) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    key = (scope_key(api, params), _language(params))
    api.commands[key] = [{"command": str(c["command"]).removeprefix("/"),
                          "description": str(c["description"])} for c in commands]
    return True


async def get_my_commands(api: BotApiEmulator, params: _methods.Params) -> Any:
    return api.commands.get((scope_key(api, params), _language(params)), [])


async def delete_my_commands(api: BotApiEmulator, params: _methods.Params) -> Any:
    api.commands.pop((scope_key(api, params), _language(params)), None)
    return True


def menu(api: BotApiEmulator, scope: str = "default", language: str = "") -> list[str]:
    """The command names of one menu, as a test asserts them."""
    return [c["command"] for c in api.commands.get((scope, language), [])]


_methods.register("setMyCommands", set_my_commands)
_methods.register("getMyCommands", get_my_commands)
_methods.register("deleteMyCommands", delete_my_commands)
