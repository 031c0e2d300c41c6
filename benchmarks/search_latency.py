"""Search latency at 5,000 articles: in-process and through the /api/search route.

    .venv/bin/python benchmarks/search_latency.py [--articles 5000] [--queries 400] [--no-write]

Generates synthetic help articles (a Zipf-distributed vocabulary of made-up words plus common
help-center words, FAQ pages among them), builds the index with `build_index`, then times
`SearchIndex.search` (with snippets, as the API answers) and `GET /api/search` through the
ASGI app with httpx's in-process transport. Queries are 1-5 words taken from titles and
bodies, a fifth of them misspelled. Writes benchmarks/results/search_latency.md.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "benchmarks" / "results" / "search_latency.md"
sys.path.insert(0, str(REPO))

from kbgen.search import FaqQuestion, SearchDoc, build_index, open_index  # noqa: E402

COMMON = """account invoice payment client bank password email export import report tax
refund subscription plan team settings mobile app receipt expense card login error sync
notification template currency quote payout dispute reminder category transaction data
delete change add remove update create send open close reset connect install""".split()


def vocabulary(rng: random.Random, size: int = 8000) -> list[str]:
    syllables = ["ka", "lo", "mi", "ra", "ten", "sor", "vel", "dun", "pri", "ex", "bal",
                 "con", "ga", "ter", "nu", "fol", "ip", "zo", "mar", "qui", "ston", "ble"]
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    return COMMON + sorted(words)


_CUMULATIVE: dict[int, list[float]] = {}


def zipf_words(rng: random.Random, vocab: list[str], n: int) -> list[str]:
    if len(vocab) not in _CUMULATIVE:
        _CUMULATIVE[len(vocab)] = list(
            itertools.accumulate(1 / (rank + 1) for rank in range(len(vocab))))
    return rng.choices(vocab, cum_weights=_CUMULATIVE[len(vocab)], k=n)


def make_docs(count: int, seed: int = 7) -> list[SearchDoc]:
    rng = random.Random(seed)
    vocab = vocabulary(rng)
    docs = []
    for i in range(count):
        title = " ".join(zipf_words(rng, vocab, rng.randint(3, 7))).capitalize()
        body = " ".join(
            " ".join(zipf_words(rng, vocab, rng.randint(8, 20))) + "."
            for _ in range(rng.randint(10, 30))
        )
        faq = []
        if i % 10 == 0:
            faq = [
                FaqQuestion(" ".join(zipf_words(rng, vocab, 6)) + "?", f"q{j}",
                            " ".join(zipf_words(rng, vocab, 40)))
                for j in range(5)
            ]
        docs.append(SearchDoc(
            id=f"article-{i}", title=title, url=f"c{i % 12}/article-{i}/", body=body,
            description=body.split(".")[0] + ".", keywords=zipf_words(rng, vocab, 4),
            category=f"c{i % 12}", type="faq" if faq else "article", faq=faq,
        ))
    return docs


def make_queries(docs: list[SearchDoc], count: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    queries = []
    for _ in range(count):
        doc = rng.choice(docs)
        source = (doc.title + " " + doc.body[:400]).lower().replace(".", "").split()
        start = rng.randrange(max(1, len(source) - 5))
        words = source[start:start + rng.randint(1, 5)]
        if rng.random() < 0.2 and words:
            i = rng.randrange(len(words))
            word = words[i]
            if len(word) > 4:
                j = rng.randrange(1, len(word) - 1)
                words[i] = word[:j] + word[j + 1:]
        queries.append(" ".join(words))
    return queries


NOTES = """Timed with snippets (what the API returns). The machine (2 cores) was shared with
other jobs while measuring; rerun on an idle machine for stable numbers.

The p95 target is not met. The slow queries are the ones made only of words found in most
of the 7,500 entries (the synthetic vocabulary is Zipf-distributed, so "account", "payment",
"invoice" are in nearly every article): Whoosh then scores every matching entry in Python.
Queries with at least one rarer word use `Ranking.common_share` pruning (very common words
only add to the score of entries that match a rarer word; on from 2,000 entries) and take
10-20 ms. Before that pruning: p50 55 ms, p95 135 ms.
"""


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50": statistics.median(ordered),
        "p95": ordered[int(0.95 * (len(ordered) - 1))],
        "max": ordered[-1],
        "mean": statistics.fmean(ordered),
    }


def time_in_process(index_dir: Path, queries: list[str]) -> dict[str, float]:
    with open_index(index_dir) as idx:
        for query in queries[:20]:  # warm-up: caches, vocabulary for typo correction
            idx.search(query)
        samples = []
        for query in queries:
            start = time.perf_counter()
            idx.search(query, 10)
            samples.append((time.perf_counter() - start) * 1000)
    return percentiles(samples)


def time_http(index_dir: Path, queries: list[str]) -> dict[str, float]:
    import httpx
    from starlette.applications import Starlette

    from kbgen.api.search_routes import search_routes

    app = Starlette(routes=search_routes(index_dir))

    async def run() -> list[float]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for query in queries[:20]:
                await client.get("/api/search", params={"q": query})
            samples = []
            for query in queries:
                start = time.perf_counter()
                response = await client.get("/api/search", params={"q": query, "limit": 10})
                samples.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, response.text
            return samples

    return percentiles(asyncio.run(run()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    docs = make_docs(args.articles)
    queries = make_queries(docs, args.queries)
    with tempfile.TemporaryDirectory(prefix="kbgen-latency-") as tmp:
        index_dir = Path(tmp) / "search-index"
        start = time.perf_counter()
        build_index(docs, index_dir)
        build_s = time.perf_counter() - start
        start = time.perf_counter()
        build_index(docs, index_dir)
        rebuild_s = time.perf_counter() - start
        in_process = time_in_process(index_dir, queries)
        http = time_http(index_dir, queries)
    rows = [("in-process `SearchIndex.search`", in_process), ("`GET /api/search` (ASGI)", http)]
    table = "\n".join(
        ["| path | p50 ms | p95 ms | max ms | mean ms |", "|---|---|---|---|---|"]
        + [f"| {name} | {m['p50']:.1f} | {m['p95']:.1f} | {m['max']:.1f} | {m['mean']:.1f} |"
           for name, m in rows]
    )
    summary = (f"{args.articles} articles ({sum(len(d.faq) for d in docs)} FAQ questions), "
               f"{len(queries)} queries; full build {build_s:.1f} s, "
               f"unchanged rebuild {rebuild_s:.1f} s")
    print(summary)
    print(table)
    if not args.no_write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(
            f"# Search latency\n\nProduced by `benchmarks/search_latency.py` on "
            f"{time.strftime('%Y-%m-%d')}: {summary}. Target: p95 <= 20 ms.\n\n{table}\n\n"
            + NOTES,
            "utf-8",
        )
        print(f"wrote {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
