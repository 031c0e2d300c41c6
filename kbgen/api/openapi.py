"""GET /api/openapi.json: generated from the definitions the server enforces.

Event fields come from `kbgen.events.schema.RULES` (the rules the validator is built from),
which fields each event type has from `schema.TYPE_FIELDS`, and the search parameters from
`kbgen.api.search_params.PARAMETERS`; nothing is written out twice, so the document and the
server cannot drift apart. Only the routes the running app has are described.
"""

from __future__ import annotations

from collections.abc import Iterable

from kbgen.api.search_params import PARAMETERS
from kbgen.events import schema
from kbgen.events.timestamps import MAX_MS

NO_NUL = "^[^\\x00]*$"
NOT_BLANK = "^[^\\x00]*[^\\s\\x00][^\\x00]*$"  # at least one non-space character, no NUL


def field_schema(rule: schema.Rule, *, nullable: bool = False) -> dict:
    """One field's JSON Schema, from the rule the validator checks it with."""
    if rule.kind == "token" and rule.pattern is not None:
        out: dict = {"type": "string", "pattern": f"^{rule.pattern.pattern}$"}
    elif rule.kind == "choice":
        out = {"type": "string", "enum": list(rule.options)}
    elif rule.kind == "integer":
        out = {"type": "integer", "minimum": rule.low, "maximum": rule.high}
    elif rule.kind == "text":
        out = {"type": "string", "maxLength": rule.max_length,
               "pattern": NO_NUL if rule.blank else NOT_BLANK}
        if not rule.blank:
            out["minLength"] = 1
    elif rule.kind == "boolean":
        out = {"type": "boolean"}
    elif rule.kind == "timestamp":
        out = {"anyOf": [
            {"type": "string", "format": "date-time", "maxLength": 40},
            {"type": "integer", "minimum": 0, "maximum": MAX_MS,
             "description": "milliseconds since 1970-01-01T00:00:00Z"},
        ]}
    else:
        raise ValueError(f"unknown rule kind {rule.kind!r}")
    if rule.description:
        out["description"] = rule.description
    if nullable:
        kinds = out.get("type")
        if isinstance(kinds, str):
            out["type"] = [kinds, "null"]
            if "enum" in out:
                out["enum"] = [*out["enum"], None]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


def event_schema(kind: str) -> dict:
    required, optional = schema.TYPE_FIELDS[kind]
    properties: dict = {"type": {"const": kind}}
    for name in ("id", "ts", "session", *required, *optional):
        properties[name] = field_schema(schema.RULES[name], nullable=name in optional)
    return {"type": "object", "additionalProperties": False, "properties": properties,
            "required": ["id", "type", "session", *required]}


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {
        "$ref": "#/components/schemas/Error"}}}}


def _events_path(max_events: int) -> dict:
    events = {"oneOf": [{"$ref": f"#/components/schemas/{k}"} for k in schema.EVENT_TYPES]}
    body = {"oneOf": [events, {"type": "array", "items": events, "minItems": 1,
                               "maxItems": max_events}]}
    post = {
        "summary": "Record one event or an array of events",
        "description": "Events of one request are stored in the order sent. Do Not Track "
                       "(`DNT: 1`) or Global Privacy Control (`Sec-GPC: 1`): nothing is stored.",
        "requestBody": {"required": True, "content": {
            "application/json": {"schema": body}, "text/plain": {"schema": body}}},
        "responses": {
            "200": {"description": "committed", "content": {"application/json": {"schema": {
                "type": "object", "required": ["stored", "duplicates"],
                "properties": {"stored": {"type": "integer", "minimum": 0},
                               "duplicates": {"type": "integer", "minimum": 0}}}}}},
            "204": {"description": "not stored: Do Not Track / Global Privacy Control, or a bot"},
            "400": _error("not UTF-8 JSON"), "403": _error("origin not allowed"),
            "413": _error("body too large"), "415": _error("not JSON or text/plain"),
            "422": _error("an invalid field (or an article id not in the built site); "
                          "`errors` lists each path"),
            "429": _error("rate limited; see Retry-After"),
            "503": _error("store unavailable; see Retry-After"),
        },
    }
    preflight = {"summary": "CORS preflight for the allowed origins",
                 "responses": {"204": {"description": "allowed"},
                               "403": {"description": "origin not allowed"}}}
    return {"post": post, "options": preflight}


def _search_path() -> dict:
    parameters = [{"name": name, "in": "query", "required": False, "schema": param_schema,
                   "description": description}
                  for name, (param_schema, description) in PARAMETERS.items()]
    hit = {"type": "object",
           "required": ["id", "title", "url", "score", "snippet", "category", "category_title",
                        "anchor"],
           "properties": {"id": {"type": "string"}, "title": {"type": "string"},
                          "url": {"type": "string"}, "score": {"type": "number"},
                          "snippet": {"type": "string"},
                          "category": {"type": "string",
                                       "description": "the category's folder"},
                          "category_title": {"type": "string",
                                             "description": "the category's title, as the "
                                                            "site shows it"},
                          "anchor": {"type": ["string", "null"]}}}
    answer = {"type": "object", "required": ["query", "results"],
              "properties": {"query": {"type": "string"},
                             "results": {"type": "array", "items": hit}}}
    return {"get": {
        "summary": "Search the help center (the ranking of `kbgen search`)",
        "description": "Records a `search` event (source `api`) through the same checks as "
                       "POST /api/events (origin, Do Not Track / Global Privacy Control, "
                       "bots, rate limit, validation); when recording is refused the "
                       "answer is served all the same.",
        "parameters": parameters,
        "responses": {
            "200": {"description": "ranked results", "content": {
                "application/json": {"schema": answer}}},
            "400": _error("a bad query parameter; `parameter` names it"),
            "503": _error("no search index yet: run kbgen build"),
        },
    }}


def _health_path() -> dict:
    return {"get": {"summary": "Store health and rejection counters",
                    "responses": {"200": {"description": "healthy"},
                                  "503": {"description": "the store cannot take writes"}}}}


def _openapi_path() -> dict:
    return {"get": {"summary": "This document",
                    "responses": {"200": {"description": "OpenAPI 3.1"}}}}


def openapi_document(max_events: int, routes: Iterable[str] | None = None) -> dict:
    """The document for the routes the app has (all known ones when `routes` is None)."""
    known = {"/api/events": lambda: _events_path(max_events), "/api/health": _health_path,
             "/api/openapi.json": _openapi_path, "/api/search": _search_path}
    wanted = set(known) if routes is None else set(routes)
    schemas = {kind: event_schema(kind) for kind in schema.EVENT_TYPES}
    schemas["Error"] = {"type": "object", "required": ["error"], "properties": {
        "error": {"type": "string"},
        "parameter": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object", "properties": {
            "path": {"type": "string"}, "message": {"type": "string"}}}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "kbgen help API", "version": "1"},
        "paths": {path: make() for path, make in known.items() if path in wanted},
        "components": {"schemas": schemas},
    }
