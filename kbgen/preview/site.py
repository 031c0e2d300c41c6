"""The preview's builds: a full build, or only the edited articles re-rendered.

A failed build is reported in the writer's terminal and in the browser (`error`, which open
pages show over the page until a build succeeds) while the last good site stays up. Every
new build or re-render raises `epoch`, which open pages long-poll (server.py) to reload;
every change of `error` raises `error_seq`.
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
        self.error: str | None = None  # why the last build failed; None once one succeeds
        self.error_seq = 0

    def _set_error(self, error: str | None) -> None:
        if error != self.error:
            self.error = error
            self.error_seq += 1

    def build(self) -> bool:
        """Build the whole preview and swap it in; False (and a log line) on failure."""
        started = time.monotonic()
        message: str | None = None
        with self.lock, _ErrorLines() as errors:
            self.last = None
            try:
                self.last = build_site(
                    self.project.config_file, drafts=True, api_url=self.origin,
                    site_dir=self.site_dir, site_url=self.origin + "/", report_warnings=True)
            except KbgenError as exc:
                message = errors.text(str(exc))
            except Exception as exc:  # noqa: BLE001 - e.g. a theme override's template error
                message = errors.text(f"{type(exc).__name__}: {exc}")
            if message is not None:
                log.error("Build failed; still serving the last good build.\n%s", message)
                self._set_error(message)
                return False
        self._set_error(None)
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
            self._set_error(None)
            self.epoch += 1
            log.info("Preview updated %d page(s) in %.2f s", len(changed),
                     time.monotonic() - started)
        return done

    def update(self, changes: Changes) -> None:
        """Bring the preview up to date after `changes`: the fast path when it can."""
        if changes.removed or not self.refresh(changes.paths):
            self.build()


class _ErrorLines(logging.Handler):
    """The errors one build logs (the content problems, each naming the file, the line and
    the fix): what the browser shows when the build fails. Only the building thread's: the
    help API keeps serving, and logging, beside it."""

    LOGGERS = ("mkdocs", "kbgen")

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.lines: list[str] = []
        self.thread = threading.get_ident()

    def __enter__(self) -> _ErrorLines:
        for name in self.LOGGERS:
            logging.getLogger(name).addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        for name in self.LOGGERS:
            logging.getLogger(name).removeHandler(self)

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.lines.append(record.getMessage())

    def text(self, failure: str) -> str:
        """The logged errors, then `failure` unless it says nothing more (MkDocs' "Aborted
        with a BuildError!" after them)."""
        lines = list(self.lines)
        if failure and not any(failure in line for line in lines) and not (
                lines and failure.startswith("Aborted with")):
            lines.append(failure)
        return "\n".join(lines)
