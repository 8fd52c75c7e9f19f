"""Entry points and operations: the command line, the webhook server and the poller with their
/health, the demo, migrations and checks, logging, and turning start-up failures into one line.

The top floor: may import everything below, including the wiring in `bot.app`.
"""
