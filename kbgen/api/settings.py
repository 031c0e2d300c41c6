"""The help API's settings, from the project's plugin options (kbgen.options).

The API uses `allowed_origins` (beside the origin of `site_url`; matched exactly),
`trusted_proxies` (without them the socket peer is the client, THREATS.md case 12) and
`rate_limit` (burst half of it; 0 turns the limit off).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kbgen import options as plugin_options
from kbgen.errors import KbgenError
from kbgen.events.validation import MAX_EVENTS
from kbgen.options import Network, Options
from kbgen.web_origin import origin_of_url

DEFAULT_RATE_PER_MINUTE = plugin_options.default("rate_limit")


@dataclass(frozen=True)
class ApiSettings:
    # The site's own origin and `allowed_origins`; never a local one in production.
    allowed_origins: frozenset[str] = frozenset()
    trusted_proxies: tuple[Network, ...] = ()
    rate_per_minute: float = DEFAULT_RATE_PER_MINUTE
    burst: int = DEFAULT_RATE_PER_MINUTE // 2
    max_body: int = 16 * 1024
    max_events: int = MAX_EVENTS
    drop_bots: bool = True
    # Local preview (`kbgen serve`): any loopback origin (http://127.0.0.1:8000,
    # http://localhost:8000, ...), headless browsers accepted. Only `kbgen serve` sets it.
    preview: bool = False
    retry_after_s: int = 5
    max_pending_events: int = 20_000
    manifest_path: str | None = None
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_options(
        cls, options: Options, site_url: str | None = None, **overrides: Any
    ) -> ApiSettings:
        origins = set(options.allowed_origins)
        if site_url:
            origins.add(origin_of(site_url, "site_url"))
        values: dict[str, Any] = {
            "allowed_origins": frozenset(origins),
            "trusted_proxies": options.trusted_proxies,
            "rate_per_minute": float(options.rate_limit),
            "burst": max(int(options.rate_limit) // 2, 10),
        }
        values.update(overrides)
        return cls(**values)


def origin_of(url: str, option: str) -> str:
    """'https://Help.Example.com:443/docs/' -> 'https://help.example.com' (exact-match form)."""
    origin = origin_of_url(url)
    if origin is None:
        raise KbgenError(
            f"Option '{option}' has value {url!r}. Fix: an origin such as "
            "https://help.example.com (a host name and an optional port; '*' is not accepted)."
        )
    return origin
