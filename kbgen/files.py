"""Writing outputs safely: readers never see a half-written file or a half-built folder.

Every file kbgen writes whole (state, the search index, exports, writers' edited articles) goes
through `open_atomic` (or its shorthands `write_atomic`, `write_json_atomic`): the content is
written beside the file, then renamed over it in one step. Every folder kbgen rebuilds whole
(the browser search index, the built site) goes through `replace_dir`. On an error, the
partial file or folder is removed and the previous one is left as it was.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

# Folders swapped in are served by web servers: readable by all, as `mkdir` would make them
# under the usual umask (mkdtemp makes them private).
DIR_MODE = 0o755


@contextmanager
def open_atomic(path: Path, mode: str = "w", *, encoding: str | None = "utf-8",
                newline: str | None = None) -> Iterator[IO[Any]]:
    """A handle on a new file beside `path`; when the block ends without an error, the file
    replaces `path` in one step. The new file gets the permissions `open` gives (the umask's),
    like the file it replaces was given."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}.partial")
    binary = "b" in mode
    try:
        with open(partial, mode.replace("w", "x"), encoding=None if binary else encoding,
                  newline=None if binary else newline) as handle:
            yield handle
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def write_atomic(path: Path, content: str | bytes, *, newline: str | None = None) -> None:
    """Write `content` (text as UTF-8) to `path` in one step."""
    if isinstance(content, bytes):
        with open_atomic(path, "wb") as handle:
            handle.write(content)
    else:
        with open_atomic(path, newline=newline) as handle:
            handle.write(content)


def write_json_atomic(path: Path, data: Any, *, compact: bool = False) -> None:
    """Write `data` as JSON (indented, or `compact` with no spaces) to `path` in one step."""
    with open_atomic(path) as handle:
        if compact:
            json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
        else:
            json.dump(data, handle, ensure_ascii=False, indent=1)


@contextmanager
def replace_dir(target: Path) -> Iterator[Path]:
    """A new, empty folder beside `target` to fill; when the block ends without an error it
    takes `target`'s place (the previous folder is moved aside, then deleted)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        staging.chmod(DIR_MODE)
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = target.with_name(f".{target.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(staging, target)
    shutil.rmtree(old, ignore_errors=True)
