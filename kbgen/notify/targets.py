"""The `notify` option of the kbgen plugin: who gets digests, and where."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from kbgen.errors import UsageError

FORMATS = ("json", "slack")
DEFAULT_TIMEOUT_S = 10.0
KEYS = {"owner", "webhook", "email", "format", "secret", "timeout"}


@dataclass(frozen=True)
class Target:
    owner: str  # an article owner, or "*" for every article
    kind: str  # webhook | slack | email
    address: str  # URL or e-mail address
    secret: str | None = None
    timeout: float = DEFAULT_TIMEOUT_S

    @property
    def id(self) -> str:
        """Stable name in the store. Webhook URLs are secrets themselves (Slack's are), so
        only a hash of the address is kept."""
        digest = hashlib.sha256(self.address.encode("utf-8")).hexdigest()[:16]
        return f"{self.owner}|{self.kind}|{digest}"

    @property
    def label(self) -> str:
        """What messages show: the owner and the host or e-mail address, no URL path."""
        where = self.address if self.kind == "email" else urlsplit(self.address).netloc
        return f"{self.owner} ({self.kind} {where})"

    def covers(self, owner: str | None) -> bool:
        return self.owner == "*" or owner == self.owner


def parse_targets(entries: tuple[dict[str, Any], ...], where: str) -> list[Target]:
    """The option's entries (a list of mappings, checked by kbgen.options) -> targets; errors
    name `notify[N].field` and the fix."""
    return [_target(entry, f"{where}: notify[{n}]") for n, entry in enumerate(entries)]


def _target(entry: Any, at: str) -> Target:
    if not isinstance(entry, dict):
        raise UsageError(f"{at} must be a mapping with owner and webhook or email.")
    unknown = sorted(set(map(str, entry)) - KEYS)
    if unknown:
        raise UsageError(f"{at}: unknown key(s) {', '.join(unknown)}. Fix: use "
                         f"{', '.join(sorted(KEYS))}.")
    owner = entry.get("owner")
    if not isinstance(owner, str) or not owner.strip():
        raise UsageError(f'{at}.owner is missing. Fix: an article owner, or "*" for all.')
    webhook, email = entry.get("webhook"), entry.get("email")
    if bool(webhook) == bool(email):
        raise UsageError(f"{at}: give exactly one of webhook or email.")
    fmt = entry.get("format") or "json"
    if fmt not in FORMATS:
        raise UsageError(f"{at}.format is {fmt!r}. Fix: use json or slack.")
    timeout = entry.get("timeout", DEFAULT_TIMEOUT_S)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
        raise UsageError(f"{at}.timeout must be a number of seconds above 0.")
    secret = entry.get("secret")
    if "secret" in entry and not secret:
        raise UsageError(f"{at}.secret is empty: is its !ENV variable set? Fix: export it "
                         "before running kbgen notify, or remove secret.")
    if email:
        if not isinstance(email, str) or "@" not in email or any(c in email for c in "\r\n,"):
            raise UsageError(f"{at}.email {email!r} is not one e-mail address.")
        return Target(owner.strip(), "email", email.strip(), None, float(timeout))
    parts = urlsplit(str(webhook))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"{at}.webhook {webhook!r} is not an http(s) URL.")
    kind = "slack" if fmt == "slack" else "webhook"
    return Target(owner.strip(), kind, str(webhook), str(secret) if secret else None,
                  float(timeout))
