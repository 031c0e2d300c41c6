"""The preview's builds: a full build, or only the edited articles re-rendered.

A failed build is reported in the writer's terminal and the last good site stays up. Every
new build or re-render raises `epoch`, which open pages long-poll (server.py) to reload.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from kbgen.errors import KbgenError
from kbgen.mkdocs_plugin.build import SiteBuild, build_site
from kbgen.preview.watch import Changes
from kbgen.project import Project

log = logging.getLogger("kbgen.serve")


class Preview:
    def __init__(self, project: Project, origin: str):
        self.project = project
        self.origin = origin
        self.site_dir = project.state_dir / "preview-site"
        self.epoch = 0
        self.lock = threading.Lock()
        self.last: SiteBuild | None = None  # kept for the fast path (refresh)

    def build(self) -> bool:
        """Build the whole preview and swap it in; False (and a log line) on failure."""
        started = time.monotonic()
        with self.lock:
            self.last = None
            try:
                self.last = build_site(
                    self.project.config_file, drafts=True, api_url=self.origin,
                    site_dir=self.site_dir, site_url=self.origin + "/", report_warnings=True)
            except KbgenError as exc:
                log.error("Build failed; still serving the last good build.\n%s", exc)
                return False
        self.epoch += 1
        log.info("Preview rebuilt in %.1f s", time.monotonic() - started)
        return True

    def refresh(self, changed: set[Path]) -> bool:
        """Re-render just the edited articles; False when a full rebuild is needed."""
        if self.last is None or self.project.config_file in changed:
            return False
        started = time.monotonic()
        try:
            with self.lock:
                done = self.last.rerender(changed, self.project.root)
        except Exception as exc:  # noqa: BLE001 - the full rebuild reports it properly
            log.debug("Fast preview update failed (%s); rebuilding everything.", exc)
            self.last = None
            return False
        if done:
            self.epoch += 1
            log.info("Preview updated %d page(s) in %.2f s", len(changed),
                     time.monotonic() - started)
        return done

    def update(self, changes: Changes) -> None:
        """Bring the preview up to date after `changes`: the fast path when it can."""
        if changes.removed or not self.refresh(changes.paths):
            self.build()
