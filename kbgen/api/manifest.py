"""The article ids the built site has, from the manifest `kbgen build` writes.

Re-read when the file changes (checked at most once a second), so a running `kbgen serve`
or `kbgen api` accepts articles published after it started.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

from kbgen.errors import KbgenError

log = logging.getLogger(__name__)


class ArticleIds:
    """A container of article ids: `"reset-password" in ids`."""

    CHECK_EVERY_S = 1.0

    def __init__(self, path: str | Path, *, required: bool = True) -> None:
        self.path = Path(path)
        self._ids: frozenset[str] = frozenset()
        self._stamp: tuple[int, int] | None = None
        self._checked = 0.0
        if required and not self.path.is_file():
            raise KbgenError(
                f"No manifest at '{self.path}'; the API needs it to know the article ids. "
                "Fix: run `kbgen build` first, or pass --manifest PATH."
            )
        self._reload(strict=True)

    def __contains__(self, article_id: object) -> bool:
        now = time.monotonic()
        if now - self._checked >= self.CHECK_EVERY_S:
            self._checked = now
            self._reload(strict=False)
        return article_id in self._ids

    def __len__(self) -> int:
        return len(self._ids)

    def _reload(self, *, strict: bool) -> None:
        try:
            stat = self.path.stat()
        except OSError:
            return
        stamp = (stat.st_mtime_ns, stat.st_size)
        if stamp == self._stamp:
            return
        try:
            self._ids = read_ids(self.path)
            self._stamp = stamp
        except KbgenError as exc:
            if strict:
                raise
            log.warning("%s; keeping the previous article ids", exc)


def read_ids(path: Path) -> frozenset[str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return frozenset(str(article["id"]) for article in data["articles"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise KbgenError(
            f"Cannot read the manifest '{path}': {exc!s}. Fix: rebuild with `kbgen build`."
        ) from None
