"""Admission of page and API reads into a server process: a few at a time, first come first served; and
handing clients over to a less loaded process.

A page is a few milliseconds of Python (rendering) around a few of database work. FastAPI runs each
synchronous handler on a thread of its pool, so under load a process had a dozen requests rendering at once,
taking turns on the GIL: each took about a dozen times its own CPU time, a big article page a dozen times
its (larger) cost, and every SQLite step that releases the GIL waited its turn to get it back. Letting only
``slots`` requests in at a time (two: one can be in the database, without the GIL, while the other renders)
and queueing the rest in arrival order costs no throughput (the process has one core's worth of Python
either way) but a request now waits for the ones ahead of it and then shares the process with one other at
most: latency is the queue ahead plus about its own time, which varies far less than a time-share.

A request leaves the gate when its response starts: a page's body is complete by then, and a client that
reads slowly, or a long export stream, holds no slot. Writes (analyze) and static files are not gated.

Balance between processes (``serve --workers N``, web/processes.py): each process publishes how many reads it
holds (queued or running) in an array the processes share. A keep-alive client stays on the process that
accepted it, and the kernel spreads connections at random, so one process can hold 13 of 20 clients and
queue them while the other has little to do. A process holding ``MARGIN`` or more reads than the least
loaded one answers with ``Connection: close``: the client (any HTTP client does) reconnects, and its new
connection lands on a process at random, so connections drift from the crowded process until the loads
are within ``MARGIN``.
"""

from __future__ import annotations

import asyncio
from collections.abc import MutableSequence
from typing import Any

GATED_METHODS = ("GET", "HEAD")
UNGATED_PREFIXES = ("/static/",)
MARGIN = 2  # reads held beyond the least loaded process's at which a client is handed over

_shared: tuple[MutableSequence[int], int] | None = None  # (every process's reads held, this one's index)


def share_loads(loads: MutableSequence[int] | None, index: int = 0) -> None:
    """Join the processes' shared load array as process ``index`` (None: a lone process, nothing to share).
    Called in each worker process before its app is built."""
    global _shared
    _shared = (loads, index) if loads is not None else None


class AdmissionGate:
    """Pure-ASGI middleware: at most ``slots`` gated requests between arrival and response start; the
    response of a crowded process closes its connection (see the module doc)."""

    def __init__(self, app: Any, slots: int) -> None:
        if slots < 1:
            raise ValueError(f"slots: {slots} (at least 1)")
        self.app = app
        self.slots = slots
        self.held = 0  # gated requests between arrival and response start, queued or running
        self._gate: tuple[asyncio.AbstractEventLoop, asyncio.Semaphore] | None = None

    def _semaphore(self) -> asyncio.Semaphore:
        """This event loop's semaphore (a test client may run the app on several loops in turn)."""
        loop = asyncio.get_running_loop()
        if self._gate is None or self._gate[0] is not loop:
            self._gate = (loop, asyncio.Semaphore(self.slots))
        return self._gate[1]

    def _publish(self, delta: int) -> None:
        self.held += delta
        if _shared is not None:
            _shared[0][_shared[1]] = self.held

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if not gated(scope):
            await self.app(scope, receive, send)
            return
        sem = self._semaphore()
        self._publish(+1)
        try:
            await sem.acquire()
        except BaseException:  # cancelled while queued (the client went away): it holds nothing any more
            self._publish(-1)
            raise
        held = True

        def release() -> None:
            nonlocal held
            if held:
                held = False
                sem.release()
                self._publish(-1)

        async def send_releasing(msg: dict[str, Any]) -> None:
            if msg["type"] == "http.response.start":
                if crowded(self.held, _shared):
                    msg = {**msg, "headers": [*msg.get("headers", []), (b"connection", b"close")]}
                release()
            await send(msg)

        try:
            await self.app(scope, receive, send_releasing)
        finally:
            release()


def crowded(mine: int, shared: tuple[MutableSequence[int], int] | None) -> bool:
    """Whether this process (holding ``mine`` reads) should hand a client over: it holds ``MARGIN`` or more
    beyond the least loaded of the other processes."""
    if shared is None:
        return False
    loads, me = shared
    others = [loads[i] for i in range(len(loads)) if i != me]
    return bool(others) and mine - min(others) >= MARGIN


def gated(scope: dict[str, Any]) -> bool:
    """Whether a request waits its turn: HTTP reads other than static files."""
    return (scope["type"] == "http" and scope.get("method") in GATED_METHODS
            and not str(scope.get("path", "")).startswith(UNGATED_PREFIXES))
