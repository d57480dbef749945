#!/usr/bin/env bash
# Make sure the two-node deployment test (tests/deploy/) can run: Debian's nginx as the load
# balancer in front of two gunicorn nodes. The test starts its own nginx (`-p` a temporary
# prefix, its own config, pid and logs), never the system service. As root with apt-get, install
# it when missing; otherwise say so loudly, and fail when CI=true (the test would fail anyway).
set -euo pipefail

PACKAGE=nginx

if command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]]; then
    echo "ensure_nginx: nginx is present."
    exit 0
fi

if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure_nginx: missing nginx; installing $PACKAGE with apt-get (its service is not started)."
    apt-get update -q
    # policy-rc.d 101: the package's post-install must not start the system nginx on port 80.
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$PACKAGE" || status=$?
    rm -f /usr/sbin/policy-rc.d
    [[ "${status:-0}" == 0 ]] || exit "$status"
    if [[ -x /usr/sbin/nginx ]]; then
        echo "ensure_nginx: installed."
        exit 0
    fi
fi

cat >&2 <<EOT

!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
!! The two-node deployment test (tests/deploy/) needs nginx.
!! Install as root:  apt-get install -y $PACKAGE
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!

EOT
if [[ "${CI:-}" == "true" ]]; then
    echo "ensure_nginx: CI=true, so this is an error." >&2
    exit 1
fi
echo "ensure_nginx: continuing; the deployment test will be skipped (it fails when CI=true)." >&2
