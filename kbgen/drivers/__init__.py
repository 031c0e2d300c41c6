"""Contact drivers: why customers still contact support, as the content work that prevents it.

    from kbgen.drivers import analyse, make_vectors, read_evidence
    topics = analyse(read_evidence(store, since_ms, until_ms), profiles, make_vectors(...))

Each `Topic` is a `gap` (no article answers it: write one), `failing` (customers read the
article and contacted support anyway: fix it) or `unfound` (an article answers it but
customers who contacted support never reached it: make it findable). `report.py` turns
them into the report's "Contact drivers" section and the dashboard's "What to do next".
The method (semantic model or lexical TF-IDF) is documented in docs/contact-drivers.md.

The analysis needs NumPy and scikit-learn (`pip install 'kbgen[drivers]'`); the names below
are imported on first use, so `kbgen report` still runs (without topics) when they are not
installed.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "Evidence": "kbgen.drivers.evidence", "read_evidence": "kbgen.drivers.evidence",
    "ArticleProfile": "kbgen.drivers.profiles",
    "profiles_from_content": "kbgen.drivers.profiles",
    "profiles_from_manifest": "kbgen.drivers.profiles",
    "KINDS": "kbgen.drivers.topics", "Topic": "kbgen.drivers.topics",
    "analyse": "kbgen.drivers.topics",
    "LexicalVectors": "kbgen.drivers.vectors", "SemanticVectors": "kbgen.drivers.vectors",
    "make_vectors": "kbgen.drivers.vectors",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'kbgen.drivers' has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name]), name)
