"""The fast lane's sorting (`tests/support/tiers.py`): what starts processes, browsers, PDFs or
the whole bot over HTTP is `slow`; a test of a pure function on its own is not."""

from __future__ import annotations

import importlib
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.support import threaded_emulator, tiers

ROOT = Path(__file__).parent


@dataclass
class FakeItem:
    """What `is_slow` reads of a collected test, when it is not a function (a file, say)."""

    path: Path
    fixturenames: list[str] = field(default_factory=list)
    marked_slow: bool = False

    def get_closest_marker(self, name: str) -> object | None:
        return object() if self.marked_slow and name == "slow" else None


def slow(item: FakeItem) -> bool:
    return tiers.is_slow(item, ROOT)  # type: ignore[arg-type]


def test_the_whole_bot_over_http_and_the_emulator_are_slow() -> None:
    assert slow(FakeItem(ROOT / "e2e" / "test_new_feature.py"))
    assert slow(FakeItem(ROOT / "services" / "test_new.py", ["sessions", "emulator"]))
    assert slow(FakeItem(ROOT / "bot" / "test_new.py", ["api", "bot"]))
    assert slow(FakeItem(ROOT / "bot" / "test_new.py", ["browser"]))


def test_a_service_test_on_a_database_and_a_marked_test_are_sorted_as_they_say() -> None:
    assert not slow(FakeItem(ROOT / "services" / "test_new.py", ["sessions", "clock"]))
    assert not slow(FakeItem(ROOT / "domain" / "test_new.py"))
    assert slow(FakeItem(ROOT / "domain" / "test_new.py", marked_slow=True))


def test_a_module_that_starts_processes_is_slow_and_a_pure_one_is_not() -> None:
    starting = types.ModuleType("test_starting")
    starting.subprocess = importlib.import_module("subprocess")  # type: ignore[attr-defined]
    pure = types.ModuleType("test_pure")
    pure.Path = Path  # type: ignore[attr-defined]
    assert tiers._module_starts_processes(starting)
    assert not tiers._module_starts_processes(pure)


async def _prints(documents: Any) -> None:
    await documents.render_pdf()


def _serves_on_a_thread() -> None:
    with threaded_emulator.emulator_in_thread("1:T"):
        pass


def _renders_html(documents: Any) -> None:
    documents.html()


def test_a_pdf_or_a_server_on_a_thread_in_the_tests_own_code_is_slow() -> None:
    module = types.ModuleType("test_helpers")  # it imported the helper, as a test module does
    module.__dict__.update(emulator_in_thread=threaded_emulator.emulator_in_thread)
    assert tiers._calls_something_slow(_prints, module)
    assert tiers._calls_something_slow(_serves_on_a_thread, module)
    assert not tiers._calls_something_slow(_renders_html, module)


def test_this_module_is_fast_and_the_marker_is_registered(request: pytest.FixtureRequest) -> None:
    assert not any(mark.name == "slow" for mark in request.node.iter_markers())
    assert any(str(line).startswith("slow:") for line in request.config.getini("markers"))
