"""Benchmark: `kbgen events import` of a large log, then the first `kbgen report`.

Since imports prepare the day rollups of the days they wrote (kbgen/analytics/prepare.py),
the first report after an import should cost what every later report costs. This times,
each in a child process with its own CPU time (user + sys) and peak RSS: the import into a
fresh database, then the first and a second report over the 30-day window, and checks the
report against one that reads every event.

    .venv/bin/python benchmarks/import_report.py [--events 1000000] [--dir /tmp/kbgen-import]

The log is made once with report_10m.py's generator (same sessions, some past midnight),
exported with `kbgen events export` and kept in --dir; a few thousand events are repeated
in it (retried events: stored once).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import report_10m  # noqa: E402  (the generator and report runner of the 10M benchmark)

RETRIED = 5000


def timed(cmd: list[str]) -> tuple[float, float, float, str]:
    """Wall s, CPU s (user + sys) and peak RSS MiB (max over children so far) of one child;
    its stderr."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return wall, cpu, after.ru_maxrss / 1024, done.stderr


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/kbgen-import"))
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    log = args.dir / f"events-{args.events}.jsonl"
    if not log.exists():
        source = args.dir / "source.db"
        source.unlink(missing_ok=True)
        report_10m.generate(source, args.events)
        subprocess.run([sys.executable, "-m", "kbgen", "events", "export", "--db",
                        f"sqlite:///{source}", "--out", str(log)], check=True)
        with log.open("rb") as handle:
            retried = [next(handle) for _ in range(RETRIED)]
        with log.open("ab") as handle:
            handle.writelines(retried)
        source.unlink()
    target = args.dir / "target.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    config = report_10m.project(args.dir / "project")
    wall, cpu, peak, err = timed([sys.executable, "-m", "kbgen", "events", "import",
                                     str(log), "--db", f"sqlite:///{target}"])
    print(f"kbgen events import: {wall:.1f} s wall, {cpu:.1f} s CPU, peak RSS {peak:.0f} MiB, "
          f"load {os.getloadavg()[0]:.1f}")
    for line in err.splitlines():
        print(f"  {line}")
    report: dict = {}
    for name in ("first report", "second report"):
        elapsed, cpu, peak, report = report_10m.run_report(config, target)
        print(f"{name}: {elapsed:.2f} s wall, {cpu:.2f} s CPU, load {os.getloadavg()[0]:.1f}, "
              f"events read {report['events']:,}, sessions {report['site']['sessions']:,}",
              flush=True)
    report_10m.verify(config, target, report)


if __name__ == "__main__":
    main()
