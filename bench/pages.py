"""Latency, throughput and page weight of a running portal, measured from 127.0.0.1.

Starts nothing itself: point it at a server (`make bench` starts gunicorn with production settings
on a free port, runs this and stops it). For each URL it sends a bounded number of concurrent
requests (urllib in threads, a new connection per request, no proxies, no redirects) and reports
the median and 90th-percentile latency and requests per second. The first stylesheet linked from
the home page is measured the same way as a baseline, because these machines are shared: compare
a page with the static file served by the same server in the same run, not with another run.

Page weight is what a first visit downloads before images: the HTML plus every same-origin
stylesheet and script it links, each gzip-compressed here at level 6 (what a typical front
server does), whatever the server itself sends.

    .venv/bin/python bench/pages.py --base-url http://127.0.0.1:8000 [--json out.json]
"""

import argparse
import gzip
import json
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

LOAD_PATHS = ["/", "/2022/", "/2022/1/"]
WEIGHT_PATHS = ["/", "/2022/", "/2022/1/"]
ALLOWED_HOST = "127.0.0.1"
USER_AGENT = "portal-bench/1 (+bench/pages.py)"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is reported as its status: the benchmark must measure the URL it was given."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())


def fetch(url, timeout, encoding="gzip"):
    """GET url; return (status, body bytes, error). A network error gives status 0 and its text."""
    request = urllib.request.Request(
        url, headers={"User-Agent": USER_AGENT, "Accept-Encoding": encoding}
    )
    try:
        with OPENER.open(request, timeout=timeout) as response:
            return response.status, response.read(), ""
    except urllib.error.HTTPError as error:
        return error.code, error.read(), ""
    except (OSError, urllib.error.URLError) as error:
        return 0, b"", f"{type(error).__name__}: {error}"


def wait_until_up(base_url, seconds, timeout):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status, _body, _error = fetch(base_url + "/", timeout)
        if status:
            return True
        time.sleep(0.3)
    return False


def hammer(url, *, requests, concurrency, seconds, timeout):
    """Up to `requests` GETs from `concurrency` threads, stopping after `seconds`."""
    latencies, statuses, errors = [], Counter(), Counter()
    lock = threading.Lock()
    issued = 0
    deadline = time.monotonic() + seconds

    def worker():
        nonlocal issued
        while time.monotonic() < deadline:
            with lock:
                if issued >= requests:
                    return
                issued += 1
            started = time.perf_counter()
            status, _body, error = fetch(url, timeout)
            elapsed = time.perf_counter() - started
            with lock:
                statuses[status] += 1
                if error:
                    errors[error] += 1
                if status == 200:
                    latencies.append(elapsed)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + timeout + 5)
    wall = time.perf_counter() - started
    done = sum(statuses.values())
    result = {
        "url": url,
        "requests": done,
        "ok": statuses.get(200, 0),
        "statuses": {str(code): count for code, count in sorted(statuses.items())},
        "errors": dict(errors.most_common(5)),
        "seconds": round(wall, 3),
        "requests_per_second": round(done / wall, 1) if wall else None,
        "median_ms": None,
        "p90_ms": None,
    }
    if latencies:
        result["median_ms"] = round(statistics.median(latencies) * 1000, 2)
        if len(latencies) >= 10:
            result["p90_ms"] = round(statistics.quantiles(latencies, n=10)[-1] * 1000, 2)
    return result


class _Assets(HTMLParser):
    """Collects linked stylesheets, scripts and the number of <img> tags."""

    def __init__(self):
        super().__init__()
        self.css, self.js, self.images = [], [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and "stylesheet" in (attrs.get("rel") or "").lower().split():
            if attrs.get("href"):
                self.css.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.js.append(attrs["src"])
        elif tag == "img":
            self.images += 1


def gzipped(data):
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def linked_assets(page_url, html):
    parser = _Assets()
    parser.feed(html.decode("utf-8", "replace"))
    origin = urlsplit(page_url)[:2]
    own = {"css": [], "js": []}
    external = []
    for kind, refs in (("css", parser.css), ("js", parser.js)):
        for ref in dict.fromkeys(refs):
            url = urljoin(page_url, ref)
            (own[kind] if urlsplit(url)[:2] == origin else external).append(url)
    return own, external, parser.images


def page_weight(url, timeout):
    status, html, error = fetch(url, timeout, encoding="identity")
    if status == 0:  # one retry: a shared machine may drop a connection under load
        status, html, error = fetch(url, timeout, encoding="identity")
    result = {"url": url, "status": status, "error": error}
    if status != 200:
        return result
    own, external, images = linked_assets(url, html)
    result.update(html_bytes=len(html), html_gzip=gzipped(html), img_tags=images)
    result["external"] = external
    failed = []
    for kind in ("css", "js"):
        raw = packed = 0
        for asset in own[kind]:
            asset_status, body, _error = fetch(asset, timeout, encoding="identity")
            if asset_status != 200:
                failed.append(f"{asset_status} {asset}")
                continue
            raw += len(body)
            packed += gzipped(body)
        result[f"{kind}_files"] = len(own[kind])
        result[f"{kind}_bytes"] = raw
        result[f"{kind}_gzip"] = packed
    result["failed_assets"] = failed
    result["total_gzip"] = result["html_gzip"] + result["css_gzip"] + result["js_gzip"]
    return result


def kib(value):
    return "-" if value is None else f"{value / 1024:.1f}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--path", action="append", help=f"URL path to load (default {LOAD_PATHS})")
    parser.add_argument(
        "--weight-path", action="append", help=f"page to weigh (default {WEIGHT_PATHS})"
    )
    parser.add_argument("--requests", type=int, default=200, help="per URL, at most (200)")
    parser.add_argument("--concurrency", type=int, default=4, help="threads (4)")
    parser.add_argument("--seconds", type=float, default=15, help="per URL, at most (15)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per URL (3)")
    parser.add_argument("--timeout", type=float, default=10, help="per request, seconds (10)")
    parser.add_argument("--wait", type=float, default=0, help="wait this long for the server")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args(argv)

    base = args.base_url.rstrip("/")
    parts = urlsplit(base)
    if parts.scheme != "http" or parts.hostname != ALLOWED_HOST:
        parser.error(f"--base-url must be http://{ALLOWED_HOST}:PORT (got {args.base_url})")
    if not 1 <= args.concurrency <= 64 or not 1 <= args.requests <= 100_000:
        parser.error("--concurrency must be 1..64 and --requests 1..100000")
    if args.wait and not wait_until_up(base, args.wait, args.timeout):
        print(f"No answer from {base}/ within {args.wait:.0f} s.", file=sys.stderr)
        return 2

    weights = [page_weight(base + path, args.timeout) for path in args.weight_path or WEIGHT_PATHS]
    status, html, _error = fetch(base + "/", args.timeout, encoding="identity")
    own = linked_assets(base + "/", html)[0] if status == 200 else {"css": [], "js": []}
    baseline = (own["css"] or own["js"] or [None])[0]

    urls = [base + path for path in args.path or LOAD_PATHS]
    if baseline:
        urls.append(baseline)
    loads = []
    for url in urls:
        for _ in range(args.warmup):
            fetch(url, args.timeout)
        loads.append(
            hammer(
                url,
                requests=args.requests,
                concurrency=args.concurrency,
                seconds=args.seconds,
                timeout=args.timeout,
            )
        )
    base_median = loads[-1]["median_ms"] if baseline else None
    for load in loads:
        if base_median and load["median_ms"]:
            load["x_static"] = round(load["median_ms"] / base_median, 1)

    print(f"Load: {base}  (up to {args.requests} requests/URL, {args.concurrency} concurrent)")
    header = ("URL", "n", "ok", "median ms", "p90 ms", "req/s", "×static")
    print("{:<38} {:>5} {:>5} {:>10} {:>8} {:>7} {:>8}".format(*header))
    for load in loads:
        path = load["url"][len(base) :] or "/"
        print(
            f"{path[:38]:<38} {load['requests']:>5} {load['ok']:>5} "
            f"{load['median_ms'] if load['median_ms'] is not None else '-':>10} "
            f"{load['p90_ms'] if load['p90_ms'] is not None else '-':>8} "
            f"{load['requests_per_second'] or '-':>7} {load.get('x_static', '-'):>8}"
        )
        if load["ok"] != load["requests"]:
            print(f"    statuses: {load['statuses']} {load['errors'] or ''}")
    if baseline:
        print("(×static: median latency relative to the static file on the last line)")

    print("\nPage weight, KiB gzip-6 (HTML + linked same-origin CSS/JS; images not counted)")
    print(
        f"{'page':<16} {'HTML':>7} {'CSS':>9} {'JS':>9} {'total':>7} {'HTML raw':>9} {'<img>':>6}"
    )
    for weight in weights:
        path = weight["url"][len(base) :]
        if weight["status"] != 200:
            print(f"{path:<16} HTTP {weight['status'] or weight['error']}")
            continue
        css = f"{kib(weight['css_gzip'])}/{weight['css_files']}"
        js = f"{kib(weight['js_gzip'])}/{weight['js_files']}"
        print(
            f"{path:<16} {kib(weight['html_gzip']):>7} {css:>9} {js:>9} "
            f"{kib(weight['total_gzip']):>7} {kib(weight['html_bytes']):>9} {weight['img_tags']:>6}"
        )
        for problem in weight["failed_assets"]:
            print(f"    asset failed: {problem}")
        for url in weight["external"]:
            print(f"    external, not counted: {url}")
    print("(CSS and JS columns: KiB/files)")

    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump({"base_url": base, "load": loads, "weight": weights}, out, indent=2)
        print(f"\nWritten to {args.json}")

    broken = [load["url"] for load in loads if load["ok"] != load["requests"] or not load["ok"]]
    broken += [w["url"] for w in weights if w["status"] != 200 or w["failed_assets"]]
    if broken:
        print(f"\nNot every request succeeded: {', '.join(dict.fromkeys(broken))}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
