"""Flows where a participant acts: joining, the survey, her account, away, the glossary, and the
fallbacks. Each module translates updates into service calls and screens; may import the kit at
`conversations/` top and `bot` below `bot.app`/`bot.ops`."""
