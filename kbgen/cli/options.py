"""Options shared by several commands."""

import click

config_option = click.option(
    "-f",
    "--config-file",
    type=click.Path(dir_okay=False),
    default=None,
    help="The help center's mkdocs.yml (default: ./mkdocs.yml).",
)

db_option = click.option(
    "--db",
    "db_url",
    default=None,
    metavar="URL",
    help="Database URL: sqlite:///PATH or postgresql://... "
    "(default: $KBGEN_DATABASE_URL, then .kbgen/kbgen.db in the project).",
)
