"""The imperative shell around the functional core in `domain`.

At the top only the wiring (`bot.app`), the environment's configuration (`bot.config`) and the
entry (`python -m bot`); below it one folder per role: `db` (models, migrations, queries),
`services` (use cases), `rendering` (texts, reports, files), `telegram` (the adapter),
`outbox` (scheduled notifications), `ops` (command line, servers, demo) and `emulator`.
Importing this package does nothing; everything is built by explicit factories at start-up.
"""
