#!/usr/bin/env bash
# The browser's Snowball stemmers: the npm package multilingual-stemmer (Snowball 3.1.1, the
# release the Python `snowballstemmer` 3.1.1 is generated from, compiled to WebAssembly),
# copied unmodified into the theme with its licence. search-ranking.js loads it only on
# pages of a language other than English, when the customer searches. Run this to update it
# (then bump snowballstemmer in pyproject.toml to the same Snowball release and run
# tests/test_language_search_browser.py, which compares both stemmers word for word).
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=2.1.1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
npm install --no-audit --no-fund --prefix "$work" "multilingual-stemmer@$VERSION" >/dev/null
src="$work/node_modules/multilingual-stemmer"
dest=theme/assets/kbgen/vendor/multilingual-stemmer
rm -rf "$dest"
mkdir -p "$dest/browser"
cp "$src/LICENSE" "$src/package.json" "$dest/"
for f in index.browser.js stemmer.browser.js wasm.browser.js iso-map.js languages.browser.js; do
  sed '/^\/\/# sourceMappingURL=/d' "$src/dist/$f" > "$dest/$f"
done
sed '/^\/\/# sourceMappingURL=/d' "$src/dist/browser/index.js" > "$dest/browser/index.js"
cp "$src/dist/browser/index_bg.wasm" "$dest/browser/"
echo "multilingual-stemmer $VERSION in $dest"
