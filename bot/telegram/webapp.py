"""A Mini App's `initData`, checked exactly as Telegram documents it, and the person it names.

Telegram hands the page a query string signed with the bot's token: the data-check-string is
every received field but `hash`, sorted by key, as `key=value` lines joined by "\\n"; the secret
key is HMAC-SHA256 of the token with the key "WebAppData"; the hash is the hex HMAC-SHA256 of the
data-check-string with that secret key. Anything else (a field twice, a wrong hash, a launch
older than an hour, a user without an id) is no launch at all: the caller answers 401.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import parse_qsl

MAX_AGE = timedelta(hours=1)
CLOCK_SKEW = timedelta(minutes=1)
SCHEME = "tma "


@dataclass(frozen=True, slots=True)
class WebAppUser:
    id: int
    first_name: str
    language_code: str | None


def secret_key(token: str) -> bytes:
    return hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()


def validated_user(init_data: str, token: str, now: datetime,
                   max_age: timedelta = MAX_AGE) -> WebAppUser | None:
    """The signed user of a launch, or None when the launch is not Telegram's, or too old."""
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        return None
    fields = dict(pairs)
    if len(fields) != len(pairs) or "hash" not in fields:
        return None
    given = fields.pop("hash")
    check = "\n".join(f"{key}={fields[key]}" for key in sorted(fields))
    expected = hmac.new(secret_key(token), check.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, given.lower()):
        return None
    try:
        signed_at = datetime.fromtimestamp(int(fields["auth_date"]), now.tzinfo)
        user = json.loads(fields["user"])
        person = WebAppUser(int(user["id"]), str(user.get("first_name", "")),
                            str(user["language_code"]) if user.get("language_code") else None)
    except (KeyError, ValueError, TypeError, OverflowError, OSError):
        return None
    if not now - max_age <= signed_at <= now + CLOCK_SKEW:
        return None
    return person


def from_header(value: str | None, token: str, now: datetime) -> WebAppUser | None:
    """`Authorization: tma <initData>`, as the page sends it with every request."""
    if value is None or not value.startswith(SCHEME):
        return None
    return validated_user(value[len(SCHEME):].strip(), token, now)
