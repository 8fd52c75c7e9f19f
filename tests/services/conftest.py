"""The organisation story's fixture, `story`, for the service tests that tell it
(`tests/support/organisation_story.py`)."""

from tests.support.organisation_story import story  # noqa: F401  (pytest finds fixtures by name)
