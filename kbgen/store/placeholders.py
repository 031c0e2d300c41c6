"""Portable `:name` parameters -> psycopg's `%(name)s`, leaving SQL text that is not a
parameter alone: string literals, quoted identifiers, comments and `::type` casts.

The analytics write their SQL once with SQLite's `:name` style; PostgreSQL runs it after
this conversion. Every literal `%` is doubled (psycopg reads `%` as a placeholder even
inside a string literal).
"""

from __future__ import annotations

import re
from functools import lru_cache

_TOKEN = re.compile(
    r"""
      (?P<text>'(?:[^']|'')*')            # 'string literal' ('' escapes a quote)
    | (?P<ident>"(?:[^"]|"")*")           # "quoted identifier"
    | (?P<line>--[^\n]*)                  # -- comment to the end of the line
    | (?P<block>/\*.*?\*/)                # /* block comment */
    | (?P<cast>::)                        # PostgreSQL cast, not a parameter
    | :(?P<name>[A-Za-z_][A-Za-z0-9_]*)   # :name parameter
    | (?P<percent>%)                      # literal percent sign
    """,
    re.VERBOSE | re.DOTALL,
)


@lru_cache(maxsize=256)
def to_pyformat(sql_text: str) -> str:
    """`WHERE ts >= :since AND note = ':x' AND n % 2 = 0` ->
    `WHERE ts >= %(since)s AND note = ':x' AND n %% 2 = 0`."""
    return _TOKEN.sub(_replace, sql_text)


def _replace(match: re.Match) -> str:
    if match.group("name"):
        return f"%({match.group('name')})s"
    # psycopg reads every `%` as a placeholder, inside literals and comments too.
    return match.group(0).replace("%", "%%")
