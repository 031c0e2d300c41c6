#!/usr/bin/env bash
# The test suite, with everything it needs: kbgen and its test extras, and the system
# Chromium for the browser tests (Playwright cannot download browsers here).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/pytest ]; then
  python3 -m venv .venv
  .venv/bin/pip install --quiet --upgrade pip
fi
.venv/bin/pip install --quiet -e ".[test,postgres]"
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get install -y -qq chromium >/dev/null || {
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium >/dev/null; }
fi
.venv/bin/ruff check kbgen tests benchmarks
.venv/bin/pytest -q "$@"
