"""Who is in a group as Telegram tells the bot: the startgroup deep link, service messages,
`chat_member`, `getChatMember`; command menus per scope; replies and ForceReply prompts. All
through python-telegram-bot's own `Bot` over HTTP."""

from __future__ import annotations

import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    ForceReply,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatMemberStatus
from telegram.error import BadRequest, ChatMigrated, Forbidden

from bot.emulator import BotApiEmulator, SimulatedGroup, SimulatedPerson

# `api` and `bot` come from tests/support/emulated.py (via conftest.py); Anna here is our own:
# she has not started the bot, so no /start of hers waits among the updates.


@pytest.fixture
def manon(api: BotApiEmulator) -> SimulatedPerson:
    return api.person("Manon")


@pytest.fixture
def anna(api: BotApiEmulator) -> SimulatedPerson:
    return api.person("Anna", username="anna_z")


@pytest.fixture
def group(api: BotApiEmulator, manon: SimulatedPerson, anna: SimulatedPerson) -> SimulatedGroup:
    return api.group("MT Zorg & Co", members=[manon, anna])


async def updates(bot: Bot, after: Update | None = None) -> list[Update]:
    offset = after.update_id + 1 if after is not None else None
    return list(await bot.get_updates(offset=offset, timeout=0.3))


async def test_the_startgroup_link_adds_the_bot_and_says_start_with_the_payload(
    api: BotApiEmulator, bot: Bot, group: SimulatedGroup, manon: SimulatedPerson,
) -> None:
    await manon.add_bot_via(group, "https://t.me/iso9004_bot?startgroup=Abc_123-x")
    added, joined, start = await updates(bot)
    assert added.my_chat_member is not None
    assert added.my_chat_member.new_chat_member.status == ChatMemberStatus.MEMBER
    assert joined.message is not None and joined.message.new_chat_members[0].is_bot
    assert start.message is not None and start.message.text == "/start@iso9004_bot Abc_123-x"
    assert start.message.chat.id == group.chat_id and start.message.from_user is not None
    assert start.message.from_user.id == manon.user_id
    await manon.add_bot_via(group, "https://t.me/iso9004_bot?startgroup=again")
    [only_start] = await updates(bot, start)  # already in the group: no second arrival
    assert only_start.message is not None and only_start.message.text.endswith(" again")


@pytest.mark.parametrize("link", [
    "https://t.me/iso9004_bot?startgroup=" + "x" * 65,
    "https://t.me/iso9004_bot?startgroup=no spaces",
    "https://t.me/another_bot?startgroup=abc",
])
async def test_a_startgroup_link_telegram_would_not_carry_fails_the_test(
    group: SimulatedGroup, manon: SimulatedPerson, link: str
) -> None:
    with pytest.raises(AssertionError):
        await manon.add_bot_via(group, link)
    assert group.bot_status == "left"


async def test_people_joining_and_leaving_reach_the_bot_as_service_messages_and_chat_member(
    api: BotApiEmulator, bot: Bot, group: SimulatedGroup, manon: SimulatedPerson,
) -> None:
    daan = api.person("Daan")
    await manon.add_bot_to(group)
    *_, arrival = await updates(bot)
    await manon.add_to(group, daan)
    [joined] = await updates(bot, arrival)  # no chat_member: not asked for, not admin
    assert joined.message is not None and joined.message.new_chat_members[0].id == daan.user_id

    await bot.get_updates(offset=joined.update_id + 1, timeout=0,
                          allowed_updates=["message", "chat_member", "my_chat_member"])
    await manon.remove_from(group, daan)
    [left] = await updates(bot, joined)  # asked for, but the bot is no administrator
    assert left.message is not None and left.message.left_chat_member is not None
    await manon.promote_bot_in(group)
    await daan.send("hi")  # a private chat is no group business
    await manon.add_to(group, daan)
    promoted, private, back, member = await updates(bot, left)
    assert promoted.my_chat_member is not None and private.message is not None
    assert back.message is not None and back.message.new_chat_members[0].id == daan.user_id
    assert member.chat_member is not None and member.chat_member.from_user.id == manon.user_id
    assert member.chat_member.old_chat_member.status == ChatMemberStatus.LEFT
    assert member.chat_member.new_chat_member.status == ChatMemberStatus.MEMBER
    assert member.chat_member.new_chat_member.user.id == daan.user_id
    await daan.leave(group)
    assert daan not in group.members


async def test_get_chat_member_tells_the_bots_and_a_persons_status(
    api: BotApiEmulator, bot: Bot, group: SimulatedGroup, manon: SimulatedPerson,
    anna: SimulatedPerson,
) -> None:
    with pytest.raises(Forbidden, match="not a member"):
        await bot.get_chat_member(group.chat_id, bot.id)
    await anna.add_bot_to(group)
    assert (await bot.get_chat_member(group.chat_id, bot.id)).status == "member"
    await manon.promote_bot_in(group)
    assert (await bot.get_chat_member(group.chat_id, bot.id)).status == "administrator"
    assert (await bot.get_chat_member(group.chat_id, manon.user_id)).status == "creator"
    assert (await bot.get_chat_member(group.chat_id, anna.user_id)).status == "member"
    outsider = api.person("Olaf")
    assert (await bot.get_chat_member(group.chat_id, outsider.user_id)).status == "left"
    with pytest.raises(BadRequest, match=r"(?i)user not found"):
        await bot.get_chat_member(group.chat_id, 999_999)
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.get_chat_member(-42, bot.id)


async def test_command_menus_are_kept_per_scope_and_language_and_checked(
    api: BotApiEmulator, bot: Bot, group: SimulatedGroup, manon: SimulatedPerson,
) -> None:
    await bot.set_my_commands([BotCommand("report", "Report")],
                              scope=BotCommandScopeAllPrivateChats(), language_code="en")
    await bot.set_my_commands([BotCommand("meeting", "Meeting")],
                              scope=BotCommandScopeAllGroupChats(), language_code="en")
    group_menu = await bot.get_my_commands(scope=BotCommandScopeAllGroupChats(),
                                           language_code="en")
    assert [c.command for c in group_menu] == ["meeting"]
    assert await bot.get_my_commands() == ()
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand("Meeting", "capitals are refused")])
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_DESCRIPTION_INVALID"):
        await bot.set_my_commands([BotCommand("meeting", "x" * 257)])
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.set_my_commands([BotCommand("meeting", "M")], scope=BotCommandScopeChat(-7))
    await bot.set_my_commands([BotCommand("meeting", "M")],
                              scope=BotCommandScopeChat(group.chat_id))
    await bot.delete_my_commands(scope=BotCommandScopeAllGroupChats(), language_code="en")
    assert await bot.get_my_commands(scope=BotCommandScopeAllGroupChats(),
                                     language_code="en") == ()
    assert api.refused_calls()[-1].description == "Bad Request: chat not found"


async def test_a_reply_must_name_a_message_of_the_chat_unless_sent_without_it(
    bot: Bot, group: SimulatedGroup, manon: SimulatedPerson,
) -> None:
    await manon.add_bot_to(group)
    asked = await manon.say_in(group, "/meeting")
    sent = await bot.send_message(group.chat_id, "Agenda", reply_parameters=ReplyParameters(asked))
    assert sent.reply_to_message is not None and sent.reply_to_message.message_id == asked
    with pytest.raises(BadRequest, match=r"(?i)message to be replied not found"):
        await bot.send_message(group.chat_id, "?", reply_parameters=ReplyParameters(9999))
    await bot.send_message(group.chat_id, "!", reply_parameters=ReplyParameters(
        9999, allow_sending_without_reply=True))


async def test_a_selective_force_reply_prompts_only_the_person_it_answers(
    bot: Bot, group: SimulatedGroup, manon: SimulatedPerson, anna: SimulatedPerson,
) -> None:
    await manon.add_bot_to(group)
    *_, arrival = await updates(bot)
    asked = await manon.say_in(group, "/meeting")
    [command] = await updates(bot, arrival)
    prompt = await bot.send_message(
        group.chat_id, "Why level 3? Reply in one line.", reply_parameters=ReplyParameters(asked),
        reply_markup=ForceReply(selective=True, input_field_placeholder="The reason"))
    with pytest.raises(AssertionError, match="no reply prompt"):
        await anna.answer_prompt_in(group, "I'd say 2")
    await manon.answer_prompt_in(group, "Two audits this year")
    [reason] = await updates(bot, command)  # a reply to the bot passes privacy mode
    assert reason.message is not None and reason.message.text == "Two audits this year"
    assert reason.message.reply_to_message is not None
    assert reason.message.reply_to_message.message_id == prompt.message_id
    with pytest.raises(BadRequest, match=r"(?i)reply keyboard markup"):
        await bot.send_message(group.chat_id, "Why?", reply_markup=ForceReply(
            input_field_placeholder="x" * 65))


async def test_a_group_upgraded_to_a_supergroup_has_a_new_id_and_the_old_one_says_so(
    bot: Bot, group: SimulatedGroup, manon: SimulatedPerson,
) -> None:
    await manon.add_bot_to(group)
    *_, arrival = await updates(bot)
    old_id = group.chat_id
    await manon.upgrade_to_supergroup(group)
    moved, opened = await updates(bot, arrival)
    assert moved.message is not None and moved.message.migrate_to_chat_id == group.chat_id
    assert opened.message is not None and opened.message.migrate_from_chat_id == old_id
    assert opened.message.chat.type == "supergroup" and opened.message.chat.id == group.chat_id
    with pytest.raises(ChatMigrated) as migrated:
        await bot.send_message(old_id, "hello?")
    assert migrated.value.new_chat_id == group.chat_id
    await bot.send_message(group.chat_id, "hello")
    assert group.last_message.text == "hello"
