"""Where a help center's files live, read from its `mkdocs.yml` without importing MkDocs.

Commands that are not the build (search, api, report, events) need the content folder, the
built site, kbgen's state folder and the plugin options. They read them from `mkdocs.yml`
with a YAML loader that accepts MkDocs' custom tags (`!!python/name:` and others) as inert
values, so no code is ever executed. `!ENV` is resolved anywhere in the file by the same
function MkDocs uses (pyyaml_env_tag): `!ENV NAME` is $NAME read as a YAML scalar (`600` is a
number, `true` a boolean) or null; `!ENV [A, B, default]` is the first variable set, else the
default. So secrets such as `notify`'s `secret: !ENV NAME` stay out of the file, and a value
such as `rate_limit: !ENV [KB_RATE, 600]` means the same to every command as to the build.
The plugin options are checked by kbgen.options, as the build checks them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml_env_tag import construct_env_tag

from kbgen.errors import UsageError
from kbgen.options import Options

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")
STATE_DIR = ".kbgen"
DATABASE_ENV = "KBGEN_DATABASE_URL"


class _ConfigLoader(yaml.SafeLoader):
    """SafeLoader that reads unknown tags (e.g. `!ENV`, `!!python/name:x`) as plain data."""


def _inert(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


_ConfigLoader.add_multi_constructor("", _inert)
_ConfigLoader.add_constructor("!ENV", construct_env_tag)


@dataclass
class Project:
    """One help center: its configuration file and the folders derived from it."""

    config_file: Path
    docs_dir: Path
    site_dir: Path
    site_url: str | None = None
    site_name: str = "Help Center"
    options: Options = field(default_factory=Options)

    @property
    def root(self) -> Path:
        return self.config_file.parent

    @property
    def state_dir(self) -> Path:
        """kbgen's own build output that is not published: manifest, search index, database."""
        return self.root / STATE_DIR

    @property
    def manifest_path(self) -> Path:
        return self.state_dir / "manifest.json"

    @property
    def index_dir(self) -> Path:
        return self.state_dir / "search-index"

    @property
    def default_db_url(self) -> str:
        return f"sqlite:///{self.state_dir / 'kbgen.db'}"

    def db_url(self, given: str | None = None) -> str:
        """`--db`, then `KBGEN_DATABASE_URL`, then the SQLite file in the state folder."""
        return given or os.environ.get(DATABASE_ENV) or self.default_db_url


def find_config(config_file: str | os.PathLike[str] | None = None) -> Path:
    if config_file is not None:
        path = Path(config_file)
        if not path.is_file():
            raise UsageError(f"Config file '{path}' does not exist. Fix: pass -f PATH/mkdocs.yml.")
        return path.resolve()
    for name in CONFIG_NAMES:
        path = Path.cwd() / name
        if path.is_file():
            return path.resolve()
    raise UsageError(
        f"No mkdocs.yml in {Path.cwd()}. Fix: run the command in your help center's folder, "
        "pass -f PATH/mkdocs.yml, or create one with `kbgen init`."
    )


def load_project(config_file: str | os.PathLike[str] | None = None) -> Project:
    path = find_config(config_file)
    try:
        loader = _ConfigLoader(path.read_text(encoding="utf-8-sig"))
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise UsageError(f"Cannot read '{path}': {exc}") from exc
    if not isinstance(data, dict):
        raise UsageError(f"'{path}' must be a YAML mapping of MkDocs settings.")
    root = path.parent
    return Project(
        config_file=path,
        docs_dir=(root / str(data.get("docs_dir") or "docs")).resolve(),
        site_dir=(root / str(data.get("site_dir") or "site")).resolve(),
        site_url=data.get("site_url") or None,
        site_name=str(data.get("site_name") or "Help Center"),
        options=Options.from_mapping(plugin_options(data.get("plugins")), str(path)),
    )


def plugin_options(plugins: Any) -> dict[str, Any]:
    """The `kbgen` entry of the `plugins` setting, in either of MkDocs' two spellings."""
    entry: Any = None
    if isinstance(plugins, dict):
        entry = plugins.get("kbgen")
    for item in plugins if isinstance(plugins, list) else []:
        if isinstance(item, dict) and "kbgen" in item:
            entry = item["kbgen"]
    if entry is not None and not isinstance(entry, dict):
        raise UsageError(f"The kbgen plugin's options must be a mapping, not {entry!r}. Fix: "
                         "write them indented under `- kbgen:` (see docs/configuration.md).")
    return dict(entry or {})
