"""One ISO 8601 reader (kbgen.isotime) behind event times, report windows and ticket times."""

from __future__ import annotations

import pytest

from kbgen.analytics.window import parse_when
from kbgen.events.timestamps import TimestampError, parse_ts
from kbgen.isotime import to_ms
from kbgen.tickets import parse_time

MS = 1_793_611_323_000  # 2026-11-02T09:22:03Z


@pytest.mark.parametrize("text", ["2026-11-02T09:22:03Z", "2026-11-02T09:22:03z",
                                  "2026-11-02T10:22:03+01:00", "2026-11-02 10:22:03 +0100"])
def test_the_same_instant_from_every_reader(text):
    assert parse_ts(text) == to_ms(parse_when(text, "--since")) == parse_time(text) == MS


def test_a_time_without_a_zone_is_utc_except_for_events():
    assert to_ms(parse_when("2026-11-02T09:22:03", "--since")) == MS
    assert parse_time("2026-11-02 09:22:03") == MS
    with pytest.raises(TimestampError, match="needs a time zone"):
        parse_ts("2026-11-02T09:22:03")
    with pytest.raises(TimestampError, match="needs a time zone"):
        parse_ts("2026-11-02")


def test_milliseconds_are_exact_and_far_years_are_refused_not_crashed():
    assert parse_ts("2026-11-02T09:22:03.999999Z") == MS + 999
    with pytest.raises(TimestampError, match="between 1970 and 9999"):
        parse_ts("0001-01-01T00:00:00+01:00")
    with pytest.raises(TimestampError, match="must be an ISO 8601 time"):
        parse_ts("yesterday")
