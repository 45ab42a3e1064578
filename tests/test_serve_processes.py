"""``serve --workers N``'s processes (serve/web/processes.py): sockets sharing one port, a crashed process
started again on its socket, and a process that cannot start stopping the server instead of looping."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import httpx
import pytest
import uvicorn

from reportedly.serve.web import processes
from reportedly.serve.web.state import SETTINGS_ENV, Settings
from tests._web import free_port


def _children() -> list[int]:
    me = os.getpid()
    kids = [int(k) for k in Path(f"/proc/{me}/task/{me}/children").read_text().split()]
    return [k for k in kids if b"spawn_main" in Path(f"/proc/{k}/cmdline").read_bytes()]


def _answers(base: str) -> bool:
    try:
        return httpx.get(base + "/api/v1/outlets", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


def _until(check, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def test_listeners_share_one_port() -> None:
    socks = processes.listeners("127.0.0.1", 0, 3)
    try:
        assert len({s.getsockname()[1] for s in socks}) == 1
    finally:
        for s in socks:
            s.close()


def test_a_killed_process_is_started_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(processes, "STEADY", 0.0)
    monkeypatch.setenv(SETTINGS_ENV, Settings(str(tmp_path / "l.db")).to_env())
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    config = uvicorn.Config("reportedly.serve.api:app_from_env", factory=True, host="127.0.0.1", port=port,
                            log_level="warning")
    seen: dict[str, object] = {}

    def drive() -> None:
        try:
            assert _until(lambda: _answers(base) and len(_children()) == 2)
            first = _children()
            os.kill(first[0], signal.SIGKILL)
            assert _until(lambda: len(_children()) == 2 and first[0] not in _children() and _answers(base))
            seen["after"] = _children()
            seen["first"] = first
        except AssertionError as exc:
            seen["error"] = exc
        finally:
            os.kill(os.getpid(), signal.SIGTERM)  # what stops the server: its signal handler

    threading.Thread(target=drive, daemon=True).start()
    processes.serve_processes(config, "127.0.0.1", port, 2)
    assert "error" not in seen, seen.get("error")
    assert set(seen["after"]) & set(seen["first"]) == {seen["first"][1]}  # type: ignore[index]
    assert _until(lambda: not _children(), 20)  # stopped with the server


def test_a_process_that_cannot_start_stops_the_server() -> None:
    config = uvicorn.Config("reportedly.no_such_module:app", host="127.0.0.1", port=free_port(),
                            log_level="critical")
    with pytest.raises(processes.WorkerFailed, match="exited while starting"):
        processes.serve_processes(config, "127.0.0.1", config.port, 2)
    assert _until(lambda: not _children(), 20)
