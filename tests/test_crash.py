"""Crash safety of ingest: SIGKILL mid-batch, run again, and the ledger holds each article exactly once
with no partial article and no orphan row, on SQLite and on PostgreSQL."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests._ledger import BACKENDS, count_articles, ledger_url
from tests.conftest import POLNEAR

N_ARTICLES = 24


def _corpus(path: Path) -> list[str]:
    """Real PolNeAR dev articles (first paragraphs only, to keep the parse cheap) as JSONL."""
    ids = []
    with open(path, "w", encoding="utf-8") as fh:
        for p in sorted((POLNEAR / "dev" / "text").glob("*.txt"))[:N_ARTICLES]:
            text = p.read_text(encoding="utf-8")
            cut = text.find("\n", 1200)
            fh.write(json.dumps({"id": p.stem, "text": text[: cut if cut > 0 else len(text)]}) + "\n")
            ids.append(p.stem)
    return ids


def _ingest_cmd(jsonl: Path, url: str, workers: int) -> list[str]:
    return [sys.executable, "-m", "reportedly.serve.cli", "ingest", str(jsonl), "--db", url,
            "--workers", str(workers), "--batch-size", "1"]


@pytest.mark.parametrize("backend,workers", [("sqlite", 2), ("postgres", 1)])
def test_sigkill_mid_batch_then_resume(backend: str, workers: int, tmp_path: Path) -> None:
    assert backend in BACKENDS
    jsonl = tmp_path / "corpus.jsonl"
    ids = _corpus(jsonl)
    with ledger_url(backend, tmp_path) as url:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        proc = subprocess.Popen(_ingest_cmd(jsonl, url, workers), stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, env=env, start_new_session=True)
        deadline = time.monotonic() + 240
        stored = 0
        while time.monotonic() < deadline and proc.poll() is None:
            stored = count_articles(url)
            if stored >= 3:
                break
            time.sleep(0.05)
        assert proc.poll() is None, f"ingest ended before it could be killed: {proc.stderr.read()!r}"
        os.killpg(proc.pid, signal.SIGKILL)  # the ingest and its workers, as kill -9 of the job would
        proc.wait(timeout=30)
        proc.stderr.close()
        killed_at = count_articles(url)
        assert 3 <= killed_at < len(ids), "the kill must land mid-batch"

        from reportedly.store import open_store

        with open_store(url) as store:
            c = store.counts()
        assert c["articles"] == killed_at
        assert c["orphan_attributions"] == c["orphan_paragraphs"] == c["orphan_entities"] == 0
        assert c["partial_articles"] == 0

        done = subprocess.run(_ingest_cmd(jsonl, url, workers), capture_output=True, text=True, timeout=600,
                              env=env)
        assert done.returncode == 0, done.stderr
        assert f"{len(ids) - killed_at} stored, {killed_at} unchanged, 0 failed" in done.stderr

        with open_store(url) as store:
            c = store.counts()
            stored_ids = sorted(str(r[0]) for r in store._query("SELECT id FROM articles"))
        assert c["articles"] == c["distinct_ids"] == len(ids)
        assert stored_ids == sorted(ids)
        assert c["orphan_attributions"] == c["orphan_paragraphs"] == c["orphan_entities"] == 0
        assert c["partial_articles"] == 0
        assert c["attributions"] > 0


def _group_members(pgid: int) -> list[int]:
    """Live processes of a process group (from /proc; zombies count as gone)."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:
            pids.append(int(stat.parent.name))
    return pids


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_workers_die_with_a_killed_ingest(tmp_path: Path) -> None:
    """kill -9 of the ingest process alone (not its group) must not leave workers parsing on."""
    jsonl = tmp_path / "corpus.jsonl"
    _corpus(jsonl)
    url = str(tmp_path / "ledger.db")
    proc = subprocess.Popen(_ingest_cmd(jsonl, url, 2), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and proc.poll() is None and count_articles(url) < 1:
            time.sleep(0.05)
        assert proc.poll() is None, "ingest ended before it could be killed"
        assert len(_group_members(proc.pid)) >= 3  # the ingest, the fork server (or none) and two workers
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and _group_members(proc.pid):
            time.sleep(0.1)
        assert _group_members(proc.pid) == []
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
