"""The stats file: per-article numbers from the analytics, fed back into the site.

`kbgen stats export` writes it from a report; the plugin's `stats_file` option reads it for
"N of M found this helpful", popular articles ordered by deflected sessions, and `kbgen
check`'s evidence-triggered review warnings. Plain data and checks only (no MkDocs here).

Shape: {"kind": "kbgen-stats", "version": 1, "window": {"since", "until"}, "generated",
"articles": {id: {"helpful", "not_helpful", "csat_lower", "deflected_sessions",
"view_sessions"}}}.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kbgen.errors import KbgenError
from kbgen.options import Options

KIND = "kbgen-stats"
VERSION = 1
COUNTS = ("helpful", "not_helpful", "deflected_sessions", "view_sessions")


@dataclass(frozen=True)
class ArticleStats:
    helpful: int
    not_helpful: int
    csat_lower: float | None
    deflected_sessions: int
    view_sessions: int

    @property
    def votes(self) -> int:
        return self.helpful + self.not_helpful


def export(report: dict[str, Any]) -> dict[str, Any]:
    """The stats file's content from a `build_report` result."""
    articles = {
        row["id"]: {name: row[name] for name in (*COUNTS, "csat_lower")}
        for row in sorted(report["articles"], key=lambda r: r["id"])
    }
    return {"kind": KIND, "version": VERSION, "window": report["window"],
            "generated": report["generated"], "articles": articles}


def load(path: Path) -> dict[str, ArticleStats]:
    """Read and check a stats file; KbgenError names the file, the field and the fix."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KbgenError(f"Stats file '{path}' does not exist. Fix: run `kbgen stats export "
                         f"--out {path}` or clear the plugin option stats_file.") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise KbgenError(f"Stats file '{path}' is not readable JSON ({exc}). Fix: write it "
                         "again with `kbgen stats export`.") from None
    if not isinstance(data, dict) or data.get("kind") != KIND:
        raise KbgenError(f"Stats file '{path}': 'kind' must be \"{KIND}\". Fix: write it with "
                         "`kbgen stats export`.")
    if data.get("version") != VERSION:
        raise KbgenError(f"Stats file '{path}': 'version' {data.get('version')!r} is not "
                         f"{VERSION}. Fix: write it again with this kbgen's `kbgen stats export`.")
    articles = data.get("articles")
    if not isinstance(articles, dict):
        raise KbgenError(f"Stats file '{path}': 'articles' must be an object of article ids. "
                         "Fix: write it again with `kbgen stats export`.")
    return {str(key): _article(path, str(key), value) for key, value in articles.items()}


def _article(path: Path, article_id: str, value: Any) -> ArticleStats:
    where = f"Stats file '{path}': articles.{article_id}"
    if not isinstance(value, dict):
        raise KbgenError(f"{where} must be an object. Fix: write it again with "
                         "`kbgen stats export`.")
    counts = {}
    for name in COUNTS:
        number = value.get(name)
        if type(number) is not int or number < 0:
            raise KbgenError(f"{where}.{name} must be a whole number >= 0, not {number!r}. "
                             "Fix: write it again with `kbgen stats export`.")
        counts[name] = number
    lower = value.get("csat_lower")
    if lower is not None and (type(lower) not in (int, float) or not 0 <= lower <= 1):
        raise KbgenError(f"{where}.csat_lower must be null or a number from 0 to 1, not "
                         f"{lower!r}. Fix: write it again with `kbgen stats export`.")
    return ArticleStats(csat_lower=None if lower is None else float(lower), **counts)


def helpful_line(stats: ArticleStats | None, threshold: int) -> dict[str, int] | None:
    """{"helpful": N, "votes": M} for "N of M found this helpful", at `threshold` votes or more."""
    if stats is None or stats.votes < max(threshold, 1):
        return None
    return {"helpful": stats.helpful, "votes": stats.votes}


def popular_ids(stats: dict[str, ArticleStats]) -> list[str]:
    """Articles that deflected sessions, most first (then most read, then id)."""
    ranked = [(s.deflected_sessions, s.view_sessions, i) for i, s in stats.items()
              if s.deflected_sessions > 0]
    ranked.sort(key=lambda r: (-r[0], -r[1], r[2]))
    return [article_id for _, _, article_id in ranked]


def review_warnings(stats: dict[str, ArticleStats], sources: dict[str, str], min_votes: int,
                    csat_below: float) -> list[str]:
    """One line per published article whose CSAT lower bound is under `csat_below`."""
    lines = []
    for article_id, src in sorted(sources.items(), key=lambda item: item[1]):
        s = stats.get(article_id)
        if s is None or s.votes < max(min_votes, 1) or s.csat_lower is None:
            continue
        if s.csat_lower < csat_below:
            lines.append(
                f"{src}: evidence-triggered review: {s.helpful} of {s.votes} readers found it "
                f"helpful (CSAT lower bound {s.csat_lower:.2f} < {csat_below:.2f}); "
                f"{s.view_sessions} sessions read it, {s.deflected_sessions} without "
                "contacting support. Fix: review the article and read its feedback in the "
                "report's feedback inbox (`kbgen report --format html`).")
    return lines


def check_warnings(options: Options, config_file: Path, published: list) -> list[str]:
    """`kbgen check`'s review warnings for the published articles; none without stats_file."""
    if not options.stats_file:
        return []
    root = config_file.parent
    stats = load(root / options.stats_file)
    sources = {}
    for article in published:
        try:
            sources[article.id] = str(Path(article.path).resolve().relative_to(root.resolve()))
        except ValueError:
            sources[article.id] = article.src
    return review_warnings(stats, sources, options.helpful_threshold,
                           options.review_csat_below)
