"""`kbgen tickets import FILE.csv [--db URL] [--map col=field ...] [--preset zendesk|freshdesk]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from kbgen.cli.events import resolve_db_url
from kbgen.cli.options import config_option, db_option
from kbgen.cli.rollups import prepare_written_days
from kbgen.errors import KbgenError
from kbgen.reports.terminal import visible
from kbgen.store import open_store
from kbgen.tickets import PRESETS, TicketImport, import_tickets, parse_mapping

MAX_SHOWN = 20


@click.group("tickets")
def tickets_group() -> None:
    """Helpdesk tickets, joined to help-center sessions so they count as contacts."""


@tickets_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@db_option
@click.option("--preset", type=click.Choice(sorted(PRESETS)),
              help="Column names of this helpdesk's CSV export.")
@click.option("--map", "maps", multiple=True, metavar="COLUMN=FIELD",
              help="Read FIELD (ticket_id, ts, subject, body, session, article) from COLUMN; "
              "repeatable.")
@config_option
def import_command(file: Path, db_url: str | None, preset: str | None, maps: tuple[str, ...],
                   config_file: str | None) -> None:
    """Import a helpdesk CSV export; rows keep their ticket id, known ids are skipped.

    The session comes from the ticket's kb_session field. Tickets without one, or whose
    session has no events, are stored and counted but cannot join a session.
    """
    mapping = parse_mapping(maps)
    store = open_store(resolve_db_url(config_file, db_url))
    stored: list[dict[str, Any]] = []
    try:
        result = import_tickets(store, file, preset, mapping, on_stored=stored.extend)
        problem = _report(file, result)
        # The stored tickets' days and texts, bad rows or not.
        prepare_written_days(store, result.days)
        _keep_vectors(store, stored, config_file)
    finally:
        store.close()
    if problem:
        raise KbgenError(problem)


def _keep_vectors(store: Any, tickets: list[dict[str, Any]], config_file: str | None) -> None:
    """With the semantic model installed, embed the tickets' texts now (kept in the store),
    so the first contact-drivers report does not wait for them."""
    from kbgen.drivers.report import available

    if not tickets or not available():
        return
    from kbgen.drivers.vectors import keep_ticket_vectors
    from kbgen.project import load_project

    try:
        project = load_project(config_file)
        setting, base = project.options.semantic_search, project.root
    except KbgenError:  # --db without a help center: the installed model, if any
        setting, base = "auto", None
    embedded = keep_ticket_vectors(store, tickets, setting, base)
    if embedded:
        click.echo(f"Embedded {embedded} new ticket texts for the contact-drivers report "
                   "(semantic model; kept in the store).", err=True)


def _report(file: Path, r: TicketImport) -> str | None:
    """Print what the import did; the error to raise when rows were not imported."""
    if r.repaired:
        shown = ", ".join(map(str, r.repaired[:MAX_SHOWN]))
        more = f" and {len(r.repaired) - MAX_SHOWN} more" if len(r.repaired) > MAX_SHOWN else ""
        click.echo(f"Replaced NUL characters with U+FFFD in {len(r.repaired)} rows of "
                   f"{visible(file)} (stores do not keep NUL in text): lines {shown}{more}.",
                   err=True)
    for line, problem in r.invalid[:MAX_SHOWN]:
        click.echo(f"{visible(file)}:{line}: {visible(problem)}", err=True)
    if len(r.invalid) > MAX_SHOWN:
        click.echo(f"... and {len(r.invalid) - MAX_SHOWN} more bad rows", err=True)
    click.echo(
        f"Imported {r.stored} new tickets from {visible(file)} ({r.read} rows read, "
        f"{r.duplicates} already stored, {len(r.invalid)} bad rows).\n"
        f"Joined to a help-center session: {r.joined}. Not joined: {r.without_session} "
        f"without kb_session, {r.unknown_session} with a session that has no events "
        "(stored; they join when its events are imported).",
        err=True,
    )
    if r.invalid:
        return (f"{len(r.invalid)} rows of {visible(file)} were not imported; fix them and "
                "import the file again (stored tickets are skipped).")
    return None


commands = [tickets_group]
