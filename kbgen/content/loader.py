"""Load every article under the content folder, collecting every problem on the way."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import yaml

from kbgen.content import article as article_mod
from kbgen.content import checks, frontmatter
from kbgen.content import languages as languages_mod
from kbgen.content.placeholders import is_placeholder, placeholder_problems
from kbgen.content.problems import Problem
from kbgen.content.render_limits import render_problems
from kbgen.content.site import Category, ContentSite, category_title
from kbgen.options import LANGUAGE_RE

CATEGORY_FILE = "_category.yml"
RESERVED = {"index.md": "kbgen generates the home and category pages",
            "contact.md": "kbgen generates the contact page",
            "search.md": "kbgen generates the search page"}


def load_content(
    docs_dir: Path | str, *, root: Path | None = None, today: dt.date | None = None,
    languages: tuple[str, ...] = (),
) -> ContentSite:
    """Read and check the help center. Problems are collected, never raised. `languages` is
    the plugin option: translations (`<name>.<lang>.md`) are read into `site.translations`."""
    docs_dir = Path(docs_dir).resolve()
    root = (root or docs_dir.parent).resolve()
    site = ContentSite(docs_dir, languages=tuple(languages))

    def name(rel: str) -> str:
        path = docs_dir / rel
        return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)

    if not docs_dir.is_dir():
        site.problems.append(Problem(str(docs_dir), "the content folder does not exist",
                                     "create it or set docs_dir in mkdocs.yml"))
        return site
    found = _walk(docs_dir, site, name)
    files = set(found)
    for rel in found:
        if rel.endswith(".md"):
            suffix = languages_mod.translation_suffix(rel, site.languages, files)
            if suffix is not None:
                bad = languages_mod.suffix_problem(rel, suffix, site.languages, name(rel))
                if bad is not None:
                    site.problems.append(bad)
                    continue
            _load_article(docs_dir / rel, rel, site, name, suffix)
        elif rel.rsplit("/", 1)[-1] == CATEGORY_FILE:
            _load_category(docs_dir / rel, rel, site, name)
        else:
            site.other_files.add(rel)
    checks.check_site(site, name, today or dt.date.today())
    languages_mod.check_translations(site, name, site.problems.append)
    for translation in site.translations:
        if translation.status == "published" and translation.source_src in site.by_src:
            checks.check_links(site, translation, name, site.problems.append)
    return site


def _walk(docs_dir: Path, site: ContentSite, name) -> list[str]:
    found = []
    for folder, dirs, files in os.walk(docs_dir, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for entry in [*dirs, *files]:
            path = Path(folder) / entry
            if path.is_symlink() and not path.resolve().is_relative_to(docs_dir):
                rel = path.relative_to(docs_dir).as_posix()
                site.problems.append(Problem(
                    name(rel), f"symbolic link points outside the content folder: {path.resolve()}",
                    "copy the file into the content folder or remove the link",
                ))
                if entry in dirs:
                    dirs.remove(entry)
        for file in sorted(files):
            path = Path(folder) / file
            outside = path.is_symlink() and not path.resolve().is_relative_to(docs_dir)
            if file.startswith(".") or outside:
                continue
            found.append(path.relative_to(docs_dir).as_posix())
    return found


def _load_article(path: Path, rel: str, site: ContentSite, name,
                  suffix: languages_mod.Suffix | None = None) -> None:
    base = rel.rsplit("/", 1)[-1]
    if base in RESERVED and (base == "index.md" or "/" not in rel):
        site.problems.append(Problem(
            name(rel), f"'{base}' is reserved: {RESERVED[base]}",
            "rename the file, e.g. to overview.md",
        ))
        return
    try:
        with path.open("rb") as handle:
            data = handle.read(frontmatter.MAX_FILE_BYTES + 1)
        parsed = frontmatter.parse(frontmatter.decode(data))
    except frontmatter.FrontMatterError as exc:
        site.problems.append(Problem(name(rel), exc.message, exc.fix, exc.line))
        return
    except OSError as exc:
        site.problems.append(Problem(name(rel), f"cannot read the file: {exc.strerror}",
                                     "check its permissions"))
        return
    # Before anything renders the body: Python-Markdown is quadratic on some input.
    site.problems.extend(render_problems(parsed.body, parsed.body_line, name(rel)))
    article, bad = article_mod.from_parsed(parsed, rel, path)
    for key, message, fix in bad:
        site.problems.append(Problem(name(rel), message, fix, parsed.key_lines.get(key, 1)))
    if article is not None and suffix is not None:
        article.lang, article.source_src = suffix.lang, suffix.source
        site.translations.append(article)
    elif article is not None:
        site.articles.append(article)


def load_article(site: ContentSite, rel: str, root: Path | None = None):
    """(article or None, problems) of one file re-read for an already loaded site, its links
    checked against that site: the live preview's fast path for an edited article."""
    docs_dir = site.docs_dir
    root = (root or docs_dir.parent).resolve()
    scratch = ContentSite(docs_dir, languages=site.languages)

    def name(rel_: str) -> str:
        path = docs_dir / rel_
        return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)

    files = set(site.all_by_src) | site.other_files
    suffix = languages_mod.translation_suffix(rel, site.languages, files)
    _load_article(docs_dir / rel, rel, scratch, name, suffix)
    found = scratch.articles or scratch.translations
    article = found[0] if found else None
    if article is not None and article.status == "published":
        checks.check_links(site, article, name, scratch.problems.append)
        scratch.problems.extend(placeholder_problems(article, name(rel)))
    return article, scratch.problems


def _load_category(path: Path, rel: str, site: ContentSite, name) -> None:
    slug = rel.rsplit("/", 1)[0] if "/" in rel else ""
    try:
        data = yaml.safe_load(frontmatter.decode(path.read_bytes())) or {}
        if not isinstance(data, dict):
            raise ValueError("it must be a mapping with title, description and order")
        order = data.get("order", 1000)
        if not isinstance(order, int) or isinstance(order, bool):
            raise ValueError(f"'order' is {order!r}, not a whole number")
        description = str(data.get("description") or "").strip()
        todo = is_placeholder(description)
        title = str(data.get("title") or category_title(slug))
        site.categories[slug] = Category(
            slug, title, "" if todo else description, order, description_todo=todo,
            translated=_category_translations(data, site.languages, title, description),
        )
    except (yaml.YAMLError, ValueError, frontmatter.FrontMatterError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        if isinstance(exc, _LanguageKeyError):
            line = exc.line(path)
        site.problems.append(Problem(
            name(rel), f"bad category file: {getattr(exc, 'message', exc)}",
            "write 'title: ...', 'description: ...' and 'order: N' lines",
            line + 1 if line is not None else None,
        ))


class _LanguageKeyError(ValueError):
    """A per-language entry of a category file is wrong; `key` finds its line."""

    def __init__(self, message: str, key: str) -> None:
        super().__init__(message)
        self.key = key

    def line(self, path: Path) -> int | None:
        for number, text in enumerate(path.read_text("utf-8", "replace").splitlines()):
            if text.startswith(f"{self.key}:"):
                return number  # 0-based, as YAML's marks
        return None


_CATEGORY_KEYS = {"title", "description", "order"}


def _category_translations(data: dict, languages: tuple[str, ...], title: str,
                           description: str) -> dict[str, tuple[str, str]]:
    """`de: {title: ..., description: ...}` entries: language -> (title, description)."""
    found: dict[str, tuple[str, str]] = {}
    for key, value in data.items():
        key = str(key)
        if key in _CATEGORY_KEYS or not LANGUAGE_RE.match(key):
            continue  # other keys were always ignored
        if key not in languages[1:]:
            known = ", ".join(languages[1:]) or "none declared"
            raise _LanguageKeyError(
                f"'{key}' is not a key of category files nor one of the help center's other "
                f"languages ({known}); per-language titles go under a language code", key)
        if not isinstance(value, dict) or set(map(str, value)) - {"title", "description"}:
            raise _LanguageKeyError(f"'{key}' must be a mapping with 'title' and "
                                    "'description'", key)
        found[key] = (str(value.get("title") or title),
                      str(value.get("description") or description).strip())
    return found
