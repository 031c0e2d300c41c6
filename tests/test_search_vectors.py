"""Search by meaning on a static host: the help center's own token vectors
(kbgen/search/static_vectors.py) and their browser twin (theme/assets/kbgen/search-vectors.js).

The sample help center is built with the semantic model installed (as `scripts/test.sh`
installs it: these tests fail, not skip, without it), served by a plain static file server
and searched in Chromium; `kbgen search --static` must rank exactly as the page does.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from browser_helpers import build_sample_site, free_port, new_context, serve_directory
from playwright.sync_api import expect

from kbgen.search import Ranking, SearchDoc, open_index, semantic, static_vectors
from kbgen.search.browser_index import cache_control

REPO = Path(__file__).resolve().parent.parent
SCRIPTS = REPO / "theme" / "assets" / "kbgen"

# Queries a customer types: the help center's words, other words for the same thing, typos,
# FAQ questions, and topics the help center does not cover.
QUERIES = [
    "reset password", "forgot my login details", "i can't get into my account",
    "get my money back", "give a client their money back", "undo a charge",
    "bill a customer every month", "repeat invoice automatically", "invoce", "pasword reset",
    "stop paying for pennant", "end my subscription", "close my account for good",
    "take a photo of a receipt", "phone app", "bank transactions missing",
    "connect to my bank", "tax on invoices", "add vat", "foreign currency invoice",
    "who can see my data", "two step login", "security code app", "export to xero",
    "send a reminder to a client who has not paid", "how do refunds work",
    "can i pay by card", "dark mode", "how do i kubernetes", "the", "zzzz qqqq",
    "Café naïve ﬁle", "日本語", "e-mail@address.com", "don't won't can't",
]


def model_folder() -> Path:
    folder = semantic.model_folder("auto")
    assert folder is not None, (
        "the semantic model is not installed; run: " + semantic.INSTALL_HINT)
    return folder


def kbgen(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kbgen", *args], cwd=cwd, input=stdin,
                          text=True, capture_output=True, check=False, timeout=300)


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> tuple[Path, str]:
    """The sample help center built with the model installed and no help API, served."""
    model_folder()
    root = tmp_path_factory.mktemp("static-meaning")
    port = free_port()
    site = build_sample_site(root, f"http://127.0.0.1:{port}/", "")
    with serve_directory(site, port) as url:
        yield root, url


def static_search(root: Path, queries: list[str]) -> list[list]:
    result = kbgen("search", "--static", "--json", "-", cwd=root,
                   stdin="\n".join(queries) + "\n")
    assert result.returncode == 0, result.stderr
    return [[(h["id"], h["url"], h["score"]) for h in json.loads(line)["results"]]
            for line in result.stdout.splitlines()]


def browser_search(browser, url: str, queries: list[str]) -> tuple[list[list], list[str]]:
    """Each query's results from the page's own search (KbgenSearch, no help API), and the
    search files the page fetched."""
    context = new_context(browser, tag="test/static-meaning")
    page = context.new_page()
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(url)
    got = page.evaluate("""async (queries) => {
      const out = [];
      for (const q of queries) {
        out.push((await KbgenSearch.search(q, 10)).map((h) => [h.id, h.url, h.score]));
      }
      return out;
    }""", queries)
    context.close()
    return [[tuple(hit) for hit in hits] for hits in got], [
        u for u in fetched if "/search/kb/" in u]


# --- the browser and `kbgen search --static` -----------------------------------------------


@pytest.mark.browser
def test_the_static_page_ranks_by_meaning_exactly_as_kbgen_search_static(sample, browser):
    root, url = sample
    expected = static_search(root, QUERIES)
    got, fetched = browser_search(browser, url, QUERIES)
    assert [[hit[:2] for hit in hits] for hits in got] == [
        [hit[:2] for hit in hits] for hits in expected]
    # the same scores, up to the lexical index's rounding to thousandths
    assert [[hit[2] for hit in hits] for hits in got] == [
        pytest.approx([hit[2] for hit in hits], rel=1e-3, abs=2e-3) for hits in expected]
    # only the vector files the queries' tokens need, never all of them
    buckets = {u for u in fetched if "/s/b-" in u}
    shipped = list((root / "site" / "search" / "kb" / "s").glob("b-*.json"))
    assert buckets and len(buckets) < len(shipped) / 2
    assert sum("/s/e." in u for u in fetched) == 1


def test_other_words_than_the_article_uses_find_it_without_a_server(sample):
    root, _ = sample
    queries = ["talk to other users", "phone app", "how do i kubernetes", "zzzz qqqq"]
    with open_index(root / ".kbgen" / "search-index", Ranking(semantic_weight=0)) as words:
        lexical = [[hit.id for hit in words.search(q)] for q in queries]
    results = [[hit[0] for hit in hits] for hits in static_search(root, queries)]
    assert lexical[0] == [] and results[0][0] == "join-the-community"
    assert lexical[1][0] != "install-mobile-app" and results[1][0] == "install-mobile-app"
    assert results[2] == [] and results[3] == []  # a topic it lacks still finds nothing


@pytest.mark.browser
def test_a_customer_types_other_words_and_the_article_comes_first(sample, browser):
    _, url = sample
    context = new_context(browser, tag="test/static-meaning-typing")
    page = context.new_page()
    page.goto(url)
    page.locator("#kb-q").press_sequentially("talk to other users")
    expect(page.locator("[role=listbox] [role=option]").first).to_contain_text(
        "Join the Pennant community")
    context.close()


# --- the tokenizer ---------------------------------------------------------------------------


def tokenizer_texts() -> list[str]:
    texts = ["Café naïve façade", "İstanbul ǅ ﬁle ﬀ", "日本語のテキスト 中文", "emoji 😀 test",
             "tab\there\u2028line\u2029para\u00a0nbsp", "x\u200by\u200d", "ÀÉÎÕÜ ß straße",
             "\u0085nel\x0bvt\x0cff", "a\x00b\ufffdc", "don't won't ‘quoted’ “double”",
             "e-mail@x.com #tag $5.00 50% a/b c\\d", "a" * 150, "Ωmega ΣΊΣΥΦΟΣ ﬃ",
             "١٢٣ arabic العربية", "\u00ad soft hyphen", "Ǆemal", "x²+y³=z⁴", "℃ ™ №",
             "   ", "", "kubernetes strikethrough unsubscribing", "ＦＵＬＬＷＩＤＴＨ",
             "déjà-vu—dash…ellipsis", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "ǰ̌", "İ", "ﬆ", "Ⅻ", "ｶﾀｶﾅ", "한국어"]
    for path in sorted((REPO / "content").rglob("*.md")):
        lines = [line for line in path.read_text("utf-8").splitlines() if line.strip()]
        texts += lines[:12]
    return texts


@pytest.mark.browser
def test_the_browsers_wordpiece_cuts_text_as_the_models_tokenizer_does(tmp_path, browser):
    model = semantic.load_model(model_folder())
    vocab = model.tokenizer.get_vocab()
    texts = tokenizer_texts()
    assert len(texts) > 500
    expected = [model.tokenizer.encode(text, add_special_tokens=False).ids for text in texts]
    # the Python twin `kbgen search --static` uses
    assert [[vocab[t] for t in static_vectors.wordpiece(text, vocab)] for text in texts] \
        == expected
    (tmp_path / "search-vectors.js").write_text(
        (SCRIPTS / "search-vectors.js").read_text("utf-8"), "utf-8")
    (tmp_path / "index.html").write_text(
        '<!doctype html><meta charset="utf-8"><title>t</title>'
        '<script src="search-vectors.js"></script>', "utf-8")
    context = new_context(browser, tag="test/wordpiece")
    page = context.new_page()
    with serve_directory(tmp_path) as url:
        page.goto(url)
        got = page.evaluate("""([texts, vocab]) => {
          const initial = (p) => Object.hasOwn(vocab, p) ? vocab[p] : undefined;
          const continuing = (p) => Object.hasOwn(vocab, "##" + p) ? vocab["##" + p] : undefined;
          return texts.map((t) => KbgenVectors.wordPiece(t, initial, continuing,
                                                          vocab["[UNK]"]));
        }""", [texts, vocab])
    context.close()
    mismatches = [(text, want, have) for text, want, have in zip(texts, expected, got,
                                                                   strict=True) if want != have]
    assert mismatches == []


# --- the build -------------------------------------------------------------------------------


def docs(extra: str = "") -> list[SearchDoc]:
    return [
        SearchDoc(id="strike", title="Strikethrough text in Markdown", url="strike/",
                  body="Wrap words in two tildes to strike them through. " + extra),
        SearchDoc(id="export", title="Export your data to CSV", url="export/",
                  body="Open Settings, then Export. Each table becomes one file."),
        SearchDoc(id="password", title="Reset your password", url="password/",
                  body="Click the reset link we email you and choose a new password."),
    ]


def test_vectors_are_refitted_only_when_the_text_changes(tmp_path):
    folder = model_folder()
    first = static_vectors.update(docs(), tmp_path, folder)
    assert first is not None and first.keys == ["strike", "export", "password"]
    assert first.tokens.dtype.name == "int8" and first.tokens.shape[1] == static_vectors.DIMS
    stored = (tmp_path / static_vectors.STATIC_FILE).stat().st_mtime_ns
    again = static_vectors.update(docs(), tmp_path, folder)
    assert again is not None and again.key == first.key
    assert (tmp_path / static_vectors.STATIC_FILE).stat().st_mtime_ns == stored  # not refitted
    changed = static_vectors.update(docs("Also called crossed out."), tmp_path, folder)
    assert changed is not None and changed.key != first.key
    assert static_vectors.update(docs(), tmp_path, None) is None  # no model: lexical
    assert not (tmp_path / static_vectors.STATIC_FILE).exists()


def test_the_fit_brings_a_sentences_token_mean_closer_to_the_models_embedding(tmp_path):
    import numpy as np

    folder = model_folder()
    model = semantic.load_model(folder)
    texts = ["Export your data to CSV", "Reset your password", "Strike words through",
             "Each table becomes one file", "Choose a new password"] * 2
    targets = semantic.embed_texts(texts, folder)
    basis = static_vectors.principal_directions(targets, 4)
    prior = static_vectors.distilled_vectors(model, semantic.model_id(folder)) @ basis
    ids = [row[1:-1] for row in model.token_ids(texts)]
    used, fitted = static_vectors.fit_tokens(ids, targets @ basis, prior)
    after = prior.copy()
    after[used] = fitted

    def error(vectors):
        means = np.array([vectors[row].mean(axis=0) for row in ids])
        return float(np.linalg.norm(means - targets @ basis))

    assert error(after) < 0.5 * error(prior)


def test_a_large_help_centers_fit_reads_every_title_and_a_bounded_share_of_its_text(
        monkeypatch):
    from kbgen.search.docs import entries

    monkeypatch.setattr(static_vectors, "MAX_WORDS", 600)
    many = [SearchDoc(id=f"a{n}", title=f"Article number {n}", url=f"a{n}/",
                      description=f"What article {n} is about, in a few words.",
                      body=" ".join(["A body sentence with many words in it."] * 3
                                    + [" ".join(f"word{k}" for k in range(60)) + "."]))
            for n in range(100)]
    items = [entry for doc in many for entry in entries(doc)]
    texts = static_vectors.training_texts(items)
    assert texts[:100] == [f"Article number {n}" for n in range(100)]  # every entry's own
    extra = texts[100:]
    words = [len(text.split()) for text in extra]
    assert extra[0] == "What article 0 is about, in a few words."  # descriptions first
    titles = sum(len(text.split()) for text in texts[:100])  # 300 words: they count first
    assert 600 <= titles + sum(words) < 600 + static_vectors.SENTENCE_WORDS[1]  # the budget
    monkeypatch.setattr(static_vectors, "MAX_WORDS", 250)
    assert static_vectors.training_texts(items) == texts[:100]  # the titles are enough
    assert max(words) <= static_vectors.SENTENCE_WORDS[1]  # long sentences are cut
    monkeypatch.setattr(static_vectors, "MAX_WORDS", 10**6)
    everything = static_vectors.training_texts(items)
    assert " ".join(f"word{k}" for k in range(static_vectors.SENTENCE_WORDS[1])) \
        in everything  # a small help center's fit reads all of its text (cut)


def test_tokens_the_tokenizer_never_gives_are_not_embedded():
    folder = model_folder()
    model = semantic.load_model(folder)
    vocab = model.tokenizer.get_vocab()
    skipped = set(static_vectors.unreachable(vocab))
    assert {vocab["[unused0]"], vocab["[CLS]"], vocab["##!"], vocab["##中"]} <= skipped
    assert not {vocab["[UNK]"], vocab["!"], vocab["中"], vocab["the"], vocab["##s"]} & skipped
    given = {i for row in model.token_ids(QUERIES + ["Wrap words in ~~two tildes~~ (e.g. "
                                                      "3.5%, a/b, naïve, 東京) - done!"],
                                         cut=False) for i in row[1:-1]}
    assert given and not given & skipped
    distilled = static_vectors.distilled_vectors(model, semantic.model_id(folder))
    assert not distilled[sorted(skipped)].any()
    assert (abs(distilled[sorted(given)]).sum(axis=1) > 0).all()


def test_the_build_embeds_the_fits_sentences_ahead_only_when_it_will_fit(tmp_path,
                                                                          monkeypatch):
    import shutil

    from kbgen.search.docs import entries
    from kbgen.search.embedding_cache import EmbeddingCache, cache_dir, text_key

    folder = model_folder()
    mine = cache_dir()
    if mine is not None and (mine / "static").is_dir():  # the model's tokens, once a machine
        shutil.copytree(mine / "static", tmp_path / "cache" / "static")
    monkeypatch.setenv("KBGEN_CACHE_DIR", str(tmp_path / "cache"))
    items = [entry for doc in docs() for entry in entries(doc)]
    static_vectors.warm(items, folder, tmp_path)
    store = EmbeddingCache(tmp_path / "cache", semantic.model_id(folder), 384)
    sentences = static_vectors.training_texts(items)[len(items):]
    assert sentences and len(store.get([text_key(t) for t in sentences])) == len(sentences)
    store.close()
    assert static_vectors.update(docs(), tmp_path, folder) is not None

    def embed(*args, **kwargs):
        raise AssertionError("embedded again although the vectors are up to date")

    monkeypatch.setattr(semantic, "_embed", embed)
    static_vectors.warm(items, folder, tmp_path)


def test_without_the_model_the_static_index_stays_lexical(tmp_path):
    root = tmp_path / "hc"
    (root / "content" / "a").mkdir(parents=True)
    (root / "content" / "a" / "refund.md").write_text(
        "---\nid: refund\ntitle: Refund a payment\ndescription: Give money back.\n---\n\n"
            "Open the payment.\n", "utf-8")
    (root / "mkdocs.yml").write_text(
        "site_name: Help\ndocs_dir: content\ntheme:\n  name: material\n"
        "plugins:\n  - kbgen:\n      semantic_search: 'off'\n", "utf-8")
    assert kbgen("build", cwd=root).returncode == 0
    index = root / "site" / "search" / "kb"
    meta = json.loads((index / json.loads((index / "entry.json").read_text())["meta"])
                      .read_text())
    assert "vectors" not in meta and not (index / "s").exists()
    result = kbgen("search", "--static", "refund", "--json", cwd=root)
    assert [h["id"] for h in json.loads(result.stdout)["results"]] == ["refund"]


def test_vector_files_are_named_by_content_and_cached_for_good(sample):
    root, _ = sample
    index = root / "site" / "search" / "kb"
    names = [p.relative_to(index).as_posix() for p in (index / "s").iterdir()]
    assert any(n.startswith("s/e.") for n in names)
    assert all(cache_control(name) == "public, max-age=31536000, immutable" for name in names)
