"""Which translations are missing and which fell behind their source, and the edits that
bring a translation's `translated_from` up to date.

A translation is stale when its source's current revision is not the one it records in
`translated_from`. A writer brings it back in two ways: `mark-current` (the translation was
updated) and `minor-edit` (the source's last edit, a typo fix, needs no re-translation: the
translations that matched the revision before it now record the current one).
"""

from __future__ import annotations

import re
from pathlib import Path

from kbgen.content.languages import is_stale
from kbgen.content.revisions import article_revision
from kbgen.content.site import ContentSite
from kbgen.files import write_atomic


def status(site: ContentSite, name, traffic: dict[str, int] | None = None) -> dict:
    """The `kbgen translations --format json` object: per language, the published sources
    with no translation and the translations whose source changed since. Ordered by the
    source's traffic (views) when known, then by id."""
    traffic = traffic or {}
    order = lambda item: (-traffic.get(item["id"], 0), item["id"], item["lang"])  # noqa: E731
    missing, stale = [], []
    for source in site.published():
        versions = site.translations_of(source.id)
        for lang in site.other_languages:
            translation = versions.get(lang)
            if translation is None:
                missing.append({"id": source.id, "lang": lang})
            elif is_stale(translation, source):
                stale.append({"id": source.id, "lang": lang, "file": name(translation.src),
                              "translated_from": translation.translated_from,
                              "current": article_revision(source)})
    return {"languages": list(site.languages), "missing": sorted(missing, key=order),
            "stale": sorted(stale, key=order)}


_FRONT_END = re.compile(r"^(---|\.\.\.)\s*$")
_KEY = re.compile(r"^translated_from\s*:")


def set_translated_from(path: Path, revision: str) -> str | None:
    """Write `translated_from: "<revision>"` into the file's front matter (replacing the
    line, or adding it before the closing `---`); the previous value's line, or None."""
    text = path.read_text(encoding="utf-8")
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(newline)
    if not lines or lines[0].lstrip("\ufeff").strip() != "---":
        raise ValueError("it has no front matter")
    end = next((i for i in range(1, len(lines)) if _FRONT_END.match(lines[i])), None)
    if end is None:
        raise ValueError("its front matter has no closing '---' line")
    line = f'translated_from: "{revision}"'
    previous = None
    for i in range(1, end):
        if _KEY.match(lines[i]):
            previous = lines[i]
            lines[i] = line
            break
    else:
        lines.insert(end, line)
    write_atomic(path, newline.join(lines), newline="")
    return previous


def previous_revision(history: list[dict], current: str) -> str | None:
    """The source's revision before its current one, from .kbgen/revisions.json."""
    return next((entry.get("rev") for entry in history if entry.get("rev") != current), None)
