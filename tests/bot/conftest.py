"""The emulator driven by python-telegram-bot's own `Bot`: `api`, `bot` and `anna`, shared with
the other directory that needs them, from `tests.support.emulated` (a module here may define its
own fixture of the same name, which then wins)."""

from tests.support.emulated import anna, api, bot  # noqa: F401  (pytest finds fixtures by name)
