"""The live preview's fast path: re-render only the articles whose body changed.

A full MkDocs build of a 5,000-article help center takes tens of seconds, most of it spent
on pages the writer did not touch. A full build (build.py's SiteBuild) keeps MkDocs' config,
files, navigation and template environment. When the only changes are edits to existing
articles that keep their front matter and headings (so no other page, the navigation, the
related lists or any link check can change), just those pages are rendered again with
MkDocs' own page pipeline (all plugin events for that page run) and swapped in atomically.
Anything else (a new, moved or deleted file, changed front matter or headings, mkdocs.yml,
a broken link) returns False, and the caller does a full rebuild.

Search indexes (kbgen's and the browser's) catch up in the background after the page is
swapped in. The browser index's new files are added beside the previous build's (removed by
the next full build), so a page that read the previous entry.json keeps a whole index.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from kbgen.content.loader import load_article
from kbgen.mkdocs_plugin.internals import render_page

if TYPE_CHECKING:
    from kbgen.mkdocs_plugin.build import SiteBuild

log = logging.getLogger("kbgen.serve")

# Article fields that other pages, the navigation or the search index depend on.
SHAPE_FIELDS = ("id", "title", "description", "type", "category", "tags", "keywords",
                "journey", "audience", "owner", "reviewed", "review_every_days", "status",
                "redirect_from", "redirect_to", "related")


def shape(article) -> tuple:
    headings = tuple((h.level, h.text, h.anchor) for h in article.headings)
    return tuple(repr(getattr(article, name)) for name in SHAPE_FIELDS) + (headings,)


def rerender(last: SiteBuild, changed: set[Path], root: Path) -> bool:
    """Re-render the changed articles in place; False if a full rebuild is needed."""
    site = last.plugin.site
    capture = last.capture
    if site is None or capture.files is None or capture.env is None:
        return False
    docs_dir = site.docs_dir
    edits = []
    for path in changed:
        if path.is_dir():
            continue  # a save by rename touches the folder; the file itself is listed too
        if not path.is_file() or not path.resolve().is_relative_to(docs_dir):
            return False
        rel = path.resolve().relative_to(docs_dir).as_posix()
        old = site.by_src.get(rel)
        file = capture.files.get_file_from_path(rel)
        if old is None or file is None or file.page is None:
            return False
        new, problems = load_article(site, rel, root)
        if new is None or problems or shape(new) != shape(old):
            return False  # the full build reports the problems or re-shapes the site
        edits.append((old, new, file))
    if not edits:
        return False
    for old, new, file in edits:
        site.replace(old, new)
        last.plugin.updated[new.src] = dt.datetime.now(dt.UTC).date()
        _render(last, file)
    # The page is up to date now; the search index (which /api/search reads) catches up in
    # the background, re-indexing only the changed articles.
    articles = site.published(drafts=True)
    categories = {slug: str(c.title) for slug, c in site.categories.items()}
    threading.Thread(target=_reindex,
                     args=(articles, last.plugin.state_dir, last.site_dir, categories),
                     daemon=True, name="kbgen-reindex").start()
    return True


def _reindex(articles, state_dir: Path, site_dir: Path, categories: dict[str, str]) -> None:
    """The engine's index, then the browser's: its new hashed files are added beside the
    previous ones and entry.json switched last, so an open page keeps a whole index."""
    try:
        from kbgen.search import build_index
        from kbgen.search.browser_index import write_browser_index
        from kbgen.search.docs import doc_from_article
        from kbgen.search.static_vectors import previous

        build_index(articles, state_dir / "search-index")
        vectors = previous([doc_from_article(a) for a in articles], state_dir / "search-index")
        write_browser_index(articles, site_dir, categories, keep_previous=True, vectors=vectors)
    except Exception as exc:  # a full rebuild running at the same time holds the lock
        log.warning("Search index not updated after the edit (%s); the next build will.", exc)


def _render(last: SiteBuild, file) -> None:
    dest = last.site_dir / file.dest_uri
    temporary = dest.with_name(dest.name + ".kbgen-new")
    file.abs_dest_path = str(temporary)
    capture = last.capture
    render_page(file.page, last.config, capture.files, capture.nav, capture.env)
    os.replace(temporary, dest)
