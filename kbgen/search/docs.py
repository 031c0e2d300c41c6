"""What the search engine knows about an article, independent of the content model.

`doc_from_article` adapts a `kbgen.content.Article`; tests and benchmarks can build
`SearchDoc`s directly. Each doc becomes one index entry for the article plus one per FAQ
question, so a question is found on its own and links to its anchor.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class FaqQuestion:
    question: str
    anchor: str
    answer: str  # plain text


@dataclass
class SearchDoc:
    id: str
    title: str
    url: str
    body: str = ""  # plain text
    description: str = ""
    keywords: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    category: str = ""
    type: str = "article"
    headings: list[str] = field(default_factory=list)
    faq: list[FaqQuestion] = field(default_factory=list)

    @property
    def content_hash(self) -> str:
        """Changes whenever anything the index holds for this article changes."""
        data = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()[:24]


@dataclass(frozen=True)
class IndexEntry:
    """One searchable unit: an article, or one question of an FAQ article."""

    key: str
    article: str
    anchor: str
    title: str
    url: str
    category: str
    type: str
    description: str
    keywords: str
    headings: str
    body: str


class ArticleText(Protocol):
    """The text of an article a build compares: a SearchDoc or a `kbgen.content.Article`."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def keywords(self) -> Sequence[str]: ...
    @property
    def tags(self) -> Sequence[str]: ...
    @property
    def body(self) -> str: ...


def entries(doc: SearchDoc) -> list[IndexEntry]:
    keywords = " ".join([*doc.keywords, *doc.tags])
    result = [
        IndexEntry(
            key=doc.id, article=doc.id, anchor="", title=doc.title, url=doc.url,
            category=doc.category, type=doc.type, description=doc.description,
            keywords=keywords, headings=" \n".join(doc.headings), body=doc.body,
        )
    ]
    for item in doc.faq:
        result.append(
            IndexEntry(
                key=f"{doc.id}#{item.anchor}", article=doc.id, anchor=item.anchor,
                title=item.question, url=f"{doc.url}#{item.anchor}", category=doc.category,
                type="faq-question", description="", keywords="", headings=doc.title,
                body=item.answer,
            )
        )
    return result


def doc_from_article(article: Any) -> SearchDoc:
    """A SearchDoc from a `kbgen.content.Article` (anything with the same attributes).

    One build asks for it three times per article (engine, browser index, related
    articles); the plain text is kept on the article, which serve replaces when it changes.
    """
    cached = getattr(article, "_kb_search_doc", None)
    if cached is not None and cached[0] == _identity(article):
        return cached[1]
    doc = _convert(article)
    try:
        article._kb_search_doc = (_identity(article), doc)
    except AttributeError:  # frozen or slotted stand-ins: no cache
        pass
    return doc


def _identity(article: Any) -> tuple:
    return (article.id, article.url, article.title, article.description, article.body,
            tuple(article.keywords or ()), tuple(article.tags or ()), article.category,
            article.type)


def _convert(article: Any) -> SearchDoc:
    # Imported here: searching an index (`kbgen search`, the API) never loads the content
    # model, whose import costs more than the rest of kbgen.search.
    from kbgen.content.text import markdown_to_text

    faq = []
    if getattr(article, "type", "article") == "faq":
        faq = [
            FaqQuestion(entry.question, entry.anchor, markdown_to_text(entry.answer))
            for entry in article.faq_entries()
        ]
    return SearchDoc(
        id=article.id,
        title=article.title,
        url=article.url,
        body=markdown_to_text(article.body),
        description=article.description or "",
        keywords=[str(k) for k in article.keywords or []],
        tags=[str(t) for t in article.tags or []],
        category=article.category or "",
        type=article.type or "article",
        headings=[h.text for h in article.headings or []],
        faq=faq,
    )
