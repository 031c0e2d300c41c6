"""Web origins (`scheme://host[:port]`) in the exact-match form kbgen compares them in.

Used by the `allowed_origins` option and `site_url` (kbgen.options) and by the help API for
each request's Origin header (kbgen.api.origins).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# scheme://host[:port] and nothing else: a DNS name, an IPv4 address or a bracketed IPv6 one.
ORIGIN_RE = re.compile(
    r"(?i:https?)://(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*"
    r"|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?"
)


def origin_of_url(url: str) -> str | None:
    """'https://Help.Example.com:443/docs/' -> 'https://help.example.com'; None when the URL
    has no http(s) scheme and host, or its host or port is not valid in an origin."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    try:
        port = f":{parts.port}" if parts.port is not None else ""
    except ValueError:
        return None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return normalise_origin(f"{parts.scheme}://{host}{port}")


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
