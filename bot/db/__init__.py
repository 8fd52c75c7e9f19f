"""Persistence: the schema, the engine, migrations and the repositories that implement the ports."""
