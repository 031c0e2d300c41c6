"""`kbgen db migrate` and `kbgen db status`: the store's schema version, for either engine."""

from __future__ import annotations

import click

from kbgen.cli.events import resolve_db_url
from kbgen.cli.options import config_option, db_option
from kbgen.cli.rollups import ROLLUPS_VERSION, prepare_written_days
from kbgen.errors import KbgenError
from kbgen.store import open_store, versions


@click.group("db")
def db_group() -> None:
    """Manage the events database's schema (SQLite or PostgreSQL)."""


@db_group.command("migrate")
@config_option
@db_option
def migrate_command(config_file, db_url) -> None:
    """Bring the database's schema to this kbgen's version (safe to run again).

    Run it once per release before starting `kbgen api` on PostgreSQL; concurrent runs
    wait for each other. SQLite databases also migrate themselves when opened.
    """
    url = resolve_db_url(config_file, db_url)
    before, after = versions.migrate(url)
    if before.version == after.version:
        click.echo(f"Database {after.where} is at schema version {after.version}; "
                   "nothing to do.")
        return
    click.echo(f"Migrated database {after.where} from schema version {before.version} "
               f"to {after.version}.")
    if before.version < ROLLUPS_VERSION <= after.version:
        # Every day's rollup starts stale: compute them now rather than in the first report.
        store = open_store(url)
        try:
            prepare_written_days(store, None)
        finally:
            store.close()


@db_group.command("status")
@config_option
@db_option
def status_command(config_file, db_url) -> None:
    """Print the schema version; exit 1 when `kbgen db migrate` is needed."""
    found = versions.status(resolve_db_url(config_file, db_url))
    click.echo(f"Database {found.where}: schema version {found.version} "
               f"(this kbgen: {found.latest}).")
    if found.version < found.latest:
        raise KbgenError("The schema is behind. Fix: run `kbgen db migrate`.")
    if found.version > found.latest:
        raise KbgenError("The schema is newer than this kbgen. Fix: upgrade kbgen.")


commands = [db_group]
