#!/usr/bin/env bash
# Install stylelint for `make lint` into .cache/stylelint, exactly as scripts/stylelint/package-lock.json
# pins it (stylelint, stylelint-config-standard and everything they need). npm is the only
# requirement; without it (or the registry) the CSS cannot be linted, and lint fails.
set -euo pipefail

SRC=scripts/stylelint
DEST=.cache/stylelint
BIN="$DEST/node_modules/.bin/stylelint"

# Reinstall only when the pinned lock file differs from the one installed.
if [[ -x "$BIN" ]] && cmp -s "$SRC/package-lock.json" "$DEST/package-lock.json"; then
    exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "!!! ensure_stylelint: no npm on PATH to install stylelint; the CSS cannot be linted." >&2
    exit 1
fi
mkdir -p "$DEST"
cp "$SRC/package.json" "$SRC/package-lock.json" "$DEST/"
npm ci --prefix "$DEST" --ignore-scripts --no-audit --no-fund --silent || {
    rm -f "$DEST/package-lock.json"
    exit 1
}
echo "ensure_stylelint: $("$BIN" --version | head -n 1) ready."
