"""Walk a running production-like server as a first visitor would, and fail on anything but 200.

`make smoke` starts gunicorn with the production settings (as `make serve` does) on a free port
and runs this against it. It starts at `/` and follows only links the pages themselves carry:
the first year in the header, the first item card of that year, the map, a stylesheet, a script
and a photo rendition on the item page, and a search. Once it has the item page, two clients
start sending a message through its feedback form and stall half-way (headers and part of the
multipart body, then nothing), as a phone losing signal or an attacker would; the rest of the
walk, and the first three pages again, must still be answered within 20 s, so a worker that
waits for a slow body cannot stop the site. Finally the item page is fetched again and must
come from the shared page cache, and a message sent from that cached page (with the tokens its
form fetches, as static/js/feedback.js does) must be stored. Talks to 127.0.0.1 only.

    .venv/bin/python scripts/smoke_serve.py --base-url http://127.0.0.1:8123
"""

import argparse
import http.cookiejar
import json
import re
import socket
import sys
import time
import urllib.error
import urllib.request
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Links(HTMLParser):
    """Every href, src and srcset URL of a page, by tag."""

    def __init__(self):
        super().__init__()
        self.found = []  # (tag, attribute, url)

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if not value:
                continue
            if name in ("href", "src", "action"):
                self.found.append((tag, name, value))
            elif name == "srcset":
                for candidate in value.split(","):
                    self.found.append((tag, name, candidate.split()[0]))


# Well under gunicorn's 30 s worker timeout, which would otherwise free a blocked worker and
# hide the stall; far above what a page takes on a loaded two-core machine.
TIMEOUT = 20


def get(url, timeout=TIMEOUT):
    request = urllib.request.Request(url, headers={"User-Agent": "portal-smoke/1"})
    try:
        with OPENER.open(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def links(base, body):
    parser = Links()
    parser.feed(body.decode("utf-8", "replace"))
    return [(tag, attr, urljoin(base, url)) for tag, attr, url in parser.found]


def first(found, pattern, tags=None):
    for tag, _attr, url in found:
        if (tags is None or tag in tags) and re.search(pattern, urlsplit(url).path):
            return url
    return None


def stall_uploads(url, count):
    """Open `count` connections that start a multipart upload to `url` and never finish it.

    With a CSRF cookie, so that the server goes on to read the body (the CSRF check reads the
    form's token from it) instead of refusing the request at once."""
    parts = urlsplit(url)
    stalled = []
    for _ in range(count):
        connection = socket.create_connection((parts.hostname, parts.port), timeout=10)
        connection.sendall(
            f"POST {parts.path} HTTP/1.1\r\nHost: 127.0.0.1\r\n".encode()
            + b"Cookie: csrftoken="
            + b"s" * 32
            + b"\r\n"
            b"Content-Type: multipart/form-data; boundary=stall\r\n"
            b"Content-Length: 1000000\r\n\r\n"
            b'--stall\r\nContent-Disposition: form-data; name="message"\r\n\r\n'
        )
        stalled.append(connection)
    return stalled


def send_from_cached_page(item_url):
    """Problems with the cached item page and a message sent from it ([] when none)."""
    request = urllib.request.Request(item_url, headers={"User-Agent": "portal-smoke/1"})
    with OPENER.open(request, timeout=TIMEOUT) as response:
        cache_state, page = response.headers.get("X-Page-Cache"), response.read().decode()
    problems = [] if cache_state == "hit" else [f"item page again: X-Page-Cache {cache_state}"]
    token_url = re.search(r'data-token-url="([^"]+)"', page)
    action = re.search(r'<form class="fb-form" method="post" action="([^"]+)"', page)
    if not (token_url and action):
        return problems + ["feedback form: no token URL or action on the cached item page"]
    visitor = urllib.request.build_opener(
        urllib.request.ProxyHandler({}),
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
    )
    with visitor.open(urljoin(item_url, token_url.group(1)), timeout=TIMEOUT) as response:
        tokens = json.load(response)
    time.sleep(3.5)  # FEEDBACK_MIN_FILL_SECONDS: a person takes longer to write
    body = urlencode(
        {"kind": "suggestion", "message": "冒烟测试：东门路灯不亮。", "consent": "on", **tokens}
    ).encode()
    post = urllib.request.Request(urljoin(item_url, action.group(1)), data=body)
    try:
        with visitor.open(post, timeout=TIMEOUT) as response:
            landed = urlsplit(response.url).path
    except urllib.error.HTTPError as error:
        return problems + [f"feedback from the cached page: answered {error.code}"]
    if not re.fullmatch(r"/feedback/[^/]+/", landed):
        problems.append(f"feedback from the cached page: ended at {landed}, not a status page")
    return problems


def wait_until_up(base, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            get(base + "/", timeout=5)
            return True
        except OSError:
            time.sleep(0.5)
    return False


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--wait", type=int, default=60)
    args = parser.parse_args()
    base = args.base_url.rstrip("/")
    if urlsplit(base).hostname != "127.0.0.1":
        sys.exit("smoke: only 127.0.0.1 is allowed")
    if not wait_until_up(base, args.wait):
        sys.exit(f"smoke: {base} did not answer within {args.wait}s")

    failures, checked = [], []

    def check(what, url):
        if url is None:
            failures.append(f"{what}: no such link on the page")
            return b""
        try:
            status, body = get(url)
        except OSError as error:  # a timed-out or refused request
            status, body = 0, b""
            failures.append(f"{what}: {url} got no answer ({error})")
        checked.append((status, what, url))
        if status not in (0, 200):
            failures.append(f"{what}: {url} answered {status}")
        return body

    home = check("home", base + "/")
    home_links = links(base + "/", home)
    year_url = first(home_links, r"^/\d{4}/$", tags={"a"})
    year = check("year list", year_url)
    year_links = links(year_url or base, year)
    item_url = first(year_links, r"^/\d{4}/\d+/$", tags={"a"})
    item = check("item", item_url)
    item_links = links(item_url or base, item)
    form_url = first(item_links, r"^/feedback/new/\d+/$", tags={"form"})
    if form_url is None:
        failures.append("feedback form: none on the item page")
    stalled = stall_uploads(form_url, 2) if form_url else []
    check("home (stalled)", base + "/")
    check("year (stalled)", year_url)
    check("item (stalled)", item_url)
    check("map", first(home_links + year_links, r"^/map/", tags={"a"}))
    check("stylesheet", first(home_links, r"^/static/.+\.css$", tags={"link"}))
    check("script", first(item_links, r"^/static/.+\.js$", tags={"script"}))
    check("photo rendition", first(item_links, r"^/media/images/", tags={"img", "source"}))
    check("search", base + "/search/?q=%E5%85%AC%E5%9B%AD")

    for connection in stalled:
        connection.close()
    if item_url:
        failures.extend(send_from_cached_page(item_url))
    for status, what, url in checked:
        print(f"smoke: {status} {what:<16} {urlsplit(url).path}")
    if failures:
        print("\n".join(f"smoke: FAILED {failure}" for failure in failures), file=sys.stderr)
        sys.exit(1)
    print(f"smoke: {len(checked)} URLs answered 200")


if __name__ == "__main__":
    main()
