"""The functional core: ISO 9004 catalogs, scoring, aggregation, priorities and cycle dates.

Nothing here does I/O beyond reading its own packaged catalog files, nothing reads the clock, and
nothing imports a framework: a test guards that.
"""
