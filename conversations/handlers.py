"""One name for "any handler of our bot", so state tables can mix handlers that return states."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler

from bot.telegram.runtime import BotContext

Handler = BaseHandler[Update, BotContext, Any]
