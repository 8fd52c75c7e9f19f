"""The machinery behind `conversations.callbacks`: typed button payloads and their registry.

A payload class is a frozen dataclass whose fields are `Annotated` with a `Codec`; subclassing
`Button` registers it under its `PREFIX`. `encode` writes `<prefix>:<field>:<field>…`, `parse`
reads it back strictly (every field must match its pattern, the count must fit), so a forged or
truncated payload is None rather than a half-read button. Fields with a default may close the
payload: they are left off while they have their default (`p:<cycle>` and `p:<cycle>:<index>`).
The verbs themselves are declared in `conversations.callbacks`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import MISSING, dataclass, fields
from typing import (
    Any,
    ClassVar,
    Generic,
    TypeVar,
    dataclass_transform,
    get_args,
    get_type_hints,
)

T = TypeVar("T")
MAX_BYTES = 64  # Telegram's limit for callback data


@dataclass(frozen=True, slots=True)
class Codec(Generic[T]):
    """How one field looks on the wire: a strict pattern, and reading and writing it."""

    pattern: str
    read: Callable[[str], T]
    write: Callable[[T], str] = str


def word(*values: str) -> Codec[str]:
    """A field that is one of a fixed set of words."""
    return Codec("|".join(re.escape(v) for v in values), str)


_Field = tuple[str, re.Pattern[str], Codec[Any]]
_REGISTRY: dict[str, tuple[type[Button], tuple[_Field, ...], int]] = {}
"""prefix → (payload class, its fields in order, how many of them are required)."""


@dataclass_transform(frozen_default=True)
class Button:
    """A button's payload; subclasses become frozen dataclasses, registered by their `PREFIX`."""

    PREFIX: ClassVar[str]
    _WRITERS: ClassVar[tuple[tuple[str, Callable[[Any], str], Any], ...]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.PREFIX in _REGISTRY or cls.PREFIX.count(":") > 1:
            raise TypeError(f"button prefix {cls.PREFIX!r} is taken or malformed")
        dataclass(frozen=True)(cls)
        hints = get_type_hints(cls, include_extras=True)
        shape, writers = [], []
        for field in fields(cls):  # type: ignore[arg-type]
            codec = _codec_of(hints[field.name])
            shape.append((field.name, re.compile(codec.pattern), codec))
            writers.append((field.name, codec.write, field.default))
        required = sum(1 for *_, default in writers if default is MISSING)
        _REGISTRY[cls.PREFIX] = (cls, tuple(shape), required)
        cls._WRITERS = tuple(writers)

    def encode(self) -> str:
        """`<prefix>:<field>:…`; a button is drawn often (every question), so this stays lean."""
        data, left_off = self.PREFIX, ""
        for name, write, default in self._WRITERS:
            value = getattr(self, name)
            if default is not MISSING and value == default:
                left_off += ":" + write(value)
                continue  # an optional field at its default is left off, unless one follows
            data += left_off + ":" + write(value)
            left_off = ""
        if len(data) > MAX_BYTES or not data.isascii():  # every field pattern is ASCII
            raise ValueError(f"button data over {MAX_BYTES} bytes or not ASCII: {data!r}")
        return data


def _codec_of(hint: Any) -> Codec[Any]:
    """The field's Codec; `Index | None = None` (an optional field) uses Index's."""
    candidates = [hint, *get_args(hint)]
    codec = next((m for c in candidates for m in getattr(c, "__metadata__", ())
                  if isinstance(m, Codec)), None)
    if codec is None:
        raise TypeError(f"button field {hint!r} needs an Annotated type with a Codec")
    return codec


def parse(data: str | None) -> Button | None:
    """The payload this button carries, or None for anything we did not issue in this shape."""
    parts = (data or "").split(":")
    registered = _REGISTRY.get(":".join(parts[:2])) if len(parts) > 2 else None
    skip = 2
    if registered is None:
        registered, skip = _REGISTRY.get(parts[0]), 1
    if registered is None:
        return None
    kind, shape, required = registered
    values = parts[skip:]
    if not required <= len(values) <= len(shape):
        return None
    read: dict[str, Any] = {}
    for text, (name, pattern, codec) in zip(values, shape, strict=False):  # optional ones last
        if pattern.fullmatch(text) is None:
            return None
        read[name] = codec.read(text)
    return kind(**read)


def pattern_for(*kinds: type[Button]) -> re.Pattern[str]:
    """A handler pattern matching these verbs' prefixes (validation happens in `parse`)."""
    return re.compile("^(?:" + "|".join(re.escape(k.PREFIX) for k in kinds) + "):")


B = TypeVar("B", bound=Button)


@dataclass(frozen=True, slots=True)
class Verbs(Generic[B]):
    """A group of verbs one handler takes: the one way a tap is routed and read.

    Declared once, from the union of its payload classes (`Verbs.of(Answer | View | …)`), so
    the handler's pattern and the check of what it parsed come from the same list: `pattern`
    for PTB's `CallbackQueryHandler`, `read` for the payload, None for anything else (forged,
    malformed, or another group's verb)."""

    kinds: tuple[type[B], ...]

    @classmethod
    def of(cls, *kinds: Any) -> Verbs[Any]:
        """The verbs of these payload classes or unions of them."""
        flat: list[type[Button]] = []
        for kind in kinds:
            flat += [k for k in (get_args(kind) or (kind,)) if k not in flat]
        return cls(tuple(flat))  # type: ignore[arg-type]

    @property
    def pattern(self) -> re.Pattern[str]:
        return pattern_for(*self.kinds)

    def read(self, data: str | None) -> B | None:
        parsed = parse(data)
        return parsed if isinstance(parsed, self.kinds) else None


def registered() -> dict[str, type[Button]]:
    """Every verb by prefix (for tests and documentation)."""
    return {prefix: kind for prefix, (kind, *_) in _REGISTRY.items()}
