"""Which web pages may send events: an exact allow-list, no credentials (THREATS.md 14)."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from kbgen.api.settings import ApiSettings
from kbgen.web_origin import normalise_origin


class OriginPolicy:
    def __init__(self, settings: ApiSettings) -> None:
        self.allowed = settings.allowed_origins
        self.loopback = settings.preview

    def allows(self, origin: str | None) -> bool:
        """No Origin header (not a browser page) is allowed; `null` and look-alikes are not."""
        if origin is None:
            return True
        normal = normalise_origin(origin)
        if normal is None:
            return False
        return normal in self.allowed or (self.loopback and _is_loopback(normal))

    def headers(self, origin: str | None) -> dict[str, str]:
        """CORS headers for an allowed origin; never Access-Control-Allow-Credentials."""
        if origin is None:
            return {}
        return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}


def _is_loopback(origin: str) -> bool:
    host = urlsplit(origin).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
