"""The whole help center as loaded from the content folder."""

from __future__ import annotations

import re
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
    # The description is still `kbgen new`'s TODO: never shown, and `kbgen check` warns.
    description_todo: bool = False
    # language -> (title, description) from the category file's per-language entries
    translated: dict[str, tuple[str, str]] = field(default_factory=dict, compare=False,
                                                   hash=False)
    prefix: str = ""  # "de/" in the German view of the site

    @property
    def url(self) -> str:
        return f"{self.prefix}{self.slug}/"

    def in_language(self, lang: str) -> Category:
        """This category as the `lang` pages show it (its own title where it has one)."""
        title, description = self.translated.get(lang, (self.title, self.description))
        return Category(self.slug, title, description, self.order,
                        description_todo=self.description_todo and lang not in self.translated,
                        translated=self.translated, prefix=f"{lang}/")


@dataclass
class ContentSite:
    """Articles are added while loading; lookups below are memoised per number of articles
    (10,000-article sites ask for them once per page). Replace an article with `replace`."""

    docs_dir: Path
    articles: list[Article] = field(default_factory=list)
    categories: dict[str, Category] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    other_files: set[str] = field(default_factory=set)  # non-article files, relative paths
    languages: tuple[str, ...] = ()  # the `languages` option; the first is the default
    translations: list[Article] = field(default_factory=list)  # `<name>.<lang>.md` files
    lang: str = ""  # a language view (`view`): its language; "" for the default language
    _memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def _cached(self, key, compute):
        if self._memo.get("size") != len(self.articles):
            self._memo.clear()
            self._memo["size"] = len(self.articles)
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def replace(self, old: Article, new: Article) -> None:
        """Swap one article for a re-read version of it (the live preview's fast path)."""
        pool = self.translations if old.is_translation else self.articles
        pool[pool.index(old)] = new
        self._memo.clear()

    @property
    def default_language(self) -> str:
        return self.languages[0] if self.languages else ""

    @property
    def other_languages(self) -> tuple[str, ...]:
        return self.languages[1:]

    def view(self, lang: str) -> ContentSite:
        """The site as the pages of language `lang` show it: that language's translations as
        its articles, category titles in that language (the site itself for the default)."""
        if not lang or lang == self.default_language:
            return self
        views = self._memo.setdefault("views", {})
        if lang not in views:
            view = ContentSite(self.docs_dir, languages=self.languages, lang=lang)
            view.articles = [t for t in self.translations if t.lang == lang]
            slugs = {a.category for a in view.articles}
            view.categories = {slug: self.category(slug).in_language(lang) for slug in slugs}
            view.other_files = self.other_files
            views[lang] = view
        return views[lang]

    def translations_of(self, article_id: str) -> dict[str, Article]:
        """language -> the translation of article `article_id`."""
        table = self._cached("translations_of", lambda: _by_id_and_lang(self.translations))
        return table.get(article_id, {})

    @property
    def all_by_src(self) -> dict[str, Article]:
        """Sources and translations by file."""
        return self._cached("all_by_src", lambda: {
            a.src: a for a in [*self.articles, *self.translations]})

    @property
    def by_id(self) -> dict[str, Article]:
        return self._cached("by_id", lambda: {a.id: a for a in self.articles})

    @property
    def by_src(self) -> dict[str, Article]:
        return self._cached("by_src", lambda: {a.src: a for a in self.articles})

    def published(self, drafts: bool = False) -> list[Article]:
        shown = ("published", "draft") if drafts else ("published",)
        return list(self._cached(
            ("published", drafts), lambda: [a for a in self.articles if a.status in shown]))

    def in_category(self, slug: str, drafts: bool = False) -> list[Article]:
        return list(self._cached(("in_category", drafts), lambda: self._by_category(drafts))
                    .get(slug, []))

    def _by_category(self, drafts: bool) -> dict[str, list[Article]]:
        groups: dict[str, list[Article]] = {}
        for article in sorted(self.published(drafts), key=lambda a: a.title.casefold()):
            groups.setdefault(article.category, []).append(article)
        return groups

    def used_categories(self, drafts: bool = False) -> list[Category]:
        """Categories that have at least one published article, in display order."""
        slugs = self._cached(("in_category", drafts), lambda: self._by_category(drafts))
        cats = [self.category(slug) for slug in slugs]
        return sorted(cats, key=lambda c: (c.order, c.title.casefold()))

    def category(self, slug: str) -> Category:
        found = self.categories.get(slug)
        if found is None:
            found = default_category(slug)
            return found.in_language(self.lang) if self.lang else found
        return found


def _by_id_and_lang(translations: list[Article]) -> dict[str, dict[str, Article]]:
    table: dict[str, dict[str, Article]] = {}
    for translation in translations:
        table.setdefault(translation.id, {}).setdefault(translation.lang, translation)
    return table


# Words of a folder name that are written otherwise in a title ("faq" -> "FAQ").
SPELLED = {word.casefold(): word for word in (
    "FAQ", "FAQs", "API", "APIs", "SSO", "2FA", "iOS", "CSV", "PDF", "VPN", "URL", "URLs",
    "GDPR", "VAT", "SMS", "SAML", "SCIM", "ID", "IDs", "UI", "iPad", "iPhone")}


def category_title(slug: str) -> str:
    """A title for a category folder: 'getting-started' -> 'Getting started', 'faq' ->
    'FAQ', 'api-keys' -> 'API keys'."""
    words = [w for w in re.split(r"[-_\s]+", slug.rsplit("/", 1)[-1]) if w]
    if not words:
        return slug
    titled = [SPELLED.get(w.casefold(), w.lower()) for w in words]
    if titled[0] == words[0].lower():
        titled[0] = titled[0][:1].upper() + titled[0][1:]
    return " ".join(titled)


def default_category(slug: str) -> Category:
    return Category(slug, category_title(slug))
