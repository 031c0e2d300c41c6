"""The report's "Contact drivers" keys: `topics`, `drivers_method`, `next_actions`.

Called by `kbgen report` after the metrics: it reads the window's tickets and their
sessions, the help center's articles (from the content folder when the project is known,
else from the built manifest), runs `analyse`, and picks "What to do next".
"""

from __future__ import annotations

import importlib.util
import logging
from typing import Any

from kbgen import progress
from kbgen.analytics.manifest import Manifest
from kbgen.analytics.window import Window
from kbgen.options import Options

log = logging.getLogger(__name__)

INSTALL_HINT = "pip install 'kbgen[drivers]'"


def available() -> bool:
    return all(importlib.util.find_spec(name) is not None for name in ("numpy", "sklearn"))


def drivers_section(store: Any, window: Window, manifest: Manifest, report: dict[str, Any],
                    project: Any | None = None) -> dict[str, Any]:
    """The keys to add to the report (an empty analysis, with a note, when not installed)."""
    if not available():
        log.warning("Contact drivers need scikit-learn and NumPy. Fix: %s", INSTALL_HINT)
        section: dict[str, Any] = {"topics": [], "drivers_method": None,
                   "drivers_note": f"not analysed: install the drivers extra ({INSTALL_HINT})"}
        section["next_actions"] = _actions(report, [], manifest, project, [])
        return section
    from kbgen.drivers import analyse, cache, make_vectors, read_evidence
    from kbgen.drivers.profiles import profiles_from_content, profiles_from_manifest
    from kbgen.drivers.topics import STAGES

    # Stages: the articles, the tickets, then the analysis's own (topics.STAGES).
    stages = 2 + len(STAGES)
    with progress.task("Contact drivers", stages, "stages") as bar:
        bar.note("reading the articles")
        if project is not None and project.docs_dir.is_dir():
            profiles = profiles_from_content(project.docs_dir, project.root)
        else:
            profiles = profiles_from_manifest(manifest.articles)
        setting = (project.options if project is not None else Options()).semantic_search
        vectors = make_vectors(setting, project.root if project else None, store)
        key = cache.result_key(store, vectors.method, getattr(vectors, "model_id", ""),
                               window.since_ms, window.until_ms, profiles)
        topics = cache.load(store, key)
        if topics is None:
            bar.advance(1, "reading the tickets")
            evidence = read_evidence(store, window.since_ms, window.until_ms)
            topics = [t.as_dict() for t in analyse(evidence, profiles, vectors,
                                                   lambda name: bar.advance(1, name))]
            cache.save(store, key, topics)
        bar.at(stages)
    if vectors.computed:
        log.info("Contact drivers: embedded %d new texts", vectors.computed)
    return {"topics": topics, "drivers_method": vectors.method,
            "next_actions": _actions(report, topics, manifest, project, profiles)}


def _actions(report, topics, manifest: Manifest, project, profiles) -> list[dict[str, Any]]:
    from kbgen.drivers.actions import next_actions
    from kbgen.reports.links import ArticleLinks

    sources = {p.id: p.source for p in profiles if p.source}
    where = ArticleLinks.for_project(project, manifest.site_url)
    links = {}
    for article_id, meta in manifest.articles.items():
        link = where.absolute(meta.get("url"))
        if link:
            links[article_id] = link
    return next_actions(report, topics, sources, links)
