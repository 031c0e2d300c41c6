"""The event validator and body decoder: pure functions, property-tested with hypothesis."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kbgen.events import BodyError, decode_json, format_ts, parse_ts, validate_payload
from kbgen.events.schema import REASONS

ARTICLES = {"reset-password", "refunds"}
tokens = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}", fullmatch=True)
text = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
               max_size=1000)
articles = st.sampled_from(sorted(ARTICLES))


def _base(kind: str):
    return st.fixed_dictionaries({"id": tokens, "type": st.just(kind), "session": tokens})


valid_events = st.one_of(
    st.builds(lambda b, a: {**b, "article": a}, _base("view"), articles),
    st.builds(lambda b, q, r, s: {**b, "query": q, "results": r, "source": s}, _base("search"),
              text.filter(str.strip).map(lambda q: q[:500]), st.integers(0, 100_000),
              st.sampled_from(["site", "contact"])),
    st.builds(lambda b, a, h, r, c: {**b, "article": a, "helpful": h, "reason": r,
                                     "comment": c},
              _base("vote"), articles, st.booleans(), st.sampled_from(REASONS), text),
    st.builds(lambda b, stage: {**b, "stage": stage}, _base("contact"),
              st.sampled_from(["open", "submit"])),
    st.builds(lambda b, s: {**b, "score": s}, _base("nps"), st.integers(0, 10)),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)


@given(valid_events)
def test_every_valid_event_is_accepted_unchanged_with_ts_left_to_the_server(event):
    events, errors = validate_payload(json.loads(json.dumps(event)), articles=ARTICLES)
    assert errors == []
    assert events == [{**event, "ts": None}]


@settings(max_examples=30)
@given(st.lists(valid_events, min_size=1, max_size=100))
def test_arrays_up_to_the_limit_are_accepted(batch):
    events, errors = validate_payload(batch, articles=ARTICLES)
    assert errors == [] and len(events) == len(batch)


@settings(max_examples=50)
@given(valid_events, st.text(min_size=1, max_size=20), json_values)
def test_an_unknown_field_is_rejected_with_its_path(event, name, value):
    if name in ("id", "type", "ts", "session", "article", "query", "results", "source",
                "rank", "helpful", "reason", "comment", "channel", "stage", "score"):
        return
    events, errors = validate_payload([event, {**event, name: value}], articles=ARTICLES)
    assert events == []
    assert [e.reason for e in errors] == ["unknown_field"]
    assert errors[0].path.startswith("[1].")


@settings(max_examples=200)
@given(json_values)
def test_any_json_value_gives_events_or_errors_never_an_exception(value):
    events, errors = validate_payload(value, articles=ARTICLES)
    assert bool(events) != bool(errors)
    for error in errors:
        json.dumps({"path": error.path, "message": error.message}, ensure_ascii=True)


@settings(max_examples=300)
@given(st.binary(max_size=200))
def test_any_bytes_decode_or_raise_a_body_error(raw):
    try:
        decode_json(raw)
    except BodyError as exc:
        assert exc.reason in ("invalid_json", "bad_encoding")


@given(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF))
def test_lone_surrogates_in_a_comment_are_rejected(bad):
    value = decode_json(json.dumps({"id": "e1", "type": "nps", "session": "s", "score": 1,
                                    "comment": "ok " + bad}).encode())
    _, errors = validate_payload(value)
    assert [(e.path, e.reason) for e in errors] == [("comment", "bad_text")]


@given(st.integers(0, 253_402_300_799_999))
def test_timestamps_round_trip_through_the_export_format(ms):
    assert parse_ts(format_ts(ms)) == ms


@pytest.mark.parametrize(("body", "path", "message"), [
    (b'{"id":"e","type":"nps","session":"s","score":NaN}', "score", "NaN is not allowed"),
    (b'{"id":"e","type":"nps","session":"s","score":-Infinity}', "score", "-Infinity"),
    (b'{"id":"e","type":"nps","session":"s","score":' + b"9" * 5000 + b"}", "score",
     "5000 digits"),
    (b'{"id":"e","type":"nps","session":"s","score":1e999}', "score", "out of range"),
    (b'{"id":"e","type":"nps","session":"s","score":true}', "score", "integer from 0 to 10"),
    (b'{"id":"e","type":"vote","session":"s","article":"refunds","helpful":"no"}', "helpful",
     "true or false"),
    (b'[{"id":"e","type":"nps","session":"s","score":1},{"id":"f","type":"like","session":"s"}]',
     "[1].type", "must be one of view"),
    (b'{"id":"e","type":"vote","session":"s","article":"gone","helpful":true}', "article",
     "unknown article id"),
    (b'{"id":"e","type":"nps","session":"s","score":1,"comment":"' + b"x" * 1001 + b'"}',
     "comment", "at most 1000"),
    (b'{"id":"e","type":"nps","session":"s","score":1,"comment":"a\\u0000b"}', "comment",
     "NUL"),
    (b'{"id":"e","type":"nps","score":1}', "session", "required"),
])
def test_bad_fields_are_named_with_their_path(body, path, message):
    _, errors = validate_payload(decode_json(body), articles=ARTICLES)
    assert errors and errors[0].path == path and message in errors[0].message


@pytest.mark.parametrize(("body", "reason", "message"), [
    (b"[" * 200_000, "invalid_json", "nested too deeply"),
    (b'{"id": "e1", "type": ', "invalid_json", "line 1 column 22"),
    (b"\xff\xfe{}", "bad_encoding", "not valid UTF-8"),
    (b"   ", "invalid_json", "empty"),
])
def test_undecodable_bodies(body, reason, message):
    with pytest.raises(BodyError, match=message) as info:
        decode_json(body)
    assert info.value.reason == reason


def test_imported_events_keep_their_time_and_need_one():
    event = {"id": "e", "type": "nps", "session": "s", "score": 9}
    assert validate_payload(event, live=False)[1][0].path == "ts"
    events, _ = validate_payload({**event, "ts": "2026-11-24T11:02:03+01:00"}, live=False)
    assert format_ts(events[0]["ts"]) == "2026-11-24T10:02:03.000Z"
    _, errors = validate_payload({**event, "ts": "2026-11-24T10:02:03"}, live=False)
    assert "time zone" in errors[0].message


def test_more_than_the_maximum_events_per_request():
    event = {"id": "e", "type": "nps", "session": "s", "score": 9}
    _, errors = validate_payload([event] * 101)
    assert errors[0].reason == "too_many_events" and "at most 100" in errors[0].message
