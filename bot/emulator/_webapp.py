"""A Mini App launch as Telegram signs it: the `initData` a page gets in `tgWebAppData`.

Telegram signs every launch with the bot's token (HMAC-SHA256 with the key derived from the token
and "WebAppData"); the emulator knows the token, so it can sign a launch for any simulated
person: the tests and the demo open the cockpit without Telegram. Written here without the bot's
own checking code on purpose (the emulator imports nothing of ours), so a mistake in one is not
repeated in the other.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlencode


def sign_init_data(token: str, user: Mapping[str, Any], *, auth_date: int | None = None,
                   extra: Mapping[str, str] | None = None) -> str:
    """The query string Telegram hands a Mini App: user (JSON), auth_date, query_id and the
    hash over all of them (`extra` fields are signed too)."""
    fields = {"user": json.dumps(dict(user), separators=(",", ":"), ensure_ascii=False),
              "auth_date": str(int(time.time()) if auth_date is None else auth_date),
              "query_id": "AAE" + hashlib.sha256(str(user.get("id")).encode()).hexdigest()[:20],
              **(extra or {})}
    check = "\n".join(f"{key}={fields[key]}" for key in sorted(fields))
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return urlencode(fields, quote_via=quote)


def launch_url(page: str, init_data: str, theme: Mapping[str, str] | None = None) -> str:
    """The address Telegram opens: the page with the launch parameters in its fragment."""
    fragment = {"tgWebAppData": init_data, "tgWebAppVersion": "8.0",
                "tgWebAppPlatform": "weba",
                "tgWebAppThemeParams": json.dumps(dict(theme or {}), separators=(",", ":"))}
    return f"{page}#{urlencode(fragment, quote_via=quote)}"
