"""Use cases as plain async functions: what the bot does, without Telegram types."""
