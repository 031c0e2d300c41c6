"""An article: typed front matter, its Markdown body, headings and FAQ entries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from kbgen.content import fields
from kbgen.content.frontmatter import Parsed
from kbgen.content.inline import custom_id, split_attr_list
from kbgen.content.text import inline_text, iter_prose_lines, slugify


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str
    line: int  # 1-based line in the file


@dataclass(frozen=True)
class FaqEntry:
    question: str
    anchor: str
    answer: str  # Markdown


@dataclass
class Article:
    id: str
    title: str
    description: str
    src: str  # relative to the content folder, POSIX, e.g. "billing/refunds.md"
    path: Path
    body: str
    body_line: int = 1
    type: str = "article"
    category: str = ""
    tags: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    journey: str | None = None
    audience: str | None = None
    owner: str | None = None
    reviewed: dt.date | None = None
    review_every_days: int | None = None
    status: str = "published"
    redirect_from: list[str] = field(default_factory=list)
    redirect_to: str | None = None
    related: list[str] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    key_lines: dict[str, int] = field(default_factory=dict, repr=False)
    # A translation (`refunds.de.md`): its language, the source's file and the source
    # revision it was made from. Empty for an article in the default language.
    lang: str = ""
    source_src: str = ""
    translated_from: str | None = None

    @property
    def url(self) -> str:
        """Site-relative URL with MkDocs' directory URLs: "billing/refunds/" (a translation:
        "de/billing/refunds/")."""
        if self.lang:
            return f"{self.lang}/{url_for(self.source_src)}"
        return url_for(self.src)

    @property
    def is_translation(self) -> bool:
        return bool(self.lang)

    @property
    def review_due(self) -> dt.date | None:
        if self.reviewed and self.review_every_days:
            return self.reviewed + dt.timedelta(days=self.review_every_days)
        return None

    @property
    def anchors(self) -> set[str]:
        return {heading.anchor for heading in self.headings}

    def faq_entries(self) -> list[FaqEntry]:
        """Each `##` heading of an FAQ page is a question; its section is the answer."""
        if self.type != "faq":
            return []
        lines = self.body.split("\n")
        questions = [h for h in self.headings if h.level == 2]
        entries = []
        for number, heading in enumerate(questions):
            start = heading.line - self.body_line + 1
            end = (
                questions[number + 1].line - self.body_line
                if number + 1 < len(questions)
                else len(lines)
            )
            entries.append(
                FaqEntry(heading.text, heading.anchor, "\n".join(lines[start:end]).strip())
            )
        return entries


def url_for(src: str) -> str:
    stem = src[:-3] if src.endswith(".md") else src
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def from_parsed(parsed: Parsed, src: str, path: Path) -> tuple[Article | None, list[tuple]]:
    """An Article, and the (key, message, fix) of every bad field (all of them, not the first)."""
    meta = parsed.meta
    problems: list[tuple[str, str, str]] = []

    def get(convert, key, *args, default=None):
        try:
            return convert(meta, key, *args)
        except fields.FrontMatterFieldError as exc:
            problems.append((exc.key, exc.message, exc.fix))
            return default

    for key in meta:
        if key not in fields.KNOWN and key not in fields.PASSTHROUGH:
            problems.append((key, f"unknown key '{key}'", fields.unknown_key_fix(str(key))))
    folder = src.split("/")[0] if "/" in src else None
    article = Article(
        id=get(fields.ident, "id", True) or "",
        title=get(fields.text, "title", True) or "",
        description=get(fields.text, "description", True) or "",
        src=src,
        path=path,
        body=parsed.body,
        body_line=parsed.body_line,
        type=get(fields.choice, "type", fields.TYPES, "article", default="article"),
        category=get(fields.ident, "category") or folder or "",
        tags=get(fields.text_list, "tags", default=[]),
        keywords=get(fields.text_list, "keywords", default=[]),
        journey=get(fields.choice, "journey", fields.JOURNEYS, None),
        audience=get(fields.text, "audience"),
        owner=get(fields.text, "owner"),
        reviewed=get(fields.date, "reviewed"),
        review_every_days=get(fields.interval_days, "review_every"),
        status=get(fields.choice, "status", fields.STATUSES, "published", default="published"),
        redirect_from=get(fields.text_list, "redirect_from", default=[]),
        redirect_to=get(fields.text, "redirect_to"),
        related=get(fields.id_list, "related", default=[]),
        translated_from=get(fields.text, "translated_from"),
        headings=headings_of(parsed.body, parsed.body_line),
        key_lines=parsed.key_lines,
    )
    if not article.category:
        problems.append((
            "category", "the article is not in a category folder and has no 'category'",
            "move it into content/<category>/ or add 'category: <slug>'",
        ))
    if any(key == "id" or key == "title" or key == "description" for key, _, _ in problems):
        return None, problems
    return article, problems


def headings_of(body: str, body_line: int = 1) -> list[Heading]:
    """Headings outside code blocks, with the anchors the toc extension will give them."""
    headings: list[Heading] = []
    used: set[str] = set()
    for index, line in iter_prose_lines(body):
        heading = atx_heading(line)
        if heading is None:
            continue
        level, raw = heading
        attributes = split_attr_list(raw)[1]
        anchor = (attributes and custom_id(attributes)) or slugify(raw)
        anchor = _unique(anchor, used)
        headings.append(Heading(level, inline_text(raw), anchor, body_line + index))
    return headings


def atx_heading(line: str) -> tuple[int, str] | None:
    """(level, text) of a `## Heading ##` line; closing hashes and spaces are not text."""
    level = len(line) - len(line.lstrip("#"))
    if not 1 <= level <= 6 or level == len(line) or not line[level].isspace():
        return None
    rest = line[level:].lstrip()
    text = rest.rstrip().rstrip("#").rstrip()
    if not text:  # `## ##` or `##  `: an empty heading, as Python-Markdown makes it
        text = rest[:1] or (" " if len(line) - level >= 2 else "")
    return (level, text) if text else None


def _unique(anchor: str, used: set[str]) -> str:
    """Python-Markdown's rule for repeated anchors: name, name_1, name_2, ..."""
    candidate, number = anchor, 0
    while candidate in used or not candidate:
        number += 1
        candidate = f"{anchor}_{number}"
    used.add(candidate)
    return candidate
