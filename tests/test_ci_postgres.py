""".ci/postgres.sh: the local server runs with the ledger's memory settings, and a second run changes nothing.

Runs the script itself (it is idempotent: with the server up and configured it only checks), so it needs what
the script needs: root and Debian's cluster tools. Skipped elsewhere, and when the test server is not the
script's (``REPORTEDLY_TEST_PG`` pointing at another host).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests._ledger import PG_ENV

SCRIPT = Path(__file__).resolve().parents[1] / ".ci" / "postgres.sh"


def _settings() -> dict[str, str]:
    """The settings the script gives the cluster (its SETTINGS: the environment's override, else the
    default), read from the script's text."""
    found = re.findall(r'"([a-z_]+)=\$\{(REPORTEDLY_PG_[A-Z_]+):-([0-9A-Za-z]+)\}"', SCRIPT.read_text())
    return {name: os.environ.get(var) or default for name, var, default in found}


@pytest.fixture()
def local_server() -> str:
    url = os.environ.get(PG_ENV, "")
    if not url:
        pytest.skip(f"{PG_ENV} is not set (run .ci/postgres.sh)")
    if "@127.0.0.1:" not in url or os.geteuid() != 0 or not shutil.which("pg_lsclusters"):
        pytest.skip("the test server is not the local cluster .ci/postgres.sh manages as root")
    return url


def test_second_run_changes_nothing_and_settings_are_live(local_server: str) -> None:
    import psycopg

    db = local_server.rsplit("/", 1)[1].split("?")[0]
    env = {**os.environ, "REPORTEDLY_PG_DB": db}
    out = subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines() == [local_server.split("?")[0]]
    assert out.stderr == ""  # nothing set, started, restarted or created: the server was configured already
    wanted = _settings()
    assert {"shared_buffers", "effective_cache_size"} <= set(wanted)
    with psycopg.connect(local_server, autocommit=True) as conn:
        for name, value in wanted.items():
            live, want = conn.execute(f"SELECT pg_size_bytes(current_setting('{name}')), pg_size_bytes(%s)",
                                      (value,)).fetchone()
            assert live == want, f"{name}: the server runs with {live} bytes, the script sets {value}"
