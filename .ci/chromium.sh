#!/usr/bin/env bash
# Install Debian's chromium for the browser tests (Playwright drives it through executable_path; the
# project never runs `playwright install`, which would download a browser build). Idempotent: apt-get runs
# only when /usr/bin/chromium is missing. Prints the browser path (the only line on stdout).
set -euo pipefail
if ! [ -x /usr/bin/chromium ]; then
  echo "chromium.sh: installing chromium (apt-get)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2
fi
echo /usr/bin/chromium
