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

# Command name -> the module that defines it (in its `commands` list). A module is imported
# only when one of its commands runs: `kbgen report` does not load the site builder, the
# search index or the API server (about 0.2 s of start-up).
COMMANDS = {
    "init": "kbgen.cli.authoring",
    "new": "kbgen.cli.authoring",
    "check": "kbgen.cli.authoring",
    "build": "kbgen.cli.authoring",
    "serve": "kbgen.cli.authoring",
    "search": "kbgen.cli.search",
    "api": "kbgen.cli.api",
    "events": "kbgen.cli.events",
    "report": "kbgen.cli.report",
    "tickets": "kbgen.cli.tickets",
    "demo": "kbgen.cli.demo",
    "db": "kbgen.cli.db",
    "stats": "kbgen.cli.stats",
    "suggest": "kbgen.cli.suggest",
    "feedback": "kbgen.cli.feedback",
    "notify": "kbgen.cli.notify",
    "translations": "kbgen.cli.translations",
}


class KbgenGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        for command in importlib.import_module(COMMANDS[name]).commands:
            if command.name == name:
                return command
        raise LookupError(f"{COMMANDS[name]} defines no command {name!r}")

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


def main(argv: list[str] | None = None) -> None:
    cli.main(args=argv, prog_name="kbgen")
