"""Flows in the team's Telegram group: linking it, the group's commands, and the management-team
meeting. May import the kit at `conversations/` top and `bot` below `bot.app`/`bot.ops`."""
