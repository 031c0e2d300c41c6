"""When each article last changed: the git commit date, else the file's modification time."""

from __future__ import annotations

import datetime as dt
import logging
import subprocess
from pathlib import Path

log = logging.getLogger(__name__)


def last_updated(docs_dir: Path, sources: list[str]) -> dict[str, dt.date]:
    """Date of the last change of each source (relative to docs_dir), from one `git log`."""
    dates = _git_dates(docs_dir)
    result = {}
    for src in sources:
        if src in dates:
            result[src] = dates[src]
        else:
            try:
                mtime = (docs_dir / src).stat().st_mtime
            except OSError:
                continue
            result[src] = dt.datetime.fromtimestamp(mtime, dt.UTC).date()
    return result


def _git_dates(docs_dir: Path) -> dict[str, dt.date]:
    try:
        out = subprocess.run(
            ["git", "log", "--format=%x00%cs", "--name-only", "--relative", "--", "."],
            cwd=docs_dir, capture_output=True, text=True, timeout=60, check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        log.debug("No git history for last-updated dates: %s", exc)
        return {}
    dates: dict[str, dt.date] = {}
    for block in out.split("\x00")[1:]:
        lines = block.strip().splitlines()
        if not lines:
            continue
        day = dt.date.fromisoformat(lines[0].strip())
        for name in lines[1:]:
            if name:
                dates.setdefault(name.strip(), day)  # newest commit comes first
    return dates


def oldest_first(docs_dir: Path, sources: list[str]) -> list[str]:
    """`sources` (relative to docs_dir) from the one introduced first to the newest.

    A file already in git's history is older than one git does not know yet; among files in
    the history, the one whose path was added in the earlier commit is older; among the
    others (or without git), the earlier modification time; the path breaks ties. Used to
    blame a duplicate id on the file that introduced it, never on the established one.
    """
    added = _git_added(docs_dir, sources)

    def age(src: str) -> tuple:
        try:
            mtime = (docs_dir / src).stat().st_mtime_ns
        except OSError:
            mtime = 0
        if src in added:
            return (0, added[src], 0, src)
        return (1, 0, mtime, src)

    return sorted(sources, key=age)


def _git_added(docs_dir: Path, sources: list[str]) -> dict[str, int]:
    """Commit time (seconds) at which each source's path first appeared in git's history."""
    try:
        out = subprocess.run(
            ["git", "log", "--no-renames", "--diff-filter=A", "--format=%x00%ct",
             "--name-only", "--relative", "--", *sources],
            cwd=docs_dir, capture_output=True, text=True, timeout=60, check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        log.debug("No git history to order duplicates: %s", exc)
        return {}
    added: dict[str, int] = {}
    for block in out.split("\x00")[1:]:
        lines = block.strip().splitlines()
        if not lines:
            continue
        for name in lines[1:]:
            if name.strip():
                added[name.strip()] = int(lines[0])  # oldest commit comes last: it wins
    return added
