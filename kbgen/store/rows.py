"""Events and tickets between the wire format (SPEC.md) and table rows; shared by all stores.

Both stores take the same data: text with a NUL character is refused here, before any SQL,
by SQLite as by PostgreSQL (which cannot store NUL in `text`). Older SQLite stores that kept
such text export it; `kbgen events import` replaces each NUL with U+FFFD.
"""

from __future__ import annotations

from collections.abc import Sequence

from kbgen.errors import KbgenError
from kbgen.events.schema import WIRE_FIELDS
from kbgen.events.timestamps import TimestampError, format_ts, parse_ts
from kbgen.store.sql import TICKET_COLUMNS


class UnstorableText(KbgenError):
    """A text value no store keeps (a NUL character); nothing of the write was stored."""


def event_params(event: dict, received: int) -> dict:
    """A validated wire event (ts as ISO text or ms) -> parameters for INSERT_EVENT."""
    params = {name: event.get(name) for name in WIRE_FIELDS}
    _refuse_nul(params, f"event {event.get('id')!r}")
    params["ts"] = _ms(event.get("ts"), f"event {event.get('id')!r}")
    helpful = params["helpful"]
    params["helpful"] = None if helpful is None else int(bool(helpful))
    params["received"] = received
    return params


def event_from_row(row: Sequence) -> dict:
    """A row selected in WIRE_FIELDS order -> the wire format, absent fields left out."""
    event = {name: value for name, value in zip(WIRE_FIELDS, row, strict=True) if value is not None}
    event["ts"] = format_ts(event["ts"])
    if "helpful" in event:
        event["helpful"] = bool(event["helpful"])
    return event


def ticket_params(row: dict) -> dict:
    params = {name: row.get(name) for name in TICKET_COLUMNS}
    _refuse_nul(params, f"ticket {row.get('ticket_id')!r}")
    params["ts"] = _ms(row.get("ts"), f"ticket {row.get('ticket_id')!r}")
    params["source"] = params["source"] or "unknown"
    return params


def _ms(value: object, what: str) -> int:
    try:
        return parse_ts(value)
    except TimestampError as exc:
        raise KbgenError(f"{what}: ts {exc}") from None


def _refuse_nul(params: dict, what: str) -> None:
    for name, value in params.items():
        if isinstance(value, str) and "\x00" in value:
            shown = what.encode("ascii", "backslashreplace").decode("ascii")
            raise UnstorableText(
                f"{shown}: {name} contains a NUL character, which the store does not keep. "
                "Fix: validate events first (the API answers 422; `kbgen events import` "
                "replaces NUL with U+FFFD)."
            )
