#!/usr/bin/env bash
# Known vulnerabilities in requirements.lock (`make audit`, .ci/run): pip-audit asks PyPI's JSON
# API (the advisories PyPI publishes from the OSV database) about every pinned release.
#
# Exit status: 0 every pin audited, none vulnerable; 1 a vulnerable pin, or a pin the service
# could not audit (--strict: nothing passes unaudited); 3 the service cannot be reached from
# this machine (a closed network with only a package mirror), reported as such and never as a
# pass. AUDIT_REQUIRED=true turns 3 into 1 (a CI machine that must have the service).
set -uo pipefail
cd "$(dirname "$0")/.."

PIP_AUDIT=${PIP_AUDIT:-.venv/bin/pip-audit}
# The probe asks what pip-audit asks, for one pin of the lock (Django's): the per-release JSON
# document, which names a "vulnerabilities" key when the real API answers. A package mirror
# may serve the per-project document and still answer 404 here, where pip-audit would then
# report every pin as "not found on PyPI".
django_pin=$(grep -im1 '^django==' requirements.lock | cut -d= -f3)
SERVICE=https://pypi.org/pypi/django/$django_pin/json
if ! .venv/bin/python - "$SERVICE" <<'EOF'
import json, sys, urllib.request
try:
    with urllib.request.urlopen(sys.argv[1], timeout=15) as response:
        sys.exit(0 if "vulnerabilities" in json.load(response) else 1)
except Exception as error:
    print(f"probe of {sys.argv[1]}: {error}", file=sys.stderr)
    sys.exit(1)
EOF
then
    cat >&2 <<EOF

*** pip-audit NOT RUN: the vulnerability service ($SERVICE) cannot be reached from this
*** machine. requirements.lock has NOT been checked for known vulnerabilities: run
*** \`make audit\` on a machine where PyPI's JSON API answers.

EOF
    [[ "${AUDIT_REQUIRED:-}" == true ]] && exit 1
    exit 3
fi

# --disable-pip --no-deps: the lock already pins every package; nothing is installed.
exec "$PIP_AUDIT" --strict --disable-pip --no-deps --progress-spinner off -r requirements.lock
