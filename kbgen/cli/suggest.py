"""`kbgen suggest [--db URL] [--since D] [--until D] [--min-sessions N] [--diff | --apply]`."""

from __future__ import annotations

import click

from kbgen.analytics import build_report, make_window
from kbgen.cli.options import config_option, db_option
from kbgen.errors import KbgenError, UsageError
from kbgen.project import load_project
from kbgen.reports.terminal import visible
from kbgen.store import open_store

KIND_TEXT = {
    "reformulation": "opened none of its results, then clicked this article from another "
                     "search",
    "no_click": "saw results and opened none; this article, the best match, holds few of "
                "its words",
    "unfound": "contacted support about it without reaching this article",
}


@click.command("suggest")
@db_option
@click.option("--since", metavar="D", help="Start (included): YYYY-MM-DD or ISO 8601 time, UTC. "
              "Default: 30 days before --until.")
@click.option("--until", metavar="D", help="End (excluded): YYYY-MM-DD or ISO 8601 time, UTC. "
              "Default: the end of today.")
@click.option("--min-sessions", type=click.IntRange(1), default=None, metavar="N",
              help="Distinct sessions a suggestion needs (default: 3).")
@click.option("--diff", "as_diff", is_flag=True,
              help="Print the edits as a unified diff (for git apply or patch -p1).")
@click.option("--apply", "apply_", is_flag=True,
              help="Edit the articles and search-tests.yml in place.")
@config_option
def suggest(db_url: str | None, since: str | None, until: str | None,
            min_sessions: int | None, as_diff: bool, apply_: bool,
            config_file: str | None) -> None:
    """Keywords and search tests to add, from the words customers searched with.

    Customers who searched "X", found nothing they opened, and then reached article A
    another way use "X" for A: kbgen proposes "X" as a keyword of A and a search test
    "X" -> A, each with its evidence (sessions, query).
    """
    from kbgen.content.problems import errors_in
    from kbgen.scaffold import load_or_fail
    from kbgen.search import open_index
    from kbgen.search.tests_file import load_search_tests
    from kbgen.suggest import changes as edits
    from kbgen.suggest import evidence, plan
    from kbgen.suggest.diff import unified
    from kbgen.suggest.words import same

    if as_diff and apply_:
        raise UsageError("--diff and --apply cannot be combined. Fix: print the diff first, "
                         "then run again with --apply.")
    window = make_window(since, until)
    project = load_project(config_file)
    site = load_or_fail(project.docs_dir, project.root, project.options.languages)
    if errors_in(site.problems):
        raise KbgenError("The content has errors; suggestions would build on them. Fix: run "
                         "`kbgen check` and correct them first.")
    if not project.index_dir.exists():
        raise UsageError("No search index yet. Fix: run `kbgen build` first.")
    minimum = min_sessions or plan.DEFAULT_MIN_SESSIONS
    store = open_store(project.db_url(db_url))
    try:
        report = build_report(store, window)
        found = evidence.gather(report, store, window)
    finally:
        store.close()
    tests_file = project.docs_dir / edits.TESTS_FILE
    existing = set()
    if tests_file.exists():
        existing = {(same(t.query), t.expect) for t in load_search_tests(tests_file)[0]}
    with open_index(project.index_dir) as idx:
        the_plan = plan.make_plan(found, site, existing, idx, minimum)
    changes = edits.plan_changes(the_plan, project, site)
    if as_diff:
        click.echo("".join(unified(c.rel, c.before, c.after) for c in changes.files), nl=False)
    else:
        docs = edits.rel(project.docs_dir, project)
        click.echo(_listing(the_plan, window, minimum, docs))
    for note in changes.notes:
        click.secho(visible(note), err=True, fg="yellow")
    if apply_:
        edits.apply_changes(changes, project)
        click.echo(f"Edited {len(changes.files)} file(s). Run `kbgen check`, review with "
                   "`git diff`, then `kbgen build` to publish.", err=True)
    if changes.notes and apply_:
        raise KbgenError("Some suggestions could not be applied (see above).")


def _listing(the_plan, window, minimum: int, docs: str) -> str:
    since, until = window.as_dict()["since"], window.as_dict()["until"]
    lines = [f"Suggestions from customers' searches, {since} to {until} (until excluded), "
             f"at least {minimum} sessions each:"]
    if not the_plan.suggestions:
        lines.append("  none.")
    shown = None
    for s in sorted(the_plan.suggestions, key=lambda s: s.article):
        words = visible(s.words)
        if s.article != shown:
            shown = s.article
            lines += ["", f"{s.article}  ({visible(docs)}/{visible(s.src)})"]
        if s.keyword:
            lines.append(f'  + keyword "{words}"')
        if s.test:
            lines.append(f'  + search test "{words}" -> {s.article}')
        elif s.note:
            lines.append(f"    ({visible(s.note)})")
        for e in s.evidence:
            lines.append(f'    evidence: {e.sessions} session(s) searched "{visible(e.query)}",'
                         f" {KIND_TEXT.get(e.kind, e.kind)}")
    if the_plan.skipped_texts or the_plan.below_threshold:
        lines.append("")
        lines.append(f"Left out: {the_plan.below_threshold} with fewer than {minimum} "
                     f"sessions, {the_plan.skipped_texts} customer text(s) that are not plain "
                     "short phrases (possible personal data, links or markup; not shown).")
    return "\n".join(lines)


commands = [suggest]
