"""Translations: `<name>.<lang>.md` beside its source `<name>.md` (mkdocs-static-i18n's
suffix layout), with the source's `id` and `translated_from: <source revision>`.

A translation is stale when its source's revision (kbgen.content.revisions) is no longer the
one it was translated from. `kbgen translations` lists missing and stale ones; this module
finds the files and checks them, with the file and line of every problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kbgen.content.article import Article
from kbgen.content.problems import Problem
from kbgen.content.revisions import REV_LENGTH, article_revision
from kbgen.content.site import ContentSite

# `refunds.de.md`, `refunds.pt-BR.md`: the code is what the `languages` option accepts.
_SUFFIX = re.compile(r"^(?P<stem>.+)\.(?P<lang>[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?)\.md$")
_REV = re.compile(rf"^[0-9a-f]{{{REV_LENGTH}}}$")


@dataclass(frozen=True)
class Suffix:
    source: str  # the source's file, relative to the content folder
    lang: str


def translation_suffix(rel: str, languages: tuple[str, ...], files: set[str]) -> Suffix | None:
    """The source and language of file `rel` when it is a translation: its suffix is a
    declared language, or its source file exists (then an undeclared language is an error
    the loader reports). `node.js.md` without a `node.md` stays an article."""
    match = _SUFFIX.match(rel)
    if not match:
        return None
    source = match.group("stem") + ".md"
    lang = match.group("lang")
    if lang in languages or source in files:
        return Suffix(source, lang)
    return None


def suffix_problem(rel: str, suffix: Suffix, languages: tuple[str, ...],
                   file: str) -> Problem | None:
    """An error for a translation in a language the help center does not declare, or in the
    default language (whose text is the source itself)."""
    if not languages:
        return Problem(file, f"'{rel}' is a translation into '{suffix.lang}', but the help "
                       "center declares no languages",
                       f"add 'languages: [en, {suffix.lang}]' (the default first) under the "
                       "kbgen plugin in mkdocs.yml, or rename the file", 1)
    if suffix.lang == languages[0]:
        return Problem(file, f"'{suffix.lang}' is the default language: its text is "
                       f"'{suffix.source}' itself", f"rename the file to '{suffix.source}' or "
                       "remove it", 1)
    if suffix.lang not in languages:
        return Problem(file, f"unknown language '{suffix.lang}' (the help center's languages "
                       f"are {', '.join(languages)})", f"add '{suffix.lang}' to the kbgen "
                       "plugin's 'languages' in mkdocs.yml, or fix the file name's suffix", 1)
    return None


def check_translations(site: ContentSite, name, add) -> None:
    """A translation needs its source beside it, the source's id, one file per language and
    a `translated_from` revision; `translated_from` is for translations only."""
    by_src = site.by_src
    seen: dict[tuple[str, str], Article] = {}
    for article in site.articles:
        if article.translated_from is not None:
            add(Problem(name(article.src), "'translated_from' is only for translations "
                        "(files named <name>.<lang>.md)", "remove it, or rename the file with "
                        "its language suffix", article.key_lines.get("translated_from")))
    top_folders = {a.src.split("/", 1)[0] for a in site.articles if "/" in a.src}
    for lang in site.other_languages:
        if lang in top_folders:
            add(Problem(name(lang), f"the folder '{lang}' has the name of a language: the "
                        f"'{lang}' pages are published under /{lang}/", "rename the folder"))
    for translation in site.translations:
        file = name(translation.src)
        line = translation.key_lines.get
        source = by_src.get(translation.source_src)
        if source is None:
            add(Problem(file, f"translation without a source: '{name(translation.source_src)}' "
                        "does not exist", "name the file after its source (<name>.<lang>.md "
                        "beside <name>.md), or add the source article", line("id", 1)))
            continue
        if translation.id != source.id:
            add(Problem(file, f"the translation's id '{translation.id}' is not its source's "
                        f"id '{source.id}'", f"write 'id: {source.id}' (statistics join "
                        "languages by id)", line("id", 1)))
            continue
        key = (translation.id, translation.lang)
        if key in seen:
            add(Problem(file, f"a second '{translation.lang}' translation of '{translation.id}'"
                        f" (the first is {name(seen[key].src)})", "keep one file per language "
                        "and remove the other", line("id", 1)))
            continue
        seen[key] = translation
        current = article_revision(source)
        if translation.translated_from is None:
            add(Problem(file, "the translation does not say which source revision it was "
                        "made from, so kbgen cannot tell when it falls behind",
                        f"add 'translated_from: \"{current}\"' if it matches "
                        f"'{name(source.src)}' now (or run 'kbgen translations mark-current "
                        f"{file}')",
                        line("id", 1), severity="warning"))
        elif not _REV.match(translation.translated_from):
            add(Problem(file, f"'translated_from' is {translation.translated_from!r}, not a "
                        f"revision ({REV_LENGTH} hex digits)", f"write 'translated_from: \""
                        f"{current}\"' (quoted) once the translation matches its source (or "
                        f"run 'kbgen translations mark-current {file}')",
                        line("translated_from")))


def is_stale(translation: Article, source: Article) -> bool:
    return translation.translated_from != article_revision(source)
