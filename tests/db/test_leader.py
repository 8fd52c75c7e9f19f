"""Exactly one scheduler among several workers, also after the database restarted under them."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.engine import create_engine
from bot.db.leader import Leadership
from tests.support.restart import cut_every_other_connection


async def test_a_leader_whose_connection_died_takes_the_lock_again_before_anyone_else(
    backend: str, engine: AsyncEngine, database_url: str,
) -> None:
    if backend != "postgresql":
        pytest.skip("SQLite serves one process: it always leads")
    leader = Leadership(engine)
    assert await leader.try_to_lead()
    await cut_every_other_connection(engine)  # the lock went with its connection

    assert await leader.try_to_lead()  # the next check notices, and takes the lock again
    other_worker = Leadership(other_engine := create_engine(database_url))
    try:
        assert not await other_worker.try_to_lead()
        await leader.resign()
        assert await other_worker.try_to_lead()
    finally:
        await other_worker.resign()
        await other_engine.dispose()
