"""From scored entries to the results a customer sees: one per article, with a snippet.

An article is returned once, as its best entry: the article itself or one FAQ question (an
FAQ page whose best matching question scores at least QUESTION_SHARE of the page's best
links to the question). Twin: `collapse` in theme/assets/kbgen/search-ranking.js.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from kbgen.search.ranking import QUESTION_SHARE
from kbgen.search.snippet import snippet


@dataclass(frozen=True)
class Hit:
    id: str
    title: str
    url: str
    score: float
    snippet: str
    category: str  # the category's folder
    anchor: str | None
    category_title: str = ""  # its title, as the site shows it ("" if the build wrote none)


def best_per_article(candidates: list[tuple[float, int]],
                     entry: Callable[[int], tuple[str, str]],
                     limit: int) -> list[tuple[float, int]]:
    """The best `limit` articles as (score, entry shown), from (score, entry number) pairs
    best first; `entry` gives an entry's (article id, FAQ anchor or "")."""
    best: dict[str, list] = {}  # article -> [score, its best entry, its best question]
    for score, docnum in candidates:
        article, anchor = entry(docnum)
        slot = best.setdefault(article, [score, docnum, None])
        if slot[2] is None and anchor:
            slot[2] = (score, docnum)
    shown = []
    for score, docnum, question in list(best.values())[:limit]:
        if question is not None and question[0] >= QUESTION_SHARE * score:
            docnum = question[1]
        shown.append((score, docnum))
    return shown


def make_hit(fields: Mapping[str, Any], score: float, stems: set[str] | None,
             category_titles: Mapping[str, str] | None = None) -> Hit:
    """The result for one entry's stored fields; no snippet if `stems` is None;
    `category_titles` (folder -> title) names its category."""
    text = fields.get("body", "")
    category = fields.get("category", "")
    return Hit(
        id=fields["article"],
        title=fields["title"],
        url=fields["url"],
        score=round(float(score), 4),
        snippet="" if stems is None else snippet(text, stems, fields.get("description", "")),
        category=category,
        anchor=fields.get("anchor") or None,
        category_title=(category_titles or {}).get(category, ""),
    )
