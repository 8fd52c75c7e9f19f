"""The conversations: thin translators from Telegram updates to service calls and screens.

At the top the shared kit (the callback registry and its payloads, handler types, the manager's
refusal lines, the survey's screens, the notice buttons, the typed-text dispatcher); below it the
flows grouped by who acts: `participant`, `manager`, `organisation`, `group`. May import `domain`
and `bot` except `bot.app` and `bot.ops`; only `bot.app` (the wiring) imports this package.
"""
