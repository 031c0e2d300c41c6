"""Search: the index `kbgen build` writes, and the queries `kbgen search` and the API run.

Only `kbgen.search.whoosh_store` imports Whoosh; analysis (words, stems, stop words, typo
correction, snippets), query understanding and ranking are plain Python so the browser search
can mirror them. `kbgen.search.engine` coordinates a search; its module docstring lists the
steps and the module each is in.
"""

from kbgen.search.docs import FaqQuestion, SearchDoc, doc_from_article
from kbgen.search.engine import SearchIndex, build_index, open_index
from kbgen.search.hits import Hit
from kbgen.search.ranking import Ranking
from kbgen.search.related import related_ids
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
    "related_ids",
    "run_search_tests",
]
