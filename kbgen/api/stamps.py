"""Server times for live events that keep the order each client sent them in.

Live events get the server's clock, not the client's (SPEC.md). Events of one request used
to share one millisecond, so the store's `ORDER BY ts, id` put them in random-id order: a
`[view, contact submit]` batch could read as contact-then-view, `[vote yes, vote no]` could
count the first vote as the last one. Here each session's events get strictly increasing
milliseconds: ts = max(now, previous ts of that session + 1). Every ts-ordered query (the
report's last vote, contact after first view, the day rollups, export and import) then keeps
the client's order on both backends without a schema change.
"""

from __future__ import annotations

from collections.abc import Callable

from kbgen.events.timestamps import now_ms


class SessionClock:
    """session -> the last ms stamped for it, kept only while it is still ahead of `now`.

    An entry whose last ms is already in the past constrains nothing (max(now, last + 1) is
    `now`), so it can be forgotten: the map holds only the sessions stamped within the last
    few milliseconds, plus at most MAX_SESSIONS when a flood keeps many ahead of the clock.
    A session is never pushed more than MAX_AHEAD_MS into the future (a client sending
    thousands of events per second cannot move its own times far from the real time).
    """

    MAX_SESSIONS = 100_000
    MAX_AHEAD_MS = 60_000
    PRUNE_FROM = 1024

    def __init__(self, clock: Callable[[], int] = now_ms) -> None:
        self._clock = clock
        self._last: dict[str, int] = {}
        self._prune_at = self.PRUNE_FROM

    def stamp(self, events: list[dict]) -> None:
        """Set `ts` (ms) on each event, in list order, strictly increasing per session."""
        now = self._clock()
        if len(self._last) > self._prune_at:
            self._prune(now)
        for event in events:
            session = event["session"]
            last = self._last.pop(session, None)  # re-inserted last: dict order is recency
            ts = now if last is None or last < now else min(last + 1, now + self.MAX_AHEAD_MS)
            event["ts"] = ts
            self._last[session] = ts

    def __len__(self) -> int:
        return len(self._last)

    def _prune(self, now: int) -> None:
        self._last = {s: ts for s, ts in self._last.items() if ts >= now}
        while len(self._last) > self.MAX_SESSIONS:  # oldest first
            del self._last[next(iter(self._last))]
        self._prune_at = max(self.PRUNE_FROM, 2 * len(self._last))
