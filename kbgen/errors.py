"""The one exception root the command line understands.

Core modules raise these; `kbgen.cli` turns them into a one-line message and an exit code,
never a traceback.
"""


class KbgenError(Exception):
    """A problem the user can fix: bad data, a missing file, an unreachable database."""

    exit_code = 1


class UsageError(KbgenError):
    """The command was called wrongly (bad option value, missing project)."""

    exit_code = 2


class ServiceUnavailable(KbgenError):
    """The store cannot take writes right now (locked, read-only, disk full, restarting)."""

    exit_code = 1
