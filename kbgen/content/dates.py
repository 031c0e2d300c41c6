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
