"""The search outputs of a build (engine index, related articles, browser index), computed
beside the pages in a worker process: same results as in-process, failures fail the build."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from kbgen.search import FaqQuestion, SearchDoc, open_index
from kbgen.search.analysis import index_terms, words
from kbgen.search.browser_index import stored_length
from kbgen.search.build import SearchBuild, SearchBuildError, SearchJob
from kbgen.search.docs import entries
from kbgen.search.engine import build_index
from kbgen.search.ranking import FIELD_REPEATS
from kbgen.search.terms import TEXT_FIELDS
from tests.conftest import article_front, run_kbgen, write_article

TEXTS = [
    "How do I export my invoices to a CSV file? Exports run nightly.",
    "Café naïve résumé: accents are folded; ﬁle ① İstanbul straße.",
    "Google's API can't refuse; I'd say we'll see, they've gone, you're in, I'm out.",
    "rock'n'roll o'clock 'quoted' it's x'y'z a''b 3's `tick`s' don\u2019t",
    "The and of to a in is it: only stop words and 2fa, 10x, v2.3.1 numbers.",
    "",
]


def docs() -> list[SearchDoc]:
    return [
        SearchDoc(id="export", title="Export invoices to CSV", url="billing/export/",
                  body=TEXTS[0] + " " + TEXTS[2], description="Download invoices.",
                  keywords=["csv", "download"], tags=["billing"], category="billing",
                  headings=["Before you start", "Export"]),
        SearchDoc(id="accents", title="Café names", url="account/cafe/", body=TEXTS[1],
                  keywords=["résumé"], category="account"),
        SearchDoc(id="faq", title="Billing FAQ", url="billing/faq/", type="faq",
                  body=TEXTS[3], category="billing",
                  faq=[FaqQuestion("Can I export invoices?", "export", TEXTS[0]),
                       FaqQuestion("What's 2FA?", "2fa", TEXTS[4])]),
        SearchDoc(id="refunds", title="Refund an invoice", url="billing/refunds/",
                  body="Refunds go back to the card the invoice was paid with. " * 3,
                  category="billing", headings=["Refund", "Partial refunds"]),
    ]


@pytest.mark.parametrize("text", TEXTS)
def test_index_terms_are_the_words_analysis_finds(text):
    assert index_terms(text) == [(w.text, w.stem) for w in words(text)]


def test_index_holds_each_fields_words_as_analysis_finds_them(tmp_path):
    """The index is written from words analysed once; it holds what `words` finds."""
    build_index(docs(), tmp_path)
    reader = whoosh_index.open_dir(str(tmp_path)).reader()
    expected_entries = [entry for doc in docs() for entry in entries(doc)]
    stored = {fields["key"]: n for n, fields in reader.iter_docs()}
    for entry in expected_entries:
        number = stored[entry.key]
        found = {name: list(words(getattr(entry, name))) for name in TEXT_FIELDS}
        combined: Counter[str] = Counter()
        for name, repeats in FIELD_REPEATS.items():
            combined.update(w.stem for w in found[name] for _ in range(repeats))
        expected = {
            **{name: Counter(w.stem for w in found[name]) for name in TEXT_FIELDS},
            "all": combined,
        }
        for name, counts in expected.items():
            # Whoosh keeps a field's length in one byte (stored_length rounds it the same way)
            assert (reader.doc_field_length(number, name) or 0) == stored_length(
                sum(counts.values())), name
            vector = {}
            for stem in counts:
                postings = reader.postings(name, stem)
                postings.skip_to(number)
                assert postings.id() == number, (name, stem)
                vector[stem] = postings.value_as("frequency")
            assert vector == dict(counts), name
        title_positions = reader.postings("title", found["title"][0].stem)
        title_positions.skip_to(number)
        assert title_positions.value_as("positions")[0] == found["title"][0].pos
    # typo correction's vocabulary: each word with the number of entries holding it
    holding: Counter[str] = Counter()
    for entry in expected_entries:
        holding.update({w.text for name in TEXT_FIELDS for w in words(getattr(entry, name))})
    with open_index(tmp_path) as index:
        assert index.speller.vocabulary == dict(holding)
        assert index.speller.vocabulary["invoices"] == 2  # the article, the FAQ question


def _outputs(root: Path, parallel: bool) -> tuple[dict, dict, list]:
    site = root / "site"
    search = SearchBuild(SearchJob(docs(), {"billing": "Billing"}, root / ".kbgen", site, 2),
                         parallel=parallel).start()
    related = search.related()
    search.finish()
    files = {p.relative_to(site).as_posix(): json.loads(p.read_text(encoding="utf-8"))
             for p in sorted(site.rglob("*.json"))}
    with open_index(root / ".kbgen" / "search-index") as index:
        hits = [(h.id, h.anchor, h.score) for h in index.search("export invoices csv")]
    return related, files, hits


def test_worker_process_builds_what_the_build_process_would(tmp_path):
    in_process = _outputs(tmp_path / "here", parallel=False)
    in_worker = _outputs(tmp_path / "worker", parallel=True)
    assert in_worker == in_process
    related, files, hits = in_worker
    assert related["export"][0] in {"faq", "refunds"}
    assert files["search/kb/entry.json"]["meta"] in {name.removeprefix("search/kb/")
                                                     for name in files}
    assert hits[0][0] in {"export", "faq"}
    assert json.loads((tmp_path / "worker/.kbgen/related.json").read_text())["related"] == related


def test_worker_failure_is_reported_as_a_clear_error(tmp_path):
    state = tmp_path / ".kbgen"
    state.mkdir()
    (state / "search-index").write_text("not a folder", encoding="utf-8")
    search = SearchBuild(SearchJob(docs(), {}, state, tmp_path / "site", 2), parallel=True)
    search.start()
    with pytest.raises(SearchBuildError, match="Building the search index failed: .*search-index"):
        search.finish()


def test_build_fails_cleanly_when_the_search_index_cannot_be_written(make_site):
    root = make_site()
    write_article(root, "help/live.md", article_front("live"), "Export invoices to CSV.\n")
    assert run_kbgen("build", cwd=root).returncode == 0
    before = (root / "site/help/live/index.html").read_text(encoding="utf-8")
    assert (root / "site/search/kb/entry.json").is_file()
    write_article(root, "help/live.md", article_front("live"), "Changed text.\n")
    index = root / ".kbgen" / "search-index"
    for path in index.iterdir():
        path.unlink()
    index.rmdir()
    index.write_text("in the way", encoding="utf-8")
    result = run_kbgen("build", cwd=root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "Building the search index failed" in result.stderr
    assert "search-index" in result.stderr
    assert (root / "site/help/live/index.html").read_text(encoding="utf-8") == before
    assert (root / "site/search/kb/entry.json").is_file()
    assert not [p for p in root.iterdir() if p.name.startswith(".site-")]


def _browser_index(site: Path) -> dict[str, bytes]:
    index = site / "search" / "kb"
    return {p.relative_to(index).as_posix(): p.read_bytes()
            for p in sorted(index.rglob("*")) if p.is_file()}


def _referenced(files: dict[str, bytes]) -> set[str]:
    """entry.json, the meta it names and every file that meta names by hash."""
    entry = json.loads(files["entry.json"])
    meta = json.loads(files[entry["meta"]])
    hashes = meta["hashes"]
    names = {"entry.json", entry["meta"]}
    names |= {f"t/{p or '_'}.{h}.json" for p, h in zip(meta["terms"], hashes["t"], strict=True)}
    names |= {f"v/{c}.{h}.json" for c, h in zip(meta["letters"], hashes["v"], strict=True)}
    names |= {f"d/{n}.{h}.json" for n, h in enumerate(hashes["d"])}
    # search by meaning's files (when the semantic model is installed)
    names |= {f"s/{key}.{h}.{'bin' if key == 'e' else 'json'}"
              for key, h in hashes.get("s", {}).items()}
    return names


def test_index_files_are_named_by_content_and_a_rebuild_renames_only_what_changed(make_site):
    import hashlib

    root = make_site()
    write_article(root, "billing/refunds.md", article_front("refunds"),
                  "Refunds go back to the card the invoice was paid with.\n")
    write_article(root, "account/password.md", article_front("password"),
                  "Use the forgot password link on the sign-in page.\n")
    assert run_kbgen("build", cwd=root).returncode == 0
    first = _browser_index(root / "site")
    # the entry names only files that exist, and every file is named: nothing else is there
    assert _referenced(first) == set(first)
    for name, data in first.items():
        if name != "entry.json":
            assert name.split(".")[-2] == hashlib.sha256(data).hexdigest()[:8], name
    assert len(first["entry.json"]) < 100

    assert run_kbgen("build", cwd=root).returncode == 0
    assert _browser_index(root / "site") == first  # unchanged content: the same names

    write_article(root, "billing/refunds.md", article_front("refunds"),
                  "Refunds go back to the card the invoice was paid with, within zanzibar "
                  "days.\n")
    assert run_kbgen("build", cwd=root).returncode == 0
    second = _browser_index(root / "site")
    assert _referenced(second) == set(second)  # the last build's files only
    assert json.loads(second["entry.json"])["meta"] != json.loads(first["entry.json"])["meta"]
    renamed = set(second) - set(first)
    assert any(name.startswith("t/") for name in renamed)  # the shard now holding "zanzibar"
    kept = set(first) & set(second) - {"entry.json"}
    # result rows show the description, which did not change; nor did "password"'s letter
    assert {n for n in first if n.startswith("d/")} == {n for n in second if n.startswith("d/")}
    assert any(name.startswith("v/p.") for name in kept)
    assert all(first[name] == second[name] for name in kept)
