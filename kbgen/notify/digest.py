"""What each target has not been told yet: negative feedback with its comments, articles
whose CSAT lower bound is below `review_csat_below`, reviews due, and new `gap` topics of
the contact drivers in the target's categories (gaps.py).

Every item has a key (`feedback:<event id>`, `csat:<article>:<rev>`,
`review:<article>:<due date>`, `gap:<lowest ticket id>`); the store remembers which keys
each target's digests carried (`notify_items`), so a digest holds only what is new since the
last one. A CSAT alert comes once per revision: after an edit, a still-low article is
reported again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kbgen.analytics.stats import MIN_VOTES
from kbgen.notify import gaps
from kbgen.notify.targets import Target

SENT_ITEMS = "SELECT item FROM notify_items WHERE target = :target"


@dataclass
class Digest:
    target: Target
    feedback: list[dict[str, Any]] = field(default_factory=list)
    low_csat: list[dict[str, Any]] = field(default_factory=list)
    reviews_due: list[dict[str, Any]] = field(default_factory=list)
    gap_topics: list[dict[str, Any]] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.keys

    @property
    def key(self) -> str:
        """The idempotency key: the same target and items always give the same key."""
        text = self.target.id + "\n" + "\n".join(sorted(self.keys))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]

    def body(self, site_name: str, generated: str) -> dict[str, Any]:
        return {"type": "kbgen.digest", "key": self.key, "owner": self.target.owner,
                "site_name": site_name, "generated": generated,
                "feedback": self.feedback, "low_csat": self.low_csat,
                "reviews_due": self.reviews_due, "gap_topics": self.gap_topics}


def candidates(report: dict[str, Any], inbox_items: list[dict[str, Any]],
               threshold: float, today: date) -> list[tuple[str, str | None, str, dict]]:
    """(key, owner, section, entry) for everything worth telling an owner now."""
    found: list[tuple[str, str | None, str, dict]] = []
    for item in inbox_items:
        entry = {k: item[k] for k in ("id", "article", "title", "owner", "url", "ts",
                                       "reason", "reason_label", "comment", "rev")}
        found.append((f"feedback:{item['id']}", item["owner"], "feedback", entry))
    for row in report["articles"]:
        if not row["published"] or row["votes"] < MIN_VOTES or row["csat_lower"] is None:
            continue
        if row["csat_lower"] < threshold:
            rev = (row.get("revisions") or [{}])[0].get("rev") or "-"
            entry = {"article": row["id"], "title": row["title"], "owner": row["owner"],
                     "url": row["url"], "csat": row["csat"], "csat_lower": row["csat_lower"],
                     "votes": row["votes"], "threshold": threshold, "rev": rev}
            found.append((f"csat:{row['id']}:{rev}", row["owner"], "low_csat", entry))
    for row in report.get("stale") or []:
        if row.get("due") and date.fromisoformat(row["due"]) <= today:
            entry = {"article": row["id"], "title": row["title"], "owner": row["owner"],
                     "due": row["due"],
                     "reviewed": row.get("reviewed")}
            found.append((f"review:{row['id']}:{row['due']}", row["owner"], "reviews_due",
                          entry))
    return found


def digests(store: Any, targets: list[Target], found: list[tuple]) -> list[Digest]:
    """One digest per target with what that target was not told yet (may be empty)."""
    out = []
    for target in targets:
        told = {item for (item,) in store.query(SENT_ITEMS, {"target": target.id})}
        digest = Digest(target)
        for key, owner, section, entry in found:
            if key in told or key in digest.keys or not target.covers(owner):
                continue
            if section == "gap_topics" and told & {gaps.item_key(t) for t in entry["tickets"]}:
                continue  # the same topic, grown or relabelled, was announced already
            digest.keys.append(key)
            getattr(digest, section).append(entry)
        out.append(digest)
    return out
