"""The one place kbgen calls MkDocs' private API.

Re-rendering a single page (the live preview's fast path, incremental.py) needs MkDocs' own
page pipeline, which MkDocs 1.x only has as the private `_populate_page` and `_build_page`
of `mkdocs.commands.build` (ProperDocs, the maintained fork, keeps both). A MkDocs upgrade
that changes them fails tests/test_mkdocs_internals.py, which checks the parameters below
for both tools; the preview meanwhile falls back to full builds (any error here does).
"""

from __future__ import annotations

from mkdocs.commands import build as mkdocs_build_module
from mkdocs.structure.files import InclusionLevel

# The leading parameters kbgen passes, by position, to each private function.
RELIED_ON = {
    "_populate_page": ("page", "config", "files"),
    "_build_page": ("page", "config", "doc_files", "nav", "env"),
}


def render_page(page, config, files, nav, env) -> None:
    """Read, convert and write one page of a finished build exactly as a full build would:
    every plugin event for the page runs, and the page is written to its file's
    `abs_dest_path`."""
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
    mkdocs_build_module._populate_page(page, config, files)
    mkdocs_build_module._build_page(page, config, doc_files, nav, env)
