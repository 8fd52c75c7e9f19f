"""The emulator refuses what Telegram refuses, in Telegram's words, so our bot meets real errors.

Each test drives it with python-telegram-bot's own `Bot`, over HTTP, as the application does.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

import pytest
from aiohttp import web
from telegram import Bot, InputMediaPhoto
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter

from bot.emulator import BotApiEmulator, NothingArrived, SimulatedPerson
from tests.support.emulated import one_button


async def test_a_person_sees_html_as_text_and_taps_a_button(
    api: BotApiEmulator, bot: Bot, anna: SimulatedPerson
) -> None:
    [start] = await bot.get_updates(timeout=1)
    assert start.message is not None and start.message.text == "/start"
    assert start.message.entities[0].type == "bot_command"

    await bot.send_message(anna.user_id, "<b>Level</b> &lt;3&gt; &amp; more",
                           parse_mode=ParseMode.HTML, reply_markup=one_button())
    assert anna.last_message.text == "Level <3> & more"
    await bot.send_message(anna.user_id, 'In a <a href="https://t.me/bot">private chat</a>',
                           parse_mode=ParseMode.HTML)  # tags with attributes are Telegram's too
    assert anna.last_message.text == "In a private chat"

    tap = asyncio.create_task(anna.tap("3"))
    [update] = await bot.get_updates(offset=start.update_id + 1, timeout=2)
    assert update.callback_query is not None and update.callback_query.data == "a:1:0:3"
    assert update.callback_query.message is not None
    await update.callback_query.answer("Saved")
    assert await tap == "Saved"
    assert api.unanswered_callback_queries() == []


@pytest.mark.parametrize(("text", "reason"), [
    ("", "message text is empty"),
    ("x" * 4097, "message is too long"),
    ("<blink>hi</blink>", "can't parse entities"),
    ("5 < 6", "can't parse entities"),
    ("R&D", "can't parse entities"),
    ("<b>open", "can't parse entities"),
])
async def test_messages_telegram_would_refuse_are_refused(
    api: BotApiEmulator, bot: Bot, anna: SimulatedPerson, text: str, reason: str
) -> None:
    with pytest.raises(BadRequest, match="(?i)" + reason.replace("'", ".")):
        await bot.send_message(anna.user_id, text, parse_mode=ParseMode.HTML)
    assert [call.method for call in api.refused_calls()] == ["sendMessage"]
    assert anna.messages == []


async def test_an_emoji_counts_twice_towards_the_length_limit(
    bot: Bot, anna: SimulatedPerson
) -> None:
    await bot.send_message(anna.user_id, "🚀" * 2048)
    with pytest.raises(BadRequest, match="too long"):
        await bot.send_message(anna.user_id, "🚀" * 2049)


async def test_callback_data_over_64_bytes_is_refused(bot: Bot, anna: SimulatedPerson) -> None:
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(anna.user_id, "hi", reply_markup=one_button(data="é" * 33))


async def test_an_unchanged_edit_is_refused_as_not_modified(
    bot: Bot, anna: SimulatedPerson
) -> None:
    sent = await bot.send_message(anna.user_id, "question", reply_markup=one_button())
    with pytest.raises(BadRequest, match="not modified"):
        await sent.edit_text("question", reply_markup=one_button())
    await sent.edit_text("question")  # dropping the keyboard is a change
    assert anna.last_message.keyboard == []
    assert anna.last_message.edited
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", chat_id=anna.user_id, message_id=999)


async def test_people_who_never_started_or_blocked_the_bot_cannot_be_written_to(
    api: BotApiEmulator, bot: Bot, anna: SimulatedPerson
) -> None:
    stranger = api.person("Stranger")
    with pytest.raises(Forbidden, match="can't initiate conversation"):
        await bot.send_message(stranger.user_id, "hello")
    await anna.block()
    with pytest.raises(Forbidden, match="blocked by the user"):
        await bot.send_message(anna.user_id, "hello")
    await anna.unblock()
    await bot.send_message(anna.user_id, "hello again")
    assert anna.last_message.text == "hello again"


async def test_blocking_and_unblocking_reach_the_bot_as_my_chat_member_updates(
    api: BotApiEmulator, bot: Bot, anna: SimulatedPerson
) -> None:
    [start] = await bot.get_updates(timeout=1)
    await anna.block()
    await anna.send("/start")  # writing to a blocked bot means unblocking it first ("Restart")
    blocked, unblocked, restart = await bot.get_updates(offset=start.update_id + 1, timeout=1)
    for change, old, new in ((blocked, "member", "kicked"), (unblocked, "kicked", "member")):
        member = change.my_chat_member
        assert member is not None and member.chat.type == "private"
        assert member.from_user.id == anna.user_id and member.new_chat_member.user.is_bot
        assert (member.old_chat_member.status, member.new_chat_member.status) == (old, new)
    assert restart.message is not None and restart.message.text == "/start"
    await bot.send_message(anna.user_id, "welcome back")


async def test_updates_the_bot_did_not_ask_for_are_not_delivered(
    api: BotApiEmulator, bot: Bot, anna: SimulatedPerson
) -> None:
    [start] = await bot.get_updates(timeout=1, allowed_updates=["message", "callback_query"])
    await anna.block()
    await anna.unblock()
    await anna.send("still here")
    [message] = await bot.get_updates(offset=start.update_id + 1, timeout=1)
    assert message.message is not None and message.message.text == "still here"
    stranger = api.person("Stranger")
    await stranger.block()  # never started the bot: there is no chat to report on
    assert await bot.get_updates(offset=message.update_id + 1, timeout=0) == ()


async def test_a_callback_query_can_be_answered_once_and_only_in_time(
    api: BotApiEmulator, bot: Bot, anna: SimulatedPerson
) -> None:
    api.callback_answer_window = 0.5  # Telegram's 15 s, shortened to keep the test quick
    await bot.send_message(anna.user_id, "q", reply_markup=one_button())
    with pytest.raises(NothingArrived):
        await anna.tap("3", timeout=0.2)
    updates = await bot.get_updates(timeout=1)
    query = updates[-1].callback_query
    assert query is not None
    await asyncio.sleep(0.6)
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await query.answer()
    assert api.unanswered_callback_queries() == [query.id]


async def test_injected_flood_and_server_errors_reach_the_bot_and_pass(
    api: BotApiEmulator, bot: Bot, anna: SimulatedPerson
) -> None:
    api.flood(retry_after=7, method="sendMessage")
    with pytest.raises(RetryAfter) as flood:
        await bot.send_message(anna.user_id, "hi")
    assert flood.value.retry_after in (7, timedelta(seconds=7))
    api.server_error(method="sendMessage")
    with pytest.raises(NetworkError):
        await bot.send_message(anna.user_id, "hi")
    await bot.send_message(anna.user_id, "hi")
    assert [m.text for m in anna.messages] == ["hi"]
    assert api.refused_calls() == []  # injected faults are not the bot's mistakes
    assert [call.ok for call in api.calls_to("sendMessage")] == [False, False, True]


async def test_a_redelivered_update_keeps_its_update_id(
    api: BotApiEmulator, bot: Bot, anna: SimulatedPerson
) -> None:
    [first] = await bot.get_updates(timeout=1)
    redelivery = asyncio.create_task(anna.resend_last_update())
    [again] = await bot.get_updates(offset=first.update_id + 1, timeout=2)
    await redelivery
    assert again.update_id == first.update_id
    assert again.message is not None and again.message.text == "/start"


async def test_uploaded_pictures_and_files_arrive_intact(bot: Bot, anna: SimulatedPerson) -> None:
    await bot.send_photo(anna.user_id, b"\x89PNG fake", caption="<i>chart</i>",
                         parse_mode=ParseMode.HTML)
    await bot.send_document(anna.user_id, b"a;b\n1;2\n", filename="report.csv")
    picture, document = anna.messages
    assert picture.photo == b"\x89PNG fake" and picture.text == "chart"
    assert document.document == b"a;b\n1;2\n" and document.document_name == "report.csv"
    with pytest.raises(BadRequest, match="caption is too long"):
        await bot.send_photo(anna.user_id, b"x", caption="x" * 1025)


async def test_an_album_arrives_as_photos_of_one_group_and_is_checked_like_telegram(
    bot: Bot, anna: SimulatedPerson
) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x048\x00\x00\x02\x00" + b"rest"
    sent = await bot.send_media_group(anna.user_id, [
        InputMediaPhoto(png, filename="a.png", caption="<b>charts</b>", parse_mode=ParseMode.HTML),
        InputMediaPhoto(b"\x89PNG second", filename="b.png")])
    first, second = anna.messages
    assert (first.photo, second.photo) == (png, b"\x89PNG second")
    assert first.text == "charts" and second.text == ""
    assert first.media_group_id is not None and first.media_group_id == second.media_group_id
    assert (sent[0].photo[-1].width, sent[0].photo[-1].height) == (1080, 512)  # read from the PNG
    with pytest.raises(BadRequest, match="2-10 items"):
        await bot.send_media_group(anna.user_id, [InputMediaPhoto(png, filename="a.png")])
    with pytest.raises(BadRequest, match=r"(?i)too much messages"):
        await bot.send_media_group(anna.user_id, [InputMediaPhoto(png, filename=f"{n}.png")
                                                  for n in range(11)])
    with pytest.raises(BadRequest, match="caption is too long"):
        await bot.send_media_group(anna.user_id, [
            InputMediaPhoto(png, filename="a.png", caption="x" * 1025),
            InputMediaPhoto(png, filename="b.png")])
    assert len(anna.messages) == 2  # a refused album sends none of its photos


async def test_updates_go_to_a_webhook_with_its_secret_and_not_to_get_updates(
    api: BotApiEmulator, bot: Bot
) -> None:
    received: list[tuple[str | None, dict[str, object]]] = []
    arrived = asyncio.Event()

    async def webhook(request: web.Request) -> web.Response:
        received.append((request.headers.get("X-Telegram-Bot-Api-Secret-Token"),
                         await request.json()))
        arrived.set()
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="s3cret")
        with pytest.raises(Exception, match="webhook is active"):
            await bot.get_updates()
        await api.person("Bram").send("hello")
        with contextlib.suppress(TimeoutError):  # woken by the delivery, for at most 2 s
            await asyncio.wait_for(arrived.wait(), 2)
        assert received[0][0] == "s3cret"
        assert received[0][1]["message"]["text"] == "hello"  # type: ignore[index]
    finally:
        await bot.delete_webhook()
        await runner.cleanup()


async def test_a_wrong_token_is_unauthorized(api: BotApiEmulator) -> None:
    impostor = Bot("1:wrong", base_url=api.base_url)
    with pytest.raises(InvalidToken):
        await impostor.initialize()
    await impostor.shutdown()


async def test_the_flood_limit_refuses_sends_beyond_the_rate(bot: Bot, anna: SimulatedPerson,
                                                             api: BotApiEmulator) -> None:
    api.flood_limit_per_second = 3
    for _ in range(3):
        await bot.send_message(anna.user_id, "ok")
    with pytest.raises(RetryAfter):
        await bot.send_message(anna.user_id, "one too many")
    await asyncio.sleep(1.05)
    await bot.send_message(anna.user_id, "ok again")


async def test_a_callback_query_answered_once_refuses_a_second_answer(
    api: BotApiEmulator, bot: Bot, anna: SimulatedPerson
) -> None:
    """Telegram answers a second answerCallbackQuery for the same query with 400 "query is too
    old" (a redelivered tap must not be answered again, issue #28)."""
    await bot.send_message(anna.user_id, "q", reply_markup=one_button())
    tapping = asyncio.create_task(anna.tap("3"))
    updates = await bot.get_updates(timeout=1)
    query = updates[-1].callback_query
    assert query is not None
    assert await query.answer("stored")
    assert await tapping == "stored"
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await query.answer()
    assert [call.ok for call in api.calls_to("answerCallbackQuery")] == [True, False]


async def test_get_me_says_it_is_the_emulator_unless_it_poses_as_a_bot_api_server(
    bot: Bot,
) -> None:
    assert (await bot.get_me()).api_kwargs.get("is_emulator") is True
    async with BotApiEmulator("4343:posing", announced=False) as server, Bot(
            "4343:posing", base_url=server.base_url) as other:
        assert "is_emulator" not in (await other.get_me()).api_kwargs
