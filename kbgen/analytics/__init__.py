"""Deflection analytics: SPEC.md's metrics computed in the store's SQL, for any window.

Never imports mkdocs or a database driver: SQL goes through `store.query(sql, params)`.
"""

from kbgen.analytics.manifest import Manifest, load_manifest
from kbgen.analytics.report import build_report
from kbgen.analytics.stats import normalise_query, wilson_lower
from kbgen.analytics.window import Window, make_window, parse_when

__all__ = [
    "Manifest",
    "Window",
    "build_report",
    "load_manifest",
    "make_window",
    "normalise_query",
    "parse_when",
    "wilson_lower",
]
