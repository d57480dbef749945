"""Walk a running production-like server as a first visitor would, and fail on anything but 200.

`make smoke` starts gunicorn with the production settings (as `make serve` does) on a free port
and runs this against it. It starts at `/` and follows only links the pages themselves carry:
the first year in the header, the first item card of that year, the map, a stylesheet, a script
and a photo rendition on the item page, and the feedback tracking box's target. Talks to
127.0.0.1 only.

    .venv/bin/python scripts/smoke_serve.py --base-url http://127.0.0.1:8123
"""

import argparse
import re
import sys
import time
import urllib.error
import urllib.request
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

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
            if name in ("href", "src"):
                self.found.append((tag, name, value))
            elif name == "srcset":
                for candidate in value.split(","):
                    self.found.append((tag, name, candidate.split()[0]))


def get(url, timeout=30):
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
        status, body = get(url)
        checked.append((status, what, url))
        if status != 200:
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
    check("map", first(home_links + year_links, r"^/map/", tags={"a"}))
    check("stylesheet", first(home_links, r"^/static/.+\.css$", tags={"link"}))
    check("script", first(item_links, r"^/static/.+\.js$", tags={"script"}))
    check("photo rendition", first(item_links, r"^/media/images/", tags={"img", "source"}))
    check("search", base + "/search/?q=%E5%85%AC%E5%9B%AD")

    for status, what, url in checked:
        print(f"smoke: {status} {what:<16} {urlsplit(url).path}")
    if failures:
        print("\n".join(f"smoke: FAILED {failure}" for failure in failures), file=sys.stderr)
        sys.exit(1)
    print(f"smoke: {len(checked)} URLs answered 200")


if __name__ == "__main__":
    main()
