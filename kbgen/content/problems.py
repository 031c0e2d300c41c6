"""A problem found in the content: where it is, what is wrong, how to fix it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str  # path relative to the project, e.g. "content/billing/refunds.md"
    message: str
    fix: str = ""
    line: int | None = None
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{where}: {self.severity}: {self.message}"
        return f"{text} Fix: {self.fix}" if self.fix else text

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def errors_in(problems: list[Problem], strict: bool = False) -> list[Problem]:
    """The problems that fail a check: errors, and with `strict` also warnings."""
    return [p for p in problems if strict or p.is_error]
