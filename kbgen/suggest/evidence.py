"""What customers did that says which words they use for which article.

`Evidence` is the one input of the suggestions (plan.py). Today it comes from two sources:

- reformulations (the report's per-query outcomes): sessions searched Q, opened none of its
  results, then clicked article A from another search: Q are customers' words for A;
- findability: sessions searched Q, saw results and opened none, and the engine's best match
  A holds few of Q's words (plan.py measures that): Q are likely customers' words for A.

SEAM: the contact-driver topics of issue 16 (parts 1-2) add a third source, their `unfound`
topics (an article answers the customers' texts, but they never reached it). Turn each
such topic into Evidence(article=topic article, words=each customer text, sessions=its
contact sessions, query=that text, kind="unfound") in `gather`, next to the two sources
below; plan.py needs nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kbgen.analytics import queries
from kbgen.analytics.collect import params_for
from kbgen.analytics.stats import normalise_query
from kbgen.analytics.window import Window

REFORMULATION = "reformulation"
NO_CLICK = "no_click"
UNFOUND = "unfound"


@dataclass(frozen=True)
class Evidence:
    """`sessions` distinct sessions used `words` (the customer's text, as the report groups
    it: `query`) where `article` was what they needed (or, for NO_CLICK, the best match)."""

    article: str | None  # None for NO_CLICK until plan.py asks the search engine
    words: str
    sessions: int
    query: str
    kind: str


def from_searches(searches: Iterable[dict[str, Any]]) -> list[Evidence]:
    """Reformulations from the report's `searches` rows."""
    return [
        Evidence(item["article"], row["query"], item["sessions"], row["query"], REFORMULATION)
        for row in searches for item in row.get("reformulations") or []
    ]


def no_click_sessions(store: Any, window: Window) -> list[Evidence]:
    """Per normalised query, the sessions whose search of it showed results and was not
    followed by a click on the same query (read from the events of the window)."""
    merged: dict[str, int] = {}
    for query, sessions in store.query(queries.NO_CLICK_SESSIONS, params_for(window)):
        key = normalise_query(query)
        merged[key] = merged.get(key, 0) + int(sessions)
    return [Evidence(None, query, n, query, NO_CLICK) for query, n in merged.items()]


def gather(report: dict[str, Any], store: Any, window: Window) -> list[Evidence]:
    """Every piece of evidence for the window (see the SEAM in the module docstring)."""
    return from_searches(report["searches"]) + no_click_sessions(store, window)
