"""The admission gate (serve/web/admission.py): at most ``slots`` reads inside a process between arrival and
response start, admitted in arrival order; a slot freed when the response starts (a slow reader or a long
stream holds none) or when the handler fails; writes and static files not gated; a process holding more
reads than another asks its clients to reconnect. Driven with a real ASGI app of coroutines."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from reportedly.serve.web.admission import AdmissionGate, crowded, gated, share_loads


class Recorder:
    """An ASGI app that notes who is inside it and for how long, and answers after ``hold`` seconds."""

    def __init__(self, hold: float = 0.01, fail: bool = False) -> None:
        self.inside = 0
        self.most = 0
        self.entered: list[str] = []
        self.hold, self.fail = hold, fail

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        self.inside += 1
        self.most = max(self.most, self.inside)
        self.entered.append(scope["path"])
        try:
            await asyncio.sleep(self.hold)
            if self.fail:
                raise RuntimeError("handler failed")
        finally:
            self.inside -= 1
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"ok"})


def _scope(path: str, method: str = "GET") -> dict[str, Any]:
    return {"type": "http", "method": method, "path": path, "headers": []}


async def _call(app: Any, path: str, method: str = "GET") -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(msg: dict[str, Any]) -> None:
        sent.append(msg)

    await app(_scope(path, method), receive, send)
    return sent


async def _together(app: Any, paths: list[str], method: str = "GET") -> list[list[dict[str, Any]]]:
    tasks = []
    for p in paths:  # started in this order: each reaches the gate before the next starts
        tasks.append(asyncio.create_task(_call(app, p, method)))
        await asyncio.sleep(0)
    return await asyncio.gather(*tasks)


@pytest.mark.parametrize("slots", [1, 3])
def test_at_most_slots_inside_in_arrival_order(slots: int) -> None:
    inner = Recorder()
    paths = [f"/article/{i}" for i in range(12)]
    asyncio.run(_together(AdmissionGate(inner, slots), paths))
    assert inner.most == slots
    assert inner.entered == paths


def test_ungated_requests_all_run_at_once() -> None:
    inner = Recorder()
    asyncio.run(_together(AdmissionGate(inner, 1), [f"/static/f{i}.css" for i in range(5)]))
    assert inner.most == 5
    inner = Recorder()
    asyncio.run(_together(AdmissionGate(inner, 1), ["/analyze"] * 4, method="POST"))
    assert inner.most == 4
    assert gated(_scope("/")) and gated(_scope("/api/v1/claims", "HEAD"))
    assert not gated({"type": "lifespan"}) and not gated(_scope("/analyze", "POST"))


def test_slot_freed_when_the_response_starts() -> None:
    """A response whose body is still streaming (a slow client, an export) lets the next request in."""
    release = asyncio.Event()
    entered: list[str] = []

    async def streaming(scope: dict[str, Any], receive: Any, send: Any) -> None:
        entered.append(scope["path"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        if scope["path"] == "/slow":
            await release.wait()
        await send({"type": "http.response.body", "body": b"done"})

    async def run() -> None:
        gate = AdmissionGate(streaming, 1)
        slow = asyncio.create_task(_call(gate, "/slow"))
        await asyncio.sleep(0.01)
        fast = await asyncio.wait_for(_call(gate, "/fast"), 2)  # not stuck behind /slow's body
        assert fast[-1]["body"] == b"done" and not slow.done()
        release.set()
        await slow

    asyncio.run(run())
    assert entered == ["/slow", "/fast"]


def test_slot_freed_when_the_handler_fails() -> None:
    async def run() -> None:
        gate = AdmissionGate(Recorder(fail=True), 1)
        for _ in range(2):
            with pytest.raises(RuntimeError):
                await asyncio.wait_for(_call(gate, "/"), 2)
        gate.app = Recorder()
        assert (await asyncio.wait_for(_call(gate, "/"), 2))[0]["status"] == 200

    asyncio.run(run())


def _closes(responses: list[list[dict[str, Any]]]) -> list[bool]:
    return [(b"connection", b"close") in r[0]["headers"] for r in responses]


def test_crowded_rule() -> None:
    assert not crowded(9, None)  # a lone process: no one to hand clients to
    assert not crowded(9, ([9], 0))
    assert crowded(12, ([12, 10], 0)) and crowded(12, ([7, 12, 10], 1))
    assert not crowded(11, ([11, 10], 0)) and not crowded(10, ([12, 10], 1))


def test_crowded_process_hands_clients_over() -> None:
    """With the other process holding nothing, this one closes the connections of the responses it sends
    while it still holds two or more reads (queued behind them), and keeps the rest."""
    loads = [0, 0]
    share_loads(loads, 0)
    try:
        gate = AdmissionGate(Recorder(hold=0.001), 1)
        responses = asyncio.run(_together(gate, ["/"] * 6))
    finally:
        share_loads(None)
    assert _closes(responses) == [True] * 5 + [False]  # the last one leaves with only itself held
    assert loads == [0, 0] and gate.held == 0
    alone = asyncio.run(_together(AdmissionGate(Recorder(hold=0.001), 1), ["/"] * 6))
    assert not any(_closes(alone))


def test_bad_settings_refused() -> None:
    with pytest.raises(ValueError, match="slots: 0"):
        AdmissionGate(Recorder(), 0)


def test_a_request_cancelled_while_queued_leaves_no_load_behind() -> None:
    """A client that goes away while its request waits for a slot: the request is cancelled in the queue, and
    the process's published load (what the hand-over between processes reads) must not keep counting it."""
    gate = AdmissionGate(Recorder(hold=0.05), slots=1)

    async def run() -> None:
        first = asyncio.create_task(_call(gate, "/a"))
        await asyncio.sleep(0)
        queued = asyncio.create_task(_call(gate, "/b"))
        await asyncio.sleep(0.01)
        assert gate.held == 2
        queued.cancel()
        with pytest.raises(asyncio.CancelledError):
            await queued
        await first

    asyncio.run(run())
    assert gate.held == 0
