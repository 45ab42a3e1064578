"""Admission of page and API reads into a server process: a few at a time, first come first served.

A page is a few milliseconds of Python (rendering) around a few of database work. FastAPI runs each
synchronous handler on a thread of its pool, so under load a process had a dozen requests rendering at once,
taking turns on the GIL: each took about a dozen times its own CPU time, a big article page a dozen times
its (larger) cost, and every SQLite step that releases the GIL waited its turn to get it back. Letting only
``slots`` requests in at a time and queueing the rest in arrival order costs no throughput (the process has
one core's worth of Python either way) but a request now waits for the ones ahead of it and then runs
alone: latency is the queue ahead plus its own time, which varies far less than a time-share (the load
bench's p95; docs/design.md, "Web").

A request leaves the gate when its response starts: a page's body is complete by then, and a client that
reads slowly, or a long export stream, holds no slot. Writes (analyze) and static files are not gated.

Which process serves a connection: ``serve --workers N`` runs N processes accepting on one socket, and each
accepts greedily (libuv takes every pending connection at once), so clients arriving together land unevenly,
and keep-alive makes the split last: one process queues more requests than the other while a core idles.
Every ``recycle``-th gated response of a process asks the client to close its connection (``Connection:
close``, which every HTTP client follows by reconnecting); the new connection goes to whichever process
accepts it, so the split keeps being redrawn instead of being fixed by the first burst.
"""

from __future__ import annotations

import asyncio
from typing import Any

GATED_METHODS = ("GET", "HEAD")
RECYCLE = 25  # gated responses per process between two connection closes (0: never close)
UNGATED_PREFIXES = ("/static/",)


class AdmissionGate:
    """Pure-ASGI middleware: at most ``slots`` gated requests between arrival and response start; every
    ``recycle``-th of them closes its connection after the response."""

    def __init__(self, app: Any, slots: int, recycle: int = RECYCLE) -> None:
        if slots < 1 or recycle < 0:
            raise ValueError(f"slots: {slots}, recycle: {recycle} (at least 1 slot; recycle 0 or more)")
        self.app = app
        self.slots, self.recycle = slots, recycle
        self.served = 0
        self._gate: tuple[asyncio.AbstractEventLoop, asyncio.Semaphore] | None = None

    def _semaphore(self) -> asyncio.Semaphore:
        """This event loop's semaphore (a test client may run the app on several loops in turn)."""
        loop = asyncio.get_running_loop()
        if self._gate is None or self._gate[0] is not loop:
            self._gate = (loop, asyncio.Semaphore(self.slots))
        return self._gate[1]

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if not gated(scope):
            await self.app(scope, receive, send)
            return
        sem = self._semaphore()
        await sem.acquire()
        held = True

        def release() -> None:
            nonlocal held
            if held:
                held = False
                sem.release()

        async def send_releasing(msg: dict[str, Any]) -> None:
            if msg["type"] == "http.response.start":
                release()
                self.served += 1
                if self.recycle and self.served % self.recycle == 0:
                    msg = {**msg, "headers": [*msg.get("headers", []), (b"connection", b"close")]}
            await send(msg)

        try:
            await self.app(scope, receive, send_releasing)
        finally:
            release()


def gated(scope: dict[str, Any]) -> bool:
    """Whether a request waits its turn: HTTP reads other than static files."""
    return (scope["type"] == "http" and scope.get("method") in GATED_METHODS
            and not str(scope.get("path", "")).startswith(UNGATED_PREFIXES))
