"""sqlmap and wapiti against the production server: fail on an injection or anything above "info".

`make security-scan` (and `.ci/run`, after the smoke step) runs this with `--serve`: it copies
the demo database (SQLite, `DATABASE_URL`) into a throwaway folder and starts the production
server (the command after `--`, gunicorn with `portal.settings.production` as `make serve` runs
it) on a free port of 127.0.0.1, with residents' uploads, the cache and an access log in that
folder too, and the per-client limits of the feedback form and the API raised so that the
scanners reach the views instead of a 429. Then:

1. It enumerates every public parameter: it walks the site from `/` as a visitor would (GET
   forms with their options, links with a query string, POST forms), adds the parameters that
   views read but no page links (`DECLARED`: feeds, boards, sitemap, the status page) and the
   open data API's query parameters from `/api/openapi.json`. Each parameter gets a value a
   visitor would send (the first choice of its list, a linked value), and fails the run if one
   of `EXPECTED` is missing, so a broken walk cannot pass by testing nothing.
2. sqlmap (PyPI, in `.venv`) at `--level 2` in batch mode tests every GET parameter (one URL
   each, bulk mode) and every field of the POST forms (the feedback forms with a fresh start
   token per request, as `static/js/feedback.js` fetches it). Bounded: risk 1, techniques
   boolean, error and union (no time-based or stacked queries, which sleep), the back end
   named (SQLite, the database behind the server), so every payload is one the database could
   run.
3. wapiti3 (its own virtualenv, `scripts/ensure_wapiti.sh`) in two passes, bounded by
   `--max-scan-time` and `--max-attack-time`: the header modules (`cookieflags`, `csp`,
   `http_headers`) against a server that sets its cookies as production does (`Secure`), then
   the attack modules (`exec`, `file`, `sql`, `xss`, `permanentxss`, `redirect`, `crlf`,
   `upload`) against one with `SECURE_COOKIES=false`, since over plain HTTP a client sends no
   `Secure` cookie and every form post would end at the CSRF check. Offline flags as
   `shared/TESTING.md` says; `ssrf` and `ssl` left out (no network, no TLS here).

It fails when sqlmap finds an injection point, when wapiti reports a vulnerability, anomaly or
additional finding above level 0 (info), or when the server answered any request with a 5xx.
Reports and logs go to `test-results/security-scan/`; the last lines are the figures
(parameters, requests, seconds, findings). Talks to 127.0.0.1 only.

    .venv/bin/python scripts/security_scan.py --serve -- gunicorn portal.wsgi ...
"""

import argparse
import csv
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from smoke_serve import get, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
RESULTS = ROOT / "test-results" / "security-scan"

# What the views read from the query string that no page links with a value.
DECLARED = {
    "/<n>/feed/": {"category": None, "district": None},  # projects.feeds.feeds.YearFeed
    "/<n>/feed/rss/": {"category": None, "district": None},
    "/<n>/boards/": {"department": None, "page": "2"},  # ProjectIndexPage.serve_boards
    "/sitemap.xml": {"p": "1"},  # Django's sitemap view
    "/search/": {"page": "2"},  # portal.views.search: a pager only under a long result
    "/feedback/track/": {"code": "ABCDEFGHJKMNPQRS"},  # projects.feedback.views.track
    "/feedback/<code>/": {"new": "1", "duplicate": "1"},  # views.feedback_status
}
# The parameters every run must have found (a walk that lost the filter form fails).
LIST_PARAMS = {"q", "category", "district", "department", "status", "colour", "sort", "page"}
EXPECTED = {
    "/<n>/": LIST_PARAMS,
    "/search/": LIST_PARAMS,
    "/map/": LIST_PARAMS - {"page"} | {"year"},
    "/api/items/": LIST_PARAMS - {"page"} | {"year", "number", "tag", "limit", "offset"},
    "/<n>/feed/": {"category", "district"},
    "/feedback/track/": {"code"},
}
# Values for fields that carry none on the page: what a resident types.
TYPED = {"q": "公园", "code": "ABCDEFGHJKMNPQRS", "message": "建议在东门增设非机动车停放点。"}
# Fields sqlmap leaves alone: tokens it renews and the honeypot (filled, it marks a bot).
UNTESTED_FIELDS = {"csrfmiddlewaretoken", "started", "website", "photos"}
SKIPPED_PREFIXES = ("/admin/", "/static/", "/media/", "/documents/")
PAGES_PER_KIND = 1
CSRF_SECRET = "scan" * 8  # a 32-character cookie secret; Django takes it as the form token too

SQLMAP_ARGS = [
    "--batch",
    "--level=2",
    "--risk=1",
    "--technique=BEU",
    "--dbms=SQLite",
    "--timeout=60",
    "--retries=1",
    # A made-up tracking code is a 404 to begin with (the status page), yet a parameter.
    "--ignore-code=404",
    "--disable-coloring",
    "--flush-session",
    "-A",
    "portal-security-scan/1",
]
WAPITI_OFFLINE = [
    "--no-bugreport",
    "--dns-endpoint",
    "localhost",
    "--endpoint",
    "http://127.0.0.1:9/",
]
HEADER_MODULES = "cookieflags,csp,http_headers"
ATTACK_MODULES = "exec,file,sql,xss,permanentxss,redirect,crlf,upload"


def pattern(path):
    """/2022/ and /2021/ are one endpoint; so are two tracking codes."""
    path = re.sub(
        r"^/feedback/(?!new/|rate/|track/|form-tokens/)[^/]+/$", "/feedback/<code>/", path
    )
    return re.sub(r"\d+", "<n>", path)


class Page(HTMLParser):
    """A page's links and forms: [(href)], [(method, action, {name: [values]})]."""

    def __init__(self):
        super().__init__()
        self.links, self.forms = [], []
        self._form = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("a", "link") and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = (
                (attrs.get("method") or "get").lower(),
                attrs.get("action") or "",
                {},
            )
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "textarea", "select", "button"):
            name = attrs.get("name")
            if not name or attrs.get("type") in ("submit", "file"):
                return
            values = self._form[2].setdefault(name, [])
            if tag == "select":
                self._select = values
            elif attrs.get("type") in ("checkbox", "radio"):
                values.append(attrs.get("value") or "on")
            elif attrs.get("value"):
                values.append(attrs["value"])
        elif tag == "option" and self._select is not None and attrs.get("value"):
            self._select.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


def walk(base, max_pages):
    """Every GET parameter (by endpoint pattern: {name: first value}) and POST form seen on
    the public pages within `max_pages`, breadth first from `/`."""
    get_params, examples, post_forms = {}, {}, {}
    queue, seen, fetched, walked_kinds = deque(["/"]), {"/"}, 0, {"/": 1}

    def note(path, params):
        key = pattern(path)
        examples.setdefault(key, path)
        known = get_params.setdefault(key, {})
        for name, value in params:
            if value and not known.get(name):
                known[name] = value
            known.setdefault(name, value or None)

    while queue and fetched < max_pages:
        path = queue.popleft()
        fetched += 1
        try:
            # An item's first view makes its photos' renditions: slow on a busy machine.
            status, body = get(base + path, timeout=120)
        except OSError as error:
            raise SystemExit(
                f"security scan: {path} got no answer while walking: {error}"
            ) from None
        if status != 200 or not body.lstrip().startswith(b"<!"):
            continue
        page = Page()
        page.feed(body.decode("utf-8", "replace"))
        for href in page.links:
            url = urlsplit(urljoin(base + path, href))
            if url.netloc != urlsplit(base).netloc or url.path.startswith(SKIPPED_PREFIXES):
                continue
            if url.query:
                note(url.path, parse_qsl(url.query, keep_blank_values=True))
            # One page of a kind in each year (an item, an update) shows what all of them
            # take; a past year's items are finished, so they carry the rating form.
            kind = url.path.split("/")[1] + pattern(url.path)
            if url.path not in seen and walked_kinds.get(kind, 0) < PAGES_PER_KIND:
                seen.add(url.path)
                walked_kinds[kind] = walked_kinds.get(kind, 0) + 1
                queue.append(url.path)
        for method, action, fields in page.forms:
            target = urlsplit(urljoin(base + path, action)).path
            if target.startswith(SKIPPED_PREFIXES):
                continue
            if method == "get":
                note(target, [(name, next(iter(values), "")) for name, values in fields.items()])
            else:
                post_forms.setdefault(
                    pattern(target),
                    (target, {name: next(iter(values), "") for name, values in fields.items()}),
                )
    return get_params, examples, post_forms, fetched


def api_params(base):
    """The API's GET operations without path parameters, and their query parameters."""
    status, body = get(base + "/api/openapi.json")
    if status != 200:
        raise SystemExit(f"security scan: /api/openapi.json answered {status}")
    found = {}
    for path, operations in json.loads(body)["paths"].items():
        operation = operations.get("get")
        if not operation or "{" in path:
            continue
        found[path if path.startswith("/api/") else "/api" + path] = {
            p["name"]: None for p in operation.get("parameters", []) if p.get("in") == "query"
        }
    return found


def targets(base, max_pages):
    """(GET URLs with one parameter each, POST forms, pages walked)."""
    get_params, examples, post_forms, walked = walk(base, max_pages)
    for key, params in DECLARED.items():
        merged = get_params.setdefault(key, {})
        for name, value in params.items():
            merged.setdefault(name, value)
    for path, params in api_params(base).items():
        merged = get_params.setdefault(path, {})
        for name in params:
            merged.setdefault(name, None)
        examples[path] = path
    missing = {
        key: sorted(names - set(get_params.get(key, {})))
        for key, names in EXPECTED.items()
        if names - set(get_params.get(key, {}))
    }
    if missing:
        raise SystemExit(f"security scan: the walk did not find these parameters: {missing}")
    # Values the list pages offer, for the same names elsewhere (the API, feeds, boards).
    offered = {}
    for params in get_params.values():
        for name, value in params.items():
            if value and name not in offered:
                offered[name] = value
    examples.setdefault("/<n>/feed/", examples["/<n>/"] + "feed/")
    examples.setdefault("/<n>/feed/rss/", examples["/<n>/"] + "feed/rss/")
    examples.setdefault("/<n>/boards/", examples["/<n>/"] + "boards/")
    examples.setdefault("/sitemap.xml", "/sitemap.xml")
    examples.setdefault("/feedback/track/", "/feedback/track/")
    examples.setdefault("/feedback/<code>/", f"/feedback/{TYPED['code']}/")
    year = re.sub(r"\D", "", examples["/<n>/"])
    urls = []
    for key, params in sorted(get_params.items()):
        path = examples.get(key)
        if path is None:
            continue
        for name, value in sorted(params.items()):
            value = (
                value or offered.get(name) or TYPED.get(name) or ("1" if name != "year" else year)
            )
            if name == "year":
                value = year
            urls.append(f"{base}{path}?{urlencode({name: value})}")
    # The tracking code in the status page's path is read from the database too.
    urls.append(f"{base}/feedback/{TYPED['code']}*/")
    return urls, post_forms, walked


class Server:
    """The server command on a free port of 127.0.0.1 with `env`, logging every request."""

    def __init__(self, command, env, log):
        with socket.socket() as sock:
            sock.bind((HOST, 0))
            self.port = sock.getsockname()[1]
        self.base = f"http://{HOST}:{self.port}"
        self.log = log
        self.process = subprocess.Popen(
            [
                *command,
                "--bind",
                f"{HOST}:{self.port}",
                "--access-logfile",
                str(log),
                "--access-logformat",
                '%(s)s "%(r)s"',
            ],
            env=env,
            start_new_session=True,
            # Its own log (e-mails to moderators print there too): the scan's output stays short.
            stdout=open(log.with_suffix(".server.log"), "w"),
            stderr=subprocess.STDOUT,
        )

    def __enter__(self):
        if not wait_until_up(self.base, 60):
            self.stop()
            raise SystemExit(f"security scan: the server did not answer on {self.base}")
        return self

    def requests(self):
        """(requests so far, those answered 5xx) from the access log."""
        if not self.log.exists():
            return 0, []
        lines = self.log.read_text(errors="replace").splitlines()
        return len(lines), [line for line in lines if line[:1] == "5"]

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)

    def __exit__(self, *exc):
        self.stop()


def copy_database(url, folder):
    """A throwaway copy of the SQLite database at `url` (SQLite's online backup)."""
    if not url.startswith("sqlite:///"):
        raise SystemExit("security scan: --serve copies a SQLite DATABASE_URL (sqlite:///…)")
    source = url.removeprefix("sqlite://")
    if not Path(source).is_file():
        raise SystemExit(f"security scan: no database at {source} (make security-scan loads one)")
    copy = folder / "scan.sqlite3"
    with sqlite3.connect(source) as original, sqlite3.connect(copy) as target:
        original.backup(target)
    return f"sqlite:///{copy}"


def tool(name, explicit):
    found = (
        explicit or shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    )
    if not found or not Path(found).is_file():
        raise SystemExit(f"security scan: {name} is not installed (see `make security-scan`)")
    return str(Path(found).resolve())


def run_logged(command, log, timeout, env=None):
    """Run a scanner with its output in `log`; its exit status (124 on timeout)."""
    with open(log, "w") as out:
        try:
            return subprocess.run(
                command,
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=timeout,
                cwd=log.parent,
                env=env,
            ).returncode
        except subprocess.TimeoutExpired:
            return 124


def run_sqlmap(sqlmap, base, urls, post_forms, folder, timeout):
    """sqlmap on every GET URL (bulk mode) and every POST form; (parameters, findings, problems)."""
    bulk = folder / "sqlmap-targets.txt"
    bulk.write_text("\n".join(urls) + "\n")
    results = folder / "sqlmap-results.csv"
    common = [sys.executable, sqlmap, *SQLMAP_ARGS, f"--output-dir={folder / 'sqlmap'}"]
    started = time.monotonic()
    problems = []
    status = run_logged(
        [*common, "-m", str(bulk), f"--results-file={results}"], folder / "sqlmap-get.log", timeout
    )
    if status:
        problems.append(f"sqlmap (GET) exited {status}; see sqlmap-get.log")
    parameters = len(urls)
    findings = _sqlmap_findings(results, folder / "sqlmap-get.log")
    for key, (path, fields) in sorted(post_forms.items()):
        tested = sorted(set(fields) - UNTESTED_FIELDS)
        if not tested:
            continue
        data = {name: value or TYPED.get(name, "1") for name, value in fields.items()}
        command = [*common, "-u", base + path, "-p", ",".join(tested)]
        if key.startswith("/feedback/"):
            # A fresh start token for every request (one token is good for one message), and a
            # CSRF cookie whose secret the form sends back.
            data.update(csrfmiddlewaretoken=CSRF_SECRET, started="x", website="", consent="on")
            command += [
                f"--cookie=csrftoken={CSRF_SECRET}",
                "--eval="
                "import json,urllib.request as u;"
                f"started=json.load(u.urlopen('{base}/feedback/form-tokens/'))['started']",
            ]
        name = re.sub(r"\W+", "-", key).strip("-")
        log = folder / f"sqlmap-post-{name}.log"
        remaining = max(30, timeout - (time.monotonic() - started))
        # sqlmap runs --eval code only when told this is meant (our code, not a config file's).
        env = {**os.environ, "SQLMAP_UNSAFE_EVAL": "1"}
        status = run_logged([*command, f"--data={urlencode(data)}"], log, remaining, env)
        if status:
            problems.append(f"sqlmap (POST {path}) exited {status}")
        parameters += len(tested)
        findings += _sqlmap_findings(folder / "none.csv", log)
    finished = sum(
        len(FINISHED.findall(log.read_text(errors="replace")))
        for log in folder.glob("sqlmap-*.log")
    )
    if finished < parameters:
        problems.append(f"sqlmap finished {finished} of {parameters} parameters in its time")
    return parameters, findings, problems


# sqlmap's last word on a parameter: tested through, injectable or not.
FINISHED = re.compile(
    r"(?:GET|POST|URI) parameter '[^']+' (?:does not seem to be injectable|is vulnerable)"
)


def _sqlmap_findings(results, log):
    """The injection points sqlmap reported: its results file (bulk mode) and its output."""
    found = []
    if results.exists():
        with open(results, newline="") as handle:
            # sqlmap's own second look ("false positive or unexploitable") is not an injection:
            # the search ranks `公园 AND 1=1` and `公园 AND 1=2` differently, as words.
            found += [
                row
                for row in csv.DictReader(handle)
                if any(row.values()) and "false positive" not in (row.get("Note(s)") or "")
            ]
    if log.exists() and not found:
        text = log.read_text(errors="replace")
        found += [
            {"log": log.name, "report": chunk[:300]}
            for chunk in text.split("sqlmap identified the following injection point")[1:]
        ]
    return found


def run_wapiti(wapiti, base, modules, start_urls, folder, name, *, crawl, attack, depth):
    """One wapiti pass: the walk bounded by `crawl` seconds, each module by `attack` seconds;
    (findings above info, problems)."""
    report = folder / f"wapiti-{name}.json"
    command = [
        wapiti,
        "-u",
        base + "/",
        "--scope",
        "folder",
        "-m",
        modules,
        "--flush-session",
        "--store-session",
        str(folder / f"wapiti-session-{name}"),
        "--store-config",
        str(folder / f"wapiti-config-{name}"),
        "--max-scan-time",
        str(crawl),
        "--max-attack-time",
        str(attack),
        "--max-links-per-page",
        "40",
        "--max-files-per-dir",
        "30",
        "-d",
        str(depth),
        "--tasks",
        "4",
        "-t",
        "20",
        "-A",
        "portal-security-scan/1",
        "-f",
        "json",
        "-o",
        str(report),
        "-v",
        "1",
        *WAPITI_OFFLINE,
    ]
    for prefix in SKIPPED_PREFIXES:
        command += ["-x", f"{base}{prefix}*"]
    for url in start_urls:
        command += ["-s", url.replace("*", "")]
    limit = crawl + attack * len(modules.split(",")) + 120
    status = run_logged(command, folder / f"wapiti-{name}.log", limit)
    problems = [] if status == 0 else [f"wapiti ({name}) exited {status}; see wapiti-{name}.log"]
    if not report.exists():
        return [], [*problems, f"wapiti ({name}) wrote no report"]
    data = json.loads(report.read_text())
    findings = [
        {"kind": kind, "category": category, **entry}
        for kind in ("vulnerabilities", "anomalies", "additionals")
        for category, entries in data.get(kind, {}).items()
        for entry in entries
        if entry.get("level", 0) > 0
    ]
    return findings, problems


def scan(args):
    RESULTS.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="security-scan-"))
    started = time.monotonic()
    sqlmap = tool("sqlmap", args.sqlmap)
    wapiti = tool("wapiti", args.wapiti)
    env = dict(os.environ)
    env.update(
        DATABASE_URL=copy_database(env.get("DATABASE_URL", ""), folder),
        FEEDBACK_PRIVATE_ROOT=str(folder / "private"),
        CACHE_DIR=str(folder / "cache"),
        BACKUP_DIR=str(folder / "backups"),
        # The scanners send thousands of requests from one address: let them reach the views.
        API_RATE_LIMIT="1000000",
        FEEDBACK_RATE_LIMIT="1000000",
        FEEDBACK_MIN_FILL_SECONDS="0",
    )
    env.pop("REDIS_URL", None)
    figures = {"parameters": 0, "requests": {}, "seconds": {}, "findings": []}
    problems, errors = [], []
    try:
        phase = time.monotonic()
        with Server(
            args.command, {**env, "SECURE_COOKIES": "true"}, folder / "headers.log"
        ) as server:
            # The header modules look at `/` and at the cookies the walk collected, so it
            # starts at the pages that set one too (the feedback form's tokens).
            cookie_pages = [f"{server.base}/feedback/form-tokens/"]
            findings, trouble = run_wapiti(
                wapiti,
                server.base,
                HEADER_MODULES,
                cookie_pages,
                folder,
                "headers",
                crawl=30,
                attack=30,
                depth=1,
            )
            figures["findings"] += findings
            problems += trouble
            count, failed = server.requests()
            figures["requests"]["wapiti headers"] = count
            errors += failed
        figures["seconds"]["wapiti headers"] = round(time.monotonic() - phase)

        with Server(
            args.command, {**env, "SECURE_COOKIES": "false"}, folder / "attacks.log"
        ) as server:
            phase = time.monotonic()
            urls, post_forms, walked = targets(server.base, args.max_pages)
            before, _ = server.requests()
            figures["seconds"]["enumeration"] = round(time.monotonic() - phase)
            phase = time.monotonic()
            parameters, findings, trouble = run_sqlmap(
                sqlmap, server.base, urls, post_forms, folder, args.sqlmap_seconds
            )
            figures["parameters"] = parameters
            figures["findings"] += [{"kind": "sqlmap", **row} for row in findings]
            problems += trouble
            after, _ = server.requests()
            figures["requests"]["sqlmap"] = after - before
            figures["seconds"]["sqlmap"] = round(time.monotonic() - phase)
            phase = time.monotonic()
            findings, trouble = run_wapiti(
                wapiti,
                server.base,
                ATTACK_MODULES,
                urls,
                folder,
                "attacks",
                crawl=args.wapiti_crawl_seconds,
                attack=args.wapiti_attack_seconds,
                depth=3,
            )
            figures["findings"] += findings
            problems += trouble
            final, failed = server.requests()
            figures["requests"]["wapiti attacks"] = final - after
            figures["seconds"]["wapiti attacks"] = round(time.monotonic() - phase)
            errors += failed
        figures.update(pages_walked=walked, get_urls=len(urls), post_forms=sorted(post_forms))
    finally:
        RESULTS.mkdir(parents=True, exist_ok=True)
        for item in folder.glob("*"):
            if item.is_file() and item.suffix in (".log", ".json", ".csv", ".txt"):
                shutil.copy2(item, RESULTS / item.name)
        shutil.rmtree(folder, ignore_errors=True)
    figures["seconds"]["total"] = round(time.monotonic() - started)
    figures["server_errors"] = errors[:50]
    figures["problems"] = problems
    (RESULTS / "summary.json").write_text(json.dumps(figures, ensure_ascii=False, indent=2))
    return figures


def report(figures):
    requests = figures["requests"]
    print(
        f"security scan: {figures['parameters']} parameters tested by sqlmap "
        f"({figures.get('get_urls', 0)} GET URLs, POST forms {figures.get('post_forms', [])}), "
        f"{figures.get('pages_walked', 0)} pages walked to find them"
    )
    print(
        "security scan: requests "
        + ", ".join(f"{k} {v}" for k, v in requests.items())
        + f" (total {sum(requests.values())})"
    )
    print("security scan: seconds " + ", ".join(f"{k} {v}" for k, v in figures["seconds"].items()))
    for finding in figures["findings"]:
        print(f"security scan: FINDING {json.dumps(finding, ensure_ascii=False)[:400]}")
    for line in figures["server_errors"]:
        print(f"security scan: SERVER ERROR {line}")
    for problem in figures["problems"]:
        print(f"security scan: PROBLEM {problem}")
    failed = figures["findings"] or figures["server_errors"] or figures["problems"]
    print(
        f"security scan: {'FAILED' if failed else 'passed'}: {len(figures['findings'])} findings "
        f"above info, {len(figures['server_errors'])} server errors; reports in "
        f"{RESULTS.relative_to(ROOT)}/"
    )
    return 1 if failed else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", action="store_true", help="start the command after --")
    parser.add_argument("--sqlmap", help="path of sqlmap.py (default: sqlmap beside python)")
    parser.add_argument("--wapiti", help="path of wapiti (default: on PATH)")
    parser.add_argument("--max-pages", type=int, default=60, help="pages walked (60)")
    parser.add_argument("--sqlmap-seconds", type=int, default=1200, help="sqlmap's budget (1200)")
    parser.add_argument(
        "--wapiti-crawl-seconds", type=int, default=90, help="wapiti's walk (--max-scan-time)"
    )
    parser.add_argument(
        "--wapiti-attack-seconds", type=int, default=30, help="each wapiti module (30)"
    )
    parser.add_argument("command", nargs="*", help="the server command")
    args = parser.parse_args()
    if not args.serve or not args.command:
        parser.error("--serve and the server command after -- are required")
    # `timeout` sends SIGTERM: leave through the `finally` blocks that stop the servers.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.exit(report(scan(args)))


if __name__ == "__main__":
    main()
