"""The imperative shell: settings, database, Telegram wiring, scheduler, emulator and CLI.

Importing this package does nothing; everything is built by explicit factories at start-up.
"""
