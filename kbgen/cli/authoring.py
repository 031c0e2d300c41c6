"""Commands for support writers: init, new, check, build, serve."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from kbgen import scaffold, stats_file
from kbgen.cli.options import config_option, db_option
from kbgen.content import errors_in
from kbgen.errors import KbgenError
from kbgen.project import load_project
from kbgen.project_files import ensure_category_file

log = logging.getLogger("kbgen")


@click.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Create a new help center with a small working sample in DIRECTORY."""
    directory.mkdir(parents=True, exist_ok=True)
    written = scaffold.init(directory)
    click.echo(f"Created a help center in {directory} ({len(written)} files).")
    click.echo(f"Next: cd {directory} && kbgen serve")


@click.command()
@click.argument("title")
@click.option("--category", default="getting-started", show_default=True,
              help="Category folder under the content folder.")
@click.option("--type", "kind", default="article", show_default=True,
              type=click.Choice(scaffold.TYPES), help="Kind of page.")
@config_option
def new(title: str, category: str, kind: str, config_file: str | None) -> None:
    """Start a new article titled TITLE, as a draft; prints the path of the new file."""
    project = load_project(config_file)
    site = scaffold.load_or_fail(project.docs_dir, project.root, project.options.languages)
    path = scaffold.new_article(site, title, category, kind)
    shown = path.relative_to(project.root) if path.is_relative_to(project.root) else path
    click.echo(shown)
    made = ensure_category_file(project.docs_dir, category)  # a new category
    if made is not None:
        click.echo(f"New category: write its description in {shown.parent / made.name} "
                   "(shown under its title; 'kbgen check' warns until then).", err=True)
    click.echo(
        f"Next: replace every TODO in {shown} (description, owner, text), preview it with "
        "'kbgen serve' (drafts are shown there), then change 'status: draft' to "
        "'status: published' and run 'kbgen check'. Until then 'kbgen build' leaves it out.",
        err=True,
    )


@click.command()
@click.option("--strict", is_flag=True, help="Fail on warnings too (e.g. overdue reviews).")
@config_option
def check(strict: bool, config_file: str | None) -> None:
    """Check content, links, ids, review dates and search tests."""
    project = load_project(config_file)
    failed, _ = run_checks(project, strict)
    if failed:
        raise KbgenError(f"{failed} problem(s) found.")
    click.echo("Content is OK.", err=True)


def run_checks(project, strict: bool, search_tests: bool = True):
    """Print every problem; return how many fail the check, and the loaded content."""
    site = scaffold.load_or_fail(project.docs_dir, project.root, project.options.languages)
    errors = errors_in(site.problems, strict)
    for problem in sorted(site.problems, key=lambda p: (p.file, p.line or 0)):
        click.secho(str(problem), err=True, fg="red" if problem in errors else "yellow")
    # Evidence-triggered review (plugin option stats_file): warnings, never failures.
    for line in stats_file.check_warnings(project.options, project.config_file,
                                          site.published()):
        click.secho(line, err=True, fg="yellow")
    failed = len(errors)
    if search_tests and not errors:
        failed += _search_tests(project, strict, site)
    return failed, site


def _search_tests(project, strict: bool, site) -> int:
    """Run `search-tests.yml` against the default language's index and each
    `search-tests.<lang>.yml` against that language's (its `expect` ids: articles translated
    into it)."""
    try:
        from kbgen.search import open_index, run_search_tests
        from kbgen.search.build import language_index_dir
    except ImportError:
        return 0
    languages = project.options.languages
    runs = [(project.docs_dir / "search-tests.yml", project.index_dir, set(site.by_id), "")]
    for lang in languages[1:]:
        ids = {t.id for t in site.translations if t.lang == lang}
        runs.append((project.docs_dir / f"search-tests.{lang}.yml",
                     language_index_dir(project.state_dir, lang), ids, lang))
    failed = 0
    for tests_file, index_dir, known, lang in runs:
        if not tests_file.exists():
            continue
        if not index_dir.exists():
            click.secho(f"{tests_file.name}: skipped, no search index yet (run kbgen build).",
                        err=True, fg="yellow")
            failed += 1 if strict else 0
            continue
        failures = run_search_tests(tests_file, open_index(index_dir), known, lang)
        for failure in failures:
            click.secho(str(failure), err=True, fg="red")
        failed += len(failures)
    return failed


@click.command()
@click.option("--strict", is_flag=True, help="Fail on warnings too (e.g. overdue reviews).")
@click.option("--drafts", is_flag=True, help="Include articles with status: draft.")
@config_option
def build(strict: bool, drafts: bool, config_file: str | None) -> None:
    """Check the content, then build the site and the search index."""
    from kbgen.mkdocs_plugin.build import build_site

    project = load_project(config_file)
    failed, site = run_checks(project, strict, search_tests=False)
    if failed:
        raise KbgenError(f"{failed} problem(s) found; the site was not built and the previous "
                         "one is unchanged.")
    built = build_site(project.config_file, drafts=drafts, strict=strict, content=site)
    site_dir = built.site_dir
    failed = _search_tests(project, strict=False, site=site)
    if failed:
        raise KbgenError(f"{failed} search test(s) failed (the site was built).")
    click.echo(f"Built the site in {site_dir}", err=True)


@click.command()
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True,
              metavar="HOST:PORT", help="Address to serve the preview and help API on.")
@db_option
@config_option
def serve(dev_addr: str, db_url: str | None, config_file: str | None) -> None:
    """Live preview for writers, with the help API on the same origin (feedback is stored
    in the local database). Rebuilds and reloads on every save; drafts are shown."""
    from kbgen.preview.server import serve_preview

    serve_preview(load_project(config_file), dev_addr, db_url)


commands = [init, new, check, build, serve]
