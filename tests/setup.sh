#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine: the Python packages
# (from pyproject.toml) and Debian's Chromium for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "tests/setup.sh: Chromium is missing; install Debian's 'chromium' package (needs root)" >&2
    exit 1
  fi
fi
python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'
