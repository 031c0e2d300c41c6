"""The categories' titles, written beside the engine's index by each build, so the engine's
results (the help API, `kbgen search`) can name a result's category as the site does
("Plans and billing"), not by its folder ("billing"), like the browser index does.

The index stores each entry's category folder; the titles live in one small file
(`categories.json`, folder -> title) that a build rewrites whole when any title changes,
without re-indexing an article.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from kbgen.files import write_json_atomic

FILE = "categories.json"


def write_titles(index_dir: Path, titles: Mapping[str, str]) -> None:
    path = Path(index_dir) / FILE
    data = {str(slug): str(title) for slug, title in sorted(titles.items())}
    if read_titles(index_dir) != data:
        write_json_atomic(path, data, compact=True)


def read_titles(index_dir: Path) -> dict[str, str]:
    """folder -> title; {} when the build wrote none (an older index: folders are shown)."""
    try:
        data = json.loads((Path(index_dir) / FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}


def titles_stamp(index_dir: Path) -> tuple[int, int, int]:
    """Which titles file is there (a new one is written beside and renamed over the old):
    an open index re-reads the titles when it changes; (0, 0, 0) when there is none."""
    try:
        stat = (Path(index_dir) / FILE).stat()
    except OSError:
        return (0, 0, 0)
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)
