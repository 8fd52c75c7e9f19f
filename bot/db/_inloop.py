"""SQLite driven from the event loop itself, behind SQLAlchemy's aiosqlite dialect.

aiosqlite runs every call on a thread of its own: a small query costs four or five hops between
threads, about a millisecond of CPU, while SQLite itself answers in microseconds. The bot's units
of work already queue in the event loop (`Runtime.write_queue`), so no statement ever waits for
another writer of this process, and running the calls in place cut the database's CPU per
answer from 8.5 to 2.5 ms (bench/answer_path.py). Only a second process writing to the same file
(a CLI command) can make a statement wait, for at most the busy timeout.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any

BUSY_TIMEOUT_SECONDS = 5.0


class _Cursor:
    """The coroutine face of a sqlite3 cursor that SQLAlchemy's aiosqlite adapter expects."""

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    async def __aenter__(self) -> _Cursor:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        self._cursor.close()

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value

    async def execute(self, operation: str, parameters: Sequence[Any] = ()) -> _Cursor:
        self._cursor.execute(operation, parameters)
        return self

    async def executemany(self, operation: str, rows: Iterable[Sequence[Any]]) -> _Cursor:
        self._cursor.executemany(operation, rows)
        return self

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(self._cursor.arraysize if size is None else size)

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()


class Connection:
    """The coroutine face of a sqlite3 connection, shaped like `aiosqlite.Connection`."""

    def __init__(self, path: str) -> None:
        # autocommit at the driver level: transactions are begun by the engine (BEGIN IMMEDIATE)
        self._connection: sqlite3.Connection | None = sqlite3.connect(
            path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False)

    @property
    def _open(self) -> sqlite3.Connection:
        if self._connection is None:
            raise ValueError("no active connection")
        return self._connection

    def cursor(self) -> _Cursor:
        return _Cursor(self._open.cursor())

    async def commit(self) -> None:
        self._open.commit()

    async def rollback(self) -> None:
        self._open.rollback()

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        self._open.create_function(*args, **kwargs)

    async def close(self) -> None:
        self.stop()

    def stop(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def connector(path: str) -> Callable[[], Awaitable[Connection]]:
    """What `create_async_engine(async_creator=...)` calls for every new pooled connection."""

    async def connect() -> Connection:
        return Connection(path)

    return connect
