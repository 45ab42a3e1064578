"""The spark-submit entry point: ``spark-submit ... reportedly/serve/spark_submit.py INPUT... --output DIR``.

It takes the same arguments as ``reportedly spark run`` (the master comes from spark-submit), so a cluster run and
a local run go through one command. It lives in serve/, not scale/, so that scale/ never imports the CLI.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``reportedly spark run`` with ``argv``; the exit code of the command."""
    from reportedly.serve.cli import app

    args = list(sys.argv[1:] if argv is None else argv)
    if "--master" not in args:
        args += ["--master", ""]
    try:
        app(["spark", "run", *args])
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
