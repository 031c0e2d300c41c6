"""The HTML reports' Jinja2 environment: every value is escaped unless it is marked safe.

Templates live in templates/ inside the package (shipped in the wheel). Autoescape is on
for every template, so a value a template forgets to treat specially is still inert text
(THREATS.md 24); only page.py's constants (stylesheet, script, policy, JSON island) are
marked safe. A missing report field is an error, not an empty cell (StrictUndefined);
None renders as nothing.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from kbgen.analytics.stats import MIN_VOTES
from kbgen.reports import numbers


def _none_as_blank(value: Any) -> Any:
    return "" if value is None else value


def data_value(value: float | int | None) -> str:
    """A sortable cell's `data-v`: the number itself, blank when there is none."""
    return "" if value is None else f"{value:.6g}" if isinstance(value, float) else str(value)


ENV = Environment(
    loader=PackageLoader("kbgen.reports", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    finalize=_none_as_blank,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
ENV.filters["thousands"] = lambda value: f"{value:,}"
ENV.filters["data_value"] = data_value
ENV.globals.update(fmt=numbers, MIN_VOTES=MIN_VOTES)


def render(template: str, **context: Any) -> str:
    return ENV.get_template(template).render(**context)
