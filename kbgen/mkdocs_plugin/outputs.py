"""Files written beside the pages: redirects, robots.txt, the sitemap, the manifest.

The search outputs (engine index, related articles, browser index) are `kbgen.search.build`.
"""

from __future__ import annotations

import gzip
import html
import logging
import re
from pathlib import Path

from kbgen.files import write_json_atomic
from kbgen.site_data import script_json

log = logging.getLogger("mkdocs.plugins.kbgen")
_SITEMAP_URL = re.compile(r"<url>\s*<loc>([^<]*)</loc>.*?</url>\s*", re.DOTALL)


def write_redirects(redirects: dict[str, str], site_dir: Path, site_url: str) -> None:
    for old, new in redirects.items():
        page = site_dir / old / "index.html"
        if page.exists():
            log.warning("Redirect from '%s' skipped: a page already exists there.", old)
            continue
        depth = old.strip("/").count("/") + 1 if old.strip("/") else 0
        target = "../" * depth + new
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(redirect_html(target, site_url + new if site_url else target),
                        encoding="utf-8")


def redirect_html(target: str, canonical: str) -> str:
    href = html.escape(target, quote=True)
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>This page has moved</title>\n"
        f'<link rel="canonical" href="{html.escape(canonical, quote=True)}">\n'
        '<meta name="robots" content="noindex">\n'
        f'<meta http-equiv="refresh" content="0; url={href}">\n'
        f"<script>location.replace({script_json(target)} + location.hash)</script>\n"
        f'</head>\n<body>\n<p>This page has moved to <a href="{href}">{href}</a>.</p>\n'
        "</body>\n</html>\n"
    )


def write_robots(site_dir: Path, site_url: str | None) -> None:
    lines = ["User-agent: *", "Allow: /"]
    if site_url:
        lines.append(f"Sitemap: {site_url.rstrip('/')}/sitemap.xml")
    (site_dir / "robots.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def drop_from_sitemap(site_dir: Path, locations: set[str]) -> None:
    """Take pages that are not for search engines (noindex) out of sitemap.xml and its .gz."""
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.exists():
        return
    text = sitemap.read_text(encoding="utf-8")
    kept = _SITEMAP_URL.sub(
        lambda m: "" if html.unescape(m.group(1)) in locations else m.group(0), text)
    sitemap.write_text(kept, encoding="utf-8")
    (site_dir / "sitemap.xml.gz").write_bytes(gzip.compress(kept.encode("utf-8"), mtime=0))


def add_sitemap_alternates(site_dir: Path, site_url: str,
                           alternates: dict[str, list[dict[str, str]]]) -> None:
    """Each page's versions in the other languages, as `xhtml:link` hreflang alternates
    (Google's sitemap form of the pages' own `<link rel="alternate">`)."""
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.exists():
        return
    by_location = {site_url + url: links for url, links in alternates.items()}

    def with_links(match: re.Match) -> str:
        links = by_location.get(html.unescape(match.group(1)))
        if not links:
            return match.group(0)
        extra = "".join(
            f'         <xhtml:link rel="alternate" hreflang="{html.escape(link["lang"])}" '
            f'href="{html.escape(site_url + link["url"])}"/>\n' for link in links)
        return match.group(0).replace("    </url>", extra + "    </url>", 1)

    text = _SITEMAP_URL.sub(with_links, sitemap.read_text(encoding="utf-8"))
    text = text.replace('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
                        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                        'xmlns:xhtml="http://www.w3.org/1999/xhtml">', 1)
    sitemap.write_text(text, encoding="utf-8")
    (site_dir / "sitemap.xml.gz").write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))


def write_manifest(manifest: dict, state_dir: Path) -> None:
    """Atomically replace .kbgen/manifest.json (the help API may be reading it)."""
    write_json_atomic(state_dir / "manifest.json", manifest)
