"""The README's commands, run as written against small generated fixtures: a renamed or removed flag, a
wrong module name in a snippet or a command that stops working fails here.

Every line of every ```bash block is run with bash in a scratch directory where the inputs the README
names exist (article.txt, corpus/, page.html, articles.jsonl, feed.xml, crawl.warc.gz, big.txt); the
PolNeAR paths point at a few articles of each split, so training and evaluation take seconds. The newcomer
lines are checked, not re-run: ``bash scripts/test.sh`` is what runs this test (and CI runs exactly it),
and the venv + ``pip install -e .`` part is what that script does before the ``reportedly demo`` run here.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests._web import free_port
from tests.conftest import POLNEAR, ROOT

README = ROOT / "README.md"
DEMO = ROOT / "src" / "reportedly" / "data" / "demo"
BIN = Path(sys.executable).parent
SHIPPED_MODEL = ROOT / "src" / "reportedly" / "data" / "attribution_model"
NEWCOMER = ["python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/reportedly demo",
            "bash scripts/test.sh"]

pytestmark = pytest.mark.skipif(not POLNEAR.exists(), reason="../shared/data/polnear not found")


def blocks(lang: str) -> list[str]:
    """The README's fenced code blocks in ``lang``."""
    return re.findall(rf"```{lang}\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def command_lines() -> list[str]:
    """Every command line of the bash blocks, comments removed."""
    out = []
    for block in blocks("bash"):
        for line in block.splitlines():
            cmd = re.split(r"\s+#\s", line, maxsplit=1)[0].strip()
            if cmd:
                out.append(cmd)
    return out


def _split(src: Path, dst: Path, n: int) -> None:
    """The first ``n`` articles of a PolNeAR split, in its layout."""
    for sub in ("text", "attributions"):
        (dst / sub).mkdir(parents=True)
    for path in sorted((src / "text").glob("*.txt"))[:n]:
        shutil.copy(path, dst / "text" / path.name)
        for ann in (src / "attributions").glob(path.stem + ".*"):
            shutil.copy(ann, dst / "attributions" / ann.name)


def _warc(path: Path, html: str) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("https://example.org/dam", "response",
                                                      payload=io.BytesIO(html.encode()), http_headers=headers))


def fixtures(work: Path) -> None:
    """The inputs the README's commands name, made from the bundled demo articles and PolNeAR."""
    texts = sorted(DEMO.glob("*.txt"))
    shutil.copy(texts[0], work / "article.txt")
    shutil.copy(texts[1], work / "big.txt")
    (work / "corpus").mkdir()
    for path in texts[:2]:
        shutil.copy(path, work / "corpus" / path.name)
    shutil.copy(DEMO / "ridgeline-wildfire.html", work / "page.html")
    with open(work / "articles.jsonl", "w", encoding="utf-8") as fh:
        for path in texts[2:4]:
            fh.write(json.dumps({"id": path.stem, "text": path.read_text(encoding="utf-8")}) + "\n")
    body = texts[4].read_text(encoding="utf-8")
    item = body.splitlines()[0]
    (work / "feed.xml").write_text(
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Demo</title><item>"
        f"<title>{item}</title><link>https://example.org/a</link><description><![CDATA[{body}]]></description>"
        "</item></channel></rss>", encoding="utf-8")
    _warc(work / "crawl.warc.gz", (DEMO / "ridgeline-wildfire.html").read_text(encoding="utf-8"))
    shared = work / "shared" / "data" / "polnear"
    _split(POLNEAR / "train", shared / "train", 3)
    _split(POLNEAR / "dev", shared / "dev", 2)


def prepared(cmd: str) -> str:
    """The command as it runs in the scratch directory: PolNeAR paths to the small splits, a stored id."""
    cmd = cmd.replace("../shared/", "shared/")
    return cmd.replace("ARTICLE_ID", sorted(DEMO.glob("*.txt"))[0].stem)


def _serve_line(cmd: str, cwd: Path, env: dict[str, str]) -> None:
    """A ``reportedly serve`` line runs until stopped: start it on a free port, check that it answers (and, when
    the line sets a token, that the token lets analyze store an article), then stop it."""
    port = free_port()
    cmd = re.sub(r"--port \d+", f"--port {port}", cmd) if "--port" in cmd else f"{cmd} --port {port}"
    proc = subprocess.Popen(["bash", "-c", cmd], cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, f"{cmd}\n{proc.stderr.read().decode() if proc.stderr else ''}"
            try:
                assert httpx.get(base + "/", timeout=2).status_code == 200, cmd
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, f"{cmd}: no answer within 90 s"
                time.sleep(0.3)
        token = re.search(r"REPORTEDLY_TOKEN=(\S+)", cmd)
        if token:
            r = httpx.post(base + "/api/v1/analyze", timeout=120, headers={"Authorization": f"Bearer {token.group(1)}"},
                           json={"text": "Dam\n\nThe mayor said the dam would hold.", "store": True})
            assert r.status_code == 200, (cmd, r.text[:500])
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(20)


def test_newcomer_lines_are_what_ci_and_the_test_script_run() -> None:
    assert command_lines()[:2] == NEWCOMER
    assert "bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    script = (ROOT / "scripts" / "test.sh").read_text(encoding="utf-8")
    assert "-m venv .venv" in script and "pip install" in script
    assert "EXTRAS=dev" in script and "-e \".[$EXTRAS]\"" in script  # the dev extra always, train when CI asks


def test_every_readme_command_runs(tmp_path: Path) -> None:
    fixtures(tmp_path)
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "COLUMNS": "100"}
    env.pop("REPORTEDLY_DB", None)
    demo = subprocess.run([str(BIN / "reportedly"), "demo"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=300)
    assert demo.returncode == 0, demo.stderr  # the newcomer's first line, after the install
    narrow = subprocess.run([str(BIN / "reportedly"), "sources"], cwd=tmp_path, env={**env, "COLUMNS": "80"},
                            capture_output=True, text=True, timeout=60)
    header = next(ln for ln in narrow.stdout.splitlines() if "source" in ln)
    assert all(col in header for col in ("kind", "cited", "articles", "first-hand", "relayed", "origin of")), header
    assert max(len(ln) for ln in narrow.stdout.splitlines()) <= 80
    commands = command_lines()[2:]
    assert commands
    shipped = {p.name: p.read_bytes() for p in SHIPPED_MODEL.iterdir()}
    # the model the README trains is what its --model lines read: train first
    for cmd in sorted(commands, key=lambda c: "train polnear" not in c):
        if "train encoder" in cmd and importlib.util.find_spec("torch") is None:
            continue  # needs the train extra, which .ci/run installs (REPORTEDLY_TRAIN_EXTRA=1): run there
        if "spark run" in cmd and (importlib.util.find_spec("pyspark") is None or shutil.which("java") is None):
            continue  # needs the spark extra and Java: REPORTEDLY_SPARK_EXTRA=1 bash scripts/test.sh installs them
        if re.search(r"\breportedly serve\b", cmd):
            _serve_line(prepared(cmd), tmp_path, env)
            continue
        proc = subprocess.run(["bash", "-o", "pipefail", "-c", prepared(cmd)], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, f"{cmd}\n{proc.stderr[-2000:]}"
        assert "Traceback" not in proc.stderr, cmd
    assert (tmp_path / "reportedly-model" / "meta.json").is_file()  # training wrote where the README says
    assert {p.name: p.read_bytes() for p in SHIPPED_MODEL.iterdir()} == shipped  # and not over the shipped model


def test_python_snippets_run(tmp_path: Path) -> None:
    snippets = blocks("python")
    assert len(snippets) >= 2
    text = sorted(DEMO.glob("*.txt"))[0].read_text(encoding="utf-8")
    for code in snippets:
        prelude = f"text = {text!r}\n"
        proc = subprocess.run([sys.executable, "-c", prelude + code], cwd=tmp_path, capture_output=True,
                              text=True, timeout=300)
        assert proc.returncode == 0, f"{code}\n{proc.stderr[-2000:]}"
        assert "—" in proc.stdout or "said" in proc.stdout


def test_a_blank_pipeline_is_told_it_needs_a_parser() -> None:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("reportedly")
    with pytest.raises(ValueError, match="needs a dependency parser"):
        nlp("The ministry said on Monday that the dam would hold.")
