"""Group commit: concurrent requests share one transaction; each learns its own result.

Requests put their events on a queue and wait. A single writer task takes everything queued,
commits it in one transaction on a dedicated thread (SQLite fsyncs once per group, not once
per request), then resolves each request's future. A request is answered 2xx only after the
commit that holds its events, so an acknowledged event survives `kill -9`.

Events are validated before they are queued (`kbgen.api.intake`). If a group commit still
fails for another reason than an outage (rows the store refuses), each request's events are
committed on their own, so only the request that brought the bad rows fails.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter, deque
from concurrent.futures import ThreadPoolExecutor

from kbgen.errors import ServiceUnavailable

log = logging.getLogger(__name__)

MAX_GROUP_EVENTS = 5000
IDLE_FLUSH_S = 1.0


class BatchWriter:
    def __init__(self, store, *, max_pending: int = 20_000) -> None:
        self.store = store
        self.max_pending = max_pending
        self.pending = 0
        self._queue: deque[tuple[list[dict], asyncio.Future]] = deque()
        self._rejections: Counter[str] = Counter()
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="kbgen-writer")
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task | None = None
        self._closing = False

    async def submit(self, events: list[dict]) -> int:
        """Store `events` in the next group commit; returns how many were new."""
        if self._closing:
            raise ServiceUnavailable("The API is shutting down.")
        if self.pending + len(events) > self.max_pending:
            raise ServiceUnavailable("Too many events are waiting to be written.")
        loop, wake = self._ensure_running()
        future = loop.create_future()
        self._queue.append((events, future))
        self.pending += len(events)
        wake.set()
        return await future

    def count(self, reason: str, n: int = 1) -> None:
        """A rejection, written with the next commit (or within a second when idle)."""
        self._rejections[reason] += n
        if not self._closing:
            try:
                self._ensure_running()
            except RuntimeError:  # no running event loop: aclose() writes them
                pass

    def unwritten_rejections(self) -> dict[str, int]:
        return dict(self._rejections)

    def _ensure_running(self) -> tuple[asyncio.AbstractEventLoop, asyncio.Event]:
        """The running loop and the writer task's wake-up event (a new task on a new loop)."""
        loop = asyncio.get_running_loop()
        if (self._task is None or self._task.done() or self._loop is not loop
                or self._wake is None):
            self._loop, self._wake = loop, asyncio.Event()
            self._task = loop.create_task(self._run(self._wake), name="kbgen-writer")
        return loop, self._wake

    async def _run(self, wake: asyncio.Event) -> None:
        while True:
            try:
                await asyncio.wait_for(wake.wait(), IDLE_FLUSH_S)
            except TimeoutError:
                pass
            wake.clear()
            while self._queue or self._rejections:
                if not await self._commit_group():
                    break  # the store is unavailable: try again on the next request or tick
            if self._closing:
                self._fail_queued(ServiceUnavailable("The API is shutting down."))
                return

    def _fail_queued(self, exc: Exception) -> None:
        while self._queue:
            events, future = self._queue.popleft()
            self.pending -= len(events)
            if not future.done():
                future.set_exception(exc)

    async def _commit_group(self) -> bool:
        """Commit what is queued; False when the store is unavailable (wait, then retry)."""
        groups, futures, size = [], [], 0
        while self._queue and size < MAX_GROUP_EVENTS:
            events, future = self._queue.popleft()
            groups.append(events)
            futures.append(future)
            size += len(events)
        rejections, self._rejections = dict(self._rejections), Counter()
        try:
            stored = await self._write(groups, rejections)
        except ServiceUnavailable as exc:  # every waiting request gets the 503
            self._rejections.update(rejections)
            _fail(futures, exc)
            return False
        except Exception as exc:
            # Not an outage but rows the store refused: one request's events must never
            # fail the others', so each request's events are committed on their own.
            self._rejections.update(rejections)
            log.error("A group commit of %d requests failed (%s); committing each request "
                      "on its own", len(groups), type(exc).__name__)
            if len(groups) <= 1:
                _fail(futures, exc)
                return bool(groups)
            return await self._commit_each(groups, futures)
        else:
            _resolve(futures, stored)
            return True
        finally:
            self.pending -= size

    async def _commit_each(self, groups: list[list[dict]], futures: list) -> bool:
        for index, (events, future) in enumerate(zip(groups, futures, strict=True)):
            try:
                [count] = await self._write([events], {})
            except ServiceUnavailable as exc:
                _fail(futures[index:], exc)
                return False
            except Exception as exc:  # this request's own events are the bad ones
                _fail([future], exc)
            else:
                _resolve([future], [count])
        return True

    def _write(self, groups: list[list[dict]], rejections: dict[str, int]):
        return asyncio.get_running_loop().run_in_executor(
            self._executor, self.store.add_event_batches, groups, rejections
        )

    async def aclose(self) -> None:
        """Refuse new events, commit what is queued, stop the writer thread."""
        self._closing = True
        if self._task is not None and not self._task.done() and self._wake is not None:
            self._wake.set()
            try:
                await asyncio.wait_for(asyncio.shield(self._task), 8)
            except TimeoutError:
                log.warning("Events still queued at shutdown were not acknowledged")
        elif self._rejections:
            try:
                self.store.add_event_batches([], dict(self._rejections))
            except ServiceUnavailable:
                pass
        self._executor.shutdown(wait=True)


def _fail(futures, exc: Exception) -> None:
    for future in futures:
        if not future.done():
            future.set_exception(exc)


def _resolve(futures, counts) -> None:
    for future, count in zip(futures, counts, strict=True):
        if not future.done():
            future.set_result(count)
