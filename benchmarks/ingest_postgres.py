"""Sustained ingest rate of 4 `kbgen api` processes sharing one PostgreSQL database.

Creates a fresh schema, runs `kbgen db migrate`, starts the API processes on loopback and
drives them with keep-alive HTTP/1.1 connections spread over all of them. A client keeps a
batch that got 503 and sends it again with the same ids (what the site's script does), and
every tenth acknowledged batch is sent once more to another process, so ids overlap across
processes. At the end, every acknowledged id must be stored, and stored once.
`--restart` restarts the PostgreSQL server halfway through each phase (needs root and
pg_ctlcluster): clients see 503s for a while, and still nothing acknowledged is lost.

    .venv/bin/python benchmarks/ingest_postgres.py [--url postgresql://postgres@127.0.0.1/test]
        [--apis 4] [--seconds 10] [--batch 1 --batch 25] [--connections 32] [--processes 2]
        [--restart] [--record benchmarks/results/ingest_postgres.md]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import psycopg
from ingest import UA, event, free_port, make_project, read_response

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test"


def schema_url(url: str, schema: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"


def kbgen(*args: str) -> list[str]:
    return [str(Path(sys.executable).with_name("kbgen")), *args]


def start_servers(root: Path, url: str, count: int) -> tuple[list[subprocess.Popen], list[int]]:
    import socket

    ports = [free_port() for _ in range(count)]
    procs = [subprocess.Popen(kbgen("-q", "api", "-f", str(root / "mkdocs.yml"), "--db", url,
                                    "--port", str(port)),
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
             for port in ports]
    deadline = time.monotonic() + 30
    for proc, port in zip(procs, ports, strict=True):
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    problem = proc.stderr.read().decode()
                    raise SystemExit(f"kbgen api did not start: {problem}") from None
                time.sleep(0.1)
    return procs, ports


async def post(reader, writer, port: int, body: bytes) -> tuple[int, bytes]:
    head = (f"POST /api/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Content-Type: text/plain;charset=UTF-8\r\nUser-Agent: {UA}\r\n"
            f"Origin: https://help.example.com\r\nContent-Length: {len(body)}\r\n\r\n")
    writer.write(head.encode() + body)
    return await read_response(reader)


class Link:
    """One keep-alive connection that reopens itself after the server closed it."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.streams = None

    async def send(self, body: bytes) -> tuple[int, bytes]:
        for _ in range(3):
            try:
                if self.streams is None:
                    self.streams = await asyncio.open_connection("127.0.0.1", self.port)
                return await post(*self.streams, self.port, body)
            except (OSError, asyncio.IncompleteReadError):
                self.streams = None
                await asyncio.sleep(0.1)
        return 0, b"connection failed"

    def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()


async def connection(ports, first, batch, until, out) -> None:
    links = [Link(port) for port in ports]
    session = f"s-{uuid.uuid4().hex[:12]}"
    n = 0
    while time.monotonic() < until:
        events = [event(n + i, session) for i in range(batch)]
        n += batch
        body = json.dumps(events if batch > 1 else events[0]).encode()
        link = links[(first + n) % len(links)]
        started = time.perf_counter()
        status, _ = await link.send(body)
        while status in (0, 503) and time.monotonic() < until + 60:  # same ids again
            out["retries"] += 1
            out["statuses"][str(status)] = out["statuses"].get(str(status), 0) + 1
            await asyncio.sleep(0.5)
            status, _ = await link.send(body)
        if status != 200:
            out["gave_up"] += 1
            continue
        out["latencies"].append(time.perf_counter() - started)
        out["acked"].extend(e["id"] for e in events)
        if n % (10 * batch) == 0:  # a client that lost the answer sends it elsewhere again
            status, _ = await links[(first + n + 1) % len(links)].send(body)
            out["resent"] += batch if status == 200 else 0
    for link in links:
        link.close()


def client_process(ports, batch, seconds, connections, index, out_path) -> None:
    out = {"acked": [], "latencies": [], "statuses": {}, "retries": 0, "gave_up": 0,
           "resent": 0}

    async def main() -> None:
        until = time.monotonic() + seconds
        await asyncio.gather(*(connection(ports, index * connections + c, batch, until, out)
                               for c in range(connections)))

    asyncio.run(main())
    Path(out_path).write_text(json.dumps(out))


def restart_postgres(after: float, log: list[str]) -> threading.Thread:
    def run() -> None:
        time.sleep(after)
        version = sorted(os.listdir("/etc/postgresql"))[-1]
        started = time.monotonic()
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main",
                        "restart"], check=True, capture_output=True)
        log.append(f"restarted PostgreSQL {version} in {time.monotonic() - started:.1f} s "
                   f"at {after:g} s")

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def run_phase(ports, batch: int, args, tmp: Path) -> dict:
    outs = [tmp / f"client-{batch}-{i}.json" for i in range(args.processes)]
    restarts: list[str] = []
    restarter = restart_postgres(args.seconds / 2, restarts) if args.restart else None
    started = time.monotonic()
    procs = [multiprocessing.Process(target=client_process, args=(
        ports, batch, args.seconds, args.connections // args.processes, i, out))
        for i, out in enumerate(outs)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join()
    elapsed = time.monotonic() - started
    if restarter:
        restarter.join()
    results = [json.loads(out.read_text()) for out in outs]
    acked = [i for r in results for i in r["acked"]]
    latencies = sorted(x for r in results for x in r["latencies"])
    statuses: dict[str, int] = {}
    for r in results:
        for status, count in r["statuses"].items():
            statuses[status] = statuses.get(status, 0) + count
    return {
        "batch": batch, "seconds": round(elapsed, 1), "requests": len(latencies),
        "acked_events": len(acked), "events_per_s": round(len(acked) / elapsed),
        "p50_ms": round(statistics.quantiles(latencies, n=100)[49] * 1000, 1),
        "p99_ms": round(statistics.quantiles(latencies, n=100)[98] * 1000, 1),
        "resent_events": sum(r["resent"] for r in results),
        "retried_requests": sum(r["retries"] for r in results), "non_200": statuses,
        "gave_up": sum(r["gave_up"] for r in results), "restarts": restarts,
        "ids": acked,
    }


def verify(url: str, acked: list[str]) -> dict:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TEMP TABLE acked (id TEXT COLLATE \"C\" PRIMARY KEY)")
        with conn.cursor().copy("COPY acked (id) FROM STDIN") as copy:
            for event_id in set(acked):
                copy.write_row((event_id,))
        missing = conn.execute("SELECT count(*) FROM acked a WHERE NOT EXISTS "
                               "(SELECT 1 FROM events e WHERE e.id = a.id)").fetchone()[0]
        rows, distinct = conn.execute("SELECT count(*), count(DISTINCT id) FROM events"
                                      ).fetchone()
        server = conn.execute("SHOW server_version").fetchone()[0]
    return {"acked": len(acked), "acked_unique": len(set(acked)), "missing": missing,
            "rows": rows, "duplicate_rows": rows - distinct, "server": server}


def record(path: Path, args, phases: list[dict], check: dict) -> None:
    lines = [
        f"\n## {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
        f"{' (PostgreSQL restarted mid-phase)' if args.restart else ''}\n",
        f"Machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, PostgreSQL "
        f"{check['server']}, {platform.system()} {platform.release()}. {args.apis} `kbgen api` "
        f"processes on loopback, one database; {args.processes} client process(es), "
        f"{args.connections} keep-alive connections in total spread over all API processes, "
        f"{args.seconds:g} s per phase; API processes, clients and PostgreSQL share the "
        "machine.\n",
        "| events per request | requests | events acknowledged | events/s | p50 ms | p99 ms "
        "| resent to another process | retried (non-200) |",
        "|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for p in phases:
        retried = f"{p['retried_requests']} {p['non_200'] or ''}".strip()
        lines.append(f"| {p['batch']} | {p['requests']} | {p['acked_events']} | "
                     f"{p['events_per_s']} | {p['p50_ms']} | {p['p99_ms']} | "
                     f"{p['resent_events']} | {retried} |")
    for p in phases:
        lines += [f"\n{note}." for note in p["restarts"]]
    lines.append(f"\nCheck: {check['acked_unique']} acknowledged ids, {check['missing']} "
                 f"missing, {check['rows']} rows, {check['duplicate_rows']} duplicate rows.\n")
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--apis", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--batch", type=int, action="append")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--restart", action="store_true")
    parser.add_argument("--record", type=Path)
    args = parser.parse_args()
    schema = f"kbgen_bench_{uuid.uuid4().hex[:8]}"
    url = schema_url(args.url, schema)
    with psycopg.connect(args.url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        subprocess.run(kbgen("db", "migrate", "--db", url), check=True, capture_output=True)
        with tempfile.TemporaryDirectory() as tmp_name:
            tmp = Path(tmp_name)
            make_project(tmp / "site")
            servers, ports = start_servers(tmp / "site", url, args.apis)
            try:
                phases = [run_phase(ports, b, args, tmp) for b in args.batch or [1, 25]]
            finally:
                for server in servers:
                    server.terminate()
                for server in servers:
                    server.wait(timeout=15)
        check = verify(url, [i for p in phases for i in p.pop("ids")])
    finally:
        with psycopg.connect(args.url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")
    for p in phases:
        print(json.dumps(p))
    print(json.dumps(check))
    if args.record:
        record(args.record, args, phases, check)
    sys.exit(0 if check["missing"] == 0 and check["duplicate_rows"] == 0 else 1)


if __name__ == "__main__":
    main()
