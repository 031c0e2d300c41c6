"""`kbgen feedback list|resolve|dismiss`: the feedback inbox from the command line."""

from __future__ import annotations

import json

import click

from kbgen import inbox
from kbgen.analytics import load_manifest
from kbgen.cli.options import config_option, db_option
from kbgen.errors import UsageError
from kbgen.project import load_project
from kbgen.reports.terminal import clip, visible
from kbgen.store import open_store

WIDTH = 120


def _open(config_file: str | None, db_url: str | None):
    project = load_project(config_file)
    return open_store(project.db_url(db_url)), load_manifest(project.manifest_path)


@click.group("feedback")
def feedback_group() -> None:
    """The feedback inbox: each "No" vote with a reason or comment, and its state."""


@feedback_group.command("list")
@click.option("--owner", help="Only articles this owner maintains (front matter `owner`).")
@click.option("--state", type=click.Choice(inbox.STATES), default=None,
              help="Only items in this state (default: all).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@config_option
@db_option
def list_command(owner, state, fmt, config_file, db_url) -> None:
    """List inbox items, newest first."""
    store, manifest = _open(config_file, db_url)
    try:
        found = inbox.items(store, manifest, owner=owner, state=state)
    finally:
        store.close()
    if fmt == "json":
        click.echo(json.dumps({"items": [_public(i) for i in found]}, ensure_ascii=False,
                              indent=1))
        return
    if not found:
        click.echo("No feedback items" + (f" in state {state}" if state else "") + ".")
        return
    click.echo(f"{'ID':<10}{'STATE':<11}{'SENT':<12}{'OWNER':<16}ARTICLE / WHAT WENT WRONG / "
               "COMMENT")
    for item in found:
        line = (f"{item['id'][:8]:<10}{item['state']:<11}{item['ts'][:10]:<12}"
                f"{clip(visible(item['owner'] or '-'), 15):<16}"
                f"{visible(item['title'] or item['article'])}: {item['reason_label']}. "
                f"{visible(item['comment'] or '')}")
        click.echo(clip(line.rstrip(), WIDTH))
    click.echo(f"{len(found)} item(s). Full ids: --format json.")


def _public(item: dict) -> dict:
    return {k: v for k, v in item.items() if k != "ts_ms"}


def _state_command(name: str, state: str, summary: str):
    @feedback_group.command(name, help=summary)
    @click.argument("ids", nargs=-1)
    @click.option("--note", help="What was done (shown in the inbox and the dashboard).")
    @click.option("--rev", metavar="REV", help="Every open item of the article this revision "
                  "belongs to that was sent before it (see `rev` in kbgen report --format json).")
    @config_option
    @db_option
    def command(ids, note, rev, config_file, db_url) -> None:
        if not ids and not rev:
            raise UsageError(f"Nothing to {name}. Fix: give item ids from `kbgen feedback "
                             "list`, or --rev REV for an article's items older than REV.")
        store, manifest = _open(config_file, db_url)
        try:
            chosen = inbox.match_ids(store, manifest, list(ids)) if ids else []
            if rev:
                article, older = inbox.older_than_revision(store, manifest, rev)
                click.echo(f"{len(older)} open item(s) of '{article}' older than {rev}.")
                chosen += [i for i in older if i not in chosen]
            count = inbox.set_state(store, chosen, state, note, rev) if chosen else 0
        finally:
            store.close()
        click.echo(f"Marked {count} item(s) {state}.")

    return command


resolve_command = _state_command("resolve", "resolved",
                                 "Mark items resolved: the article was fixed.")
dismiss_command = _state_command("dismiss", "dismissed",
                                 "Mark items dismissed: nothing to change in the article.")
reopen_command = _state_command("reopen", "open", "Open items again.")

commands = [feedback_group]
