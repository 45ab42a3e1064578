"""The command line on good and bad inputs, run as a real subprocess (exit codes, stderr lines)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import POLNEAR, SEED

TRAIN_TEXTS = sorted((POLNEAR / "train" / "text").glob("*.txt"))


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "reportedly.serve.cli", *args], input=stdin,
                          capture_output=True, timeout=600)


@pytest.fixture(scope="module")
def batch_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("batch")
    for src in TRAIN_TEXTS[:2]:
        (d / src.name).write_bytes(src.read_bytes())
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (d / "latin1.txt").write_bytes("Caf\xe9 owners said prices rose.".encode("latin-1"))
    (d / "huge.txt").write_bytes(b"The minister said so. " * (20 * 1024 * 1024 // 22))
    return d


def test_batch_with_bad_files_reports_each_and_analyzes_the_rest(batch_dir: Path) -> None:
    proc = run("analyze", str(batch_dir), "--jsonl")
    assert proc.returncode == 1
    errors = proc.stderr.decode().strip().splitlines()
    assert "Traceback" not in proc.stderr.decode()
    by_file = {name: [e for e in errors if name in e] for name in ("empty.txt", "binary.txt", "latin1.txt", "huge.txt")}
    assert all(len(v) == 1 for v in by_file.values()), errors
    assert "empty" in by_file["empty.txt"][0]
    assert "binary" in by_file["binary.txt"][0]
    assert "UTF-8" in by_file["latin1.txt"][0]
    assert "too large" in by_file["huge.txt"][0]
    assert errors[-1] == "error: 4 of 6 inputs failed"
    reports = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert sorted(r["article"]["id"] for r in reports) == sorted(p.stem for p in TRAIN_TEXTS[:2])
    assert all(r["attributions"] for r in reports)


def test_missing_path_and_bad_date_are_one_line_errors() -> None:
    proc = run("analyze", "/nonexistent/article.txt")
    assert proc.returncode == 1
    assert proc.stderr.decode().splitlines()[0] == "error: /nonexistent/article.txt: no such file or directory"
    proc = run("analyze", str(SEED), "--published", "yesterday-ish")
    assert proc.returncode == 2
    expected = ("error: --published: bad publication date 'yesterday-ish' (expected YYYY-MM-DD or a date such as "
                "'April 1, 2022')")
    assert proc.stderr.decode().strip() == expected


def test_json_report_offsets_point_into_the_text_as_read() -> None:
    proc = run("analyze", str(SEED), "--json", "--published", "2022-04-01")
    assert proc.returncode == 0, proc.stderr.decode()
    report = json.loads(proc.stdout)
    text = SEED.read_text(encoding="utf-8")
    assert report["schema"] == "reportedly/report@1"
    assert report["article"]["id"] == "seed-article"
    assert report["article"]["published"] == "2022-04-01"
    assert report["article"]["chars"] == len(text)
    assert report["attributions"]
    for a in report["attributions"]:
        for role in ("cue", "content"):
            pieces = [text[s:e] for s, e in a[role]["spans"]]
            assert all(pieces) and " ".join(pieces).split()[0] in a[role]["text"]


def test_stdin_and_title_line() -> None:
    text = TRAIN_TEXTS[0].read_text(encoding="utf-8")
    proc = run("analyze", "-", "--jsonl", stdin=text.encode())
    assert proc.returncode == 0, proc.stderr.decode()
    report = json.loads(proc.stdout)
    assert report["article"]["id"] == "stdin"
    assert report["article"]["title"] == text.splitlines()[0].strip()


def test_html_goes_through_trafilatura(tmp_path: Path) -> None:
    body = TRAIN_TEXTS[1].read_text(encoding="utf-8").splitlines()
    paras = "".join(f"<p>{line}</p>" for line in body[1:] if line.strip())
    page = (f"<!doctype html><html><head><title>{body[0]}</title></head><body><nav><a href='/'>Home</a>"
            f"<a href='/politics'>Politics</a></nav><article><h1>{body[0]}</h1>{paras}</article>"
            "<footer>Copyright 2016. All rights reserved. Subscribe to our newsletter.</footer></body></html>")
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    proc = run("analyze", str(path), "--jsonl")
    assert proc.returncode == 0, proc.stderr.decode()
    report = json.loads(proc.stdout)
    assert report["article"]["id"] == "page"
    assert report["attributions"]
    assert report["article"]["chars"] < len(page)


def test_demo_analyzes_and_builds_the_ledger(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    proc = run("demo", "--db", str(db))
    assert proc.returncode == 0, proc.stderr.decode()
    out = proc.stdout.decode()
    assert "9 stored, 0 unchanged, 0 failed" in proc.stderr.decode()
    assert "Ministry of Water Resources of Veloria" in out
    assert "recycled from brenna-dam-evacuation" in out  # the follow-up lifts paragraphs of the first report
    assert "origin: Ministry of Water Resources of Veloria" in out
    again = run("demo", "--db", str(db))  # idempotent: nothing is stored twice
    assert "0 stored, 9 unchanged, 0 failed" in again.stderr.decode()
