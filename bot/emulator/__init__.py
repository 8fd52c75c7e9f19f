"""A local Telegram Bot API server and simulated people, for end-to-end tests and the demo.

The real python-telegram-bot `Application` talks to it over HTTP exactly as to api.telegram.org
(point `TELEGRAM_API_BASE_URL` at `BotApiEmulator.base_url`), so tests exercise the whole stack.
"""

from bot.emulator._groups import SimulatedGroup
from bot.emulator._model import ApiCall, ApiError, BotMessage
from bot.emulator._people import NothingArrived, SimulatedPerson
from bot.emulator._server import BotApiEmulator
from bot.emulator._terminal import chat_in_terminal
from bot.emulator._webapp import launch_url, sign_init_data

__all__ = [
    "ApiCall",
    "ApiError",
    "BotApiEmulator",
    "BotMessage",
    "NothingArrived",
    "SimulatedGroup",
    "SimulatedPerson",
    "chat_in_terminal",
    "launch_url",
    "sign_init_data",
]
