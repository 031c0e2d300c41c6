"""Progress of long work, on standard error: a bar on a terminal, a plain line now and then
in logs, nothing at all for short work. Standard output is never touched, so
`kbgen report --format json` and `kbgen events export` stay clean.

    with progress.task("Embedding titles", total=len(texts), unit="titles") as bar:
        for batch in batches:
            ...
            bar.advance(len(batch))

- Nothing is shown before the work has run for `KBGEN_PROGRESS_AFTER` seconds (default 2).
- On a terminal: click's progress bar, redrawn at most 5 times a second, with the
  percentage, the time left and what is being done.
- Not a terminal (CI, a log file): one line every `KBGEN_PROGRESS_EVERY` seconds (default
  10), and a last line with the total time if any line was written; no redraws.
- `KBGEN_PROGRESS=off`: nothing at all.

A task started inside another (e.g. embedding inside the contact-driver analysis) shows as
the outer task's status instead of a second bar.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from typing import TYPE_CHECKING, Any, TextIO

import click

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar  # what click.progressbar returns

AFTER_ENV = "KBGEN_PROGRESS_AFTER"
EVERY_ENV = "KBGEN_PROGRESS_EVERY"
SWITCH_ENV = "KBGEN_PROGRESS"
AFTER_SECONDS = 2.0
EVERY_SECONDS = 10.0
REDRAW_SECONDS = 0.2

_open: list[Task] = []


def _seconds(name: str, default: float) -> float:
    try:
        return max(0.0, float(os.environ.get(name, default)))
    except ValueError:
        return default


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def task(label: str, total: int | None = None, unit: str = "") -> Task:
    """A unit of long work of `total` steps (None: unknown); use it as a context manager."""
    if _open:
        return _Nested(_open[-1], label, total, unit)
    return Task(label, total, unit)


class Task:
    ticks = True

    def __init__(self, label: str, total: int | None, unit: str,
                 stream: TextIO | None = None) -> None:
        self.label = label
        self.total = total
        self.unit = unit
        self.done = 0
        self.status = ""
        self.stream = stream or sys.stderr
        self.enabled = os.environ.get(SWITCH_ENV, "").strip().lower() not in ("off", "0", "no")
        self.terminal = _isatty(self.stream)
        self.after = _seconds(AFTER_ENV, AFTER_SECONDS)
        self.every = _seconds(EVERY_ENV, EVERY_SECONDS)
        self.started = self._last = time.monotonic()
        self._bar: ProgressBar[Any] | None = None
        self._lines = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    def __enter__(self) -> Task:
        _open.append(self)
        # Redrawn while the work runs: a single long step (one SQL statement) still shows.
        if self.enabled and self.ticks:
            self._ticker = threading.Thread(target=self._tick, name="kbgen-progress",
                                            daemon=True)
            self._ticker.start()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        _open.remove(self)
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
        if exc_type is None:
            self.finish()
        elif self._bar is not None:  # leave the terminal's line for the error message
            self._bar.render_finish()

    def advance(self, steps: int = 1, status: str | None = None) -> None:
        """`steps` more done; `status` says what is being done now."""
        with self._lock:
            self.done += steps
            if status is not None:
                self.status = status
            self._show()

    def _tick(self) -> None:
        while not self._stop.wait(REDRAW_SECONDS):
            with self._lock:
                self._show(tick=True)

    def at(self, done: int, status: str | None = None) -> None:
        """`done` steps done in all (e.g. the bytes read so far)."""
        self.advance(done - self.done, status)

    def note(self, status: str) -> None:
        """Say what is being done now (e.g. the stage of an analysis)."""
        self.advance(0, status)

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.update(self.done - self._bar.pos, self._status())
            self._bar.render_finish()
        elif self._lines:
            total = f"{self._amount(self.done)}, " if self.done else ""
            click.echo(f"{self.label}: done ({total}{time.monotonic() - self.started:.0f} s).",
                       file=self.stream)

    def _show(self, tick: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.started < self.after:
            return
        if self.terminal:
            if self._bar is None:
                self._start_bar()
            elif now - self._last >= REDRAW_SECONDS:
                self._bar.update(self.done - self._bar.pos, self._status())
            else:
                return
        elif (now - self._last >= self.every) if self.every else not tick:
            click.echo(self._line(now), file=self.stream)
            self._lines += 1
        else:
            return
        self._last = now

    def _start_bar(self) -> None:
        def steps():  # no length: click draws a bar without an end
            yield from ()

        self._bar = click.progressbar(
            iterable=None if self.total is not None else steps(),
            length=self.total, label=self.label, file=self.stream,
            show_pos=self.total is None, item_show_func=lambda status: status or None,
        )
        self._bar.start = time.time() - (time.monotonic() - self.started)
        self._bar.__enter__()
        self._bar.update(self.done, self._status())

    def _status(self) -> str:
        elapsed = f"{time.monotonic() - self.started:.0f} s"
        return f"{self.status}, {elapsed}" if self.status else elapsed

    def _amount(self, steps: int) -> str:
        if self.unit == "bytes":
            return f"{steps / 1e6:,.1f} MB"
        return f"{steps:,} {self.unit}".rstrip()

    def _count(self) -> str:
        """'1,200 of 5,000 texts', '12.5 MB of 480.0 MB', '1,200 lines'."""
        if not self.total:
            return self._amount(self.done)
        done = self._amount(self.done) if self.unit == "bytes" else f"{self.done:,}"
        return f"{done} of {self._amount(self.total)}"

    def _line(self, now: float) -> str:
        text = f"{self.label}: {self._count()}"
        if self.total:
            text += f" ({min(100, self.done * 100 // self.total)} %)"
        if self.status:
            text += f", {self.status}"
        return f"{text}, {now - self.started:.0f} s"


class _Nested(Task):
    """Work inside another task: shown as that task's status."""

    ticks = False

    def __init__(self, parent: Task, label: str, total: int | None, unit: str) -> None:
        super().__init__(label, total, unit, parent.stream)
        self.parent = parent

    def _show(self, tick: bool = False) -> None:
        text = f"{self.label[:1].lower()}{self.label[1:]} {self._count()}"
        self.parent.note(f"{text} ({self.status})" if self.status else text)

    def finish(self) -> None:
        pass
