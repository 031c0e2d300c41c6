"""Front matter keys, their allowed values, and conversion into typed values.

The table is SPEC.md's "Articles" table. Each check returns a message and a fix, so a writer
reads what is wrong and what to write instead.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
INTERVAL_RE = re.compile(r"^(\d+)\s*([dwmy])$")
INTERVAL_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}

TYPES = ("article", "faq", "troubleshooting")
JOURNEYS = ("awareness", "research", "purchase", "use", "advocacy")
STATUSES = ("published", "draft", "archived")

REQUIRED = ("id", "title", "description")
KNOWN = {
    *REQUIRED, "type", "category", "tags", "keywords", "journey", "audience", "owner",
    "reviewed", "review_every", "status", "redirect_from", "redirect_to", "related",
    "translated_from",
}
# Keys MkDocs and mkdocs-material read themselves; allowed, passed through untouched.
PASSTHROUGH = {"template", "hide", "icon", "search", "subtitle", "comments"}


class FrontMatterFieldError(Exception):
    """A front matter key of an article is missing or has a wrong value (and the fix)."""

    def __init__(self, key: str, message: str, fix: str):
        super().__init__(message)
        self.key, self.message, self.fix = key, message, fix


def unknown_key_fix(key: str) -> str:
    close = difflib.get_close_matches(key, sorted(KNOWN), n=1)
    if close:
        return f"did you mean '{close[0]}'?"
    return "remove it, or check the spelling against the documented keys"


def text(meta: dict[str, Any], key: str, required: bool = False) -> str | None:
    value = meta.get(key)
    if value is None:
        if required:
            raise FrontMatterFieldError(key, f"missing required key '{key}'", f"add '{key}: ...'")
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise FrontMatterFieldError(key, f"'{key}' must be text, not {_kind(value)}",
                         f"write '{key}: some text'")
    value = str(value).strip()
    if required and not value:
        raise FrontMatterFieldError(key, f"'{key}' is empty", f"give '{key}' a value")
    return value


def ident(meta: dict[str, Any], key: str, required: bool = False) -> str | None:
    value = text(meta, key, required)
    if value is not None and not ID_RE.match(value):
        raise FrontMatterFieldError(
            key,
            f"'{key}' is {value!r}; ids use lower-case letters, digits and single hyphens",
            f"write it as '{_suggest_id(value)}'",
        )
    return value


def choice(
    meta: dict[str, Any], key: str, allowed: tuple[str, ...], default: str | None
) -> str | None:
    value = text(meta, key)
    if value is None:
        return default
    if value not in allowed:
        raise FrontMatterFieldError(
            key, f"'{key}' is {value!r}, which is not one of: {', '.join(allowed)}",
            f"use one of: {', '.join(allowed)}",
        )
    return value


def text_list(meta: dict[str, Any], key: str) -> list[str]:
    value = meta.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        raise FrontMatterFieldError(key, f"'{key}' must be a list", f"write '{key}: [{value}]'")
    if not isinstance(value, list) or not all(
        isinstance(item, str | int | float) and not isinstance(item, bool) for item in value
    ):
        raise FrontMatterFieldError(key, f"'{key}' must be a list of text values",
                                    f"write '{key}: [a, b]'")
    return [str(item).strip() for item in value if str(item).strip()]


def id_list(meta: dict[str, Any], key: str) -> list[str]:
    values = text_list(meta, key)
    for value in values:
        if not ID_RE.match(value):
            raise FrontMatterFieldError(
                key, f"'{key}' contains {value!r}, which is not an article id",
                "list article ids (the 'id' of each article), e.g. [reset-password]",
            )
    return values


def date(meta: dict[str, Any], key: str) -> dt.date | None:
    value = meta.get(key)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise FrontMatterFieldError(key, f"'{key}' is {value!r}, not a date",
                                f"write '{key}: YYYY-MM-DD'")


def interval_days(meta: dict[str, Any], key: str) -> int | None:
    value = meta.get(key)
    if value is None:
        return None
    match = INTERVAL_RE.match(str(value).strip()) if not isinstance(value, bool) else None
    if not match or int(match.group(1)) == 0:
        raise FrontMatterFieldError(
            key, f"'{key}' is {value!r}, not an interval",
            f"write a number and a unit d, w, m or y, e.g. '{key}: 180d'",
        )
    return int(match.group(1)) * INTERVAL_DAYS[match.group(2)]


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _suggest_id(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "my-article"
