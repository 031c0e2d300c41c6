"""`kbgen notify [--dry-run] [--retry-now]`: send each owner a digest of what is new."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from kbgen.analytics import load_manifest
from kbgen.cli.options import config_option, db_option
from kbgen.notify import formats
from kbgen.notify.run import run
from kbgen.notify.targets import parse_targets
from kbgen.project import load_project
from kbgen.store import open_store


@click.command("notify")
@click.option("--dry-run", is_flag=True, help="Print the digests that would be queued and "
              "sent; store and send nothing.")
@click.option("--retry-now", is_flag=True, help="Retry failed deliveries at once instead of "
              "waiting for their backoff (after fixing a receiver).")
@config_option
@db_option
def notify(dry_run: bool, retry_now: bool, config_file, db_url) -> None:
    """Queue and send each owner's digest (targets: the plugin's `notify` option).

    Exits 1 when a delivery failed (it is kept and retried by the next run)."""
    project = load_project(config_file)
    targets = parse_targets(project.options.notify, str(project.config_file))
    if not targets:
        click.echo(f"No notify targets in {project.config_file}: nothing to do. See "
                   "docs/loop.md.")
        return
    threshold = project.options.review_csat_below
    manifest = load_manifest(project.manifest_path)
    store = open_store(project.db_url(db_url))
    try:
        result = run(store, manifest, targets, threshold, dry_run=dry_run,
                     retry_now=retry_now, project=project)
    finally:
        store.close()
    if dry_run:
        for target, d in result.queued:
            body = d.body(project.site_name, "")
            click.echo(f"Would send to {target.label}: {formats.summary(body)}")
            click.echo(formats.as_text(body))
        if not result.queued:
            click.echo("Nothing new for any target.")
        return
    for target, d in result.queued:
        summary = formats.summary(d.body(project.site_name, ""))
        click.echo(f"Queued digest {d.key[:12]} for {target.label}: {summary}")
    for label, key in result.sent:
        click.echo(f"Sent digest {key[:12]} to {label}")
    for label, key, error, retry_at in result.failed:
        when = datetime.fromtimestamp(retry_at / 1000, UTC).strftime("%H:%M:%S UTC")
        click.echo(f"Failed to send digest {key[:12]} to {label}: {error}. Kept; the first "
                   f"run after {when} retries it (--retry-now: at once).", err=True)
    click.echo(f"{len(result.sent)} sent, {len(result.failed)} failed, "
               f"{len(result.waiting)} waiting for a retry.")
    if result.failed:
        raise click.exceptions.Exit(1)


commands = [notify]
