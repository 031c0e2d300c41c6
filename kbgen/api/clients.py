"""Who is asking, without remembering who: client keys, trusted proxies, bot user agents.

The raw IP address is used only to compute a keyed hash for the rate limiter; the key (salt)
is random, lives only in memory and is replaced every UTC day, so yesterday's hashes cannot
be recomputed (THREATS.md case 16). Nothing here is stored or logged.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
import secrets

from kbgen.events.timestamps import utc_day
from kbgen.options import Network

BOT_RE = re.compile(
    r"bot|crawl|spider|slurp|curl|wget|headless|python|httpx|aiohttp|go-http|java/|libwww|"
    r"okhttp|scrapy|phantomjs|selenium|puppeteer|playwright|lighthouse|facebookexternalhit|"
    r"pingdom|uptime|monitor|feedfetcher|axios|node-fetch|postman|insomnia|powershell",
    re.IGNORECASE,
)


def is_bot(user_agent: str | None) -> bool:
    """Crawlers, scripts and headless browsers; a missing user agent counts as a script."""
    return not user_agent or BOT_RE.search(user_agent) is not None


def client_address(
    peer: str | None, forwarded_for: str | None, trusted: tuple[Network, ...]
) -> str:
    """The socket peer, or, behind a trusted proxy, the last untrusted X-Forwarded-For hop."""
    address = peer or "unknown"
    if not trusted or not forwarded_for or not _is_trusted(address, trusted):
        return address
    for hop in reversed([part.strip() for part in forwarded_for.split(",")]):
        if not _is_trusted(hop, trusted):
            return hop if _is_ip(hop) else address
    return address


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _is_trusted(address: str, trusted: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)


class ClientKeys:
    """address -> short keyed hash; the key rotates at UTC midnight and the old one is gone."""

    def __init__(self) -> None:
        self._day = ""
        self._salt = b""

    def key(self, address: str) -> str:
        day = utc_day()
        if day != self._day:
            self._day, self._salt = day, secrets.token_bytes(32)
        return hmac.new(self._salt, address.encode(), hashlib.sha256).hexdigest()[:24]

    @property
    def day(self) -> str:
        return self._day
