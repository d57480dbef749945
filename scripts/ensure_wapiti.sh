#!/usr/bin/env bash
# Install wapiti3 for `make security-scan` into its own virtualenv, .cache/wapiti, exactly as
# scripts/wapiti/requirements.txt pins it (wapiti pins an older asgiref than Django needs, so it
# cannot share .venv). Python 3.11 and PyPI are the only requirements.
set -euo pipefail

SRC=scripts/wapiti/requirements.txt
DEST=.cache/wapiti
BIN="$DEST/bin/wapiti"
PYTHON=${PYTHON:-python3}

# Reinstall only when the pinned list differs from the one installed.
if [[ -x "$BIN" ]] && cmp -s "$SRC" "$DEST/requirements.txt"; then
    exit 0
fi
rm -rf "$DEST"
"$PYTHON" -m venv "$DEST"
"$DEST/bin/pip" install --disable-pip-version-check -q --no-deps -r "$SRC" || {
    echo "!!! ensure_wapiti: could not install wapiti3 from $SRC; the scan cannot run." >&2
    exit 1
}
cp "$SRC" "$DEST/requirements.txt"
echo "ensure_wapiti: $("$BIN" --version 2>/dev/null | grep -m1 -o 'Wapiti [0-9.]*') ready."
