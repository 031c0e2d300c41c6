"""The help API's settings, read from the project's plugin options (mkdocs.yml `kbgen:`).

Options the API reads (all optional):

- `allowed_origins`: list of extra origins (`https://www.example.com`) whose pages may send
  events, beside the origin of `site_url`. Matched exactly; `*` is not accepted.
- `trusted_proxies`: IPs or networks of reverse proxies whose `X-Forwarded-For` is believed.
  Without it the socket peer is the client (THREATS.md case 12).
- `rate_limit`: events per minute per client (default 600, burst half of it); 0 turns the
  limit off (benchmarks, a private network).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from kbgen.errors import KbgenError
from kbgen.events.validation import MAX_EVENTS

DEFAULT_RATE_PER_MINUTE = 600
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
# scheme://host[:port] and nothing else: a DNS name, an IPv4 address or a bracketed IPv6 one.
ORIGIN_RE = re.compile(
    r"(?i:https?)://(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*"
    r"|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?"
)


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
        cls, options: dict, site_url: str | None = None, **overrides
    ) -> ApiSettings:
        origins: set[str] = set()
        if site_url:
            origins.add(origin_of(site_url, "site_url"))
        raw_origins = options.get("allowed_origins") or []
        if isinstance(raw_origins, str):
            raw_origins = [raw_origins]
        for item in raw_origins:
            origins.add(origin_of(str(item), "allowed_origins"))
        rate = options.get("rate_limit", DEFAULT_RATE_PER_MINUTE)
        if isinstance(rate, bool) or not isinstance(rate, int | float) or rate < 0:
            raise KbgenError(
                f"Option 'rate_limit' has value {rate!r}. Fix: events per minute per client, "
                "a number >= 0 (0 turns the limit off)."
            )
        values = {
            "allowed_origins": frozenset(origins),
            "trusted_proxies": tuple(_network(p) for p in options.get("trusted_proxies") or []),
            "rate_per_minute": float(rate),
            "burst": max(int(rate) // 2, 10),
        }
        values.update(overrides)
        return cls(**values)


def origin_of(url: str, option: str) -> str:
    """'https://Help.Example.com:443/docs/' -> 'https://help.example.com' (exact-match form)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise KbgenError(
            f"Option '{option}' has value {url!r}. Fix: an origin such as "
            "https://help.example.com ('*' is not accepted)."
        )
    try:
        port = f":{parts.port}" if parts.port is not None else ""
    except ValueError:
        port = "!"  # not a port: refused below
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    normal = normalise_origin(f"{parts.scheme}://{host}{port}")
    if normal is None:
        raise KbgenError(
            f"Option '{option}' has value {url!r}. Fix: an origin such as "
            "https://help.example.com (a host name and an optional port)."
        )
    return normal


def normalise_origin(origin: str) -> str | None:
    """An Origin header -> lower-case scheme and host, default port dropped; None when it is
    not exactly `scheme://host[:port]` (a path, `/`, `?`, `#`, userinfo, spaces or anything
    else after the host make it no origin: browsers never send them)."""
    if not isinstance(origin, str) or not ORIGIN_RE.fullmatch(origin):
        return None
    try:
        parts = urlsplit(origin)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    scheme = parts.scheme.lower()
    host = parts.hostname
    if ":" in host:
        host = f"[{host}]"
    default = {"http": 80, "https": 443}[scheme]
    suffix = f":{port}" if port is not None and port != default else ""
    return f"{scheme}://{host}{suffix}"


def _network(value: object) -> Network:
    try:
        return ipaddress.ip_network(str(value), strict=False)
    except ValueError:
        raise KbgenError(
            f"Option 'trusted_proxies' has value {value!r}. Fix: IP addresses or networks "
            "such as 10.0.0.0/8."
        ) from None
