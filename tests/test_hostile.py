"""Hostile input through the real command line (subprocesses): every input ends within its bound with a report
or one error line naming it, never a traceback. Inputs are generated here, never stored as big files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

DEMO = ROOT / "src" / "reportedly" / "data" / "demo"
PROSE = " ".join(" ".join(p.read_text(encoding="utf-8").split()) for p in sorted(DEMO.glob("*.txt")))


def run(*args: str, cwd: Path | None = None, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reportedly.serve.cli", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=cwd)


def prose(n: int) -> str:
    """``n`` characters of realistic news prose on one line (the demo articles, repeated)."""
    return (PROSE + " ") * (n // (len(PROSE) + 1)) + PROSE[: n % (len(PROSE) + 1)]


def hostile_texts() -> dict[str, str]:
    nested = "The minister said " + "".join(f'"{k} said ' if k % 2 else f"'{k} said " for k in range(300)) + "so."
    return {
        "line-10k.txt": "A title\n" + prose(10_000),
        "line-200k.txt": "A title\n" + prose(200_000),
        "nested-quotes.txt": "Quotes all the way down\n" + nested + "\n",
        "quote-marks.txt": "Marks\n" + '" “ ” « » ' * 3000 + "the ministry said.\n",
        "no-breaks.txt": "No breaks\n" + " ".join(["the minister said the agency told officials"] * 400),
        "controls.txt": "Controls\nThe ministry\x07 said\x1b[31m on Monday\x0b that the dam would hold.\n" * 20,
        "mixed-scripts.txt": ("Scripts\nВластите заявиха, 官员说, قال المسؤولون \u202e reversed \u202c "
                              "and the 🚒 chief said the levee held. ") * 50,
        "crlf.txt": "\ufeffDam holds\r\nBy Ann Lee\r\n\r\nThe minister said on Monday that the dam held.\r\n",
    }


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("hostile")
    for name, text in hostile_texts().items():
        (d / name).write_text(text, encoding="utf-8", newline="")
    (d / "over-limit.txt").write_text("Long\n" + prose(1_000_012), encoding="utf-8")  # 1,000,017 characters
    (d / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (d / "mostly-controls.txt").write_bytes(b"Title\n" + b"\x01\x02\x03 said" * 400)
    return d


def assert_clean(proc: subprocess.CompletedProcess[str]) -> list[str]:
    """No traceback, and every stderr line an ``error:`` line (or the ingest summary); the lines."""
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert all(ln.startswith("error: ") or " stored, " in ln for ln in lines), lines
    return lines


def test_every_hostile_file_gives_a_report_or_one_error_line(hostile_dir: Path) -> None:
    proc = run("analyze", str(hostile_dir), "--jsonl", "--max-seconds", "120")
    lines = assert_clean(proc)
    reports = {json.loads(r)["article"]["id"]: json.loads(r) for r in proc.stdout.splitlines()}
    for path in hostile_dir.iterdir():
        errors = [ln for ln in lines if str(path) in ln or ln.startswith(f"error: {path.stem}: ")]  # file or id
        assert (path.stem in reports) != bool(errors), (path.name, errors)
        assert len(errors) <= 1, errors
    assert proc.returncode == 1
    assert any("over-limit: too long (1,000,017 characters; the limit is 1,000,000" in ln for ln in lines), lines
    assert any("binary.txt: binary data" in ln for ln in lines), lines
    for name in hostile_texts():
        assert Path(name).stem in reports, (name, lines)
    text = (hostile_dir / "crlf.txt").read_bytes().decode("utf-8-sig")  # CRLF kept, the BOM dropped
    crlf = reports["crlf"]
    assert crlf["article"]["title"] == "Dam holds" and crlf["article"]["chars"] == len(text)
    said = next(a for a in crlf["attributions"] if a["cue"]["text"] == "said")
    assert [text[s:e] for s, e in said["source"]["spans"]] == ["The minister"]


def test_a_long_article_past_the_time_bound_fails_alone(tmp_path: Path) -> None:
    (tmp_path / "a-long.txt").write_text("Long\n" + prose(400_000), encoding="utf-8")
    (tmp_path / "b-short.txt").write_text("Short\n" + prose(2_000), encoding="utf-8")
    proc = run("analyze", str(tmp_path), "--jsonl", "--max-seconds", "3")
    lines = assert_clean(proc)
    assert proc.returncode == 1
    assert any("a-long: analysis took longer than 3 s (--max-seconds)" in ln for ln in lines), lines
    assert [json.loads(r)["article"]["id"] for r in proc.stdout.splitlines()] == ["b-short"]


def test_the_memory_bound_fails_the_article_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Title\n" + prose(5_000), encoding="utf-8")
    proc = run("analyze", str(tmp_path / "a.txt"), "--jsonl", "--max-memory", "50")
    lines = assert_clean(proc)
    assert proc.returncode == 1
    assert lines[0] == "error: a: analysis needed more than 50 MB of memory (--max-memory)"


def _other_formats(d: Path) -> dict[str, Path]:
    (d / "rows.jsonl").write_text(json.dumps({"id": "r1", "text": "T\nThe minister said so."}) + "\nnot json\n",
                                  encoding="utf-8")
    (d / "page.html").write_text("<html><body><p>The minister said so.</p><script>alert(1)</script></body></html>",
                                 encoding="utf-8")
    (d / "blob.bin").write_bytes(bytes(range(256)) * 16)
    return {"jsonl": d / "rows.jsonl", "html": d / "page.html", "binary": d / "blob.bin"}


COMMANDS = {
    "analyze": lambda p, d: ["analyze", str(p), "--jsonl"],
    "ingest": lambda p, d: ["ingest", str(p), "--db", str(d / f"{p.stem}.db")],
    "eval": lambda p, d: ["eval", "polnear", str(p)],
    "train": lambda p, d: ["train", "polnear", str(p), "--out", str(d / "model")],
    "claims": lambda p, d: ["claims", "--db", str(p)],
    "sources": lambda p, d: ["sources", "--db", str(p)],
    "show": lambda p, d: ["show", "x", "--db", str(p)],
    "export": lambda p, d: ["export", "--db", str(p)],
    "link": lambda p, d: ["link", "--db", str(p)],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_jsonl_html_and_binary_given_to_every_command(command: str, tmp_path: Path) -> None:
    for kind, path in _other_formats(tmp_path).items():
        proc = run(*COMMANDS[command](path, tmp_path), cwd=tmp_path, timeout=300)
        lines = assert_clean(proc)
        assert proc.returncode in (0, 1, 2), (kind, proc.returncode)
        if proc.returncode:
            assert lines, (command, kind)
    if command == "analyze":  # JSONL is read as rows, not as prose
        proc = run("analyze", str(tmp_path / "rows.jsonl"), "--jsonl")
        assert [json.loads(r)["article"]["id"] for r in proc.stdout.splitlines()] == ["r1"]
        assert any("rows.jsonl:2: not valid JSON" in ln for ln in proc.stderr.splitlines())


def test_reading_commands_refuse_a_missing_ledger_and_create_nothing(tmp_path: Path) -> None:
    for args in (["claims"], ["sources"], ["show", "x"], ["export"], ["link"]):
        proc = run(*args, "--db", str(tmp_path / "typo.db"))
        assert proc.returncode == 2
        assert proc.stderr.strip() == f"error: {tmp_path / 'typo.db'}: no such ledger (create one with reportedly " \
                                      "ingest or reportedly demo)"
    proc = run("ingest", str(tmp_path / "nonexistent"), "--db", str(tmp_path / "x.db"))
    assert proc.returncode == 1 and "no such file or directory" in proc.stderr
    assert not list(tmp_path.iterdir())


def test_usage_errors_come_before_the_model_loads(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("T\nThe minister said so.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("T\nThe minister said so.\n", encoding="utf-8")
    for args, message in (
            (["--published", ""], "bad publication date ''"),
            (["--published", "4/1/2022"], "bad publication date '4/1/2022'"),
            (["--json"], "--json prints one JSON document"),
            (["--model", str(tmp_path)], "not a model directory"),
            (["--max-seconds", "0"], "must be positive")):
        proc = run("analyze", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), *args)
        assert proc.returncode == 2, args
        assert len(proc.stderr.strip().splitlines()) == 1 and message in proc.stderr, proc.stderr
    proc = run("analyze", str(tmp_path / "a.txt"), "--published", "April 1, 2022", "--json")
    assert json.loads(proc.stdout)["article"]["published"] == "2022-04-01"


def test_bad_inputs_are_refused_before_spacy_is_even_imported(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    code = ("import sys\nfrom reportedly.serve.cli import main\n"
            f"sys.argv = ['reportedly', 'analyze', {str(tmp_path / 'empty.txt')!r}, '/nonexistent.txt']\n"
            "try:\n    main()\nexcept SystemExit as exc:\n    print(exc.code, 'spacy' in sys.modules)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.stdout.split() == ["1", "False"], proc.stderr
    assert len(proc.stderr.splitlines()) == 3  # two inputs, one line each, and the count


def test_a_closed_pipe_is_not_an_error(tmp_path: Path) -> None:
    for k in range(3):
        (tmp_path / f"{k}.txt").write_text("Title\n" + prose(3_000), encoding="utf-8")
    cmd = f"{sys.executable} -m reportedly.serve.cli analyze {tmp_path} | head -1"
    proc = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""


def test_version_and_empty_results(tmp_path: Path) -> None:
    from reportedly import __version__

    proc = run("--version")
    assert proc.returncode == 0 and proc.stdout.strip() == f"reportedly {__version__}"
    (tmp_path / "blob.txt").write_bytes(bytes(range(256)) * 16)
    db = str(tmp_path / "empty.db")
    assert run("ingest", str(tmp_path / "blob.txt"), "--db", db).returncode == 1  # a ledger with no article
    proc = run("claims", "--db", db, "--search", "anything")
    assert proc.returncode == 0 and proc.stdout == "" and proc.stderr.strip() == "no claims match these filters"
    proc = run("sources", "--db", db)
    assert proc.returncode == 0 and proc.stderr.strip() == "the ledger holds no sources yet"


def test_progress_on_a_terminal_leaves_redirected_output_alone(tmp_path: Path) -> None:
    import os
    import pty
    import threading

    (tmp_path / "a.txt").write_text("Title\n" + prose(3_000), encoding="utf-8")
    leader, follower = pty.openpty()  # stderr is a terminal: the progress display is on
    shown: list[bytes] = []

    def drain() -> None:  # read the terminal, as a user's would be, so the program never blocks on it
        try:
            while chunk := os.read(leader, 65536):
                shown.append(chunk)
        except OSError:
            pass

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        proc = subprocess.run([sys.executable, "-m", "reportedly.serve.cli", "analyze", str(tmp_path / "a.txt"),
                               "--jsonl"], stdout=subprocess.PIPE, stderr=follower, timeout=300)
    finally:
        os.close(follower)
    reader.join(timeout=10)
    os.close(leader)
    assert proc.returncode == 0
    assert [json.loads(line)["article"]["id"] for line in proc.stdout.decode().splitlines()] == ["a"]
    assert b'"schema"' not in b"".join(shown)  # the report went to stdout, not to the terminal
