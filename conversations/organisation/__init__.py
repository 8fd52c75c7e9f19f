"""Flows where an organisation's admin acts: organisations, organisation-wide surveys and the
organisation report. May import the kit at `conversations/` top and `bot` below
`bot.app`/`bot.ops`."""
