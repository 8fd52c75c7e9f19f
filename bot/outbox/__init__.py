"""The outbox: the scheduler that sweeps due notification rows, their delivery within the send
budget, the one scheduler leader among workers, and the screens of the bot's own messages.

May import `domain`, `bot.config`, `bot.db`, `bot.services`, `bot.rendering` and `bot.telegram`;
never `bot.ops`, `bot.app` or `conversations` (their buttons come through a port).
"""
