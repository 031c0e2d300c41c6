"""The `kbgen` plugin's MkDocs config schema, derived from kbgen.options.

Nothing is declared here: each field of `Options` (its default, docstring and check) becomes
one MkDocs config option, so the build reads the options exactly as every other command does.
"""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING, Any

from mkdocs.config import base
from mkdocs.config.base import ValidationError

from kbgen import options
from kbgen.options import OptionError, Options


class ModelOption(base.BaseConfigOption[Any]):
    """One option of kbgen.options as MkDocs sees it."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.default = options.default(name)
        self.__doc__ = options.doc(name)

    def run_validation(self, value: object, /) -> Any:
        try:
            return options.check(self.name, value)
        except OptionError as exc:
            raise ValidationError(exc.detail) from None


class _FromOptions(base.Config):
    """Adds one ModelOption per field of Options to each subclass before MkDocs collects its
    schema."""

    def __init_subclass__(cls) -> None:
        for spec in fields(Options):
            option = ModelOption(spec.name)
            option.__set_name__(cls, spec.name)
            setattr(cls, spec.name, option)
        super().__init_subclass__()


class KbgenConfig(_FromOptions):
    """The plugin's options; `self.config.NAME` is the checked value of `Options.NAME`."""

    if TYPE_CHECKING:  # the attributes are Options' fields, typed there

        def __getattr__(self, name: str) -> Any: ...
