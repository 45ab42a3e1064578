#!/usr/bin/env bash
# Java for pyspark (the spark extra): installs Debian's headless JRE 17 with apt-get only if no java is on
# PATH, like .ci/postgres.sh installs PostgreSQL. Idempotent; prints the java version on stderr.
set -euo pipefail
if ! command -v java >/dev/null 2>&1; then
  echo "java.sh: installing openjdk-17-jre-headless (apt-get)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq openjdk-17-jre-headless >&2
fi
java -version 2>&1 | head -1 >&2
