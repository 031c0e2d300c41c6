"""How "Contact support" hands a customer to the helpdesk, and the NPS question's settings.

Plain data and checks (no MkDocs here): the plugin's `contact:` and `nps:` options become the
small objects kbgen.js reads from the page's kb-config. The session and article travel in
fields the helpdesk itself understands, so agents never ask the customer for them and
`kbgen tickets import` can join tickets to help sessions:

- zendesk: the request form's prefill, `tf_<field id>` parameters on /hc/requests/new;
- freshdesk: the Freshworks help widget's `prefill` (`custom_fields.cf_kb_session`), the
  fields hidden with its `hide` call;
- helpscout: Beacon's `session-data`, shown to agents beside the conversation;
- email: a mailto: link whose body ends with a short reference ("Ref: 4f2a9c1e"), the first
  eight hex digits of the session id, which `kbgen tickets import` matches when unique.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from kbgen.errors import KbgenError

HELPDESKS = ("email", "zendesk", "freshdesk", "helpscout")
NPS_MOMENTS = ("helpful_vote", "vote")
REF_DIGITS = 8  # "Ref: 4f2a9c1e": one in four billion; import joins it only when unique
_ZENDESK_ID = re.compile(r"[0-9]{1,20}")
_FRESHDESK_FIELD = re.compile(r"cf_[a-z0-9_]{1,60}")
_CONTACT_KEYS = {
    "email": {"helpdesk"},
    "zendesk": {"helpdesk", "url", "ticket_form_id", "session_field", "article_field"},
    "freshdesk": {"helpdesk", "url", "session_field", "article_field"},
    "helpscout": {"helpdesk", "url"},
}
_NPS_KEYS = {"enabled", "sample", "after", "question"}
DEFAULT_QUESTION = "How likely are you to recommend us to a friend or colleague?"


def handoff(contact: Any, contact_url: str, where: str) -> dict[str, Any]:
    """kb-config's `handoff`: {"helpdesk", "url", ...the helpdesk's field names}."""
    if contact in (None, {}):
        return {"helpdesk": "email" if contact_url.lower().startswith("mailto:") else "web",
                "url": contact_url}
    if not isinstance(contact, dict):
        raise _error(where, "contact", "must be a mapping. Fix: e.g. {helpdesk: zendesk, url: "
                     "https://example.zendesk.com, session_field: 360000000001}")
    kind = contact.get("helpdesk")
    if kind not in HELPDESKS:
        raise _error(where, "contact.helpdesk", f"is {kind!r}. Fix: use one of "
                     f"{', '.join(HELPDESKS)}")
    unknown = sorted(set(contact) - _CONTACT_KEYS[kind])
    if unknown:
        raise _error(where, f"contact.{unknown[0]}", f"is not an option of helpdesk {kind}. "
                     f"Fix: use {', '.join(sorted(_CONTACT_KEYS[kind]))}")
    if kind == "email":
        if not contact_url.lower().startswith("mailto:"):
            raise _error(where, "contact_url", "must be a mailto: address with helpdesk "
                         "email. Fix: e.g. contact_url: mailto:support@example.com")
        return {"helpdesk": "email", "url": contact_url}
    url = _url(contact.get("url", contact_url), where)
    if kind == "zendesk":
        return _zendesk(contact, url, where)
    if kind == "freshdesk":
        return {"helpdesk": "freshdesk", "url": url,
                "session_field": _freshdesk_field(contact, "session_field", "cf_kb_session",
                                                  where),
                "article_field": _freshdesk_field(contact, "article_field", "cf_kb_article",
                                                  where)}
    return {"helpdesk": "helpscout", "url": url}


def _zendesk(contact: dict, url: str, where: str) -> dict[str, Any]:
    parts = urlsplit(url)
    if parts.path in ("", "/"):  # the help center's address: its request form
        url = f"{parts.scheme}://{parts.netloc}/hc/requests/new"
    result = {"helpdesk": "zendesk", "url": url}
    for key in ("ticket_form_id", "session_field", "article_field"):
        value = contact.get(key)
        if value is None and key != "session_field":
            continue
        if not _ZENDESK_ID.fullmatch(str(value)) or isinstance(value, bool):
            raise _error(where, f"contact.{key}", f"is {value!r}. Fix: give the numeric id Zendesk "
                         "shows in Admin Center > Objects and rules > Tickets > "
                         f"{'Forms' if key == 'ticket_form_id' else 'Fields'}")
        result[key] = str(value)
    return result


def _freshdesk_field(contact: dict, key: str, default: str, where: str) -> str:
    value = contact.get(key, default)
    if not isinstance(value, str) or not _FRESHDESK_FIELD.fullmatch(value):
        raise _error(where, f"contact.{key}", f"is {value!r}. Fix: give the field's API name as "
                     f"Freshdesk shows it, e.g. {default}")
    return value


def _url(value: Any, where: str) -> str:
    parts = urlsplit(value) if isinstance(value, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        raise _error(where, "contact.url", f"is {value!r}. Fix: give the helpdesk's https:// "
                     "address (or set contact_url to it)")
    return value


def nps(options: Any, where: str) -> dict[str, Any] | None:
    """kb-config's `nps`: {"sample", "after", "question"}, or None when it is off."""
    if options in (None, {}, False):
        return None
    if not isinstance(options, dict):
        raise _error(where, "nps", "must be a mapping. Fix: e.g. {enabled: true, sample: 0.1}")
    unknown = sorted(set(options) - _NPS_KEYS)
    if unknown:
        raise _error(where, f"nps.{unknown[0]}", f"is not an NPS option. Fix: use "
                     f"{', '.join(sorted(_NPS_KEYS))}")
    enabled = options.get("enabled", False)
    if not isinstance(enabled, bool):
        raise _error(where, "nps.enabled", f"is {enabled!r}. Fix: use true or false")
    sample = options.get("sample", 0.1)
    if isinstance(sample, bool) or not isinstance(sample, int | float) or not 0 < sample <= 1:
        raise _error(where, "nps.sample", f"is {sample!r}. Fix: give the share of sessions asked, "
                     "more than 0 and at most 1 (e.g. 0.1 asks one session in ten)")
    after = options.get("after", "helpful_vote")
    if after not in NPS_MOMENTS:
        raise _error(where, "nps.after", f"is {after!r}. Fix: use one of {', '.join(NPS_MOMENTS)}")
    question = options.get("question", DEFAULT_QUESTION)
    if not isinstance(question, str) or not question.strip() or len(question) > 200:
        raise _error(where, "nps.question",
                     "must be 1 to 200 characters. Fix: shorten it or leave it out")
    if not enabled:
        return None
    return {"sample": float(sample), "after": after, "question": question.strip()}


def _error(where: str, option: str, problem: str) -> KbgenError:
    return KbgenError(f"{where}: plugin option {option} {problem}.")
