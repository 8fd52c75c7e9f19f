"""The layers point one way, and each layer says what it may import: an allow-list per package.

`bot/app.py` is the one wiring point, where the conversations' handlers (and the buttons of the
bot's own messages, `conversations.notice_buttons`) are plugged in. Every import counts, also one
inside a function: a late import breaks the layering just as well, it only hides it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
OURS = ("domain", "bot", "conversations", "bench", "tests")

# Each layer, and the packages of ours it may import (besides itself and the standard library).
# Listed from the bottom up; a package not named here may not be imported from that layer.
ALLOWED: dict[str, tuple[str, ...]] = {
    "domain": (),
    "bot.config": ("domain",),
    "bot.emulator": (),
    "bot.db": ("domain",),
    "bot.services": ("domain", "bot.db"),
    "bot.rendering": ("domain", "bot.services"),
    "bot.telegram": ("domain", "bot.config", "bot.db", "bot.services", "bot.rendering"),
    "bot.outbox": ("domain", "bot.config", "bot.db", "bot.services", "bot.rendering",
                   "bot.telegram"),
    "conversations": ("domain", "bot.config", "bot.db", "bot.services", "bot.rendering",
                      "bot.telegram", "bot.outbox"),
    "bot.app": ("domain", "bot.config", "bot.db", "bot.services", "bot.rendering", "bot.telegram",
                "bot.outbox", "conversations"),
    "bot.ops": ("domain", "bot.config", "bot.db", "bot.services", "bot.rendering", "bot.telegram",
                "bot.outbox", "bot.app", "bot.emulator"),
    "bot.__main__": ("bot.ops",),
    "bot": (),
}
# Adapters inside an allowed package that a layer must still not reach: the scheduler's
# leadership lives in `bot.db` beside the engine, but a use case only ever asks the repository
# to wake the leader (a NOTIFY), never the lock itself.
ADAPTERS_BARRED: dict[str, tuple[str, ...]] = {
    "bot.services": ("bot.db.leader",),
}
# Third-party frameworks that the lower layers must not know.
FRAMEWORKS_BARRED: dict[str, tuple[str, ...]] = {
    "domain": ("telegram", "sqlalchemy", "apscheduler", "jinja2", "aiohttp", "httpx"),
    "bot.db": ("telegram", "apscheduler", "jinja2"),
    "bot.services": ("telegram", "apscheduler", "jinja2", "aiohttp", "httpx"),
    "bot.rendering": ("telegram", "sqlalchemy", "apscheduler"),
}


def layer_of(module: str) -> str:
    return max((name for name in ALLOWED if module == name or module.startswith(name + ".")),
               key=len)


def module_of(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> list[str]:
    """Every module a file imports, wherever in the file (relative imports resolved)."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    return imports_in(path.read_text(encoding="utf-8"), package)


def imports_in(source: str, package: str) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parent = parts[: len(parts) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            names += [base, *(f"{base}.{alias.name}" for alias in node.names)]
    return names


def forbidden(module: str, names: list[str]) -> list[str]:
    """The imports of ours (and the barred frameworks) that `module`'s layer may not make."""
    layer = layer_of(module)
    allowed = (layer, *ALLOWED[layer])
    bad = set()
    for name in names:
        top = name.split(".")[0]
        if top in OURS:
            if name in ("bot", "conversations"):
                continue  # the package itself: only its docstring
            target = layer_of(name) if top in ("bot", "conversations", "domain") else top
            if target not in allowed or any(
                    name == barred or name.startswith(barred + ".")
                    for barred in ADAPTERS_BARRED.get(layer, ())):
                bad.add(name)
        elif top in FRAMEWORKS_BARRED.get(layer, ()):
            bad.add(name)
    return sorted(bad)


PRODUCT = sorted(p for package in ("domain", "bot", "conversations")
                 for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts)


@pytest.mark.parametrize("path", PRODUCT, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_module_imports_only_what_its_layer_allows(path: Path) -> None:
    assert forbidden(module_of(path), imported(path)) == []


def test_the_guard_sees_late_relative_and_adapter_imports() -> None:
    """A guard that cannot fail is a defect: it must see what it is there to catch."""
    late = "def late() -> None:\n    from conversations import screens\n"
    assert forbidden("bot.outbox.delivery",
                     imports_in(late, "bot.outbox")) == ["conversations.screens"]
    relative = "from ..outbox.scheduler import nudge\n"  # in bot.services: an adapter
    assert forbidden("bot.services.outbox", imports_in(relative, "bot.services")) == [
        "bot.outbox.scheduler", "bot.outbox.scheduler.nudge"]
    assert forbidden("bot.services.outbox", ["bot.telegram.flood"]) == ["bot.telegram.flood"]
    assert forbidden("bot.services.outbox", ["bot.db.leader", "bot.db.leader.Leadership"]) == [
        "bot.db.leader", "bot.db.leader.Leadership"]
    assert forbidden("bot.outbox.scheduler", ["bot.db.leader"]) == []
    assert forbidden("bot.services.survey", ["telegram.error"]) == ["telegram.error"]
    assert forbidden("bot.telegram.replies", ["bot.outbox.notices"]) == ["bot.outbox.notices"]
    assert forbidden("domain.scoring", ["sqlalchemy"]) == ["sqlalchemy"]
    assert forbidden("bot.ops.cli", ["bot.app", "conversations.typed"]) == ["conversations.typed"]


def test_every_package_of_ours_has_a_layer() -> None:
    for path in PRODUCT:
        assert layer_of(module_of(path)) in ALLOWED


def test_the_use_cases_import_each_other_one_way_only() -> None:
    """No two services lean on each other, not even through a third one: a cycle of imports
    works only while nobody reads a name at import time, and it hides which rule is the lower."""
    services = {path.stem: path for path in (ROOT / "bot" / "services").glob("*.py")
                if path.stem != "__init__"}
    uses = {name: {other for other in services
                   if other != name and any(n == f"bot.services.{other}"
                                            for n in imported(path))}
            for name, path in services.items()}

    def reaches(start: str, goal: str, seen: frozenset[str] = frozenset()) -> bool:
        return any(step == goal or (step not in seen and reaches(step, goal, seen | {step}))
                   for step in uses[start])

    assert sorted(name for name in services if reaches(name, name)) == []
    assert "outbox" in uses["cycles"]  # the guard sees the dependency that stays
