"""Group chats in the emulator behave as Telegram's: membership updates, privacy mode, refusals
and the 20-messages-a-minute limit, seen through python-telegram-bot's own `Bot` over HTTP."""

from __future__ import annotations

import asyncio

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatMemberStatus
from telegram.error import BadRequest, Forbidden, RetryAfter

from bot.emulator import BotApiEmulator, SimulatedGroup, SimulatedPerson
from bot.telegram.refusals import seconds_to_wait

# `api` and `bot` come from tests/support/emulated.py (via conftest.py); Anna here is our own:
# she has not started the bot, so no /start of hers waits among the updates.


@pytest.fixture
def manon(api: BotApiEmulator) -> SimulatedPerson:
    return api.person("Manon")


@pytest.fixture
def anna(api: BotApiEmulator) -> SimulatedPerson:
    return api.person("Anna")


@pytest.fixture
async def group(api: BotApiEmulator, manon: SimulatedPerson,
                anna: SimulatedPerson) -> SimulatedGroup:
    """The management team's group, with the bot added by Manon."""
    team = api.group("MT Zorg & Co", members=[manon, anna])
    await manon.add_bot_to(team)
    return team


async def updates(bot: Bot, after: Update | None = None) -> list[Update]:
    offset = after.update_id + 1 if after is not None else None
    return list(await bot.get_updates(offset=offset, timeout=0.3))


async def test_adding_promoting_and_removing_the_bot_reach_it_as_my_chat_member(
    api: BotApiEmulator, bot: Bot, manon: SimulatedPerson, anna: SimulatedPerson
) -> None:
    team = api.group("MT Zorg & Co", members=[manon, anna])
    await manon.add_bot_to(team)
    await manon.promote_bot_in(team)
    await anna.remove_bot_from(team)
    added, joined, promoted, removed = await updates(bot)
    assert joined.message is not None and joined.message.new_chat_members[0].is_bot
    expected = ((added, "left", "member", manon), (promoted, "member", "administrator", manon),
                (removed, "administrator", "left", anna))
    for update, old, new, actor in expected:
        change = update.my_chat_member
        assert change is not None and change.chat.type == "group"
        assert change.chat.id == team.chat_id < 0 and change.chat.title == "MT Zorg & Co"
        assert change.from_user.id == actor.user_id and change.new_chat_member.user.is_bot
        assert (change.old_chat_member.status, change.new_chat_member.status) == (old, new)
    assert promoted.my_chat_member is not None
    assert promoted.my_chat_member.new_chat_member.status == ChatMemberStatus.ADMINISTRATOR


async def test_privacy_mode_hides_plain_talk_and_delivers_commands_and_replies(
    api: BotApiEmulator, bot: Bot, group: SimulatedGroup, manon: SimulatedPerson,
    anna: SimulatedPerson
) -> None:
    *_, added = await updates(bot)  # my_chat_member, then the service message
    await anna.say_in(group, "shall we start?")
    await anna.say_in(group, "/meeting@someotherbot")
    await anna.say_in(group, "/meeting")
    await manon.say_in(group, "/meeting@ISO9004_bot now")
    [command, addressed] = await updates(bot, added)
    assert command.message is not None and command.message.text == "/meeting"
    assert command.message.chat.id == group.chat_id and command.message.from_user is not None
    assert command.message.from_user.id == anna.user_id
    assert command.message.entities[0].type == "bot_command"
    assert addressed.message is not None and addressed.message.from_user is not None
    assert addressed.message.from_user.id == manon.user_id

    sent = await bot.send_message(group.chat_id, "Why this level?")
    question = await group.wait_for(lambda m: m.text == "Why this level?")
    assert sent.chat.type == "group" and question.message_id == sent.message_id
    await manon.say_in(group, "not a reply")
    await manon.say_in(group, "Because of the audits", reply_to=question)
    [reply] = await updates(bot, addressed)
    assert reply.message is not None and reply.message.text == "Because of the audits"
    assert reply.message.reply_to_message is not None
    assert reply.message.reply_to_message.message_id == sent.message_id


async def test_a_tap_in_the_group_carries_the_group_message_and_the_tapper(
    bot: Bot, group: SimulatedGroup, anna: SimulatedPerson
) -> None:
    *_, added = await updates(bot)  # my_chat_member, then the service message
    await bot.send_message(group.chat_id, "Your vote?", reply_markup=InlineKeyboardMarkup(
        [[InlineKeyboardButton("3", callback_data="vote:3")]]))
    tap = asyncio.create_task(anna.tap_in(group, "3"))
    [update] = await bot.get_updates(offset=added.update_id + 1, timeout=2)
    query = update.callback_query
    assert query is not None and query.data == "vote:3" and query.from_user.id == anna.user_id
    assert query.message is not None and query.message.chat.id == group.chat_id
    await query.answer("Counted")
    assert await tap == "Counted"


async def test_the_21st_message_in_a_minute_is_refused_and_edits_do_not_count(
    api: BotApiEmulator, bot: Bot, group: SimulatedGroup
) -> None:
    now = [1000.0]
    api.clock = lambda: now[0]
    first = await bot.send_message(group.chat_id, "1")
    for number in range(2, 21):
        await bot.send_message(group.chat_id, str(number))
    await bot.edit_message_text("1, edited", chat_id=group.chat_id, message_id=first.message_id)
    with pytest.raises(RetryAfter) as refused:
        await bot.send_message(group.chat_id, "21")
    assert seconds_to_wait(refused.value) == 60
    assert group.last_message.text == "20" and len(group.messages) == 20
    now[0] += 60
    await bot.send_message(group.chat_id, "a minute later")
    assert group.last_message.text == "a minute later"


async def test_a_group_the_bot_left_or_never_joined_refuses_its_messages(
    api: BotApiEmulator, bot: Bot, group: SimulatedGroup, manon: SimulatedPerson
) -> None:
    await bot.send_message(group.chat_id, "hello team")
    await manon.remove_bot_from(group)
    with pytest.raises(Forbidden, match="bot is not a member of the group chat"):
        await bot.send_message(group.chat_id, "still here?")
    other = api.group("Another team", members=[manon])
    with pytest.raises(Forbidden, match="bot is not a member of the group chat"):
        await bot.send_message(other.chat_id, "hello")
    assert [m.text for m in group.messages] == ["hello team"]
    await manon.say_in(group, "/meeting")
    commands = [u for u in await updates(bot) if u.message and u.message.text == "/meeting"]
    assert commands == []  # the only message it got is the service message of its arrival


async def test_votes_on_the_bots_poll_reach_it_and_a_stopped_poll_takes_no_more(
    bot: Bot, group: SimulatedGroup, manon: SimulatedPerson, anna: SimulatedPerson
) -> None:
    *_, added = await updates(bot)  # my_chat_member, then the service message
    sent = await bot.send_poll(group.chat_id, "Agreed level?", ["1", "2", "3", "4", "5"],
                               is_anonymous=False)
    assert sent.poll is not None and group.last_message.text == "Agreed level?"
    await manon.vote_in(group, 2)
    await anna.vote_in(group, 3)
    counts, manon_vote, _, anna_vote = await updates(bot, added)
    assert counts.poll is not None and counts.poll.total_voter_count == 1
    assert manon_vote.poll_answer is not None and manon_vote.poll_answer.user is not None
    assert manon_vote.poll_answer.user.id == manon.user_id
    assert anna_vote.poll_answer is not None and anna_vote.poll_answer.option_ids == (3,)
    final = await bot.stop_poll(group.chat_id, sent.message_id)
    assert final.is_closed and [o.voter_count for o in final.options] == [0, 0, 1, 1, 0]
    with pytest.raises(BadRequest, match="already been closed"):
        await bot.stop_poll(group.chat_id, sent.message_id)
    with pytest.raises(AssertionError, match="no open poll"):
        await manon.vote_in(group, 1)


async def test_an_anonymous_poll_tells_counts_but_not_voters(
    bot: Bot, group: SimulatedGroup, anna: SimulatedPerson
) -> None:
    *_, added = await updates(bot)  # my_chat_member, then the service message
    await bot.send_poll(group.chat_id, "Level?", ["low", "high"])
    await anna.vote_in(group, 1)
    [counts] = await updates(bot, added)
    assert counts.poll is not None and counts.poll.options[1].voter_count == 1


@pytest.mark.parametrize(("question", "options", "reason"), [
    ("", ["a", "b"], "question must be non-empty"),
    ("q" * 301, ["a", "b"], "question length"),
    ("Level?", [str(n) for n in range(13)], "more than 12 options"),
    ("Level?", ["a", "x" * 101], "options length"),
])
async def test_polls_telegram_would_refuse_are_refused(
    bot: Bot, group: SimulatedGroup, question: str, options: list[str], reason: str
) -> None:
    with pytest.raises(BadRequest, match=reason):
        await bot.send_poll(group.chat_id, question, options)
    assert group.messages == []
