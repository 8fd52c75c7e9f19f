"""Rendering: plain data into words, pictures and files (Jinja2 texts per language, the report's
chat summary, charts, heatmap, PDF, web page and CSV). No Telegram, no database.

May import `domain` and the plain data types of `bot.services`; nothing else of the bot.
"""
