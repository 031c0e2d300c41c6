"""The fast scorer (cached term postings) ranks exactly like Whoosh's own matchers."""

from __future__ import annotations

import random

import pytest

from kbgen.search import FaqQuestion, Ranking, SearchDoc, SearchIndex, build_index, open_index

COMMON = "account invoice payment client password email export report refund plan".split()
RARE = [f"{a}{b}{c}" for a in ("ka", "lo", "mir", "ten") for b in ("sor", "vel", "dun")
        for c in ("pri", "ex", "bal", "ston")]


def generated_docs(count: int, seed: int) -> list[SearchDoc]:
    rng = random.Random(seed)
    vocab = COMMON * 6 + RARE

    def text(n: int) -> str:
        return " ".join(rng.choice(vocab) for _ in range(n))

    docs = []
    for i in range(count):
        faq = [FaqQuestion(text(5) + "?", f"q{j}", text(20)) for j in range(2)] if i % 7 == 0 else []
        docs.append(SearchDoc(
            id=f"a{i}", title=text(rng.randint(2, 6)).capitalize(), url=f"c/a{i}/",
            body=". ".join(text(rng.randint(5, 15)) for _ in range(rng.randint(2, 8))) + ".",
            description=text(8), keywords=rng.sample(vocab, 2), category="c",
            type="faq" if faq else "article", faq=faq,
        ))
    return docs


def queries(seed: int, count: int = 80) -> list[str]:
    rng = random.Random(seed)
    words = COMMON + RARE + ["acount", "pasword", "kasorpr", "how", "the", "can't", "a&b"]
    result = ["account", "account invoice", "payment payments paid", "refund refund", ""]
    result += [" ".join(rng.choice(words) for _ in range(rng.randint(1, 5))) for _ in range(count)]
    return result


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("fast-index")
    docs = generated_docs(160, seed=1)
    build_index(docs, path)
    # A second build with changed and removed articles: deleted entries, several segments.
    changed = generated_docs(160, seed=2)[:30]
    build_index(changed + docs[30:140], path)
    return path


def whoosh_ranked(monkeypatch, index_dir, ranking: Ranking, qs: list[str], limit: int):
    with monkeypatch.context() as patch:
        patch.setattr(SearchIndex, "_fast", property(lambda self: False))
        with open_index(index_dir, ranking) as idx:
            return [idx.search(q, limit) for q in qs]


@pytest.mark.parametrize("ranking", [
    Ranking(),
    Ranking(common_share=0.3, common_min_entries=1),  # pruning on, as in big help centers
], ids=["default", "pruned"])
@pytest.mark.parametrize("limit", [3, 10, 40])
def test_fast_scoring_gives_whoosh_ranking_scores_and_snippets(
        monkeypatch, index_dir, ranking, limit):
    qs = queries(seed=limit)
    expected = whoosh_ranked(monkeypatch, index_dir, ranking, qs, limit)
    with open_index(index_dir, ranking) as idx:
        assert idx._fast
        got = [idx.search(q, limit) for q in qs]
    assert got == expected
    assert sum(len(hits) for hits in got) > len(qs)  # the queries do find things


def test_a_rebuilt_index_is_searched_afresh_after_refresh(tmp_path):
    docs = generated_docs(40, seed=3)
    build_index(docs, tmp_path)
    with open_index(tmp_path) as idx:
        assert idx.search("account")  # postings of "account" now cached
        build_index([*docs, SearchDoc(id="new-one", title="Account zebra", url="z/",
                                      body="zebra account zebra")], tmp_path)
        assert "new-one" not in [h.id for h in idx.search("zebra account", 50)]
        assert idx.refresh()
        assert idx.search("zebra account")[0].id == "new-one"
