"""A Mini App launch is checked as Telegram documents it: every field signed, an hour at most.

The launches are signed by the emulator's own helper (written apart from the check), and one by
hand from Telegram's documented recipe, so a mistake shared by both would still show.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlencode

import pytest

from bot.emulator import sign_init_data
from bot.telegram.webapp import WebAppUser, from_header, validated_user

TOKEN = "123456:TEST-TOKEN-webapp"
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
ANNA = {"id": 42, "first_name": "Anna", "language_code": "nl"}


def signed(age: timedelta = timedelta(0), **extra: str) -> str:
    return sign_init_data(TOKEN, ANNA, auth_date=int((NOW - age).timestamp()), extra=extra)


def test_a_launch_signed_with_the_bots_token_names_its_person() -> None:
    assert validated_user(signed(), TOKEN, NOW) == WebAppUser(42, "Anna", "nl")
    assert validated_user(signed(timedelta(minutes=59)), TOKEN, NOW) is not None
    assert validated_user(signed(chat_type="private", signature="abc"), TOKEN, NOW) is not None
    assert from_header(f"tma {signed()}", TOKEN, NOW) == WebAppUser(42, "Anna", "nl")


def test_the_documented_recipe_by_hand() -> None:
    fields = {"auth_date": str(int(NOW.timestamp())), "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
              "user": json.dumps({"id": 7, "first_name": "Bram"})}
    check = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()))
    secret = hmac.new(b"WebAppData", TOKEN.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    assert validated_user(urlencode(fields, quote_via=quote), TOKEN, NOW) == WebAppUser(
        7, "Bram", None)


@pytest.mark.parametrize("launch", [
    pytest.param(lambda: signed(timedelta(hours=1, seconds=1)), id="older than an hour"),
    pytest.param(lambda: signed(-timedelta(minutes=5)), id="from the future"),
    pytest.param(lambda: sign_init_data("9:OTHER", ANNA, auth_date=int(NOW.timestamp())),
                 id="another bot's token"),
    pytest.param(lambda: signed().replace("Anna", "Mallory"), id="a field changed"),
    pytest.param(lambda: signed() + "&admin=1", id="a field added"),
    pytest.param(lambda: signed() + "&auth_date=1", id="a field twice"),
    pytest.param(lambda: "&".join(p for p in signed().split("&")
                                  if not p.startswith("hash=")), id="no hash"),
    pytest.param(lambda: signed().replace("%22id%22%3A42", "%22id%22%3A%2242x%22"),
                 id="an id that is no number (and so a changed field)"),
    pytest.param(lambda: "", id="empty"),
    pytest.param(lambda: "not a query string", id="garbage"),
])
def test_anything_else_is_no_launch(launch: object) -> None:
    assert callable(launch)
    assert validated_user(launch(), TOKEN, NOW) is None


def test_only_the_tma_scheme_is_read() -> None:
    assert from_header(None, TOKEN, NOW) is None
    assert from_header(f"Bearer {signed()}", TOKEN, NOW) is None
    assert from_header(signed(), TOKEN, NOW) is None
