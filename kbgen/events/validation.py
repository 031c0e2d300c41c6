"""One untrusted JSON value in, clean events or a list of errors out. Pure: no I/O.

Every error names the path of the bad field (`[2].comment`, `helpful`) and what to send
instead, and carries the rejection counter's `reason`.
"""

from __future__ import annotations

from collections.abc import Callable, Container
from dataclasses import dataclass

from kbgen.events import schema
from kbgen.events.decoding import BadNumber
from kbgen.events.timestamps import TimestampError, parse_ts

MAX_EVENTS = 100
# Imports (live=False) take free text with NUL, which older SQLite stores kept and no store
# keeps now: each NUL becomes U+FFFD (the importer reports the lines). Live events get a 422.
REPAIRED_ON_IMPORT = ("query", "comment")
NUL_REPLACEMENT = "\ufffd"


@dataclass(frozen=True)
class RejectedField:
    """One field of a submitted event that was refused: where (`events[2].ts`), why, and the
    reason counted in the API's rejection counters. A record, not an exception."""

    path: str
    message: str
    reason: str = "invalid_event"

    def __str__(self) -> str:
        return f"{self.path or 'body'}: {self.message}"


def validate_payload(
    value: object,
    *,
    articles: Container[str] | None = None,
    live: bool = True,
    max_events: int = MAX_EVENTS,
) -> tuple[list[dict], list[RejectedField]]:
    """One event object or an array of them -> (events, errors); events is empty on error."""
    if isinstance(value, dict):
        event, found = validate_event(value, articles=articles, live=live)
        return ([event] if event else []), found
    if not isinstance(value, list):
        message = "must be an event object or an array of events"
        return [], [RejectedField("", message, "wrong_type")]
    if not value:
        return [], [RejectedField("", "array is empty; send at least one event", "invalid_event")]
    if len(value) > max_events:
        message = f"{len(value)} events in one request; at most {max_events} allowed"
        return [], [RejectedField("", message, "too_many_events")]
    events: list[dict] = []
    errors: list[RejectedField] = []
    for index, item in enumerate(value):
        event, item_errors = validate_event(item, f"[{index}]", articles=articles, live=live)
        errors.extend(item_errors)
        if event:
            events.append(event)
    return ([] if errors else events), errors


def validate_event(
    value: object,
    prefix: str = "",
    *,
    articles: Container[str] | None = None,
    live: bool = True,
) -> tuple[dict | None, list[RejectedField]]:
    """One event -> (clean event with `ts` in ms or None when live, errors)."""
    if not isinstance(value, dict):
        return None, [RejectedField(prefix, "must be an event object", "wrong_type")]
    errors: list[RejectedField] = []
    kind = value.get("type")
    if not isinstance(kind, str) or kind not in schema.TYPE_FIELDS:
        expected = ", ".join(schema.EVENT_TYPES)
        reason = "unknown_type" if isinstance(kind, str) else "wrong_type"
        if kind is None:
            reason = "missing_field"
        return None, [RejectedField(_join(prefix, "type"), f"must be one of {expected}", reason)]
    required, optional = schema.TYPE_FIELDS[kind]
    allowed = _ALLOWED[kind]
    for key in value:
        if key not in allowed:
            message = f"unknown field for a {kind} event; allowed: {', '.join(sorted(allowed))}"
            errors.append(RejectedField(_join(prefix, _printable(key)), message, "unknown_field"))
    needed = ("id", "session", *required) + (() if live else ("ts",))
    for key in needed:
        if key not in value:
            errors.append(RejectedField(_join(prefix, key), "is required", "missing_field"))
    clean: dict = {"id": None, "type": kind, "ts": None}
    for key, item in value.items():
        if key in allowed and key != "type" and not (item is None and key in optional):
            clean[key] = _check(key, item, prefix, articles, errors, live)
    if errors:
        return None, errors
    if live:
        clean["ts"] = None
    return {k: v for k, v in clean.items() if v is not None or k == "ts"}, []


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _printable(key: str) -> str:
    """A field name from the request, safe to echo: at most 60 characters, escapes visible."""
    shown = key[:60]
    if shown.isprintable() and shown.isascii():
        return shown
    return shown.encode("unicode_escape").decode("ascii")


def _check(
    key: str, value: object, prefix: str, articles, errors: list[RejectedField], live: bool = True
) -> object:
    if isinstance(value, BadNumber):
        errors.append(RejectedField(_join(prefix, key), str(value), "bad_number"))
        return None
    if isinstance(value, str) and not live and key in REPAIRED_ON_IMPORT:
        value = value.replace("\x00", NUL_REPLACEMENT)
    if isinstance(value, str) and not _clean_text(value, prefix, key, errors):
        return None
    try:
        clean = CHECKS[key](value)
    except _Invalid as exc:
        errors.append(RejectedField(_join(prefix, key), exc.message, exc.reason))
        return None
    if key == "article" and articles is not None and clean not in articles:
        message = "unknown article id; it is not in the built site's manifest"
        errors.append(RejectedField(_join(prefix, key), message, "unknown_article"))
        return None
    return clean


def _clean_text(text: str, prefix: str, key: str, errors: list[RejectedField]) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        problem = "contains a lone surrogate (invalid Unicode)"
    else:
        if "\x00" not in text:
            return True
        problem = "contains a NUL character; remove it"
    errors.append(RejectedField(_join(prefix, key), problem, "bad_text"))
    return False


class _Invalid(Exception):
    def __init__(self, message: str, reason: str = "invalid_value") -> None:
        self.message = message
        self.reason = reason


def _pattern(regex, what: str) -> Callable[[object], str]:
    def check(value: object) -> str:
        if not isinstance(value, str):
            raise _Invalid(f"must be a string ({what})", "wrong_type")
        if not regex.fullmatch(value):
            raise _Invalid(f"must be {what}")
        return value

    return check


def _choice(options: tuple[str, ...]) -> Callable[[object], str]:
    def check(value: object) -> str:
        if not isinstance(value, str):
            raise _Invalid(f"must be a string, one of {', '.join(options)}", "wrong_type")
        if value not in options:
            raise _Invalid(f"must be one of {', '.join(options)}")
        return value

    return check


def _integer(low: int, high: int) -> Callable[[object], int]:
    def check(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _Invalid(f"must be an integer from {low} to {high}", "wrong_type")
        if not low <= value <= high:
            raise _Invalid(f"must be an integer from {low} to {high}")
        return value

    return check


def _text(limit: int, *, empty: bool) -> Callable[[object], str]:
    def check(value: object) -> str:
        if not isinstance(value, str):
            raise _Invalid("must be a string", "wrong_type")
        if len(value) > limit:
            reason = "comment_too_long" if limit == schema.MAX_COMMENT else "too_long"
            raise _Invalid(f"is {len(value)} characters; at most {limit} allowed", reason)
        if not empty and not value.strip():
            raise _Invalid("must not be empty")
        return value

    return check


def _boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise _Invalid("must be true or false", "wrong_type")
    return value


def _timestamp(value: object) -> int:
    try:
        return parse_ts(value)
    except TimestampError as exc:
        raise _Invalid(str(exc)) from None


_ALLOWED = {
    kind: frozenset((*schema.COMMON, *required, *optional))
    for kind, (required, optional) in schema.TYPE_FIELDS.items()
}

def _from_rule(rule: schema.Rule) -> Callable[[object], object]:
    if rule.kind == "token":
        return _pattern(rule.pattern, rule.what)
    if rule.kind == "choice":
        return _choice(rule.options)
    if rule.kind == "integer":
        return _integer(rule.low, rule.high)
    if rule.kind == "text":
        return _text(rule.max_length, empty=rule.blank)
    if rule.kind == "boolean":
        return _boolean
    if rule.kind == "timestamp":
        return _timestamp
    raise ValueError(f"unknown rule kind {rule.kind!r}")


# Built from the same rules the OpenAPI document is generated from (schema.RULES).
CHECKS: dict[str, Callable[[object], object]] = {
    name: _from_rule(rule) for name, rule in schema.RULES.items()
}
