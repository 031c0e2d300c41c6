"""The adapter's one public build entry point: `kbgen build` and `kbgen serve` both call
`build_site`, which builds into a staging folder and swaps it in, so a failed build never
leaves half a site. The returned `SiteBuild` can re-render edited articles later (the live
preview's fast path, incremental.py)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError, PluginError
from mkdocs.plugins import BasePlugin

from kbgen.errors import KbgenError
from kbgen.files import replace_dir
from kbgen.mkdocs_plugin import incremental

if TYPE_CHECKING:
    from kbgen.mkdocs_plugin.plugin import KbgenPlugin

log = logging.getLogger(__name__)


class Capture(BasePlugin):
    """Registered next to the kbgen plugin: remembers the navigation, files and template
    environment a build made, which re-rendering a page needs."""

    def __init__(self) -> None:
        self.files = None
        self.nav = None
        self.env = None

    def on_nav(self, nav, config, files):
        self.nav, self.files = nav, files
        return nav

    def on_env(self, env, config, files):
        self.env = env
        return env


@dataclass
class SiteBuild:
    """A finished build, swapped in at `site_dir`."""

    site_dir: Path
    config: MkDocsConfig
    plugin: KbgenPlugin  # the plugin that built it (holds the content model)
    capture: Capture

    def rerender(self, changed: set[Path], root: Path) -> bool:
        """Re-render just the edited articles in place; False when a full build is needed."""
        return incremental.rerender(self, changed, root)


def build_site(config_file: Path, *, drafts: bool | None = None, strict: bool | None = None,
               api_url: str | None = None, site_dir: Path | None = None,
               site_url: str | None = None, content=None,
               report_warnings: bool = False) -> SiteBuild:
    """Build the help center of `config_file`; raise KbgenError (with MkDocs' message) when
    the build fails, the previous site then untouched.

    `drafts`, `strict` and `api_url` override the plugin options of mkdocs.yml; `site_dir`
    and `site_url` MkDocs' own. `content`, the ContentSite the caller already loaded and
    checked, saves loading it again. `report_warnings` logs content warnings (`kbgen build`
    prints them itself before building).
    """
    options = {"drafts": drafts, "strict": strict, "api_url": api_url}
    config, plugin = _config(config_file, {k: v for k, v in options.items() if v is not None})
    plugin.problems_reported = not report_warnings
    plugin.preloaded = content
    if site_url is not None:
        config.site_url = site_url
    capture = Capture()
    config.plugins["kbgen-capture"] = capture
    target = Path(site_dir or config.site_dir)
    with replace_dir(target) as staging:  # readers see the old site or the new one
        config.site_dir = str(staging)
        try:
            mkdocs_build(config)
        except (PluginError, Abort, ConfigurationError) as exc:
            raise KbgenError(str(exc)) from None
    return SiteBuild(target, config, plugin, capture)


def _config(config_file: Path, plugin_options: dict):
    try:
        config = load_config(str(config_file))
    except (ConfigurationError, Abort) as exc:
        raise KbgenError(f"{config_file}: {exc}") from None
    plugin = config.plugins.get("kbgen")
    if plugin is None:
        raise KbgenError(f"{config_file} does not enable the kbgen plugin. "
                         "Fix: add '- kbgen' under 'plugins:'.")
    for key, value in plugin_options.items():
        plugin.config[key] = value
    return config, plugin
