"""Sustained ingest rate of `kbgen api` on SQLite over loopback, and p50/p99 latency.

Starts the real server (`kbgen api`) with a fresh database in a temporary help center,
drives it with keep-alive HTTP/1.1 connections from client processes, then checks that
every acknowledged event is stored exactly once.

    .venv/bin/python benchmarks/ingest.py [--seconds 10] [--batch 1 --batch 25]
        [--connections 32] [--processes 1] [--record benchmarks/results/ingest.md]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import platform
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ARTICLES = ["reset-password", "refunds", "invoices", "billing-faq", "two-factor"]
UA = "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/130.0"


def make_project(root: Path) -> None:
    (root / ".kbgen").mkdir(parents=True)
    (root / "mkdocs.yml").write_text(
        "site_name: Bench\nsite_url: https://help.example.com/\ndocs_dir: content\n"
        "plugins:\n  - kbgen:\n      rate_limit: 0\n", encoding="utf-8")
    manifest = {"site_name": "Bench", "site_url": None, "built": "now", "categories": [],
                "articles": [{"id": a, "title": a, "url": f"{a}/"} for a in ARTICLES]}
    (root / ".kbgen" / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(root: Path, db: Path, port: int) -> subprocess.Popen:
    kbgen = Path(sys.executable).with_name("kbgen")
    proc = subprocess.Popen(
        [str(kbgen), "-q", "api", "-f", str(root / "mkdocs.yml"), "--db", f"sqlite:///{db}",
         "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("kbgen api did not start: " + proc.stderr.read().decode())


def event(n: int, session: str) -> dict:
    kind = n % 3
    base = {"id": str(uuid.uuid4()), "session": session, "article": ARTICLES[n % len(ARTICLES)]}
    if kind == 0:
        return {**base, "type": "view"}
    if kind == 1:
        return {**base, "type": "vote", "helpful": n % 2 == 0, "reason": "unclear",
                "comment": "The steps for the mobile app are missing."}
    return {**base, "type": "search_click", "query": "reset password", "rank": 1}


async def connection(port, batch, until, acked, latencies, errors) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    session = f"s-{uuid.uuid4().hex[:12]}"
    n = 0
    while time.monotonic() < until:
        events = [event(n + i, session) for i in range(batch)]
        n += batch
        body = json.dumps(events if batch > 1 else events[0]).encode()
        head = (f"POST /api/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                f"Content-Type: text/plain;charset=UTF-8\r\nUser-Agent: {UA}\r\n"
                f"Origin: https://help.example.com\r\nContent-Length: {len(body)}\r\n\r\n")
        started = time.perf_counter()
        writer.write(head.encode() + body)
        status, payload = await read_response(reader)
        latencies.append(time.perf_counter() - started)
        if status == 200:
            acked.extend(e["id"] for e in events)
        else:
            errors.append(f"{status} {payload[:80]!r}")
    writer.close()


async def read_response(reader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.lower() == "content-length":
            length = int(value)
    return status, await reader.readexactly(length)


def client_process(port, batch, seconds, connections, out_path) -> None:
    acked: list[str] = []
    latencies: list[float] = []
    errors: list[str] = []

    async def main() -> None:
        until = time.monotonic() + seconds
        await asyncio.gather(*(connection(port, batch, until, acked, latencies, errors)
                               for _ in range(connections)))

    asyncio.run(main())
    Path(out_path).write_text(json.dumps({"acked": acked, "latencies": latencies,
                                          "errors": errors[:20], "n_errors": len(errors)}))


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads) so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_phase(port: int, batch: int, args, tmp: Path, server_pid: int) -> dict:
    outs = [tmp / f"client-{batch}-{i}.json" for i in range(args.processes)]
    cpu_before = cpu_seconds(server_pid)
    started = time.monotonic()
    procs = [multiprocessing.Process(target=client_process, args=(
        port, batch, args.seconds, args.connections // args.processes, out)) for out in outs]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join()
    elapsed = time.monotonic() - started
    server_cpu = cpu_seconds(server_pid) - cpu_before
    results = [json.loads(out.read_text()) for out in outs]
    acked = [i for r in results for i in r["acked"]]
    latencies = sorted(x for r in results for x in r["latencies"])
    return {
        "batch": batch, "seconds": round(elapsed, 1), "requests": len(latencies),
        "acked_events": len(acked), "events_per_s": round(len(acked) / elapsed),
        # Load-independent capacity: events per second of CPU the server process used.
        "server_cpu_s": round(server_cpu, 1),
        "events_per_server_cpu_s": round(len(acked) / server_cpu) if server_cpu else None,
        "p50_ms": round(statistics.quantiles(latencies, n=100)[49] * 1000, 1),
        "p99_ms": round(statistics.quantiles(latencies, n=100)[98] * 1000, 1),
        "errors": sum(r["n_errors"] for r in results),
        "error_samples": [e for r in results for e in r["errors"]][:3],
        "ids": acked,
    }


def verify(db: Path, acked: list[str]) -> dict:
    conn = sqlite3.connect(db)
    conn.execute("CREATE TEMP TABLE acked (id TEXT PRIMARY KEY)")
    conn.executemany("INSERT OR IGNORE INTO acked VALUES (?)", ((i,) for i in acked))
    missing = conn.execute(
        "SELECT count(*) FROM acked WHERE id NOT IN (SELECT id FROM events)").fetchone()[0]
    rows, distinct = conn.execute("SELECT count(*), count(DISTINCT id) FROM events").fetchone()
    integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    conn.close()
    return {"acked": len(acked), "acked_unique": len(set(acked)), "missing": missing,
            "rows": rows, "duplicate_rows": rows - distinct, "integrity": integrity}


def record(path: Path, args, phases: list[dict], check: dict, load: tuple) -> None:
    lines = [
        f"\n## {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n",
        f"Machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {platform.system()} {platform.release()}. "
        f"Load: {args.processes} client process(es), {args.connections} keep-alive connections "
        f"in total, {args.seconds:g} s per phase, server and clients on the same machine. "
        f"Load average before/after: {load[0]:.1f} / {load[1]:.1f}.\n",
        "| events per request | requests | events acknowledged | events/s | p50 ms | p99 ms "
        "| errors | server CPU s | events per server CPU s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for p in phases:
        lines.append(f"| {p['batch']} | {p['requests']} | {p['acked_events']} | "
                     f"{p['events_per_s']} | {p['p50_ms']} | {p['p99_ms']} | {p['errors']} | "
                     f"{p['server_cpu_s']} | {p['events_per_server_cpu_s']} |")
    lines.append(f"\nCheck: {check['acked']} acknowledged ids, {check['missing']} missing, "
                 f"{check['duplicate_rows']} duplicate rows, integrity_check "
                 f"{check['integrity']}.\n")
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--batch", type=int, action="append")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--record", type=Path)
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        make_project(tmp / "site")
        db = tmp / "events.db"
        port = free_port()
        server = start_server(tmp / "site", db, port)
        try:
            phases = [run_phase(port, batch, args, tmp, server.pid)
                      for batch in args.batch or [1, 25]]
        finally:
            server.terminate()
            server.wait(timeout=15)
        check = verify(db, [i for p in phases for i in p.pop("ids")])
    for p in phases:
        print(json.dumps(p))
    print(json.dumps(check))
    if args.record:
        record(args.record, args, phases, check, (load_before, os.getloadavg()[0]))
    ok = check["missing"] == 0 and check["duplicate_rows"] == 0 and check["integrity"] == "ok"
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
