"""The Telegram adapter: the runtime handed to every handler, claiming updates, the one send budget,
and sending, editing and acknowledging with Telegram's answers sorted by meaning.

May import `domain`, `bot.config`, `bot.db`, `bot.services` and `bot.rendering`; never
`bot.outbox`, `bot.ops`, `bot.app` or `conversations`.
"""
