"""Everything search needs from a build, computed from the content alone, beside the pages.

A build writes three search outputs: the engine's index (`.kbgen/search-index`, with the
optional semantic re-ranker's vectors), related articles (which article pages list) and the
browser index (`site/search/kb/`). None of them
depends on rendered pages, only on the articles, so `SearchBuild` computes them in a worker
process while MkDocs renders the pages in the build's own process: on a machine with two
cores or more the search work is then off the build's critical path (plain mkdocs-material
uses one core). Each article's text is analysed once for all three (`kbgen.search.terms`).

The build stays atomic: the browser index is written into the build's staging site folder,
which the caller only swaps in after the worker has finished; a worker failure is raised in
the build (`SearchBuildError`), and a failed build stops the worker.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kbgen.errors import KbgenError
from kbgen.files import write_json_atomic

if TYPE_CHECKING:
    from kbgen.search.docs import ArticleText, SearchDoc

log = logging.getLogger(__name__)

Related = dict[str, list[str]]


class SearchBuildError(KbgenError):
    """The search outputs could not be built (the message says why)."""


@dataclass
class SearchJob:
    """What the search outputs are built from; picklable, so it can go to a worker."""

    articles: Sequence[ArticleText]  # kbgen.content.Article (or SearchDoc) of published ones
    categories: Mapping[str, str]  # category slug -> title
    state_dir: Path  # .kbgen/: the engine's index and the related-articles cache
    site_dir: Path  # where the browser index goes (site_dir/search/kb/)
    related_count: int
    # The semantic re-ranker's model folder (`kbgen.search.semantic.model_folder`), or None:
    # no entry vectors (and any old ones are removed).
    semantic_model: Path | None = None
    # The other languages (kbgen.content.languages): language -> its published translations
    # and its category titles. Each gets its own engine index (.kbgen/search-index-<lang>)
    # and browser index (site_dir/<lang>/search/kb/), analysed in that language; the
    # semantic re-ranker's model is English, so they have no vectors.
    languages: Mapping[str, Sequence[ArticleText]] = field(default_factory=dict)
    language_categories: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


def run(job: SearchJob, send_related: Callable[[Related], None] | None = None) -> Related:
    """Build the engine's index, related articles and the browser index, in this process.

    `send_related` is called as soon as related articles are known (the pages need them;
    the indexes are only needed when the build finishes).
    """
    from kbgen.search.browser_index import write_browser_index
    from kbgen.search.category_titles import write_titles
    from kbgen.search.docs import SearchDoc, doc_from_article
    from kbgen.search.engine import build_index
    from kbgen.search.related import related_ids
    from kbgen.search.terms import analyse

    cache = job.state_dir / "related.json"
    key = related_key(job.articles, job.related_count)
    related = _cached_related(cache, key)
    if related is not None and send_related:
        send_related(related)
    docs = [a if isinstance(a, SearchDoc) else doc_from_article(a) for a in job.articles]
    warming = _warm_static(docs, job.state_dir / "search-index", job.semantic_model)
    analysed = analyse(docs)
    if related is None:
        related = related_ids(docs, job.related_count, analysed)
        _write_json(cache, {"key": key, "related": related})
        if send_related:
            send_related(related)
    build_index(docs, job.state_dir / "search-index", analysed)
    write_titles(job.state_dir / "search-index", job.categories)
    if warming is not None:
        warming.join()
    _semantic_vectors(docs, job.state_dir / "search-index", job.semantic_model)
    vectors = _static_vectors(docs, job.state_dir / "search-index", job.semantic_model)
    write_browser_index(docs, job.site_dir, job.categories, analysed, vectors=vectors)
    for lang, articles in job.languages.items():
        _language_indexes(job, lang, articles)
    return related


def language_index_dir(state_dir: Path, lang: str | None) -> Path:
    """The engine's index of language `lang` (None: the default language)."""
    return state_dir / (f"search-index-{lang}" if lang else "search-index")


def _language_indexes(job: SearchJob, lang: str, articles: Sequence[ArticleText]) -> None:
    from kbgen.search import semantic
    from kbgen.search.analysis import language
    from kbgen.search.browser_index import write_browser_index
    from kbgen.search.docs import SearchDoc, doc_from_article
    from kbgen.search.engine import build_index
    from kbgen.search.terms import analyse

    with language(lang):
        docs = [a if isinstance(a, SearchDoc) else doc_from_article(a) for a in articles]
        analysed = analyse(docs)
        index_dir = language_index_dir(job.state_dir, lang)
        build_index(docs, index_dir, analysed)
        semantic.remove_vectors(index_dir)
        write_browser_index(docs, job.site_dir / lang, job.language_categories.get(lang, {}),
                            analysed)


def _semantic_vectors(docs: Sequence[SearchDoc], index_dir: Path, model: Path | None) -> None:
    from kbgen.search import semantic
    from kbgen.search.docs import entries

    if model is None:
        semantic.remove_vectors(index_dir)
        return
    started = time.perf_counter()
    computed = semantic.write_vectors(
        index_dir, [entry for doc in docs for entry in entries(doc)], model)
    if computed:
        log.info("semantic search: %d entries embedded in %.1f s", computed,
                 time.perf_counter() - started)


def _fit_switched_off() -> bool:
    """Benchmarks only: the same build without the fit, to measure its cost."""
    from kbgen.search import static_vectors

    return os.environ.get(static_vectors.SWITCH_ENV, "").strip() == "off"


def _fit_wanted(model: Path | None) -> bool:
    from kbgen.search import static_vectors

    return model is not None and static_vectors.available() and not _fit_switched_off()


def _warm_static(docs: Sequence[SearchDoc], index_dir: Path, model: Path | None
                 ) -> threading.Thread | None:
    """Start embedding the static fit's sentences (`static_vectors.warm`) in a thread: the
    model then runs while this process analyses and indexes the articles (ONNX Runtime
    releases the GIL), not at the end of the build, where the pages wait for it. A failure
    only costs that head start (the fit embeds what is missing, and reports errors)."""
    if not _fit_wanted(model):
        return None
    assert model is not None  # _fit_wanted
    from kbgen.search.docs import entries
    from kbgen.search.static_vectors import warm

    items = [entry for doc in docs for entry in entries(doc)]

    def run() -> None:
        try:
            warm(items, model, index_dir)
        except Exception as exc:  # the fit itself reports it, with the build's context
            log.debug("embedding the static fit's sentences ahead failed: %s", exc)

    thread = threading.Thread(target=run, name="kbgen-static-warm", daemon=True)
    thread.start()
    return thread


def _static_vectors(docs: Sequence[SearchDoc], index_dir: Path, model: Path | None):
    """The static search by meaning's vectors (`kbgen.search.static_vectors`), or None
    without the model (the browser index is then lexical)."""
    from kbgen.search import static_vectors

    if _fit_switched_off():
        model = None
    if model is not None and not static_vectors.available():
        log.warning("the static site's search by meaning needs SciPy (an older install of "
                    "the semantic extra lacks it); its search stays lexical until: %s",
                    "pip install 'kbgen[semantic]'")
        model = None
    return static_vectors.update(docs, index_dir, model)


def related_key(articles: Sequence[ArticleText], per_article: int) -> str:
    """Changes whenever any article's compared text, or the way of comparing, changes."""
    from kbgen.search.whoosh_store import INDEX_VERSION

    digest = hashlib.sha256(f"{INDEX_VERSION}|{per_article}".encode())
    for a in sorted(articles, key=lambda a: a.id):
        for part in (a.id, a.title, a.description, a.category, a.url, *a.keywords, *a.tags,
                     a.body):
            digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
        digest.update(b"\1")
    return digest.hexdigest()


def _cached_related(cache: Path, key: str) -> Related | None:
    try:
        cached = json.loads(cache.read_text(encoding="utf-8"))
        if cached.get("key") == key:
            return cached["related"]
    except (OSError, ValueError, AttributeError, KeyError):
        pass
    return None


def _write_json(path: Path, value: object) -> None:
    write_json_atomic(path, value, compact=True)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, KbgenError):
        return str(exc)
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.strerror or exc} ({exc.filename})"
    return f"{type(exc).__name__}: {exc}"


def parallel_available() -> bool:
    """True if this process may use more than one CPU (a worker then runs beside it)."""
    try:
        return len(os.sched_getaffinity(0)) > 1
    except AttributeError:  # not on Linux
        return (os.cpu_count() or 1) > 1


class SearchBuild:
    """The search outputs of one build, computed in a worker process (or in this process
    when only one CPU is available, or `parallel=False`).

    start() -> related() when the pages need related articles -> finish() before the
    build is swapped in; cancel() if the build fails.

    The worker is `python -m kbgen.search.build`, not multiprocessing: no fork of a process
    whose server threads run (`kbgen serve`), and no re-import of the caller's main module.
    The job goes to its stdin and its messages come back on its stdout, pickled (the
    worker is this same program); its log goes to the build's stderr.
    """

    def __init__(self, job: SearchJob, parallel: bool | None = None):
        self.job = job
        self.parallel = parallel_available() if parallel is None else parallel
        self._related: Related | None = None
        self._done = False
        self._process: subprocess.Popen | None = None
        self._sender: threading.Thread | None = None

    def start(self) -> SearchBuild:
        if not self.parallel:
            try:
                self._related = run(self.job)
            except KbgenError:
                raise
            except Exception as exc:
                raise SearchBuildError(
                    f"Building the search index failed: {_describe(exc)}") from exc
            self._done = True
            return self
        package_root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (package_root, env.get("PYTHONPATH")) if p)
        level = logging.getLogger("kbgen").getEffectiveLevel()
        self._process = subprocess.Popen(
            [sys.executable, "-m", "kbgen.search.build", str(level)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
        )
        # Handed over by a thread: the pages need not wait while the worker starts up.
        payload = pickle.dumps(self.job, protocol=pickle.HIGHEST_PROTOCOL)
        self._sender = threading.Thread(target=_send_job, args=(self._process.stdin, payload),
                                        name="kbgen-search-job", daemon=True)
        self._sender.start()
        return self

    def related(self) -> Related:
        """Related articles (waits for the worker to compute them)."""
        while self._related is None:
            self._receive()
        return self._related

    def finish(self) -> None:
        """Wait until the engine's index and the browser index are written."""
        started = time.perf_counter()
        while not self._done:
            self._receive()
        self._close()
        log.debug("the pages waited %.1f s for the search worker",
                  time.perf_counter() - started)

    def cancel(self) -> None:
        """Stop the worker (the build failed; its staging folder is being removed)."""
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
        self._close()

    def _receive(self) -> None:
        if self._process is None:
            raise SearchBuildError("The search build was stopped.")
        assert self._process.stdout is not None  # started with stdout=PIPE
        try:
            kind, value = pickle.load(self._process.stdout)
        except (EOFError, OSError, pickle.UnpicklingError):
            code = self._close()
            raise SearchBuildError(
                f"The search index worker stopped unexpectedly (exit code {code}); "
                "run the build again, and report it if it keeps happening."
            ) from None
        if kind == "related":
            self._related = value
        elif kind == "done":
            self._done = True
        else:
            message, details = value
            self._close()
            log.debug("search build failed in the worker:\n%s", details)
            raise SearchBuildError(f"Building the search index failed: {message}")

    def _close(self) -> int | None:
        process, self._process = self._process, None
        if process is None:
            return None
        assert process.stdout is not None  # started with stdout=PIPE
        process.stdout.close()
        if self._sender is not None:
            self._sender.join()
        try:
            return process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            return process.wait()


def _send_job(stdin, payload: bytes) -> None:
    try:
        with stdin:
            stdin.write(payload)
    except OSError:
        pass  # the worker stopped at once; SearchBuild._receive reports its exit code


def _worker_main(argv: list[str]) -> int:
    """The worker process: read the job, report related articles, then done (or the error)."""
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything printed goes to the build's stderr, not into the messages
    logging.basicConfig(level=int(argv[0]) if argv else logging.INFO,
                        format="%(levelname)-7s -  %(message)s", stream=sys.stderr)

    def send(kind: str, value: object) -> None:
        pickle.dump((kind, value), out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()

    try:
        job = pickle.load(sys.stdin.buffer)
        run(job, lambda related: send("related", related))
        send("done", None)
    except BaseException as exc:  # reported to the build, which fails cleanly
        send("error", (_describe(exc), traceback.format_exc()))
        return 1
    finally:
        out.close()
    return 0


if __name__ == "__main__":
    sys.exit(_worker_main(sys.argv[1:]))
