"""Files `kbgen init` and `kbgen new` write beside the articles: the project's .gitignore
and a new category's _category.yml. Neither ever overwrites what a writer wrote."""

from __future__ import annotations

from pathlib import Path

from kbgen.content.loader import CATEGORY_FILE
from kbgen.content.placeholders import PLACEHOLDER
from kbgen.content.site import category_title
from kbgen.site_data import script_json

# What a build writes and git should not keep: the site and kbgen's state (search index,
# caches, the local events database).
IGNORED = ("site/", ".kbgen/")


def ensure_gitignore(root: Path) -> Path | None:
    """Add the build's outputs to `root/.gitignore` (created if missing; lines already
    there are kept, only missing ones are appended). The file, or None if nothing changed."""
    path = root / ".gitignore"
    text = path.read_text(encoding="utf-8", errors="surrogateescape") if path.exists() else ""
    present = {line.strip().lstrip("/") for line in text.splitlines()}
    missing = [entry for entry in IGNORED
               if entry not in present and entry.rstrip("/") not in present]
    if not missing:
        return None
    if text and not text.endswith("\n"):
        text += "\n"
    header = "# kbgen: the built site and kbgen's own state (search index, caches)\n"
    path.write_text(text + header + "".join(f"{entry}\n" for entry in missing),
                    encoding="utf-8", errors="surrogateescape")
    return path


def ensure_category_file(docs_dir: Path, slug: str) -> Path | None:
    """Write `slug/_category.yml` with a title from the folder name and a TODO description
    (never published; `kbgen check` warns until it is written). The file, or None if the
    category already has one."""
    path = docs_dir / slug / CATEGORY_FILE
    if path.exists():
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"title: {script_json(category_title(slug))}\n"
        f"description: {PLACEHOLDER} one sentence on what customers find in this category\n"
        "# order: 10   # position on the home page (lower first)\n",
        encoding="utf-8")
    return path
