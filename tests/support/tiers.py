"""Which tests are `slow`: decided from what a test uses, so that a new test is sorted by itself.

The fast lane (`pytest -m "not slow"`) is for the minute between two edits: pure functions,
services on a SQLite file, rendering to text. A test is slow when it

- lives in `tests/e2e/` (the whole bot over HTTP against the emulator),
- uses a fixture that starts a server, the emulator or a browser (`SLOW_FIXTURES`),
- is in a module that starts processes or drives a browser (it imports `SLOW_MODULES`),
- calls a helper that starts a server on a thread or a browser (`SLOW_HELPERS`), or
- makes a PDF (its code names something with "pdf" in it: WeasyPrint takes seconds per page).

A test may also say so itself with `@pytest.mark.slow` (an exhaustive search that takes minutes
does); nothing here ever makes a test fast.
"""

from __future__ import annotations

import inspect
import types
from pathlib import Path

import pytest

SLOW_DIRECTORIES = frozenset({"e2e"})
SLOW_FIXTURES = frozenset({
    "emulator",  # tests/e2e: the Bot API emulator, over HTTP
    "api",  # tests/support/emulated: the emulator driven by PTB's own Bot
    "browser", "page", "report_page",  # Chromium through Playwright
})
SLOW_MODULES = frozenset({"subprocess", "pty", "multiprocessing", "playwright"})
SLOW_HELPERS = frozenset({"tests.support.threaded_emulator", "tests.support.browser",
                          "tests.support.worker"})


def _module_starts_processes(module: types.ModuleType | None) -> bool:
    if module is None:
        return False
    for value in vars(module).values():
        if isinstance(value, types.ModuleType) and value.__name__.split(".")[0] in SLOW_MODULES:
            return True
        origin = getattr(value, "__module__", None)
        if isinstance(origin, str) and origin.split(".")[0] in SLOW_MODULES:
            return True
    return False


def _calls_something_slow(function: object, module: types.ModuleType | None) -> bool:
    """A PDF, or a helper of `SLOW_HELPERS`, named in the test's own code."""
    code = getattr(inspect.unwrap(function), "__code__", None)  # type: ignore[arg-type]
    if code is None:
        return False
    if any("pdf" in name.casefold() for name in code.co_names):
        return True
    names = vars(module) if module is not None else {}
    return any(getattr(names.get(name), "__module__", None) in SLOW_HELPERS
               for name in code.co_names)


def is_slow(item: pytest.Item, tests_root: Path) -> bool:
    """Whether `item` starts processes, browsers, PDFs or the full stack over HTTP."""
    if item.get_closest_marker("slow") is not None:
        return True
    path = Path(str(item.path))
    if path.is_relative_to(tests_root) and SLOW_DIRECTORIES & set(
            path.relative_to(tests_root).parts[:-1]):
        return True
    if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    if not isinstance(item, pytest.Function):
        return False
    return _module_starts_processes(item.module) or _calls_something_slow(item.function,
                                                                           item.module)


def mark_slow_tests(items: list[pytest.Item], tests_root: Path) -> None:
    for item in items:
        if is_slow(item, tests_root):
            item.add_marker(pytest.mark.slow)
