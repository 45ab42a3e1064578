#!/usr/bin/env bash
# Set up everything and pass the checks: venv, the package with its test extras (spaCy model
# included), a local PostgreSQL server for the store tests, Debian's chromium for the browser tests,
# then ruff, mypy and pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
[ -x .venv/bin/python ] || "$PY" -m venv .venv
# REPORTEDLY_TRAIN_EXTRA=1 (CI sets it) adds torch & co., so the slow encoder-training test runs too
EXTRAS=dev
[ "${REPORTEDLY_TRAIN_EXTRA:-0}" = 1 ] && EXTRAS=$EXTRAS,train
# REPORTEDLY_SPARK_EXTRA=1 adds pyspark and Debian's Java 17, so the Spark tests run too
if [ "${REPORTEDLY_SPARK_EXTRA:-0}" = 1 ]; then
  EXTRAS=$EXTRAS,spark
  bash .ci/java.sh >&2
fi
.venv/bin/pip install -q --disable-pip-version-check -e ".[$EXTRAS]"
if [ -z "${REPORTEDLY_TEST_PG:-}" ] && [ -x .ci/postgres.sh ]; then
  REPORTEDLY_TEST_PG=$(bash .ci/postgres.sh | tail -n 1)
  export REPORTEDLY_TEST_PG
fi
if [ -z "${REPORTEDLY_CHROMIUM:-}" ] && [ -x .ci/chromium.sh ]; then
  REPORTEDLY_CHROMIUM=$(bash .ci/chromium.sh | tail -n 1)
  export REPORTEDLY_CHROMIUM
fi
.venv/bin/ruff check src tests bench
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
