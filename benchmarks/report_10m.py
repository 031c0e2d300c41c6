"""Benchmark: `kbgen report --format json` over 10 million events in SQLite.

Target (issue 6): at most 10 s, memory bounded. The events are written straight into a
store file with executemany (the store creates the schema; the HTTP API is not involved),
then the real command runs in a child process and its wall time and peak RSS are measured.

    .venv/bin/python benchmarks/report_10m.py [--events 10000000] [--dir /tmp/kbgen-bench]
        [--runs 3] [--cold] [--add-day 1000] [--verify]

The generated database is kept and reused when it already holds the requested count; it is
written at schema version 2 and brought up with `kbgen db migrate` (timed; it also computes
and keeps every day's rollup). `--cold` drops the kept rollups so the first report computes
every day again; later ones read the kept days. `--add-day N` then stores N events on the
window's last day through the store, as live traffic would, and runs once more (that day is
computed again); `--verify` checks the last report against one that reads every event.
Results go to stdout; copy them into benchmarks/results/report.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from kbgen.analytics import build_report, make_window
from kbgen.analytics.manifest import load_manifest
from kbgen.store import migrations, open_store

UNTIL = datetime(2026, 11, 24, tzinfo=UTC)
DAYS = 30
DAY_MS = 86_400_000
ARTICLES = [f"article-{i:03d}" for i in range(64)]
QUERIES = [f"query {i}" for i in range(3000)]
COLUMNS = ("id", "type", "ts", "session", "article", "query", "results", "source", "rank",
           "helpful", "reason", "comment", "channel", "stage", "score", "received")
INSERT = f"INSERT INTO events ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"


def session_events(rng: random.Random, start: int) -> list[tuple]:
    """One reader's visit: searches, views, maybe a vote, a contact, an NPS answer."""
    s, t, out = f"{rng.getrandbits(64):016x}", start, []

    def add(kind, **f):
        nonlocal t
        t += rng.randint(5_000, 120_000)
        out.append((f"{s}-{len(out)}", kind, t, s, f.get("article"), f.get("query"),
                    f.get("results"), f.get("source"), f.get("rank"), f.get("helpful"),
                    f.get("reason"), f.get("comment"), None, f.get("stage"), f.get("score"), t))

    article = ARTICLES[min(int(rng.paretovariate(1.2)) - 1, 63)]
    if rng.random() < 0.6:
        q = QUERIES[min(int(rng.paretovariate(0.8)) - 1, 2999)]
        zero = int(q.split()[1]) % 12 == 0
        add("search", query=q.upper() if rng.random() < 0.2 else q, results=0 if zero else 5,
            source="site")
        if not zero and rng.random() < 0.6:
            add("search_click", query=q, article=article, rank=1)
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        add("view", article=article)
    good = int(article[-3:]) % 3
    if rng.random() < 0.25:
        helpful = int(rng.random() < (0.9, 0.6, 0.3)[good])
        add("vote", article=article, helpful=helpful,
            reason=None if helpful else "unclear", comment=None if helpful else "hm")
    if rng.random() < 0.10 + 0.05 * good:
        add("contact", stage="open", article=article)
        if rng.random() < 0.6:
            add("contact", stage="submit", article=article)
    if rng.random() < 0.03:
        add("nps", score=rng.randint(0, 10))
    return out


def generate(db: Path, total: int) -> None:
    """Day by day, each day's events inserted in time order, as the live API stores them.

    The file is left at schema version 2 (the events and their indexes, no report rollups),
    like a database written by an older kbgen: `migrate` then brings it up to date.
    """
    conn = sqlite3.connect(db)
    for step, filename in migrations.MIGRATIONS:
        if step <= 2:
            script = resources.files("kbgen.store").joinpath(filename).read_text("utf-8")
            for statement in migrations.statements(script):
                conn.execute(statement)
    conn.execute("INSERT INTO schema_version (version) VALUES (2)")
    conn.commit()
    conn.execute("PRAGMA journal_mode = OFF")  # a benchmark file: no crash safety needed
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -2000000")
    # Load without the secondary indexes, then build them once from the store's own SQL.
    indexes = [sql for (sql,) in conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")]
    for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").fetchall():
        conn.execute(f"DROP INDEX {name}")
    rng, written = random.Random(42), 0
    first_day = int(UNTIL.timestamp() * 1000) - DAYS * DAY_MS
    per_day = total // DAYS + 1
    started = time.perf_counter()
    for day in range(DAYS):
        batch: list[tuple] = []
        while len(batch) < per_day:
            # Any time of day: a visit that starts late in the evening runs past midnight
            # (about 1 % of sessions), as on a live site.
            start = first_day + day * DAY_MS + rng.randrange(DAY_MS)
            batch += session_events(rng, start)
        batch.sort(key=lambda row: row[2])
        batch = batch[: min(per_day, total - written)]
        with conn:
            conn.executemany(INSERT, batch)
        written += len(batch)
        print(f"\r{written:,} events", end="", file=sys.stderr)
    for sql in indexes:
        conn.execute(sql)
    conn.execute("ANALYZE")
    conn.execute("PRAGMA journal_mode = WAL")  # as the store leaves it
    conn.close()
    print(f"\ngenerated in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def count(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]


def project(root: Path) -> Path:
    (root / ".kbgen").mkdir(parents=True, exist_ok=True)
    (root / "content").mkdir(exist_ok=True)
    articles = [{"id": a, "title": f"Article {a}", "url": f"{a}/", "category": f"c{i % 6}",
                 "journey": "use", "audience": "end-user", "owner": f"o{i % 5}"}
                for i, a in enumerate(ARTICLES)]
    (root / ".kbgen" / "manifest.json").write_text(json.dumps({"articles": articles}))
    (root / "mkdocs.yml").write_text("site_name: Bench\ndocs_dir: content\n")
    return root / "mkdocs.yml"


def schema_version(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return migrations.current_version(conn)


def migrate(db: Path) -> None:
    """`kbgen db migrate` on the file, timed (what an upgrade costs at this size)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "kbgen", "db", "migrate", "--db",
                           f"sqlite:///{db}"], check=True, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    print(f"kbgen db migrate to version {migrations.LATEST}: "
          f"{time.perf_counter() - started:.1f} s wall, {cpu:.1f} s CPU, "
          f"load {os.getloadavg()[0]:.1f}, peak RSS {after.ru_maxrss / 1024:.0f} MiB")
    for line in done.stderr.splitlines():  # e.g. "Prepared report rollups for 30 days in ..."
        print(f"  {line}")


def run_report(config: Path, db: Path) -> tuple[float, float, float, dict]:
    cmd = [sys.executable, "-m", "kbgen", "report", "-f", str(config), "--db", f"sqlite:///{db}",
           "--since", "2026-10-25", "--until", "2026-11-24", "--format", "json"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return elapsed, cpu, after.ru_maxrss / 1024, json.loads(done.stdout)


def forget_rollups(db: Path) -> None:
    """Drop the kept day rollups, so the next report computes every day (a cold start)."""
    with sqlite3.connect(db) as conn:
        for table in ("report_days", "report_day_articles", "report_day_searches"):
            conn.execute(f"DELETE FROM {table}")


def add_day(db: Path, events: int) -> None:
    """`events` new events on the window's last day, 25 per write as API requests come,
    through the store (so that day's kept rollup goes stale, as with live traffic)."""
    rng, store = random.Random(), open_store(f"sqlite:///{db}")  # new ids on every call
    day = int(UNTIL.timestamp() * 1000) - DAY_MS
    batch: list[dict] = []
    try:
        while events > 0:
            for row in session_events(rng, day + rng.randrange(DAY_MS - 3_600_000)):
                batch.append({column: value for column, value in zip(COLUMNS, row, strict=True)
                              if value is not None and column != "received"})
                events -= 1
            if len(batch) >= 25 or events <= 0:
                store.add_events(batch)
                batch = []
    finally:
        store.close()


def verify(config: Path, db: Path, report: dict) -> None:
    """The last report equals one that reads every event of the window (no rollups)."""
    store = open_store(f"sqlite:///{db}")
    try:
        manifest = load_manifest(config.parent / ".kbgen" / "manifest.json")
        expected = build_report(store, make_window("2026-10-25", "2026-11-24"), manifest,
                                rollups=False)
    finally:
        store.close()
    same = {key: report[key] == expected[key] for key in ("events", "site", "articles",
                                                          "searches", "trends", "feedback")}
    print(f"same as reading every event: {same}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/kbgen-bench"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cold", action="store_true",
                        help="drop kept day rollups first: run 1 computes every day")
    parser.add_argument("--add-day", type=int, default=1000, metavar="EVENTS",
                        help="then store this many events on the last day and run again")
    parser.add_argument("--verify", action="store_true",
                        help="compare the last report with one that reads every event")
    args = parser.parse_args()
    db = args.dir / f"events-{args.events}.db"
    if not db.exists() or count(db) < args.events:  # --add-day only ever adds events
        db.unlink(missing_ok=True)
        args.dir.mkdir(parents=True, exist_ok=True)
        generate(db, args.events)
    if schema_version(db) < migrations.LATEST:
        migrate(db)
    if args.cold:
        forget_rollups(db)
    config = project(args.dir / "project")
    print(f"database {db} ({db.stat().st_size / 2**30:.2f} GiB), {args.events:,} events")
    runs = [f"run {n}" for n in range(1, args.runs + 1)]
    if args.add_day:
        runs.append(f"after {args.add_day:,} new events on the last day")
    report: dict = {}
    for name in runs:
        if name.startswith("after"):
            add_day(db, args.add_day)
        elapsed, cpu, peak, report = run_report(config, db)
        print(f"{name}: {elapsed:.2f} s wall, {cpu:.2f} s CPU, load {os.getloadavg()[0]:.1f}, "
              f"peak RSS {peak:.0f} MiB (max over runs so far), "
              f"events read {report['events']:,}, sessions {report['site']['sessions']:,}, "
              f"searches {len(report['searches']):,} distinct", flush=True)
    if args.verify and report:
        verify(config, db, report)


if __name__ == "__main__":
    main()
