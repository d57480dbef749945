#!/usr/bin/env bash
# Fetch the Nu HTML Checker (npm package vnu-jar, pinned) into .cache/vnu for tests/test_html.py.
# Its postinstall would download a JDK, so scripts are skipped: the machines' Java 17 runs it.
# Without Java or npm, say so loudly; under CI=true that is a failure.
set -euo pipefail

VERSION=26.9.27
DEST=.cache/vnu
JAR="$DEST/node_modules/vnu-jar/build/dist/vnu.jar"

problem() {
    echo "!!! ensure_html_checker: $*" >&2
    [[ "${CI:-}" == true ]] && exit 1
    exit 0
}

command -v java >/dev/null 2>&1 || problem "no java on PATH; the HTML validity test will fail."
if [[ -f "$JAR" ]] && grep -q "\"version\": \"$VERSION\"" "$DEST/node_modules/vnu-jar/package.json" 2>/dev/null; then
    exit 0
fi
command -v npm >/dev/null 2>&1 || problem "no npm to fetch vnu-jar@$VERSION; the HTML validity test will fail."
mkdir -p "$DEST"
npm install --prefix "$DEST" --no-save --ignore-scripts --no-audit --no-fund --silent "vnu-jar@$VERSION"
[[ -f "$JAR" ]] || problem "vnu-jar@$VERSION installed but $JAR is missing."
echo "ensure_html_checker: vnu-jar $VERSION ready."
