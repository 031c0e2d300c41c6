"""The whole help center as loaded from the content folder."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kbgen.content.article import Article
from kbgen.content.problems import Problem


@dataclass(frozen=True)
class Category:
    slug: str
    title: str
    description: str = ""
    order: int = 1000

    @property
    def url(self) -> str:
        return f"{self.slug}/"


@dataclass
class ContentSite:
    docs_dir: Path
    articles: list[Article] = field(default_factory=list)
    categories: dict[str, Category] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    other_files: set[str] = field(default_factory=set)  # non-article files, relative paths

    @property
    def by_id(self) -> dict[str, Article]:
        return {article.id: article for article in self.articles}

    @property
    def by_src(self) -> dict[str, Article]:
        return {article.src: article for article in self.articles}

    def published(self, drafts: bool = False) -> list[Article]:
        shown = ("published", "draft") if drafts else ("published",)
        return [article for article in self.articles if article.status in shown]

    def in_category(self, slug: str, drafts: bool = False) -> list[Article]:
        return sorted(
            (a for a in self.published(drafts) if a.category == slug),
            key=lambda a: a.title.casefold(),
        )

    def used_categories(self, drafts: bool = False) -> list[Category]:
        """Categories that have at least one published article, in display order."""
        slugs = {article.category for article in self.published(drafts)}
        cats = [self.categories.get(slug) or default_category(slug) for slug in slugs]
        return sorted(cats, key=lambda c: (c.order, c.title.casefold()))

    def category(self, slug: str) -> Category:
        return self.categories.get(slug) or default_category(slug)


def default_category(slug: str) -> Category:
    return Category(slug, slug.replace("-", " ").capitalize())
