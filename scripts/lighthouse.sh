#!/usr/bin/env bash
# Mobile Lighthouse (12.2.3, from npm into the git-ignored .cache/lighthouse) against the
# production server: three runs per page, median scores for performance, accessibility,
# best practices and SEO, the median run's metrics and what costs performance.
#
#   scripts/lighthouse.sh --base-url http://127.0.0.1:PORT      # a server already running
#   scripts/lighthouse.sh -- gunicorn portal.wsgi ...            # start it on a free port (adds --bind)
#
# `make lighthouse` does the second with production settings. Scores fall when the machine is
# loaded (these are shared), hence the median of three. Reports go to bench/results/lighthouse/.
set -euo pipefail

VERSION=12.2.3
DEST=.cache/lighthouse
LH="$DEST/node_modules/lighthouse/cli/index.js"
RUNS=${LIGHTHOUSE_RUNS:-3}
PATHS=${LIGHTHOUSE_PATHS:-"/ /2022/ /2022/1/"}
OUT=${LIGHTHOUSE_OUT:-bench/results/lighthouse}
PYTHON=${PYTHON:-.venv/bin/python}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}

base=""
if [[ "${1:-}" == --base-url ]]; then
    base=${2%/}
    shift 2
fi
[[ "${1:-}" == -- ]] && shift

[[ -x "$CHROME_PATH" ]] || { echo "lighthouse.sh: no Chromium at $CHROME_PATH (make ensure-browser)" >&2; exit 2; }
if ! grep -qs "\"version\": \"$VERSION\"" "$DEST/node_modules/lighthouse/package.json"; then
    command -v npm >/dev/null || { echo "lighthouse.sh: npm is needed to fetch lighthouse@$VERSION" >&2; exit 2; }
    mkdir -p "$DEST"
    npm install --prefix "$DEST" --no-save --no-audit --no-fund --silent "lighthouse@$VERSION"
fi

server=""
cleanup() { [[ -n "$server" ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null; return 0; }
trap cleanup EXIT
if [[ -z "$base" ]]; then
    (( $# )) || { echo "usage: $0 --base-url URL | -- server command" >&2; exit 2; }
    port=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    base="http://127.0.0.1:$port"
    "$@" --bind "127.0.0.1:$port" & server=$!
    for _ in $(seq 60); do
        curl -fso /dev/null "$base/" && break
        sleep 0.5
    done
fi
curl -fso /dev/null "$base/" || { echo "lighthouse.sh: no answer from $base/" >&2; exit 2; }

mkdir -p "$OUT"
rm -f "$OUT"/*.json
flags="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run"
flags+=" --disable-background-networking --disable-component-update --disable-sync"
flags+=" --host-resolver-rules='MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1'"
for path in $PATHS; do
    name=$(echo "$path" | tr -c 'A-Za-z0-9\n' '_')
    for run in $(seq "$RUNS"); do
        curl -fso /dev/null "$base$path"  # a warm server, as a visitor after the first would find it
        node "$LH" "$base$path" --quiet --output=json --output-path="$OUT/page${name}-$run.json" \
            --only-categories=performance,accessibility,best-practices,seo \
            --chrome-flags="$flags" || echo "lighthouse.sh: run $run of $path failed" >&2
    done
done
"$PYTHON" - "$OUT" $PATHS <<'PY'
import json, statistics, sys
from pathlib import Path

out, paths = Path(sys.argv[1]), sys.argv[2:]
cats = ["performance", "accessibility", "best-practices", "seo"]
metrics = {
    "first-contentful-paint": "FCP",
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
    "cumulative-layout-shift": "CLS",
    "speed-index": "SI",
}
print(f"\n| page | {' | '.join(cats)} | " + " | ".join(metrics.values()) + " |")
print("|---|" + "---:|" * (len(cats) + len(metrics)))
notes = []
for path in paths:
    name = "".join(c if c.isalnum() else "_" for c in path)
    reports = [json.loads(p.read_text()) for p in sorted(out.glob(f"page{name}-*.json"))]
    reports = [r for r in reports if all(r["categories"][c]["score"] is not None for c in cats)]
    if not reports:
        print(f"| `{path}` | no successful run |")
        continue
    scores = {c: statistics.median(r["categories"][c]["score"] * 100 for r in reports) for c in cats}
    perf = sorted(reports, key=lambda r: r["categories"]["performance"]["score"])
    mid = perf[len(perf) // 2]
    values = [mid["audits"][m]["displayValue"] for m in metrics]
    runs = "/".join(str(round(r["categories"]["performance"]["score"] * 100)) for r in reports)
    print(f"| `{path}` | " + " | ".join(f"{scores[c]:g}" for c in cats) + " | " + " | ".join(values) + " |")
    notes.append(f"{path}: performance runs {runs}")
    for audit in mid["audits"].values():
        if audit.get("scoreDisplayMode") in ("metricSavings", "binary", "numeric") and (
            audit.get("score") is not None and audit["score"] < 0.9
        ) and audit["id"] not in metrics:
            notes.append(f"  {audit['id']}: {audit.get('displayValue', '')} — {audit['title']}")
print("\n(median of the runs; metrics from the run with the median performance score)")
print("\n".join(notes))
PY
