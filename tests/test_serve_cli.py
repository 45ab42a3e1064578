"""``reportedly serve`` as a real subprocess: it starts on a free loopback port, answers pages and the API
over a ledger the CLI wrote, stays read-only without a token, and a bad ledger URL is a one-line error."""

from __future__ import annotations

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


def test_serve_with_worker_processes(tmp_path: Path) -> None:
    db = tmp_path / "ledger.db"
    port = free_port()
    proc = _serve("--db", str(db), "--port", str(port), "--workers", "2")
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base, proc)
        assert all(httpx.get(base + "/api/v1/outlets").status_code == 200 for _ in range(4))
    finally:
        proc.terminate()
        proc.wait(20)
    assert proc.returncode is not None


def test_serve_bad_ledger_is_one_line(tmp_path: Path) -> None:
    proc = _serve("--db", "mysql://nowhere/db", "--port", str(free_port()))
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    lines = err.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: mysql://nowhere/db")
