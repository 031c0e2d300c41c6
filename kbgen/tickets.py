"""Helpdesk ticket exports (CSV) joined to help-center sessions, so tickets count as contacts.

The help center's contact page hands the customer to the helpdesk with its session id; the
helpdesk keeps it in a ticket field named `kb_session` (and optionally `kb_article`). Each
imported ticket with a session counts in the reports as a `submit` contact of that session
at the ticket's creation time. Tickets without a session, or whose session has no events
(yet), are stored all the same and counted, so nothing is lost and a later import of the
events joins them.

Column presets name the columns of the helpdesks' own CSV exports:

- Zendesk (Views → export as CSV): `Id`, `Created at`, `Subject`, optionally `Description`,
  custom fields `kb_session`, `kb_article` (a custom field's column is its title).
- Freshdesk (Tickets → Export → CSV): `Ticket ID`, `Created time`, `Subject`, optionally
  `Description`, custom fields `kb_session`, `kb_article` (Freshdesk may write custom fields
  as `cf_kb_session`).

Tickets from the mailto: hand-off (an email helpdesk, or any export with the email's text as
`body`) have no session column: the email ends with "Ref: 4f2a9c1e", the first 8 hex digits
of the session id. A ticket without a session whose body holds such a reference is given the
one session with that prefix; when no session or more than one starts with it, it stays
without a session (counted as such), never joined to a guess.

Any other export works with `--map "Column name=field"` for the fields ticket_id, ts,
subject, body, session, article. Times without a zone are read as UTC. The subject and body
are customers' words: the contact-drivers analysis reads them (kbgen/drivers/), stored
exactly and never rendered as markup.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kbgen.analytics.prepare import DaySpan
from kbgen.errors import KbgenError, UsageError
from kbgen.isotime import parse_iso, to_ms

FIELDS = ("ticket_id", "ts", "subject", "body", "session", "article")
REQUIRED = ("ticket_id", "ts")
_COMMON = {"kb_session": "session", "cf_kb_session": "session", "kb session": "session",
           "kb_article": "article", "cf_kb_article": "article", "kb article": "article",
           "subject": "subject", "description": "body", "body": "body"}
PRESETS: dict[str, dict[str, str]] = {
    "zendesk": {"id": "ticket_id", "created at": "ts", **_COMMON},
    "freshdesk": {"ticket id": "ticket_id", "created time": "ts", **_COMMON},
}
# Without a preset: the presets' names plus the plain field names.
GUESSES = {**PRESETS["zendesk"], **PRESETS["freshdesk"], "ticket_id": "ticket_id",
           "ts": "ts", "created_at": "ts", "session": "session", "article": "article"}
CHUNK = 1000
# The mailto: hand-off's reference (kbgen.js reference()); the last one in the text wins, as a
# reply quoting an older email keeps its reference above the new one.
_REFERENCE = re.compile(r"\bRef: ([0-9a-f]{8})\b")
# Sessions starting "s-<ref>": a range, so an index on session serves it on both stores.
_BY_PREFIX = ("SELECT DISTINCT session FROM events WHERE session >= :low AND session < :high "
              "LIMIT 2")


@dataclass
class TicketImport:
    """What an import did; `invalid` lists (line, problem) for rows that were not stored."""

    read: int = 0
    stored: int = 0
    joined: int = 0
    without_session: int = 0
    unknown_session: int = 0
    invalid: list[tuple[int, str]] = field(default_factory=list)
    repaired: list[int] = field(default_factory=list)  # lines whose NUL became U+FFFD
    days: DaySpan = field(default_factory=DaySpan)  # the days of the rows given to the store

    @property
    def duplicates(self) -> int:
        return self.read - len(self.invalid) - self.stored


def parse_mapping(pairs: Iterable[str]) -> dict[str, str]:
    """`["Ticket number=ticket_id"]` -> {"ticket number": "ticket_id"}; UsageError otherwise."""
    mapping = {}
    for pair in pairs:
        column, sep, name = pair.rpartition("=")
        if not sep or not column.strip() or name.strip() not in FIELDS:
            raise UsageError(
                f"--map '{pair}' is not COLUMN=FIELD. Fix: use a CSV column name, '=', and one "
                f"of {', '.join(FIELDS)}, e.g. --map \"Ticket number=ticket_id\"."
            )
        mapping[column.strip().lower()] = name.strip()
    return mapping


def column_map(header: list[str], preset: str | None, mapping: dict[str, str]) -> dict[str, int]:
    """field -> column index, from --map first, then the preset (or the usual names)."""
    names = {**(PRESETS[preset] if preset else GUESSES), **mapping}
    found: dict[str, int] = {}
    for index, column in enumerate(header):
        name = names.get(column.strip().lower())
        if name and (name not in found or column.strip().lower() in mapping):
            found[name] = index
    missing = [f for f in REQUIRED if f not in found]
    if missing:
        raise UsageError(
            f"No column for {', '.join(missing)} among {', '.join(map(repr, header))}. Fix: "
            "pass --preset zendesk|freshdesk or --map \"Column=ticket_id\" --map \"Column=ts\"."
        )
    return found


def parse_time(text: str) -> int:
    """ISO 8601 or `YYYY-MM-DD HH:MM[:SS] [+0100]` -> ms UTC; no zone means UTC."""
    return to_ms(parse_iso(text))


def _rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            for row in reader:
                yield reader.line_num, row
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise KbgenError(f"Cannot read '{path}': {exc}. Fix: export the tickets as UTF-8 CSV.") \
            from exc


def _ticket(row: list[str], columns: dict[str, int], source: str) -> dict[str, Any]:
    def get(name: str) -> str | None:
        index = columns.get(name)
        value = row[index].strip() if index is not None and index < len(row) else ""
        return value or None

    ticket_id, when = get("ticket_id"), get("ts")
    if not ticket_id:
        raise ValueError("the ticket id is empty")
    if not when:
        raise ValueError("the creation time is empty")
    try:
        ts = parse_time(when)
    except ValueError:
        raise ValueError(f"creation time {when!r} is not a date and time") from None
    return {"ticket_id": ticket_id, "ts": ts, "subject": get("subject"), "body": get("body"),
            "session": get("session"), "article": get("article"), "source": source}


def import_tickets(store: Any, path: Path, preset: str | None = None,
                   mapping: dict[str, str] | None = None,
                   on_stored: Callable[[list[dict[str, Any]]], None] | None = None
                   ) -> TicketImport:
    """Store every valid row of the CSV file; count how many joined a known session.
    `on_stored(tickets)` is called with each chunk of valid rows once it is stored."""
    rows = _rows(path)
    header = next(rows, (0, []))[1]
    columns = column_map(header, preset, mapping or {})
    result, pending = TicketImport(), []
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        result.read += 1
        if any("\x00" in cell for cell in row):  # no store keeps NUL in text
            row = [cell.replace("\x00", "\ufffd") for cell in row]
            result.repaired.append(line)
        try:
            pending.append(_ticket(row, columns, path.name))
        except ValueError as exc:
            result.invalid.append((line, str(exc)))
        if len(pending) >= CHUNK:
            _store(store, pending, result, on_stored)
            pending = []
    _store(store, pending, result, on_stored)
    return result


def _store(store: Any, tickets: list[dict[str, Any]], result: TicketImport,
           on_stored: Callable[[list[dict[str, Any]]], None] | None = None) -> None:
    if not tickets:
        return
    for ticket in tickets:
        if ticket["session"] is None and ticket["body"]:
            ticket["session"] = _referenced_session(store, ticket["body"])
    result.stored += store.add_tickets(tickets)
    for ticket in tickets:
        result.days.note(ticket["ts"])
        if ticket["session"] is None:
            result.without_session += 1
        elif _known(store, ticket["session"]):
            result.joined += 1
        else:
            result.unknown_session += 1
    if on_stored is not None:
        on_stored(tickets)


def _referenced_session(store: Any, body: str) -> str | None:
    """The one session whose id starts with the body's "Ref: xxxxxxxx", else None."""
    found = _REFERENCE.findall(body)
    if not found:
        return None
    low = "s-" + found[-1]
    high = low[:-1] + chr(ord(low[-1]) + 1)
    sessions = [row[0] for row in store.query(_BY_PREFIX, {"low": low, "high": high})
                if row[0].startswith(low)]
    return sessions[0] if len(sessions) == 1 else None


def _known(store: Any, session: str) -> bool:
    sql = "SELECT 1 FROM events WHERE session = :session LIMIT 1"
    return bool(list(store.query(sql, {"session": session})))
