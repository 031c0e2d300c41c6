"""The built site's manifest (`.kbgen/manifest.json`): titles and labels for the reports.

Statistics are keyed by article id; the manifest turns ids into titles, URLs, categories,
journey stages, audiences and owners, and lists the published articles that nobody read yet.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kbgen.content.revisions import load_history
from kbgen.errors import KbgenError

log = logging.getLogger(__name__)

LABELS = ("title", "url", "category", "type", "journey", "audience", "owner")


@dataclass
class Manifest:
    site_name: str | None = None
    site_url: str | None = None
    articles: dict[str, dict[str, Any]] = field(default_factory=dict)
    categories: dict[str, str] = field(default_factory=dict)
    # article id -> its revisions, newest first (.kbgen/revisions.json, written by the build)
    revisions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    languages: list[str] = field(default_factory=list)  # the `languages` option

    def category_title(self, slug: str | None) -> str | None:
        return self.categories.get(slug or "", slug)


def load_manifest(path: Path | None, required: bool = False) -> Manifest:
    """The manifest at `path`; an empty one (with a warning) when it was never built."""
    if path is None or not path.is_file():
        if required:
            raise KbgenError(
                f"No manifest at '{path}'. Fix: run `kbgen build` first, so the help "
                "center's articles are known."
            )
        log.warning("No manifest at %s: reporting article ids without titles "
                    "(run `kbgen build` to add them).", path)
        return Manifest()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        manifest = _parse(data)
    except (ValueError, TypeError, AttributeError, KeyError) as exc:
        raise KbgenError(
            f"Cannot read the manifest '{path}': {exc}. Fix: run `kbgen build` again."
        ) from exc
    manifest.revisions = load_history(path.parent)
    return manifest


def _parse(data: dict[str, Any]) -> Manifest:
    articles: dict[str, dict[str, Any]] = {}
    for item in data.get("articles") or []:
        articles[str(item["id"])] = dict(item)
    categories = {
        str(c["slug"]): str(c.get("title") or c["slug"]) for c in data.get("categories") or []
    }
    languages = [str(code) for code in data.get("languages") or []]
    return Manifest(data.get("site_name"), data.get("site_url") or None, articles, categories,
                    languages=languages)
