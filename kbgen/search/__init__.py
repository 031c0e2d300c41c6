"""Search: the index `kbgen build` writes, and the queries `kbgen search` and the API run.

Only `kbgen.search.engine` imports Whoosh; analysis (words, stems, stop words, typo
correction, snippets) is plain Python so the browser search can mirror it.
"""

from kbgen.search.docs import FaqQuestion, SearchDoc, doc_from_article
from kbgen.search.engine import (
    Hit,
    Ranking,
    SearchIndex,
    build_index,
    open_index,
)
from kbgen.search.related import related_articles
from kbgen.search.tests_file import SearchTest, load_search_tests, run_search_tests

__all__ = [
    "FaqQuestion",
    "Hit",
    "Ranking",
    "SearchDoc",
    "SearchIndex",
    "SearchTest",
    "build_index",
    "doc_from_article",
    "load_search_tests",
    "open_index",
    "related_articles",
    "run_search_tests",
]
