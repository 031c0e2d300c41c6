"""Each article as the texts that say what it answers: its own words and its customers'.

An article answers a contact when the contact reads like its title, description, keywords
or headings, or — the strongest evidence, and one that keeps improving with traffic — like
the queries that led other customers to click it in search.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_HEADINGS = 12


@dataclass
class ArticleProfile:
    id: str
    title: str
    url: str | None = None
    source: str | None = None  # the Markdown file, relative to the project (for writers)
    texts: list[str] = field(default_factory=list)  # the writer's words: title, description…


def profiles_from_content(docs_dir: Path, root: Path) -> list[ArticleProfile]:
    """The published articles of the content folder (problems are the build's business)."""
    from kbgen.content.loader import load_content

    site = load_content(docs_dir, root=root)
    out = []
    for article in site.published(False):
        title = " ".join(article.title.split())
        keywords = ", ".join(article.keywords)
        texts = [f"{title}. {keywords}" if keywords else title]
        if article.description and article.description.strip() != title:
            texts.append(" ".join(article.description.split()))
        texts += [" ".join(h.text.split()) for h in article.headings[:MAX_HEADINGS]
                  if getattr(h, "text", "").strip()]
        try:
            source = article.path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            source = str(article.path)
        out.append(ArticleProfile(article.id, title, article.url, source, texts))
    return out


def profiles_from_manifest(articles: dict[str, dict[str, Any]]) -> list[ArticleProfile]:
    """Without the content folder: titles and descriptions from the built manifest."""
    out = []
    for article_id, meta in articles.items():
        title = " ".join(str(meta.get("title") or article_id).split())
        texts = [title]
        if meta.get("description") and meta["description"] != title:
            texts.append(" ".join(str(meta["description"]).split()))
        out.append(ArticleProfile(article_id, title, meta.get("url"), None, texts))
    return out
