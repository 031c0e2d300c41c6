"""Events: the one wire and export format (SPEC.md), validated without any I/O."""

from kbgen.events.decoding import BodyError, decode_json
from kbgen.events.timestamps import format_ts, now_ms, parse_ts
from kbgen.events.validation import MAX_EVENTS, RejectedField, validate_event, validate_payload

__all__ = [
    "MAX_EVENTS",
    "BodyError",
    "RejectedField",
    "decode_json",
    "format_ts",
    "now_ms",
    "parse_ts",
    "validate_event",
    "validate_payload",
]
