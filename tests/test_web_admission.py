"""The admission gate (serve/web/admission.py): at most ``slots`` reads inside a process between arrival and
response start, admitted in arrival order; a slot freed when the response starts (a slow reader or a long
stream holds none) or when the handler fails; writes and static files not gated; every ``recycle``-th response
asks the client to reconnect. Driven with a real ASGI app of coroutines; the last test on a real server."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from reportedly.serve.web.admission import AdmissionGate, gated


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
    asyncio.run(_together(AdmissionGate(inner, slots, recycle=0), paths))
    assert inner.most == slots
    assert inner.entered == paths


def test_ungated_requests_all_run_at_once() -> None:
    inner = Recorder()
    asyncio.run(_together(AdmissionGate(inner, 1, recycle=0), [f"/static/f{i}.css" for i in range(5)]))
    assert inner.most == 5
    inner = Recorder()
    asyncio.run(_together(AdmissionGate(inner, 1, recycle=0), ["/analyze"] * 4, method="POST"))
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
        gate = AdmissionGate(streaming, 1, recycle=0)
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
        gate = AdmissionGate(Recorder(fail=True), 1, recycle=0)
        for _ in range(2):
            with pytest.raises(RuntimeError):
                await asyncio.wait_for(_call(gate, "/"), 2)
        gate.app = Recorder()
        assert (await asyncio.wait_for(_call(gate, "/"), 2))[0]["status"] == 200

    asyncio.run(run())


def _closes(responses: list[list[dict[str, Any]]]) -> list[bool]:
    return [(b"connection", b"close") in r[0]["headers"] for r in responses]


def test_every_recycle_th_response_closes_its_connection() -> None:
    gate = AdmissionGate(Recorder(hold=0), 1, recycle=3)
    responses = asyncio.run(_together(gate, ["/"] * 9))
    assert _closes(responses) == [False, False, True] * 3
    never = asyncio.run(_together(AdmissionGate(Recorder(hold=0), 1, recycle=0), ["/"] * 6))
    assert not any(_closes(never))


def test_bad_settings_refused() -> None:
    with pytest.raises(ValueError, match="slots: 0"):
        AdmissionGate(Recorder(), 0)


def test_real_server_recycles_connections(tmp_path) -> None:
    """uvicorn honours the header: the keep-alive client is told to close every third page and carries on
    over a new connection; every page still answers."""
    import threading
    import time

    import uvicorn

    from reportedly.serve.api import create_app
    from reportedly.serve.web.state import Settings
    from tests._web import free_port

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(Settings(str(tmp_path / "l.db"), recycle=3)),
                                           host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            for _ in range(100):
                try:
                    client.get("/analyze")
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            statuses, closes, peers = [], [], set()
            for _ in range(9):
                with client.stream("GET", "/") as r:
                    r.read()
                    statuses.append(r.status_code)
                    closes.append(r.headers.get("connection") == "close")
                    peers.add(r.extensions["network_stream"].get_extra_info("client_addr"))
        assert statuses == [200] * 9
        assert sum(closes) == 3  # /analyze above was the first response of the count
        assert len(peers) >= 3  # a new connection after each close
    finally:
        server.should_exit = True
        thread.join(10)
