#!/usr/bin/env bash
# Installs what the tests need: the Python packages (pyproject.toml, with the
# test extras) into the project's .venv/ (made by ./run), and Debian's
# Chromium for the browser tests unless PANDUAN_CHROMIUM names another browser.
# ./run also compiles the engine's modules, once, not in each of the hundreds of builds.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${PANDUAN_CHROMIUM:-}" ] && [ -x "$PANDUAN_CHROMIUM" ]; then
  :   # a browser chosen by the caller (the GitHub runner's Chrome)
elif ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "tests/setup.sh: Chromium is missing; install Debian's 'chromium' package (sudo apt-get install chromium)" >&2
    exit 1
  fi
fi
./run --setup test
