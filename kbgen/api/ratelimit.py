"""A token bucket per client key: `rate` events per second, at most `burst` at once."""

from __future__ import annotations

import time


class RateLimiter:
    MAX_CLIENTS = 100_000

    def __init__(self, per_minute: float, burst: int) -> None:
        self.rate = per_minute / 60
        self.burst = float(burst)
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, updated)

    @property
    def enabled(self) -> bool:
        return self.rate > 0

    def wait_time(self, key: str, cost: float = 1.0, *, take: bool = True) -> float:
        """0 when `cost` tokens are available (and taken), else seconds until they will be."""
        if not self.enabled:
            return 0.0
        now = time.monotonic()
        tokens, updated = self._buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - updated) * self.rate)
        if tokens < cost:
            self._buckets[key] = (tokens, now)
            return (min(cost, self.burst) - tokens) / self.rate
        self._buckets[key] = (tokens - cost if take else tokens, now)
        if len(self._buckets) > self.MAX_CLIENTS:
            self._forget_idle(now)
        return 0.0

    def reset(self) -> None:
        """Forget every bucket (the client keys rotated, so old ones can never match)."""
        self._buckets.clear()

    def _forget_idle(self, now: float) -> None:
        full_after = self.burst / self.rate
        for key, (_, updated) in list(self._buckets.items()):
            if now - updated > full_after:
                del self._buckets[key]
