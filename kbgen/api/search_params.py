"""The query parameters of GET /api/search: checked in one place, described from the same
limits in the OpenAPI document. A bad value is a `ParamError` (a 400 naming the parameter),
never an exception from int() or the store."""

from __future__ import annotations

import re

from kbgen.events.schema import MAX_QUERY, TOKEN_RE

MAX_LIMIT = 50
DEFAULT_LIMIT = 10
DIGITS_RE = re.compile(r"[0-9]{1,3}")  # ASCII only: '²'.isdigit() is True, int('²') fails


class ParamError(ValueError):
    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name} {message}")
        self.name = name


# name -> (OpenAPI schema, description); the checks below enforce exactly these.
PARAMETERS: dict[str, tuple[dict, str]] = {
    "q": ({"type": "string", "maxLength": MAX_QUERY, "pattern": "^[^\\x00]*$"},
          "the search text; empty or blank answers no results and records nothing"),
    "limit": ({"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
              "how many results at most"),
    "session": ({"type": "string", "pattern": f"^{TOKEN_RE.pattern}$"},
                "the visitor's session for the recorded search event (default: a new one)"),
    "record": ({"type": "string", "enum": ["0", "1"], "default": "1"},
               "0: do not record a search event (the site's own pages record theirs)"),
    "lang": ({"type": "string", "pattern": "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$"},
             "the help center language to search (default: its default language)"),
}
LANG_RE = re.compile(PARAMETERS["lang"][0]["pattern"])


def search_language(params) -> str | None:
    """The `lang` parameter, checked (None: the default language)."""
    lang = params.get("lang")
    if lang is not None and not LANG_RE.fullmatch(lang):
        raise ParamError("lang", "must be a language code such as de or pt-BR")
    return lang


def search_params(params) -> tuple[str, int, str | None, bool]:
    """A query string (Starlette QueryParams) -> (q, limit, session or None, record)."""
    for name in PARAMETERS:
        if len(params.getlist(name)) > 1:
            raise ParamError(name, "is given more than once; send it once")
    query = params.get("q", "")
    if len(query) > MAX_QUERY:
        raise ParamError("q", f"is longer than {MAX_QUERY} characters; shorten the query")
    if "\x00" in query:  # as the event validator: no store may be handed a NUL
        raise ParamError("q", "contains a NUL character (%00); remove it")
    raw_limit = params.get("limit", str(DEFAULT_LIMIT))
    if not DIGITS_RE.fullmatch(raw_limit) or not 1 <= int(raw_limit) <= MAX_LIMIT:
        raise ParamError("limit", f"must be a whole number from 1 to {MAX_LIMIT}")
    session = params.get("session")
    if session is not None and not TOKEN_RE.fullmatch(session):
        raise ParamError("session", "must be 1-64 letters, digits, '-', '_', '.' or ':'")
    record = params.get("record", "1")
    if record not in ("0", "1"):
        raise ParamError("record", "must be 0 (do not record this search) or 1")
    return query, int(raw_limit), session, record == "1"
