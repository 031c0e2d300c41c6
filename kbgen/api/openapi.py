"""GET /api/openapi.json: the API described from the same schema the validator enforces."""

from __future__ import annotations

from kbgen.events import schema

_FIELD_SCHEMAS: dict[str, dict] = {
    "id": {"type": "string", "pattern": schema.TOKEN_RE.pattern,
           "description": "client-made UUID; a retried event is stored once"},
    "session": {"type": "string", "pattern": schema.TOKEN_RE.pattern},
    "ts": {"type": "string", "format": "date-time",
           "description": "ignored for live events: the server sets it"},
    "article": {"type": "string", "pattern": schema.ARTICLE_RE.pattern,
                "description": "an article id from the built site"},
    "query": {"type": "string", "maxLength": schema.MAX_QUERY},
    "results": {"type": "integer", "minimum": 0},
    "source": {"type": "string", "enum": list(schema.SOURCES)},
    "rank": {"type": "integer", "minimum": 1},
    "helpful": {"type": "boolean"},
    "reason": {"type": "string", "enum": list(schema.REASONS)},
    "comment": {"type": "string", "maxLength": schema.MAX_COMMENT},
    "channel": {"type": "string", "pattern": schema.CHANNEL_RE.pattern},
    "stage": {"type": "string", "enum": list(schema.STAGES)},
    "score": {"type": "integer", "minimum": 0, "maximum": 10},
}


def _event_schema(kind: str) -> dict:
    required, optional = schema.TYPE_FIELDS[kind]
    names = ("id", "type", "ts", "session", *required, *optional)
    properties = {name: _FIELD_SCHEMAS[name] for name in names if name != "type"}
    properties["type"] = {"const": kind}
    return {"type": "object", "additionalProperties": False, "properties": properties,
            "required": ["id", "type", "session", *required]}


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {
        "$ref": "#/components/schemas/Error"}}}}


def openapi_document(max_events: int, extra_paths: dict | None = None) -> dict:
    events = {"oneOf": [{"$ref": f"#/components/schemas/{k}"} for k in schema.EVENT_TYPES]}
    body = {"oneOf": [events, {"type": "array", "items": events, "minItems": 1,
                               "maxItems": max_events}]}
    post = {
        "summary": "Record one event or an array of events",
        "requestBody": {"required": True, "content": {
            "application/json": {"schema": body}, "text/plain": {"schema": body}}},
        "responses": {
            "200": {"description": "committed", "content": {"application/json": {"schema": {
                "type": "object", "properties": {"stored": {"type": "integer"},
                                                 "duplicates": {"type": "integer"}}}}}},
            "204": {"description": "not stored: Do Not Track / Global Privacy Control, or a bot"},
            "400": _error("not UTF-8 JSON"), "403": _error("origin not allowed"),
            "413": _error("body too large"), "415": _error("not JSON or text/plain"),
            "422": _error("an invalid field; `errors` lists each path"),
            "429": _error("rate limited; see Retry-After"),
            "503": _error("store unavailable; see Retry-After"),
        },
    }
    health = {"summary": "Store health and rejection counters",
              "responses": {"200": {"description": "healthy"},
                            "503": {"description": "the store cannot take writes"}}}
    schemas = {kind: _event_schema(kind) for kind in schema.EVENT_TYPES}
    schemas["Error"] = {"type": "object", "properties": {
        "error": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object", "properties": {
            "path": {"type": "string"}, "message": {"type": "string"}}}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "kbgen help API", "version": "1"},
        "paths": {"/api/events": {"post": post}, "/api/health": {"get": health},
                  **(extra_paths or {})},
        "components": {"schemas": schemas},
    }
