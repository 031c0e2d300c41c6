"""Unified diffs of the files `kbgen suggest` would change, for `patch -p1` and `git apply`."""

from __future__ import annotations

import difflib

NO_NEWLINE = "\\ No newline at end of file\n"


def unified(path: str, before: str | None, after: str) -> str:
    """The diff of one file, `path` relative to the project (None: a new file)."""
    old = (before or "").splitlines(keepends=True)
    new = after.splitlines(keepends=True)
    lines = difflib.unified_diff(old, new, "/dev/null" if before is None else f"a/{path}",
                                 f"b/{path}")
    out = []
    for line in lines:
        if line.startswith(("---", "+++")):
            out.append(line.rstrip("\n") + "\n")
        elif line.endswith("\n"):
            out.append(line)
        else:
            out += [line + "\n", NO_NEWLINE]
    return "".join(out)
