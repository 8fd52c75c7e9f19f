"""Flows where a team's manager acts: teams, surveys (cycles), reports, members, settings and
improvement actions. May import the kit at `conversations/` top and `bot` below
`bot.app`/`bot.ops`."""
