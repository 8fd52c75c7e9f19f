"""Updates run concurrently across people and strictly in order for one person."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Chat, Message, Update, User

from bot.config import load_settings
from bot.db.repositories import Repository
from bot.outbox.scheduler import UPDATE_IDS_KEPT
from bot.rendering.texts import Texts
from bot.telegram.runtime import AlreadyHandled, Runtime, UpdateClaim
from bot.telegram.updates import PerPersonOrderedProcessor, SecondChances
from tests.support.clock import FixedClock

ANNA = User(1, "Anna", False)
BRAM = User(2, "Bram", False)


def _update(update_id: int, user: User) -> Update:
    chat = Chat(user.id, Chat.PRIVATE)
    return Update(update_id, message=Message(update_id, None, chat, from_user=user))  # type: ignore[arg-type]


async def test_one_persons_updates_never_overtake_each_other() -> None:
    processor = PerPersonOrderedProcessor(max_concurrent_updates=16)
    handled: list[int] = []

    async def slow_then_fast(update_id: int) -> None:
        await asyncio.sleep(0.05 if update_id == 1 else 0)
        handled.append(update_id)

    await asyncio.gather(*(
        processor.process_update(_update(n, ANNA), slow_then_fast(n)) for n in (1, 2, 3)
    ))
    assert handled == [1, 2, 3]


async def test_a_slow_person_does_not_hold_up_another() -> None:
    processor = PerPersonOrderedProcessor(max_concurrent_updates=16)
    anna_may_finish = asyncio.Event()
    finished: list[str] = []

    async def anna() -> None:
        await anna_may_finish.wait()
        finished.append("anna")

    async def bram() -> None:
        finished.append("bram")
        anna_may_finish.set()

    await asyncio.wait_for(asyncio.gather(
        processor.process_update(_update(1, ANNA), anna()),
        processor.process_update(_update(2, BRAM), bram()),
    ), timeout=2)
    assert finished == ["bram", "anna"]


async def test_update_ids_are_forgotten_after_two_days(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock
) -> None:
    async with sessions.begin() as session:
        assert await Repository(session).claim_update(7, clock.now())
    clock.advance(timedelta(days=3))
    async with sessions.begin() as session:
        await Repository(session).forget_updates_before(clock.now() - UPDATE_IDS_KEPT)
    async with sessions.begin() as session:
        assert await Repository(session).claim_update(7, clock.now())  # new again


@pytest.fixture
def runtime(sessions: async_sessionmaker[AsyncSession], clock: FixedClock) -> Runtime:
    settings = load_settings(telegram_bot_token="1:test", database_url="sqlite://")
    return Runtime(settings=settings, sessions=sessions, texts=Texts("nl"), clock=clock,
                   write_queue=asyncio.Lock())


async def test_an_update_delivered_twice_is_refused_at_its_first_unit_of_work(
    runtime: Runtime,
) -> None:
    first, again = runtime.handling(UpdateClaim(41)), runtime.handling(UpdateClaim(41))
    async with first.repository() as repo:
        await repo.touch_person(1, "Anna", "nl", runtime.clock.now())
    async with first.repository():  # later units of work of the same update go ahead
        pass

    with pytest.raises(AlreadyHandled):
        async with again.repository():
            pytest.fail("the second delivery must not get this far")


async def test_an_update_whose_handling_failed_is_handled_when_it_comes_again(
    runtime: Runtime,
) -> None:
    async def handle_and_break() -> None:
        async with runtime.handling(UpdateClaim(42)).repository() as repo:
            await repo.touch_person(1, "Anna", "nl", runtime.clock.now())
            raise RuntimeError("the handler broke")

    with pytest.raises(RuntimeError):
        await handle_and_break()

    async with runtime.handling(UpdateClaim(42)).repository() as repo:
        assert await repo.person(1) is None  # nothing of the failed attempt was kept


async def test_an_update_that_lost_its_connection_goes_round_once_not_forever() -> None:
    """While the database is really down, a tap is reported to the person instead of looping."""
    handled: list[Update] = []

    async def handle(update: Update) -> None:
        handled.append(update)

    chances = SecondChances()
    update = _update(7, ANNA)
    assert await chances.hand_back(update, handle)
    assert not await chances.hand_back(update, handle)
    assert await chances.hand_back(_update(8, BRAM), handle)
    assert handled == [update, _update(8, BRAM)]
