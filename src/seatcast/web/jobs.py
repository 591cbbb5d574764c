"""Bounded forecast work for the web server.

A forecast of 200,000 draws takes seconds of CPU and hundreds of MB; the server must keep
answering everything else meanwhile. So forecasts run in a separate *worker process*
(``concurrent.futures.ProcessPoolExecutor``, spawn start method: no GIL shared with the event
loop) at a lower CPU priority (``nice`` :data:`NICE`: on a busy machine the server's own requests
come first), and the worker is stopped once it has been idle for :data:`IDLE_SECONDS` (its memory,
a few hundred MB after a big simulation, goes back to the system; the next forecast starts a new
one). Bounded by

* a fixed number of workers (:data:`WORKERS`) and a bounded queue (:data:`QUEUE`): a request
  that would exceed it gets :class:`Busy` (HTTP 503 with ``Retry-After``);
* identical concurrent requests share one run (keyed by the normalised inputs);
* an LRU cache of finished forecasts, as the encoded JSON body and the parsed document, so a
  cached forecast is answered without touching the worker or re-encoding anything; with
  ``seatcast serve --workers N`` the server processes also share finished forecasts through
  a folder (``$SEATCAST_FORECAST_CACHE``, made by :func:`seatcast.web.serve`), one file each,
  written atomically.

Nothing here imports FastAPI; :mod:`seatcast.web.app` maps :class:`Busy` to 503.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import multiprocessing
import os
import threading
import time
from collections import OrderedDict
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

WORKERS = 1  # one simulation at a time: the machine this targets has 2 cores
QUEUE = 4  # forecasts waiting beyond the running ones; more get 503
CACHE = 16  # finished forecasts kept (each about 100-200 kB of JSON)
IDLE_SECONDS = 20.0  # stop the worker process after this long without work (returns its memory)
NICE = 10  # the worker's CPU priority below the server's (os.nice increment)
PARENT_CHECK_SECONDS = 1.0  # how often a worker checks that its server process is still there
RETRY_AFTER = 5  # seconds, sent with 503


class Busy(RuntimeError):
    """The forecast queue is full (HTTP 503 with Retry-After)."""

    retry_after = RETRY_AFTER


def _worker_init() -> None:
    """Worker initializer: a lower CPU priority than the server, and an exit as soon as the server
    process goes (no orphans). The parent is watched by a thread rather than with Linux's
    ``PR_SET_PDEATHSIG``, which fires when the *thread* that started the worker ends: a worker
    started from a short-lived request thread was killed after its first forecast."""
    try:
        os.nice(NICE)
    except OSError:  # pragma: no cover - not permitted: run at the server's priority
        pass
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, name="seatcast-parent-watch", daemon=True).start()


def compute(key: tuple) -> bytes:
    """Run in the worker process: the forecast for ``key`` as its encoded JSON document."""
    from seatcast.web import views

    doc = views.forecast_summary(views._run_forecast(*key))
    body = json.dumps(doc, separators=(",", ":")).encode()
    del doc
    _release_memory()
    return body


def _release_memory() -> None:
    """Hand the simulation's freed arrays back to the system (glibc keeps freed heap otherwise:
    a worker stayed at about 230 MB after a forecast, 150 MB after ``malloc_trim``)."""
    import ctypes
    import gc
    import sys

    gc.collect()
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None).malloc_trim(0)
        except (OSError, AttributeError):  # pragma: no cover - not glibc
            pass


class ForecastJobs:
    """The executor, the queue bound, in-flight sharing and the result cache (thread-safe)."""

    def __init__(self, workers: int = WORKERS, queue: int = QUEUE, cache: int = CACHE,
                 runner=compute, folder: str | None = None):
        self.workers, self.queue, self.size, self.runner = workers, queue, cache, runner
        self.folder = Path(folder) if folder else None
        self._cache: OrderedDict[tuple, tuple[bytes, dict]] = OrderedDict()
        self._running: dict[tuple, Future] = {}
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._idle: threading.Timer | None = None
        self.started = 0  # forecasts handed to the pool (tests check that bad input starts none)

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            ctx = multiprocessing.get_context("spawn")
            # No ``max_tasks_per_child``: with it, Python 3.11's executor can leave a queued task
            # unanswered when a worker retires (the request then hangs); idle workers are stopped here.
            self._pool = ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=_worker_init)
        return self._pool

    def cached(self, key: tuple) -> tuple[bytes, dict] | None:
        """The finished forecast for ``key`` (body, document), or None; never computes."""
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        path = self._file(key)
        if path is not None and path.is_file():  # finished by another server process
            return self._store(key, path.read_bytes(), share=False)
        return None

    def _file(self, key: tuple) -> Path | None:
        if self.folder is None:
            return None
        return self.folder / (hashlib.sha256(repr(key).encode()).hexdigest()[:32] + ".json")

    def _store(self, key: tuple, body: bytes, share: bool = True) -> tuple[bytes, dict]:
        entry = (body, json.loads(body))
        with self._lock:
            self._cache[key] = entry
            while len(self._cache) > self.size:
                self._cache.popitem(last=False)
        path = self._file(key)
        if share and path is not None:
            from seatcast import _io

            with _io.atomic_path(path) as tmp:
                tmp.write_bytes(body)
        return entry

    def submit(self, key: tuple) -> Future:
        """The future of ``key``'s run: an existing one, or a new one if the queue has room."""
        with self._lock:
            fut = self._running.get(key)
            if fut is not None:
                return fut
            if len(self._running) >= self.workers + self.queue:
                raise Busy(f"forecast: {len(self._running)} forecasts are running or queued; "
                           f"try again in {RETRY_AFTER} s")
            try:
                fut = self._executor().submit(self.runner, key)
            except BrokenProcessPool:  # a worker died (e.g. killed); start a fresh pool
                self._pool = None
                fut = self._executor().submit(self.runner, key)
            self.started += 1
            self._running[key] = fut
            if self._idle is not None:
                self._idle.cancel()
                self._idle = None
        fut.add_done_callback(lambda _f: self._done(key))
        return fut

    def _done(self, key: tuple) -> None:
        with self._lock:
            self._running.pop(key, None)
            if not self._running and self._pool is not None and self._idle is None:
                timer = threading.Timer(IDLE_SECONDS, lambda: self._stop_if_idle(timer))
                timer.daemon = True
                self._idle = timer
                timer.start()

    def _stop_if_idle(self, timer: threading.Timer) -> None:
        """Stop the worker process if no forecast was submitted since ``timer`` was set."""
        with self._lock:
            if self._running or self._idle is not timer:
                return
            self._idle = None
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False)

    async def get(self, key: tuple) -> tuple[bytes, dict]:
        """The forecast for ``key``: from the cache, or awaited from the worker (never blocks the loop)."""
        hit = self.cached(key)
        if hit is not None:
            return hit
        try:
            body = await asyncio.wrap_future(self.submit(key))
        except BrokenProcessPool:  # the worker died mid-run (killed, out of memory)
            with self._lock:
                self._pool = None
            raise Busy("forecast: the worker process stopped; try again") from None
        return self.cached(key) or self._store(key, body)

    def shutdown(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
            if self._idle is not None:
                self._idle.cancel()
                self._idle = None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)


CACHE_ENV = "SEATCAST_FORECAST_CACHE"
FORECASTS = ForecastJobs(workers=int(os.environ.get("SEATCAST_FORECAST_WORKERS", WORKERS)),
                         folder=os.environ.get(CACHE_ENV))


def cached_forecast(baseline_id: str, model: str, draws: int, seed: int,
                    overrides: tuple[str, ...] = ()) -> dict | None:
    """The forecast document for exactly these inputs if it is in the cache (never computes)."""
    hit = FORECASTS.cached((baseline_id, model, int(draws), int(seed), tuple(overrides)))
    return None if hit is None else hit[1]
