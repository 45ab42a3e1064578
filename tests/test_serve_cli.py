"""``reportedly serve`` as a real subprocess: it starts on a free loopback port, answers pages and the API
over a ledger the CLI wrote, stays read-only without a token, and a bad ledger URL is a one-line error."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests._web import DEMO, free_port


def _serve(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "reportedly.serve.cli", "serve", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wait(base: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        try:
            httpx.get(base + "/", timeout=2)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError("reportedly serve did not answer within 60 s")


def test_serve_answers_on_a_free_port(tmp_path: Path) -> None:
    db = tmp_path / "ledger.db"
    ingest = subprocess.run([sys.executable, "-m", "reportedly.serve.cli", "ingest", str(DEMO / "brenna-dam-wire.txt"),
                             "--db", str(db)], capture_output=True)
    assert ingest.returncode == 0, ingest.stderr
    port = free_port()
    proc = _serve("--db", str(db), "--port", str(port))
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base, proc)
        page = httpx.get(base + "/article/brenna-dam-wire")
        assert page.status_code == 200 and 'class="hl hl-source"' in page.text
        claims = httpx.get(base + "/api/v1/claims").json()["items"]
        assert claims and {c["article_id"] for c in claims} == {"brenna-dam-wire"}
        r = httpx.post(base + "/api/v1/analyze", json={"text": "T\n\nThe mayor said so.", "store": True})
        assert r.status_code == 401  # started without a token: read-only
    finally:
        proc.terminate()
        proc.wait(10)
    assert b"http://localhost:" in (proc.stderr.read() if proc.stderr else b"")


def _sockets(pid: int) -> int:
    """How many sockets process ``pid`` holds open (its listener and its connections)."""
    n = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            n += os.readlink(fd).startswith("socket:")
    return n


def test_serve_with_worker_processes(tmp_path: Path) -> None:
    """Two processes, each on its own socket of the port: 20 keep-alive clients are spread over both (the
    kernel's hash; all 20 on one process would be a 1 in 500,000 draw), every request answers, and stopping
    the server stops its processes."""
    db = tmp_path / "ledger.db"
    port = free_port()
    proc = _serve("--db", str(db), "--port", str(port), "--workers", "2")
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base, proc)
        kids = [int(k) for k in Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()]
        workers = [k for k in kids if "resource_tracker" not in Path(f"/proc/{k}/cmdline").read_text()]
        assert len(workers) == 2
        idle = {k: _sockets(k) for k in workers}
        clients = [httpx.Client(base_url=base) for _ in range(20)]
        try:
            assert all(c.get("/api/v1/outlets").status_code == 200 for c in clients for _ in range(2))
            assert all(_sockets(k) > idle[k] for k in workers)
        finally:
            for c in clients:
                c.close()
    finally:
        proc.terminate()
        proc.wait(20)
    assert proc.returncode is not None
    time.sleep(0.5)
    assert not any(Path(f"/proc/{k}").exists() for k in workers)


def test_serve_port_in_use_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = _serve("--db", str(tmp_path / "l.db"), "--port", str(port), "--workers", "2")
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert err.decode().strip().splitlines()[-1].startswith(f"error: 127.0.0.1:{port}: ")


def test_serve_bad_ledger_is_one_line(tmp_path: Path) -> None:
    proc = _serve("--db", "mysql://nowhere/db", "--port", str(free_port()))
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    lines = err.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: mysql://nowhere/db")
