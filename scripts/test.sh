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
# axe-core for the accessibility tests, from the npm registry into .cache/npm (kept there; an
# offline run uses what an earlier run installed).
if [ ! -f .cache/npm/node_modules/axe-core/axe.min.js ]; then
  npm install --no-audit --no-fund --prefix .cache/npm axe-core@4 >/dev/null ||
    echo "npm could not install axe-core: tests/test_accessibility.py will fail" >&2
fi
.venv/bin/ruff check kbgen tests benchmarks
.venv/bin/pytest -q "$@"
