"""Use cases as plain async functions over narrow ports: what the bot does, without Telegram types."""
