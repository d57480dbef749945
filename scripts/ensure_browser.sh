#!/usr/bin/env bash
# Make sure the browser tests can run: Debian's Chromium at /usr/bin/chromium and a Chinese font
# (without one every Chinese character in a screenshot is blank). Playwright cannot download a
# browser on these machines, so the system package is used. As root with apt-get, install what is
# missing; otherwise say so loudly, and fail when CI=true (the e2e tests would fail anyway).
set -euo pipefail

CHROMIUM=/usr/bin/chromium
PACKAGES=(chromium fonts-wqy-microhei)

missing() {
    local what=()
    [[ -x "$CHROMIUM" ]] || what+=("Chromium ($CHROMIUM)")
    if ! command -v fc-list >/dev/null 2>&1 || [[ -z "$(fc-list :lang=zh 2>/dev/null)" ]]; then
        what+=("a CJK font (fc-list :lang=zh is empty)")
    fi
    local IFS=,
    echo "${what[*]}"
}

gap="$(missing)"
if [[ -z "$gap" ]]; then
    echo "ensure_browser: Chromium and a CJK font are present."
    exit 0
fi

if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure_browser: missing ${gap}; installing ${PACKAGES[*]} with apt-get."
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${PACKAGES[@]}"
    # fc-list (package fontconfig) is how the font is checked; minimal images may lack it.
    command -v fc-list >/dev/null 2>&1 ||
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q fontconfig
    gap="$(missing)"
    if [[ -z "$gap" ]]; then
        echo "ensure_browser: installed; Chromium and a CJK font are present."
        exit 0
    fi
fi

cat >&2 <<EOF

!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
!! The browser tests need: ${gap}
!! Install as root:  apt-get install -y ${PACKAGES[*]}
!! (\`playwright install\` cannot download a browser here; the tests use $CHROMIUM.)
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!

EOF
if [[ "${CI:-}" == "true" ]]; then
    echo "ensure_browser: CI=true, so this is an error." >&2
    exit 1
fi
echo "ensure_browser: continuing; browser tests will be skipped (they fail when CI=true)." >&2
