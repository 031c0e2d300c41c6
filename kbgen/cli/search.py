"""`kbgen search QUERY [--limit N] [--json]`, and the batch form `kbgen search --json -`."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import TextIO

import click

from kbgen.cli.options import config_option
from kbgen.errors import UsageError
from kbgen.project import load_project
from kbgen.search import Hit, SearchIndex, open_index
from kbgen.search.build import language_index_dir


def result_object(query: str, hits: list[Hit]) -> dict:
    """The stable JSON shape of SPEC.md's "Machine-readable outputs"."""
    return {
        "query": query,
        "results": [
            {"id": hit.id, "title": hit.title, "url": hit.url, "score": hit.score}
            for hit in hits
        ],
    }


def run_batch(idx: SearchIndex, lines: Iterable[str], out: TextIO, limit: int) -> None:
    """One JSON object per input line, in order, flushed as it goes."""
    for line in lines:
        query = line.rstrip("\r\n")
        hits = idx.search(query, limit, snippets=False)
        out.write(json.dumps(result_object(query, hits)) + "\n")
        out.flush()


def _print_hits(query: str, hits: list[Hit]) -> None:
    if not hits:
        click.echo(f'No articles match "{query}".')
        return
    for rank, hit in enumerate(hits, 1):
        click.echo(f"{rank:>2}. {hit.title}  [{hit.id}]  {hit.score:.2f}")
        click.echo(f"    {hit.url}")
        if hit.snippet:
            click.echo(f"    {hit.snippet}")


@click.command("search")
@click.argument("query")
@click.option("-n", "--limit", default=10, show_default=True, type=click.IntRange(1, 1000),
              help="How many articles to show.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (one object per query).")
@click.option("--static", "static", is_flag=True,
              help="Rank as the static site's search box does without a help API (the "
                   "lexical ranking with the build's static vectors, if it fitted them).")
@click.option("--lang", default=None, metavar="LANG",
              help="Search this language's articles (a code of the `languages` option; "
              "default: the default language).")
@config_option
def search(query: str, limit: int, as_json: bool, static: bool, lang: str | None,
           config_file: str | None) -> None:
    """Search the built help center like a customer would.

    QUERY '-' reads one query per line from standard input (the index is loaded once);
    with --json each query prints one JSON object per line.
    """
    project = load_project(config_file)
    index_dir = project.index_dir
    languages = project.options.languages
    if lang is not None and lang != (languages[0] if languages else None):
        if lang not in languages[1:]:
            known = ", ".join(languages) or "none declared"
            raise UsageError(f"--lang {lang}: not a language of this help center ({known}). "
                             "Fix: use one of them, or add it to 'languages' in mkdocs.yml.")
        index_dir = language_index_dir(index_dir.parent, lang)
    with open_index(index_dir, static=static) as idx:
        if query == "-":
            if as_json:
                run_batch(idx, sys.stdin, sys.stdout, limit)
                return
            for line in sys.stdin:
                text = line.rstrip("\r\n")
                click.echo(f"# {text}")
                _print_hits(text, idx.search(text, limit))
            return
        hits = idx.search(query, limit, snippets=not as_json)
        if as_json:
            click.echo(json.dumps(result_object(query, hits)))
        else:
            _print_hits(query, hits)


commands = [search]
