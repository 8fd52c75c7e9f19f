"""Telegram's 20 new messages a minute per group, in the one send budget: chatter gives way to
the meeting, and the meeting never meets a 429 (issue #28)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram.ext import ExtBot

from bot.emulator import BotApiEmulator, SimulatedGroup
from bot.telegram.flood import Lane, SendBudget
from bot.telegram.group_flood import (
    GROUP_MESSAGES_PER_MINUTE,
    KEPT_FOR_THE_MEETING,
    GroupChatter,
    GroupCrowded,
    group_of,
)

TOKEN = "4242:group-flood-test"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def api(clock: Clock) -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(TOKEN) as running:
        running.clock = clock
        yield running


@pytest.fixture
async def budget(clock: Clock) -> SendBudget:
    made = SendBudget(broadcast_per_second=29)
    made.groups.clock = clock
    return made


@pytest.fixture
async def bot(api: BotApiEmulator, budget: SendBudget) -> AsyncIterator[ExtBot[Lane]]:
    async with ExtBot(TOKEN, base_url=api.base_url, rate_limiter=budget) as telegram_bot:
        yield telegram_bot


@pytest.fixture
def group(api: BotApiEmulator) -> SimulatedGroup:
    made = api.group("MT", members=[api.person("Manon")])
    made.bot_status = "member"
    return made


async def test_chatter_leaves_the_meeting_its_room_and_nothing_meets_a_429(
    api: BotApiEmulator, bot: ExtBot[Lane], group: SimulatedGroup, clock: Clock,
) -> None:
    chatter_room = GROUP_MESSAGES_PER_MINUTE - KEPT_FOR_THE_MEETING
    for n in range(chatter_room):
        await bot.send_message(group.chat_id, f"refusal {n}", rate_limit_args=Lane.GROUP_CHATTER)
    with pytest.raises(GroupCrowded):
        await bot.send_message(group.chat_id, "one refusal too many",
                               rate_limit_args=Lane.GROUP_CHATTER)
    for n in range(KEPT_FOR_THE_MEETING):
        await bot.send_message(group.chat_id, f"meeting {n}")
    assert len(group.messages) == GROUP_MESSAGES_PER_MINUTE
    assert "one refusal too many" not in [m.text for m in group.messages]
    assert not [c for c in api.calls if "Too Many" in c.description]

    clock.now += 60  # a minute later the group takes chatter again
    await bot.send_message(group.chat_id, "help", rate_limit_args=Lane.GROUP_CHATTER)
    assert group.last_message.text == "help"


async def test_a_persons_private_chat_is_not_a_group() -> None:
    assert group_of({"chat_id": -1000001}) == -1000001
    assert group_of({"chat_id": "-1001234567890"}) == -1001234567890
    assert group_of({"chat_id": 10001}) is None
    assert group_of({"chat_id": "@channel"}) is None


def test_a_refusal_line_is_kept_a_minute_and_an_answer_some_seconds(clock: Clock) -> None:
    chatter = GroupChatter(clock)
    chatter.refused(-1, 7, 101, "only a manager")
    chatter.answered(-1, "group_help", 102, "help")
    clock.now += 29
    line = chatter.refusal_for(-1, 7)
    assert line is not None and line.message_id == 101
    assert chatter.refusal_for(-1, 8) is None and chatter.refusal_for(-2, 7) is None
    help_line = chatter.answer_for(-1, "group_help")
    assert help_line is not None and help_line.message_id == 102
    clock.now += 2
    assert chatter.answer_for(-1, "group_help") is None
    clock.now += 29
    assert chatter.refusal_for(-1, 7) is None
