"""The services' queries, one small module per aggregate, each over a `Repository`'s unit of work:
the services ask in words and never reach the session themselves. May import `domain` and `bot.db`.
"""

MANAGER = "manager"
"""A membership's role that manages the team (`bot.services.permissions.MANAGER`)."""
