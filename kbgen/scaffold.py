"""New help centers (`kbgen init`) and new articles (`kbgen new`)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

from kbgen.content import load_content
from kbgen.content.placeholders import PLACEHOLDER
from kbgen.content.site import ContentSite
from kbgen.errors import KbgenError, UsageError
from kbgen.project_files import ensure_gitignore
from kbgen.site_data import script_json

SAMPLE = Path(__file__).parent / "starter_site"  # the help center `kbgen init` copies
TYPES = ("article", "faq", "troubleshooting")


def init(target: Path, today: dt.date | None = None) -> list[Path]:
    """Copy the small sample help center into `target` (which must not hold one already)."""
    if (target / "mkdocs.yml").exists() or (target / "content").exists():
        raise UsageError(f"'{target}' already has a help center (mkdocs.yml or content/). "
                         "Fix: choose an empty folder.")
    stamp = (today or dt.date.today()).isoformat()
    written = []
    for source in sorted(SAMPLE.rglob("*")):
        if source.is_dir() or "__pycache__" in source.parts:
            continue
        dest = target / source.relative_to(SAMPLE)
        dest.parent.mkdir(parents=True, exist_ok=True)
        if source.suffix == ".md":
            dest.write_text(source.read_text(encoding="utf-8").replace("REVIEWED", stamp),
                            encoding="utf-8")
        else:
            shutil.copyfile(source, dest)
        written.append(dest)
    gitignore = ensure_gitignore(target)  # site/ and .kbgen/; an existing file is kept
    return written + ([gitignore] if gitignore else [])


def slug(title: str) -> str:
    text = re.sub(r"[^a-z0-9]+", "-", title.casefold()).strip("-")
    return text[:60].rstrip("-") or "article"


def new_article(site: ContentSite, title: str, category: str, kind: str,
                today: dt.date | None = None) -> Path:
    if kind not in TYPES:
        raise UsageError(f"--type must be one of {', '.join(TYPES)}.")
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", category):
        raise UsageError(f"--category '{category}' is not a folder name; use lower-case "
                         f"letters, digits and hyphens, e.g. '{slug(category)}'.")
    if not title.strip():
        raise UsageError("TITLE is empty. Fix: give the article a title.")
    taken = {a.id for a in site.articles}
    base = slug(title)
    article_id, number = base, 1
    while article_id in taken or (site.docs_dir / category / f"{article_id}.md").exists():
        number += 1
        article_id = f"{base}-{number}"
    path = site.docs_dir / category / f"{article_id}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    stamp = (today or dt.date.today()).isoformat()
    todo = PLACEHOLDER
    body = {
        "article": f"## Before you start\n\n{todo} what the reader needs first.\n\n"
                   f"## Steps\n\n1. {todo} the first step.\n",
        "faq": f"{todo} a short introduction.\n\n## {todo} your first question?\n\n"
               f"{todo} its answer.\n",
        "troubleshooting": f"## Symptoms\n\n{todo} what the reader sees.\n\n## Causes\n\n"
                           f"{todo} why it happens.\n\n## Fix\n\n1. {todo} the first step.\n",
    }[kind]
    # A draft until the writer publishes it: `kbgen build` leaves it out, and `kbgen check`
    # fails a published article that still has the TODO placeholders (content.placeholders).
    path.write_text(
        f"---\nid: {article_id}\ntitle: {script_json(title.strip())}\n"
        f"description: {todo} one sentence that answers 'what will I learn here?'\n"
        f"type: {kind}\njourney: use\nowner: {todo}\nreviewed: {stamp}\nreview_every: 180d\n"
        f"keywords: []\nstatus: draft\n---\n\n{body}",
        encoding="utf-8",
    )
    return path


def load_or_fail(docs_dir: Path, root: Path, languages: tuple[str, ...] = ()) -> ContentSite:
    if not docs_dir.is_dir():
        raise KbgenError(f"Content folder '{docs_dir}' does not exist. Fix: create it or set "
                         "docs_dir in mkdocs.yml.")
    return load_content(docs_dir, root=root, languages=languages)
