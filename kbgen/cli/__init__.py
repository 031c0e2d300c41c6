"""The `kbgen` command line: one group, one module per command family.

User mistakes arrive here as `KbgenError` and leave as one line on stderr and an exit code
(0 success, 1 bad data, 2 bad usage), never as a traceback.
"""

from __future__ import annotations

import importlib
import logging
import sys

import click

from kbgen.errors import KbgenError

# Each module defines `commands`, a list of click commands or groups.
COMMAND_MODULES = (
    "kbgen.cli.writer",
    "kbgen.cli.search",
    "kbgen.cli.api",
    "kbgen.cli.events",
    "kbgen.cli.report",
    "kbgen.cli.tickets",
    "kbgen.cli.demo",
    "kbgen.cli.db",
    "kbgen.cli.stats",
)


class KbgenGroup(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KbgenError as exc:
            click.secho(f"Error: {exc}", fg="red", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)


@click.group(cls=KbgenGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kbgen")
@click.option("-q", "--quiet", is_flag=True, help="Only print warnings and errors.")
def cli(quiet: bool) -> None:
    """kbgen: Markdown help articles in; a searchable help center and deflection reports out."""
    logging.basicConfig(
        level=logging.WARNING if quiet else logging.INFO,
        format="%(levelname)-7s -  %(message)s",
        stream=sys.stderr,
    )


for _name in COMMAND_MODULES:
    for _command in importlib.import_module(_name).commands:
        cli.add_command(_command)


def main(argv: list[str] | None = None) -> None:
    cli.main(args=argv, prog_name="kbgen")
