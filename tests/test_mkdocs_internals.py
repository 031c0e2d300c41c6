"""The private MkDocs functions kbgen's live preview calls (kbgen/mkdocs_plugin/internals.py)
still exist, with the parameters kbgen passes, in MkDocs and in ProperDocs.

When this fails after an upgrade, the preview's fast path (re-rendering one edited article)
needs porting to the new signatures; until then every edit takes a full build.
"""

from __future__ import annotations

import importlib
import inspect

import pytest

from kbgen.mkdocs_plugin.internals import RELIED_ON


@pytest.mark.parametrize("tool", ["mkdocs", "properdocs"])
@pytest.mark.parametrize("name", sorted(RELIED_ON))
def test_the_private_page_functions_kbgen_calls_keep_their_parameters(tool, name):
    module = importlib.import_module(f"{tool}.commands.build")
    function = getattr(module, name, None)
    assert function is not None, f"{tool}.commands.build.{name} is gone"
    parameters = list(inspect.signature(function).parameters.values())
    leading = tuple(p.name for p in parameters[:len(RELIED_ON[name])])
    assert leading == RELIED_ON[name]
    # Every further parameter has a default: kbgen passes only the leading ones.
    assert all(p.default is not inspect.Parameter.empty for p in parameters[len(leading):])


def test_kbgen_relies_on_exactly_these_parameters():
    """What the module above checks, written out: a change to RELIED_ON is a deliberate one."""
    assert RELIED_ON == {
        "_populate_page": ("page", "config", "files"),
        "_build_page": ("page", "config", "doc_files", "nav", "env"),
    }
