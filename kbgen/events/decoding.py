"""Request bodies -> JSON values, refusing what `json.loads` would let through dangerously.

`json.loads` accepts `NaN`/`Infinity`, integers thousands of digits long, and raises
RecursionError on deep nesting (THREATS.md cases 1-2). Numbers are parsed into sentinels the
validator reports with the field path; everything else becomes a `BodyError` with a 400.
"""

from __future__ import annotations

import json
import math

MAX_INT_DIGITS = 18


class BodyError(ValueError):
    """A body that is not JSON at all; `reason` is the rejection counter's name."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class BadNumber(str):
    """A number the validator must refuse (NaN, Infinity, too many digits); str is why."""


def _parse_constant(text: str) -> BadNumber:
    return BadNumber(f"{text} is not allowed; send a finite number")


def _parse_int(text: str) -> int | BadNumber:
    digits = len(text.lstrip("-"))
    if digits > MAX_INT_DIGITS:
        return BadNumber(f"integer has {digits} digits; at most {MAX_INT_DIGITS} allowed")
    return int(text)


def _parse_float(text: str) -> float | BadNumber:
    value = float(text)
    return value if math.isfinite(value) else BadNumber("number is out of range")


_DECODER = json.JSONDecoder(
    parse_int=_parse_int, parse_float=_parse_float, parse_constant=_parse_constant
)


def decode_json(raw: bytes) -> object:
    """UTF-8 JSON bytes (a leading byte-order mark is allowed) -> a Python value."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BodyError(
            "bad_encoding", f"body is not valid UTF-8 (byte {exc.start}); send UTF-8 JSON"
        ) from None
    if not text.strip():
        raise BodyError("invalid_json", "body is empty; send one event object or an array")
    try:
        return _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise BodyError(
            "invalid_json",
            f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}",
        ) from None
    except RecursionError:
        raise BodyError("invalid_json", "JSON is nested too deeply") from None
