"""Requests/s, latency, a burst and page weight of the portal, cached and uncached, in one run.

`make bench` runs this with `--serve`: it starts the production server (the command after `--`)
on a free port of 127.0.0.1 once per pass, measures, and stops it. Two passes by default:
`cached` (the shared page cache at its default) and `uncached` (`PAGE_CACHE_SECONDS=0`, the
cache bypassed, so every request renders). Without `--serve` it measures the one server at
`--base-url` as a single pass.

In each pass, for every page and for the site's stylesheet (before the first page and after
every page), it keeps `--concurrency` connections busy for `--seconds` and reports requests/s,
median and 90th-percentile latency, and requests/s as a ratio to the stylesheet's (the mean of
its runs on either side of that page, so drift on this shared machine cancels): a ratio is
comparable between runs, a raw figure is not. The cached
pass then sends a burst: `--burst-concurrency` clients for `--burst-seconds` over the overview,
a year list and an item, reporting errors and the 99th percentile.

The load client is `wrk` (Debian package) when installed: C, epoll, one thread, keep-alive
connections, so it is not the bottleneck at 64 connections on 2 cores. Without wrk it falls back
to Python threads with keep-alive `http.client` connections, which compete with the server for
the same two cores; the report then warns that the static figure may be client-bound.

Page weight is what a first visit downloads before images: the HTML plus every same-origin
stylesheet and script it links, each gzip-compressed here at level 6 (what a front server does),
whatever the server itself sends.

    .venv/bin/python bench/pages.py --base-url http://127.0.0.1:8000
    .venv/bin/python bench/pages.py --serve --json out.json -- gunicorn portal.wsgi ...
"""

import argparse
import gzip
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

ALLOWED_HOST = "127.0.0.1"
USER_AGENT = "portal-bench/2 (+bench/pages.py)"
HEADERS = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip", "Accept-Language": "zh-CN"}
WRK_SCRIPT = Path(__file__).with_name("wrk_report.lua")
WEIGHT_LIMIT = 60_000  # bytes, HTML+CSS+JS gzip, first view (issue 10; the map page excepted)
CATEGORY_LINK = re.compile(r'href="\?category=([\w-]+)"')


def page_paths(year, item, query, category):
    """The load-tested pages, in table order; the filtered list needs a slug found at run time."""
    paths = [("overview", "/"), ("year list", f"/{year}/")]
    if category:
        paths.append(("filtered list", f"/{year}/?category={category}"))
    paths += [
        ("item", f"/{year}/{item}/"),
        ("search", f"/search/?q={quote(query)}"),
        ("map", "/map/"),
    ]
    return paths


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is reported as its status: the benchmark must measure the URL it was given."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())


def fetch(url, timeout, encoding="gzip"):
    """GET url; return (status, body bytes, error). A network error gives status 0 and its text."""
    request = urllib.request.Request(url, headers={**HEADERS, "Accept-Encoding": encoding})
    try:
        with OPENER.open(request, timeout=timeout) as response:
            return response.status, response.read(), ""
    except urllib.error.HTTPError as error:
        return error.code, error.read(), ""
    except (OSError, urllib.error.URLError) as error:
        return 0, b"", f"{type(error).__name__}: {error}"


def wait_until_up(base_url, seconds, timeout, server=None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server is not None and server.poll() is not None:
            return False
        status, _body, _error = fetch(base_url + "/", timeout)
        if status:
            return True
        time.sleep(0.3)
    return False


# --- load clients ---------------------------------------------------------------------------


def _ms(microseconds):
    return round(microseconds / 1000, 2)


def load_wrk(base, paths, *, concurrency, seconds, timeout):
    """Keep `concurrency` keep-alive connections busy on `paths` (rotating) for `seconds`."""
    threads = 1 if concurrency <= 32 else 2
    command = ["wrk", f"-t{threads}", f"-c{concurrency}", f"-d{seconds:g}s"]
    command += [f"--timeout={timeout:g}s", "-s", str(WRK_SCRIPT)]
    for name, value in HEADERS.items():
        command += ["-H", f"{name}: {value}"]
    command += [base, "--", *paths]
    run = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    line = next((x for x in run.stdout.splitlines() if x.startswith("WRKJSON ")), None)
    if run.returncode or line is None:
        raise RuntimeError(f"wrk failed ({run.returncode}): {run.stderr or run.stdout}")
    raw = json.loads(line[len("WRKJSON ") :])
    wall = raw["duration_us"] / 1e6
    errors = {k: raw[k] for k in ("connect", "read", "write", "status", "timeout") if raw[k]}
    return {
        "timeout_ms": timeout * 1000,
        # wrk leaves responses slower than the timeout out of its percentiles; this share of
        # them means a percentile above 1 - share is really "more than the timeout".
        "over_timeout": round(raw["timeout"] / max(raw["requests"], 1), 4),
        "requests": raw["requests"],
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "seconds": round(wall, 2),
        "requests_per_second": round(raw["requests"] / wall, 1) if wall else None,
        "median_ms": _ms(raw["p50_us"]),
        "p90_ms": _ms(raw["p90_us"]),
        "p99_ms": _ms(raw["p99_us"]),
        "max_ms": _ms(raw["max_us"]),
    }


def load_python(base, paths, *, concurrency, seconds, timeout):
    """The same with threads and keep-alive http.client connections (client-bound near 1-2k/s)."""
    parts = urlsplit(base)
    latencies, statuses, errors = [], Counter(), Counter()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(offset):
        connection = None
        turn = offset
        while time.monotonic() < deadline:
            path = paths[turn % len(paths)]
            turn += 1
            if connection is None:
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=HEADERS)
                response = connection.getresponse()
                response.read()
                status, error = response.status, ""
                if response.will_close:
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException) as exc:
                status, error = 0, type(exc).__name__
                connection.close()
                connection = None
            elapsed = time.perf_counter() - started
            with lock:
                statuses[status] += 1
                if error:
                    errors[error] += 1
                elif 200 <= status < 400:
                    latencies.append(elapsed)
        if connection is not None:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + timeout + 5)
    wall = time.perf_counter() - started
    done = sum(statuses.values())
    failed = done - len(latencies)
    result = {
        "timeout_ms": timeout * 1000,
        "over_timeout": round(errors["TimeoutError"] / max(done, 1), 4),
        "requests": done,
        "errors": failed,
        "error_kinds": dict(errors.most_common(5))
        | {str(s): n for s, n in statuses.items() if s and not 200 <= s < 400},
        "seconds": round(wall, 2),
        "requests_per_second": round(done / wall, 1) if wall else None,
        "median_ms": None,
        "p90_ms": None,
        "p99_ms": None,
        "max_ms": None,
    }
    if len(latencies) >= 2:
        cuts = statistics.quantiles(latencies, n=100, method="inclusive")
        result.update(
            median_ms=round(statistics.median(latencies) * 1000, 2),
            p90_ms=round(cuts[89] * 1000, 2),
            p99_ms=round(cuts[98] * 1000, 2),
            max_ms=round(max(latencies) * 1000, 2),
        )
    return result


# --- page weight ----------------------------------------------------------------------------


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


# --- one pass -------------------------------------------------------------------------------


def find_category(base, year, timeout):
    status, html, _error = fetch(f"{base}/{year}/", timeout, encoding="identity")
    found = CATEGORY_LINK.search(html.decode("utf-8", "replace")) if status == 200 else None
    return found.group(1) if found else None


def server_time(url, timeout, samples):
    """Median time of `samples` requests sent one at a time: what one request costs the server
    with nobody queueing in front of it (the "server time" of a cache miss)."""
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        status, _body, _error = fetch(url, timeout)
        if status == 200:
            times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1) if times else None


def measure_pass(name, base, args, *, burst, weigh):
    load = load_wrk if args.client == "wrk" else load_python
    timeout = args.timeout
    status, html, _error = fetch(base + "/", timeout, encoding="identity")
    own = linked_assets(base + "/", html)[0] if status == 200 else {"css": [], "js": []}
    static_url = (own["css"] or [None])[0]
    category = args.category or find_category(base, args.year, timeout)
    pages = page_paths(args.year, args.item, args.query, category)
    result = {"pass": name, "category": category, "pages": [], "static": [], "problems": []}
    if not static_url:
        result["problems"].append("no stylesheet linked from / to use as the baseline")
    if not category:
        result["problems"].append(f"no ?category= link on /{args.year}/: filtered list skipped")

    def drain(row):
        # The client stops, the server does not: requests still queued would slow the next URL.
        if row.get("requests_per_second"):
            time.sleep(
                min(
                    timeout,
                    row.get("concurrency", args.concurrency) / row["requests_per_second"] + 0.5,
                )
            )

    def run(label, path, **kw):
        for _ in range(args.warmup):
            fetch(base + path, timeout)
        check, _body, error = fetch(base + path, timeout)
        row = {"name": label, "path": path, "check_status": check}
        if check != 200:
            result["problems"].append(f"{path} answered {check or error}; not load-tested")
            return row
        row["server_ms"] = server_time(base + path, timeout, args.server_samples)
        kw.setdefault("concurrency", args.concurrency)
        kw.setdefault("seconds", args.seconds)
        row.update(load(base, [path], timeout=timeout, **kw))
        drain(row)
        if row["errors"]:
            result["problems"].append(f"{path}: {row['errors']} errors {row['error_kinds']}")
        print(
            f"  [{name}] {path}: {row['requests_per_second']} req/s, "
            f"median {row['median_ms']} ms, p90 {row['p90_ms']} ms",
            file=sys.stderr,
        )
        return row

    static_path = urlsplit(static_url).path if static_url else None

    def static_rate(label):
        if not static_path:
            return None
        row = run(label, static_path)
        result["static"].append(row)
        return row.get("requests_per_second")

    # The stylesheet runs before the first page and after every page: a page is divided by the
    # two runs on either side of it, so the machine's drift within a pass (its throughput has
    # been seen to halve and recover within a minute) does not land on whichever page was late.
    before = static_rate("static CSS (first)")
    for label, path in pages:
        row = run(label, path)
        after = static_rate(f"static CSS (after {label})")
        around = [rate for rate in (before, after) if rate]
        if around and row.get("requests_per_second"):
            row["static_rps"] = round(statistics.mean(around), 1)
            row["x_static"] = round(row["requests_per_second"] / row["static_rps"], 4)
        result["pages"].append(row)
        before = after
    rates = [s["requests_per_second"] for s in result["static"] if s.get("requests_per_second")]
    result["static_rps"] = round(statistics.mean(rates), 1) if rates else None

    if burst:
        paths = [path for label, path in pages if label in ("overview", "year list", "item")]
        for path in paths:  # every burst page is in the cache before the clock starts
            fetch(base + path, timeout)
        row = {"paths": paths, "concurrency": args.burst_concurrency}
        row.update(
            load(
                base,
                paths,
                concurrency=args.burst_concurrency,
                seconds=args.burst_seconds,
                timeout=args.burst_timeout,
            )
        )
        print(
            f"  [{name}] burst: {row['requests']} requests, {row['errors']} errors, "
            f"p99 {row['p99_ms']} ms",
            file=sys.stderr,
        )
        drain(row)
        if row["errors"]:
            result["problems"].append(f"burst: {row['errors']} errors {row['error_kinds']}")
        result["burst"] = row
    if weigh:
        weight_paths = [path for _label, path in pages]
        result["weight"] = [
            {"path": path, **page_weight(base + path, timeout)} for path in weight_paths
        ]
    return result


def free_port():
    with socket.socket() as sock:
        sock.bind((ALLOWED_HOST, 0))
        return sock.getsockname()[1]


def serve_and_measure(name, command, args, **kw):
    """Start the server command on a free port with this pass's environment, measure, stop it."""
    env = dict(os.environ)
    if name == "uncached":
        env["PAGE_CACHE_SECONDS"] = "0"
    elif env.get("PAGE_CACHE_SECONDS") == "0":
        del env["PAGE_CACHE_SECONDS"]  # the cached pass measures the default
    port = free_port()
    base = f"http://{ALLOWED_HOST}:{port}"
    server = subprocess.Popen(
        [*command, "--bind", f"{ALLOWED_HOST}:{port}"], env=env, start_new_session=True
    )
    try:
        if not wait_until_up(base, args.wait, args.timeout, server):
            raise RuntimeError(f"{name}: the server did not answer on {base} within {args.wait} s")
        print(
            f"{name} pass: {base} (PAGE_CACHE_SECONDS={env.get('PAGE_CACHE_SECONDS', 'default')})",
            file=sys.stderr,
        )
        return measure_pass(name, base, args, **kw)
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(5)


# --- report ---------------------------------------------------------------------------------


def _num(value, digits=1):
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def _ratio(value):
    if value is None:
        return "–"
    return f"{value:.3f}" if value < 0.1 else f"{value:.2f}"


def _pct(row, key, quantile):
    """A latency percentile, or "> timeout" when more responses than 1 - quantile timed out."""
    if row.get("over_timeout", 0) > 1 - quantile:
        return f"> {row['timeout_ms']:,.0f}"
    # Some timed out: the figure is a percentile of the responses that finished, a floor.
    return _num(row.get(key)) + (" †" if row.get("over_timeout") else "")


def _spread(rows, key, digits):
    values = [row[key] for row in rows if row.get(key) is not None]
    if not values:
        return "–"
    low, high = min(values), max(values)
    return _num(low, digits) if low == high else f"{_num(low, digits)}–{_num(high, digits)}"


def kib(value):
    return "–" if value is None else f"{value / 1024:.1f}"


def markdown(report):
    passes = report["passes"]
    out = [
        f"## `make bench` — {report['label']} — {report['started'][:16]} UTC",
        "",
        f"Client: {report['client_note']}. {report['concurrency']} connections, "
        f"{report['seconds']:g} s per URL; ×static = the page's requests/s divided by the "
        "site stylesheet's, served by the same server in the same pass (the mean of its runs "
        "just before and just after that page); 1 client ms = the median of requests sent one "
        "at a time (the server's own time, nobody queueing).",
        "",
    ]
    head = "| page | path |"
    rule = "|---|---|"
    for p in passes:
        head += f" {p['pass']} req/s | ×static | median ms | p90 ms | 1 client ms |"
        rule += "---:|---:|---:|---:|---:|"
    out += [head, rule]
    row = "| static CSS | (lowest–highest of its runs) |"
    for p in passes:
        row += f" {_spread(p['static'], 'requests_per_second', 0)} | 1 |"
        row += f" {_spread(p['static'], 'median_ms', 2)} | {_spread(p['static'], 'p90_ms', 2)} |"
        row += f" {_spread(p['static'], 'server_ms', 2)} |"
    out.append(row)
    for index, page in enumerate(passes[0]["pages"]):
        row = f"| {page['name']} | `{unquote(page['path'])}` |"
        for p in passes:
            cell = p["pages"][index] if index < len(p["pages"]) else {}
            row += (
                f" {_num(cell.get('requests_per_second'))} | {_ratio(cell.get('x_static'))} |"
                f" {_pct(cell, 'median_ms', 0.5)} | {_pct(cell, 'p90_ms', 0.9)} |"
                f" {_num(cell.get('server_ms'))} |"
            )
        out.append(row)
    for p in passes:
        burst = p.get("burst")
        if not burst:
            continue
        out += [
            "",
            f"Burst ({p['pass']}): {burst['concurrency']} clients for {burst['seconds']:g} s, "
            f"rotating over {', '.join(f'`{x}`' for x in burst['paths'])}",
            "",
            "| requests | req/s | errors | median ms | p90 ms | p99 ms | max ms |",
            "|---:|---:|---:|---:|---:|---:|---:|",
            f"| {burst['requests']:,} | {_num(burst['requests_per_second'])} | "
            f"{burst['errors']}{' ' + str(burst['error_kinds']) if burst['errors'] else ''} | "
            f"{_pct(burst, 'median_ms', 0.5)} | {_pct(burst, 'p90_ms', 0.9)} | "
            f"{_pct(burst, 'p99_ms', 0.99)} | "
            f"{_pct(burst, 'max_ms', 1.0)} |",
        ]
    weights = next((p["weight"] for p in passes if p.get("weight")), None)
    if weights:
        out += [
            "",
            "Page weight, first view, KiB gzip-6 (HTML + same-origin CSS/JS it links; images not "
            f"counted; limit {WEIGHT_LIMIT // 1000} KB, the map excepted)",
            "",
            "| page | HTML | CSS (files) | JS (files) | total | HTML raw | `<img>` |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for w in weights:
            path = unquote(w["path"])
            if w["status"] != 200:
                out.append(f"| `{path}` | HTTP {w['status'] or w['error']} | | | | | |")
                continue
            over = " ⚠" if w["total_gzip"] > WEIGHT_LIMIT and w["path"] != "/map/" else ""
            out.append(
                f"| `{path}` | {kib(w['html_gzip'])} | {kib(w['css_gzip'])} ({w['css_files']}) | "
                f"{kib(w['js_gzip'])} ({w['js_files']}) | {kib(w['total_gzip'])}{over} | "
                f"{kib(w['html_bytes'])} | {w['img_tags']} |"
            )
    if any(r.get("over_timeout") for p in passes for r in [*p["pages"], p.get("burst") or {}]):
        out += ["", "† some responses timed out: a percentile of those that finished, so a floor."]
    problems = [f"{p['pass']}: {x}" for p in passes for x in p["problems"]]
    if report.get("warning"):
        problems.insert(0, report["warning"])
    if problems:
        out += ["", "Problems:", *[f"- {x}" for x in problems]]
    return "\n".join(out) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument(
        "--serve",
        action="store_true",
        help="start the server command given after `--` once per pass (adds --bind)",
    )
    parser.add_argument("--passes", default="cached,uncached", help="with --serve (both)")
    parser.add_argument("--label", default="", help="names the data set in the report and files")
    parser.add_argument("--year", default="2022")
    parser.add_argument("--item", default="1", help="item slug within the year (1)")
    parser.add_argument("--query", default="建设", help="search words (建设)")
    parser.add_argument("--category", help="category slug (default: the first on the year list)")
    parser.add_argument("--client", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--concurrency", type=int, default=16, help="connections (16)")
    parser.add_argument("--seconds", type=float, default=10, help="per URL (10)")
    parser.add_argument("--burst-concurrency", type=int, default=64, help="clients (64)")
    parser.add_argument("--burst-seconds", type=float, default=60, help="(60; 0 skips it)")
    parser.add_argument("--burst-timeout", type=float, default=5, help="seconds; later = error")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per URL (3)")
    parser.add_argument(
        "--server-samples", type=int, default=21, help="one-at-a-time requests per URL (21)"
    )
    parser.add_argument("--timeout", type=float, default=30, help="per request, seconds (30)")
    parser.add_argument("--wait", type=float, default=30, help="wait this long for the server")
    parser.add_argument("--json", help="write the results to this file")
    parser.add_argument("--markdown", help="write the markdown report to this file")
    parser.add_argument("command", nargs="*", help="with --serve: the server command")
    args = parser.parse_args(argv)

    if not 1 <= args.concurrency <= 256 or not 1 <= args.burst_concurrency <= 256:
        parser.error("--concurrency and --burst-concurrency must be 1..256")
    if args.client == "auto":
        args.client = "wrk" if shutil.which("wrk") else "python"
    if args.client == "wrk":
        note = "wrk, 1 thread (2 for the burst), keep-alive connections"
        warning = ""
    else:
        note = "Python threads, keep-alive http.client"
        warning = (
            "Python client, not wrk (apt-get install wrk): its threads share the two cores and "
            "the GIL with nothing else to spare, so the static figure may be client-bound and "
            "every ×static ratio overstated."
        )
        print(warning, file=sys.stderr)

    # `timeout` sends SIGTERM: leave through the `finally` that stops the server.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = datetime.now(UTC).isoformat(timespec="seconds")
    passes = []
    if args.serve:
        if not args.command:
            parser.error("--serve needs the server command after --")
        names = [x.strip() for x in args.passes.split(",") if x.strip()]
        for index, name in enumerate(names):
            passes.append(
                serve_and_measure(
                    name,
                    args.command,
                    args,
                    burst=name == "cached" and args.burst_seconds > 0,
                    weigh=index == 0,
                )
            )
    else:
        base = args.base_url.rstrip("/")
        parts = urlsplit(base)
        if parts.scheme != "http" or parts.hostname != ALLOWED_HOST:
            parser.error(f"--base-url must be http://{ALLOWED_HOST}:PORT (got {args.base_url})")
        if args.wait and not wait_until_up(base, args.wait, args.timeout):
            print(f"No answer from {base}/ within {args.wait:.0f} s.", file=sys.stderr)
            return 2
        passes.append(measure_pass("server", base, args, burst=args.burst_seconds > 0, weigh=True))

    report = {
        "label": args.label or "portal",
        "started": started,
        "client": args.client,
        "client_note": note,
        "warning": warning,
        "concurrency": args.concurrency,
        "seconds": args.seconds,
        "passes": passes,
    }
    text = markdown(report)
    print("\n" + text)
    for path, content in (
        (args.json, json.dumps(report, indent=2, ensure_ascii=False)),
        (args.markdown, text),
    ):
        if path:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            Path(path).write_text(content + ("\n" if path == args.json else ""), encoding="utf-8")
            print(f"Written to {path}")

    failed = any(p["problems"] for p in passes)
    if failed:
        print("Not every request succeeded (see Problems).", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
