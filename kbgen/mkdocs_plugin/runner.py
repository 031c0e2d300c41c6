"""Run MkDocs builds and the live preview for the command line."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError, PluginError

from kbgen.errors import KbgenError

log = logging.getLogger(__name__)


def _config(config_file: Path, **plugin_options):
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


def build_site(config_file: Path, *, drafts: bool = False, strict: bool = False,
               content=None) -> Path:
    """Build into a temporary folder, then swap it in: a failed build never leaves half a site.

    `content`, the ContentSite the caller already loaded and checked, saves loading it again.
    """
    config, plugin = _config(config_file, drafts=drafts, strict=strict)
    plugin.problems_reported = True
    plugin.preloaded = content
    site_dir = Path(config.site_dir)
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-", dir=site_dir.parent))
    config.site_dir = str(staging)
    try:
        mkdocs_build(config)
    except (PluginError, Abort, ConfigurationError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise KbgenError(str(exc)) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = site_dir.with_name(f".{site_dir.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if site_dir.exists():
        os.replace(site_dir, old)
    os.replace(staging, site_dir)
    shutil.rmtree(old, ignore_errors=True)
    return site_dir

