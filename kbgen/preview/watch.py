"""Which files the preview watches, and what a batch of changes means for it.

watchfiles (the operating system's file events; set WATCHFILES_FORCE_POLLING=1 where they
do not arrive, e.g. some network drives) watches the content folder, and mkdocs.yml through
its folder: a watch on the file itself ends when an editor saves by renaming a new file
over it. Editors' temporary files are ignored (watchfiles' DefaultFilter), and a file that
came and went within one batch counts for nothing.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import watchfiles

log = logging.getLogger("kbgen.serve")


@dataclass
class Changes:
    """One batch of changes, as the preview needs it."""

    paths: set[Path] = field(default_factory=set)  # added or changed, and there now
    removed: bool = False  # a file or folder that was there is gone

    def __bool__(self) -> bool:
        return bool(self.paths) or self.removed


def net_changes(raw: set[tuple[watchfiles.Change, str]]) -> Changes:
    """What a batch of watchfiles events leaves changed."""
    paths = {Path(path) for _, path in raw}
    added = {Path(path) for change, path in raw if change == watchfiles.Change.added}
    there = {path for path in paths if path.exists()}
    return Changes(there, removed=bool(paths - there - added))


def watch(config_file: Path, docs_dir: Path, stop: threading.Event) -> Iterator[Changes]:
    """Yield each batch of changes to `config_file` or under `docs_dir` until `stop` is set."""
    batches: queue.Queue[set] = queue.Queue()
    config = config_file.resolve()
    sources = [
        (docs_dir, True, watchfiles.DefaultFilter()),
        (config.parent, False, lambda change, path: Path(path) == config),
    ]
    for folder, recursive, only in sources:
        threading.Thread(target=_forward, args=(folder, recursive, only, stop, batches),
                         daemon=True, name=f"kbgen-watch-{folder.name}").start()
    while not stop.is_set():
        try:
            raw = batches.get(timeout=0.5)
        except queue.Empty:
            continue
        while not batches.empty():
            raw |= batches.get_nowait()  # both watchers saw something: one batch
        changes = net_changes(raw)
        if changes:
            yield changes


def _forward(folder: Path, recursive: bool, only, stop: threading.Event,
             batches: queue.Queue) -> None:
    try:
        for raw in watchfiles.watch(folder, watch_filter=only, recursive=recursive,
                                    stop_event=stop, raise_interrupt=False):
            batches.put(raw)
    except Exception as exc:  # noqa: BLE001 - a watcher thread must say why it stopped
        log.error("Stopped watching %s (%s); restart kbgen serve to see further edits.",
                  folder, exc)
