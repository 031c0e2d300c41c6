"""Where the reports link an article: its page on the site, the built copy, its source file.

- `page`: the article under `site_url` when the site has one (what a support lead opens);
- `built`: the built page in `site_dir`, as a path relative to the folder the dashboard is
  written to, so the link works when the dashboard is opened from disk next to the site,
  and keeps working when both are copied or zipped together;
- `source`: the Markdown file, relative to the project (for writers).

`href` is the first of `page` and `built` there is. Only http(s) URLs and relative paths to
files that exist are made (never `javascript:`); an article whose page was not built gets
no built link rather than a dead one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin, urlsplit


@dataclass(frozen=True)
class ArticleLinks:
    site_url: str | None = None
    site_dir: Path | None = None  # the built site
    out_dir: Path | None = None  # the folder the dashboard is written to
    docs_prefix: str = ""  # the content folder relative to the project, e.g. "content/"

    @classmethod
    def for_project(cls, project: Any | None, site_url: str | None = None,
                    out: Path | None = None) -> ArticleLinks:
        """Links for a report written to `out` (None: standard output, read from here)."""
        out_dir = (out.parent if out is not None else Path.cwd()).resolve()
        if project is None:
            return cls(site_url=site_url, out_dir=out_dir)
        try:
            prefix = Path(project.docs_dir).resolve().relative_to(
                Path(project.root).resolve()).as_posix() + "/"
        except ValueError:
            prefix = Path(project.docs_dir).resolve().as_posix() + "/"
        return cls(site_url=project.site_url or site_url, site_dir=Path(project.site_dir),
                   out_dir=out_dir, docs_prefix="" if prefix == "./" else prefix)

    def page(self, url: str | None) -> str | None:
        """The article's page under `site_url` (http or https only)."""
        if url is None or not self.site_url:
            return None
        if urlsplit(self.site_url).scheme.lower() not in ("http", "https"):
            return None
        return urljoin(self.site_url.rstrip("/") + "/", quote(url))

    def built_file(self, url: str | None) -> Path | None:
        """The built page's file, when it exists."""
        if url is None or self.site_dir is None or urlsplit(url).scheme or url.startswith("/"):
            return None
        path = self.site_dir / url / "index.html" if url.endswith("/") or not url \
            else self.site_dir / url
        return path if path.is_file() else None

    def built(self, url: str | None) -> str | None:
        """The built page, relative to the dashboard's folder (or a file: URI across drives)."""
        path = self.built_file(url)
        if path is None:
            return None
        base = self.out_dir or Path.cwd()
        try:
            rel = os.path.relpath(path.resolve(), base.resolve())
        except ValueError:  # another drive (Windows): only an absolute URI reaches it
            return path.resolve().as_uri()
        return quote(Path(rel).as_posix())

    def absolute(self, url: str | None) -> str | None:
        """For machine-readable output: the page under `site_url`, else the built file's URI."""
        path = self.built_file(url)
        return self.page(url) or (path.resolve().as_uri() if path else None)

    def href(self, url: str | None) -> str | None:
        return self.page(url) or self.built(url)

    def source(self, src: str | None) -> str | None:
        return self.docs_prefix + src if src else None
