"""Contact drivers at scale: `kbgen report` with 20,000 tickets and 1,000,000 events.

    nice python benchmarks/drivers_speed.py [--tickets 20000] [--events 1000000]
        [--method lexical|semantic] [--keep DIR]

Builds a help center from StackFAQ's articles (read from ../shared/bench at run time, never
copied into the repository), stores synthetic traffic straight into the SQLite store (the
import path is measured in benchmarks/ingest.py; each ticket's subject is a StackFAQ question
made distinct by an order number, so the semantic method has 20,000 new texts to embed;
views carry their page's revision and a tenth of them get a vote),
imports the tickets with the real CLI (timed: with the semantic model it embeds the ticket
texts, kept in the store), then times `kbgen report --format json` twice: the first report
embeds what the import did not (semantic; with an empty embedding cache, `KBGEN_CACHE_DIR` in
the run's folder) and computes the day rollups, the second reuses both. Prints wall and CPU seconds
and the load average at each start.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH = Path("/work/shared/bench/stackfaq")
DAY = 86_400_000
START = 1_793_491_200_000  # 2026-11-01T00:00Z


def build(folder: Path, method: str) -> list[str]:
    arts = [json.loads(line) for line in open(BENCH / "articles.jsonl", encoding="utf-8")]
    (folder / "content" / "topics").mkdir(parents=True)
    for a in arts:
        title = a["title"].replace('"', "'")
        (folder / "content" / "topics" / f"{a['id']}.md").write_text(
            f'---\nid: {a["id"]}\ntitle: "{title}"\ndescription: "{title}"\n---\n\n'
            f'{a["body"].replace("<", "&lt;")}\n', encoding="utf-8")
    (folder / "mkdocs.yml").write_text(
        "site_name: Speed\ndocs_dir: content\ntheme:\n  name: material\n  font: false\n"
        "plugins:\n  - kbgen:\n      contact_url: mailto:s@example.com\n      semantic_search: "
        f"{'auto' if method == 'semantic' else 'off'}\n", encoding="utf-8")
    return [a["id"] for a in arts]


def traffic(folder: Path, ids: list[str], n_tickets: int, n_events: int) -> None:
    from kbgen.store import open_store

    rnd = random.Random(7)
    queries: dict[str, list[str]] = {}
    for line in open(BENCH / "queries_dev.jsonl", encoding="utf-8"):
        q = json.loads(line)
        queries.setdefault(q["relevant"][0], []).append(q["query"])
    topics = sorted(queries)
    store = open_store(f"sqlite:///{folder / '.kbgen' / 'kbgen.db'}")
    batch, made, tickets = [], 0, []
    while made < n_events:
        s = f"s-{made:08d}"
        ts = START + rnd.randrange(30 * DAY - 3_600_000)
        t = rnd.choice(topics)
        q = rnd.choice(queries[t])
        steps = [("search", {"query": q, "results": 5, "source": "site"})]
        if len(tickets) < n_tickets and rnd.random() < n_tickets / (n_events / 3):
            steps += [("contact", {"stage": "submit"})]
            # Each subject distinct, as a helpdesk's are: every ticket is a new text to embed.
            tickets.append((f"T{len(tickets)}", ts + 5000, f"{q} (order {len(tickets) + 1})", s))
        else:
            rev = hashlib.sha1(t.encode()).hexdigest()[:12]  # pages send the revision shown
            steps += [("search_click", {"query": q, "article": t, "rank": 1}),
                      ("view", {"article": t, "rev": rev})]
            if rnd.random() < 0.1:  # a tenth vote; a third of those say No, with a reason
                helpful = int(rnd.random() < 0.67)
                steps += [("vote", {"article": t, "rev": rev, "helpful": helpful,
                                    **({} if helpful else {"reason": "unclear"})})]
        for n, (kind, fields) in enumerate(steps):
            batch.append({"id": f"e{made}", "type": kind, "ts": ts + n * 1000, "session": s,
                          **fields})
            made += 1
        if len(batch) >= 20_000:
            store.add_events(batch)
            batch = []
    store.add_events(batch)
    store.close()
    with open(folder / "tickets.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Id", "Created at", "Subject", "kb_session"])
        for tid, ts, q, s in tickets:
            when = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(ts / 1000))
            w.writerow([tid, when, q, s])


def kbgen(folder: Path, *args: str) -> tuple[float, float, float]:
    """Runs kbgen; returns wall seconds, CPU seconds (user + system) and the 1-minute load
    average when it started (the machine is shared: wall time includes waiting for a CPU)."""
    # An empty embedding cache of its own: the first report embeds every text it needs.
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KBGEN_CACHE_DIR": str(folder / ".cache")}
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "kbgen", *args], cwd=folder, env=env, check=True,
                   capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu, load


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tickets", type=int, default=20_000)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--method", choices=("lexical", "semantic"), default="lexical")
    ap.add_argument("--keep", type=Path)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="drivers-speed-") as tmp:
        folder = a.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        ids = build(folder, a.method)
        kbgen(folder, "build")
        traffic(folder, ids, a.tickets, a.events)
        imported = kbgen(folder, "tickets", "import", "tickets.csv", "--preset", "zendesk")
        args = ("report", "--format", "json", "--since", "2026-11-01", "--until", "2026-12-01")
        first = kbgen(folder, *args)
        second = kbgen(folder, *args)
        print(f"{a.method}: {a.tickets:,} tickets, {a.events:,} events, {os.cpu_count()} CPUs")
        for name, (wall, cpu, load) in (("tickets import", imported), ("first report", first),
                                        ("later report", second)):
            print(f"  {name}: {wall:.1f} s wall, {cpu:.1f} s CPU, load average "
                  f"{load:.1f} at start")


if __name__ == "__main__":
    main()
