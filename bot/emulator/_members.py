"""Who is in a group, as Telegram tells a bot: service messages, `chat_member`, `getChatMember`,
and the bot arriving through a `startgroup` deep link.

- Every bot in a group receives its service messages whatever its privacy mode:
  `new_chat_members` when people (or the bot itself) are added, `left_chat_member` when someone
  leaves or is removed (not the bot itself: it is gone by then).
- `chat_member` updates about people reach a bot only if it is an administrator there *and* asked
  for them in `allowed_updates` (they are not in Telegram's default set).
- A group upgraded to a supergroup gets a new id (`-100…`); both chats get a service message
  naming the other, and the old id refuses with `migrate_to_chat_id` (PTB's `ChatMigrated`).
- `https://t.me/<bot>?startgroup=<payload>`: the person picks a group, Telegram adds the bot (a
  `my_chat_member` update and the service message) and then sends `/start@<bot> <payload>` in the
  group on the person's behalf. A payload Telegram would not carry (1-64 of `A-Za-z0-9_-`) is the
  bot's mistake, so the test fails.
"""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlparse

from bot.emulator import _methods
from bot.emulator._model import ApiError, bad_request
from bot.emulator._people import bot_member

if TYPE_CHECKING:
    from bot.emulator._groups import SimulatedGroup
    from bot.emulator._people import SimulatedPerson
    from bot.emulator._server import BotApiEmulator

PAYLOAD = re.compile(r"[A-Za-z0-9_-]{1,64}")


def status_of(group: SimulatedGroup, person: SimulatedPerson) -> str:
    """A person's status in the group: its creator (the first member), a member, or gone."""
    if person not in group.members:
        return "left"
    return "creator" if group.members[0] is person else "member"


def member_json(user: dict[str, Any], status: str) -> dict[str, Any]:
    member: dict[str, Any] = {"user": user, "status": status}
    if status == "creator":
        member["is_anonymous"] = False
    return member


async def service_message(group: SimulatedGroup, actor: SimulatedPerson,
                          **content: Any) -> None:
    """A service message in the group (from `actor`); every bot in the group receives it."""
    api = group.emulator
    stored = api.store_person_message(group.chat_id, "")
    stored.extra.update({"from": actor.user_json(), **content})
    if group.bot_is_member:
        await api.enqueue({"message": api.message_json(group.chat_id, stored.message_id)})


async def people_changed(group: SimulatedGroup, actor: SimulatedPerson,
                         person: SimulatedPerson, joined: bool) -> None:
    """`person` joins (added by `actor`, or by themselves) or leaves the group."""
    old = status_of(group, person)
    if joined == (person in group.members):
        return  # Telegram reports no change that did not happen
    if joined:
        group.members.append(person)
        await service_message(group, actor, new_chat_members=[person.user_json()])
    else:
        group.members.remove(person)
        await service_message(group, actor, left_chat_member=person.user_json())
    if group.bot_status == "administrator":  # and only if the bot asked (`wants`)
        await group.emulator.enqueue({"chat_member": {
            "chat": group.chat_json(), "from": actor.user_json(), "date": int(time.time()),
            "old_chat_member": member_json(person.user_json(), old),
            "new_chat_member": member_json(person.user_json(), status_of(group, person))}})


async def start_group(group: SimulatedGroup, person: SimulatedPerson, link: str) -> None:
    """`person` opens the bot's `startgroup` link and picks `group`."""
    api = group.emulator
    parsed = urlparse(link)
    username = parsed.path.strip("/")
    payloads = parse_qs(parsed.query).get("startgroup", [""])
    if parsed.netloc != "t.me" or username.casefold() != api.bot_username.casefold():
        raise AssertionError(f"{link!r} is not a startgroup link of @{api.bot_username}")
    payload = payloads[0]
    if payload and not PAYLOAD.fullmatch(payload):
        raise AssertionError(f"Telegram does not carry the startgroup payload {payload!r}")
    if not group.bot_is_member:
        await group.set_bot_status(person, "member")
    command = f"/start@{api.bot_username}" + (f" {payload}" if payload else "")
    await group.say(person, command, None)


async def upgrade(group: SimulatedGroup, actor: SimulatedPerson) -> None:
    """The group becomes a supergroup: a service message with `migrate_to_chat_id` in the old
    chat, one with `migrate_from_chat_id` in the new; the old id refuses from now on."""
    if group.kind == "supergroup":
        raise AssertionError(f"{group.title!r} is a supergroup already")
    api = group.emulator
    old_id, new_id = group.chat_id, int(f"-100{abs(group.chat_id):010d}")
    await service_message(group, actor, migrate_to_chat_id=new_id)
    api.migrated[old_id] = new_id
    api.rename_group(old_id, new_id)
    group.kind = "supergroup"
    await service_message(group, actor, migrate_from_chat_id=old_id)


async def get_chat_member(api: BotApiEmulator, params: _methods.Params) -> Any:
    chat_id = _methods._int(params, "chat_id")
    user_id = _methods._int(params, "user_id")
    group = api.group_by_id(chat_id)
    if group is None:
        person = api.person_by_id(chat_id)
        if person is None:
            raise bad_request("chat not found")
        if user_id not in (chat_id, api.bot_id):
            raise bad_request("user not found")
        user = api.bot_user() if user_id == api.bot_id else person.user_json()
        return member_json(user, "member")
    if not group.bot_is_member:
        raise ApiError(403, "Forbidden: bot is not a member of the group chat")
    if user_id == api.bot_id:
        return bot_member(api.bot_user(), group.bot_status)
    person = api.person_by_id(user_id)
    if person is None:
        raise bad_request("user not found")
    return member_json(person.user_json(), status_of(group, person))


_methods.register("getChatMember", get_chat_member)
