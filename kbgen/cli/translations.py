"""`kbgen translations [--format table|json]`: missing and stale translations per language;
`kbgen translations mark-current FILE…` and `kbgen translations minor-edit SOURCE…`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kbgen import stats_file
from kbgen.cli.options import config_option
from kbgen.content import revisions
from kbgen.content import translation_status as status_mod
from kbgen.content.revisions import article_revision
from kbgen.errors import KbgenError, UsageError
from kbgen.project import load_project
from kbgen.scaffold import load_or_fail


def _load(config_file: str | None):
    project = load_project(config_file)
    if len(project.options.languages) < 2:
        raise UsageError(f"{project.config_file} declares one language. Fix: add e.g. "
                         "'languages: [en, de]' under the kbgen plugin (docs/languages.md).")
    site = load_or_fail(project.docs_dir, project.root, project.options.languages)
    return project, site


def _namer(project):
    def name(rel: str) -> str:
        path = project.docs_dir / rel
        return path.relative_to(project.root).as_posix() if path.is_relative_to(
            project.root) else str(path)
    return name


def _traffic(project) -> dict[str, int]:
    """Views per article from the plugin's stats_file, when it has one."""
    if not project.options.stats_file:
        return {}
    path = project.root / project.options.stats_file
    if not path.is_file():
        return {}
    return {key: value.view_sessions for key, value in stats_file.load(path).items()}


@click.group("translations", invoke_without_command=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@config_option
@click.pass_context
def translations(ctx: click.Context, fmt: str, config_file: str | None) -> None:
    """Missing and stale translations per language, the most read sources first (when the
    stats_file has views). Stale: the source changed since the revision in
    `translated_from`."""
    if ctx.invoked_subcommand is not None:
        return
    project, site = _load(config_file)
    result = status_mod.status(site, _namer(project), _traffic(project))
    if fmt == "json":
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    click.echo(f"Languages: {', '.join(result['languages'])} (default {site.default_language})")
    for lang in site.other_languages:
        stale = [s for s in result["stale"] if s["lang"] == lang]
        missing = [m for m in result["missing"] if m["lang"] == lang]
        total = len(site.published())
        click.echo(f"\n{lang}: {total - len(missing)} of {total} articles translated, "
                   f"{len(stale)} stale, {len(missing)} missing")
        for item in stale:
            click.echo(f"  stale    {item['id']:<32} {item['file']} (translated from "
                       f"{item['translated_from'] or 'unknown'}, source now {item['current']})")
        for item in missing:
            click.echo(f"  missing  {item['id']}")


@translations.command("mark-current")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@config_option
def mark_current(files: tuple[Path, ...], config_file: str | None) -> None:
    """Record that these translations match their source now (translated_from := the
    source's current revision)."""
    project, site = _load(config_file)
    by_path = {a.path.resolve(): a for a in site.translations}
    name = _namer(project)
    for file in files:
        translation = by_path.get(file.resolve())
        if translation is None:
            raise UsageError(f"{file} is not a translation of this help center. Fix: give a "
                             "<name>.<lang>.md file beside its source (kbgen check lists "
                             "problems).")
        source = site.by_src.get(translation.source_src)
        if source is None:
            raise KbgenError(f"{name(translation.src)}: its source "
                             f"'{name(translation.source_src)}' does not exist.")
        _write(translation, article_revision(source), name)


@translations.command("minor-edit")
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@config_option
def minor_edit(sources: tuple[Path, ...], config_file: str | None) -> None:
    """Say the last edit of these source articles (a typo fix) needs no re-translation: their
    translations that matched the revision before it are marked current. Translations that
    were behind already stay stale."""
    project, site = _load(config_file)
    by_path = {a.path.resolve(): a for a in site.articles}
    history = revisions.load_history(project.state_dir)
    name = _namer(project)
    for file in sources:
        source = by_path.get(file.resolve())
        if source is None:
            raise UsageError(f"{file} is not a source article of this help center. Fix: give "
                             "the default language's file (<name>.md), not a translation.")
        current = article_revision(source)
        previous = status_mod.previous_revision(history.get(source.id, []), current)
        for lang, translation in sorted(site.translations_of(source.id).items()):
            if translation.translated_from == current:
                click.echo(f"{name(translation.src)}: already current")
            elif previous is not None and translation.translated_from == previous:
                _write(translation, current, name)
            else:
                why = ("no earlier revision of the source is recorded (build once before "
                       "editing, or use 'mark-current')" if previous is None else
                       "it was behind the source before this edit: translate it")
                click.echo(f"{name(translation.src)}: left stale ({lang}): {why}")


def _write(translation, revision: str, name) -> None:
    try:
        status_mod.set_translated_from(translation.path, revision)
    except (OSError, ValueError) as exc:
        raise KbgenError(f"{name(translation.src)}: cannot record the revision: {exc}. Fix: "
                         f"write 'translated_from: \"{revision}\"' in its front matter.") from None
    click.echo(f"{name(translation.src)}: translated_from {revision} (current)")


commands = [translations]
