"""One `kbgen notify` run: queue what is new for each target, then send what is due.

Nothing here raises for a failed delivery: each failure is recorded in the outbox with its
cause and reported in the run's result, and the other digests still go out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from kbgen import inbox
from kbgen.analytics import Manifest, build_report, make_window
from kbgen.analytics.window import iso
from kbgen.events.timestamps import now_ms
from kbgen.notify import delivery, digest, gaps, outbox
from kbgen.notify.targets import Target

FEEDBACK_DAYS = 30


@dataclass
class RunResult:
    queued: list[tuple[Target, digest.Digest]] = field(default_factory=list)
    sent: list[tuple[str, str]] = field(default_factory=list)  # (target label, key)
    failed: list[tuple[str, str, str, int]] = field(default_factory=list)  # + error, next ms
    waiting: list[dict[str, Any]] = field(default_factory=list)


def collect(store: Any, manifest: Manifest, targets: list[Target], threshold: float,
            now: datetime, project: Any | None = None) -> list[digest.Digest]:
    """Each target's digest of what it was not told yet (some may be empty)."""
    window = make_window(None, None)
    report = build_report(store, window, manifest, now)
    since = int((now - timedelta(days=FEEDBACK_DAYS)).timestamp() * 1000)
    items = inbox.items(store, manifest, state="open", since_ms=since)
    found = digest.candidates(report, items, threshold, now.date())
    found += gaps.candidates(store, manifest,
                             gaps.gap_topics(store, window, manifest, report, project))
    return digest.digests(store, targets, found)


def run(store: Any, manifest: Manifest, targets: list[Target], threshold: float, *,
        dry_run: bool = False, retry_now: bool = False,
        project: Any | None = None) -> RunResult:
    now = datetime.now(UTC).replace(microsecond=0)
    result = RunResult()
    for d in collect(store, manifest, targets, threshold, now, project):
        if d.empty:
            continue
        if dry_run:
            result.queued.append((d.target, d))
            continue
        body = d.body(manifest.site_name or "Help Center", iso(now))
        if outbox.queue(store, d.key, d.target.id, d.target.owner, d.keys, body, now_ms()):
            result.queued.append((d.target, d))
    if dry_run:
        return result
    by_id = {t.id: t for t in targets}
    for row in outbox.due(store, now_ms(), retry_now):
        target = by_id.get(row["target"])
        if target is None:
            continue  # its entry was removed from mkdocs.yml: kept, reported as waiting
        _deliver(store, target, row, result, retry_now)
    result.waiting = [w for w in outbox.waiting(store)]
    return result


def _deliver(store: Any, target: Target, row: dict, result: RunResult,
             retry_now: bool) -> None:
    started = now_ms()
    if not outbox.claim(store, row["key"], started, int(target.timeout * 1000), retry_now):
        return  # another kbgen notify has it
    try:
        delivery.send(target, row["body"])
    except delivery.DeliveryError as exc:
        retry_at = outbox.mark_failed(store, row["key"], row["attempts"] + 1, str(exc),
                                      now_ms())
        result.failed.append((target.label, row["key"], str(exc), retry_at))
        return
    outbox.mark_sent(store, row["key"], now_ms())
    result.sent.append((target.label, row["key"]))
