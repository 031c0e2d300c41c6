"""The `kbgen` plugin options (mkdocs.yml `plugins: - kbgen: ...`): the one definition.

Each option is a field of `Options` with its default, its documentation and its check. The
MkDocs plugin derives its config schema from these fields (kbgen.mkdocs_plugin.config), and
every other reader (the help API, `kbgen check`, `kbgen notify`, `kbgen report`) takes an
`Options` from `Options.from_mapping`, so a value means the same to all of them.

A missing option, or one whose value is null (e.g. `!ENV NAME` with NAME unset), takes its
default. A bad value raises OptionError naming the option, the value and the fix.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from kbgen.errors import UsageError
from kbgen.web_origin import origin_of_url

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class OptionError(UsageError):
    """A plugin option's value is wrong. `detail` is the message without the file's name
    (MkDocs adds its own prefix)."""

    def __init__(self, name: str, detail: str, where: str = "") -> None:
        self.name, self.detail = name, detail
        message = f"plugin option '{name}': {detail}"
        super().__init__(f"{where}: {message}" if where else message[0].upper() + message[1:])


class _Bad(ValueError):
    """Raised by a check: what is wrong and how to fix it; `item` when one item of a list is
    wrong."""

    def __init__(self, problem: str, fix: str, item: Any = None) -> None:
        super().__init__(problem)
        self.problem, self.fix, self.item = problem, fix, item


Check = Callable[[Any], Any]


def option(default: Any, doc: str, check: Check) -> Any:
    """One option: its default, what it does (docs/configuration.md says more), its check (raw
    YAML value -> the typed value, or _Bad)."""
    return field(default=default, metadata={"doc": doc, "check": check})


# Checks: each takes the raw YAML value (never None: that means the default) or a value it
# returned before (MkDocs checks the defaults too), and returns the typed value.

def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Bad("not true or false", "write true or false")
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise _Bad("not a string", "write a string (quote it if YAML reads it as a number)")
    return value


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _Bad("not a whole number >= 0", "write a whole number such as 10")
    return value


def _rate(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise _Bad("not a number >= 0", "events per minute per client, a number >= 0 "
                   "(0 turns the limit off)")
    return value


def _fraction(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise _Bad("not a number from 0 to 1", "write e.g. 0.5")
    return float(value)


def _strings(value: Any) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not all(isinstance(item, str) for item in items):
        raise _Bad("not a list of strings", "write a YAML list such as [a, b]")
    return tuple(items)


LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?$")


def _languages(value: Any) -> tuple[str, ...]:
    codes = _strings(value)
    for code in codes:
        if not LANGUAGE_RE.match(code):
            raise _Bad("not a language code", "BCP 47 codes such as en, de or pt-BR", code)
    if len(set(codes)) != len(codes):
        raise _Bad("a list with a language twice", "list each language once")
    return codes


def _origins(value: Any) -> tuple[str, ...]:
    origins = []
    for item in _strings(value):
        origin = origin_of_url(item)
        if origin is None:
            raise _Bad("not an origin", "origins such as https://help.example.com "
                       "(a scheme, a host name and an optional port; '*' is not accepted)", item)
        origins.append(origin)
    return tuple(origins)


def _networks(value: Any) -> tuple[Network, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        raise _Bad("not a list", "IP addresses or networks such as [10.0.0.0/8]")
    networks = []
    for item in items:
        try:
            networks.append(ipaddress.ip_network(str(item), strict=False))
        except ValueError:
            raise _Bad("not an IP address or network",
                       "IP addresses or networks such as 10.0.0.0/8", item) from None
    return tuple(networks)


def _semantic(value: Any) -> str | bool:
    if not isinstance(value, str | bool):
        raise _Bad("not auto, on, off or a model folder", "write auto, on, off or the path of "
                   "a sentence-transformers BERT model folder")
    return value


def _mappings(value: Any) -> tuple[dict[str, Any], ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(i, dict) for i in value):
        raise _Bad("not a list of entries", "see docs/loop.md")
    return tuple(value)


def _mapping(example: str) -> Check:
    """A mapping whose parts are checked where they are used, with messages naming the part
    (kbgen.contact_handoff checks `contact` and `nps` when the site is built)."""
    def check(value: Any) -> dict[str, Any]:
        if not isinstance(value, Mapping):
            raise _Bad("not a mapping", f"write e.g. {example}")
        return dict(value)
    return check


@dataclass(frozen=True)
class Options:
    """The plugin's options, checked. Groups follow docs/configuration.md."""

    enabled: bool = option(True, "Turn the plugin off (e.g. to build a plain mkdocs-material "
                           "site from the same files).", _flag)

    # Content
    drafts: bool = option(False, "Build articles with `status: draft` too (`kbgen build "
                          "--drafts` sets it).", _flag)
    strict: bool = option(False, "Treat content warnings (overdue reviews, unknown keys) as "
                          "errors.", _flag)

    languages: tuple[str, ...] = option(
        (), "The help center's languages, the default (at the site's root) first, e.g. "
        "[en, de]; translations are `<name>.<lang>.md` files beside their source "
        "(docs/languages.md). Empty: one language, the theme's `language`.", _languages)

    # Feedback and contact
    api_url: str = option("", "Base URL of the help API (`kbgen api`); empty means feedback is "
                          "not sent anywhere.", _text)
    contact_url: str = option("mailto:support@example.com", 'Where "Contact support" hands '
                              "off: a mailto: address or a helpdesk form URL.", _text)
    contact: Any = option(
        None, "The helpdesk preset that carries the session and article in the helpdesk's own "
        "fields: `{helpdesk: email | zendesk | freshdesk | helpscout, url, ...}` "
        "(kbgen/contact_handoff.py).",
        _mapping("{helpdesk: zendesk, url: https://example.zendesk.com, session_field: 1}"))
    nps: Any = option(
        None, "The optional NPS question: `{enabled: true, sample: 0.1, after: helpful_vote | "
        "vote, question}`; off by default.", _mapping("{enabled: true, sample: 0.1}"))
    allowed_origins: tuple[str, ...] = option(
        (), "Extra origins the help API accepts events from (site_url's origin is always "
        "allowed); kept in their exact-match form (https://help.example.com).", _origins)
    trusted_proxies: tuple[Network, ...] = option(
        (), "IPs or networks of reverse proxies whose X-Forwarded-For the help API believes.",
        _networks)
    rate_limit: float = option(600, "Events per minute per client the help API accepts "
                               "(burst: half of it); 0 turns it off.", _rate)

    # Home and article pages
    popular: tuple[str, ...] = option(
        (), "Article ids shown as popular on the home page and their category's page "
        "(default: most deflected, stats_file; else the most linked articles, on the home "
        "page only).", _strings)
    list_count: int = option(6, "How many popular and recent articles the home page lists.",
                             _count)
    related_count: int = option(5, "How many related articles an article page lists.",
                                _count)
    footer_credit: bool = option(False, 'Keep mkdocs-material\'s "Made with Material for '
                                 'MkDocs" in the footer.', _flag)

    # Search
    semantic_search: str | bool = option(
        "auto", "The optional semantic re-ranker (`kbgen.search.semantic`): auto (on when its "
        "model is installed), on (the build fails without it), off, or a sentence-transformers "
        "BERT model folder (relative to mkdocs.yml). YAML reads unquoted on/off as true/false: "
        "both work.", _semantic)

    # Analytics fed back into the site (`kbgen stats export`)
    stats_file: str = option("", "Stats JSON from `kbgen stats export`, relative to "
                             "mkdocs.yml; empty: not used.", _text)
    helpful_threshold: int = option(10, 'Votes an article needs before its page shows "N of M '
                                    'found this helpful".', _count)
    review_csat_below: float = option(0.5, "`kbgen check` and `kbgen notify` flag articles "
                                      "whose CSAT lower bound is below this (0 to 1).",
                                      _fraction)

    # Owners are told (`kbgen notify`; docs/loop.md)
    notify: tuple[dict[str, Any], ...] = option(
        (), "Where `kbgen notify` sends each owner's digest: a list of `{owner, webhook | "
        "email, format, secret, timeout}` entries; `owner: \"*\"` gets every article's news. "
        "The build ignores the entries; `kbgen notify` checks them (kbgen.notify.targets).",
        _mappings)

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any] | None, where: str = "") -> Options:
        """Check the plugin's entry of mkdocs.yml; unknown keys are left to MkDocs' warning.
        `where` (the config file) prefixes error messages."""
        raw = raw or {}
        return cls(**{spec.name: check(spec.name, raw.get(spec.name), where)
                      for spec in fields(cls)})


def names() -> list[str]:
    """Every option's name, in the documented order."""
    return [spec.name for spec in fields(Options)]


def default(name: str) -> Any:
    return Options.__dataclass_fields__[name].default


def doc(name: str) -> str:
    return str(Options.__dataclass_fields__[name].metadata["doc"])


def check(name: str, value: Any, where: str = "") -> Any:
    """The typed value of option `name` (its default for None); OptionError when it is bad."""
    if value is None:
        return default(name)
    try:
        return Options.__dataclass_fields__[name].metadata["check"](value)
    except _Bad as bad:
        subject = value if bad.item is None else bad.item
        detail = f"{subject!r} is {bad.problem}. Fix: {bad.fix}"
        raise OptionError(name, detail, where) from None
