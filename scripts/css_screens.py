"""Screenshots of the public pages before and after a CSS change, compared pixel by pixel.

A stylesheet refactor must leave what residents see unchanged. Take a set of full-page
screenshots against a running server with the demo data (`make run`, or any port), change the
CSS, take a second set, and compare:

    .venv/bin/python scripts/css_screens.py shoot --out .cache/css-screens/before
    (change the CSS)
    .venv/bin/python scripts/css_screens.py shoot --out .cache/css-screens/after
    .venv/bin/python scripts/css_screens.py compare .cache/css-screens/{before,after}

`--base-url` names another server (default http://127.0.0.1:8000), `--database` its SQLite
file. Run the server with DEBUG=false (and SERVE_MEDIA=true) to shoot the site's own 404 page.

Each page is shot on a phone (390×844 CSS pixels at 2× density, as the browser tests use) and a
laptop (1366×900); `--extra` adds widths between the breakpoints (320, 650, 950) and the home
and item pages as printed. `compare` prints, per screenshot, the number of differing pixels and
their bounding box, writes a diff image for each that differs, and exits 1 when any does. Lazy
images and long lists are painted first and animations stopped, so two runs against the same
data agree. Needs Chromium at /usr/bin/chromium with a CJK font (`make ensure-browser`).
"""

import argparse
import sqlite3
import sys
from pathlib import Path
from urllib.parse import urljoin

from PIL import Image, ImageChops

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]
VIEWPORTS = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
    "laptop": {
        "viewport": {"width": 1366, "height": 900},
        "is_mobile": False,
        "has_touch": False,
        "device_scale_factor": 1,
    },
}
# Either side of each breakpoint in site.css (360, 600, 700, 900, 1000), for `--extra`.
EXTRA_VIEWPORTS = {
    f"w{width}": {"viewport": {"width": width, "height": 800}} for width in (320, 650, 950)
}
PRINTED = ("home", "item")


def pages(database):
    """(name, path, action) for every page shot; `action` is a button to press on the page first
    (the 关怀版 and language switches are POST forms). Ids and codes come from the demo database
    when one is given, otherwise the demo's usual first item."""
    item, code = 1, None
    first_item_page = None
    if database:
        with sqlite3.connect(database) as db:
            row = db.execute(
                "SELECT tracking_code FROM projects_feedback WHERE reply != '' "
                "AND status = 'published' ORDER BY id LIMIT 1"
            ).fetchone()
            code = row[0] if row else None
            row = db.execute(
                "SELECT p.page_ptr_id FROM projects_projectpage p "
                "JOIN wagtailcore_page w ON w.id = p.page_ptr_id "
                "WHERE w.url_path LIKE '%/2022/1/' LIMIT 1"
            ).fetchone()
            first_item_page = row[0] if row else None
    shots = [
        ("home", "/", None),
        ("year", "/2022/", None),
        ("year-category", "/2022/?category=parks", None),
        ("item", f"/2022/{item}/", None),
        ("update", f"/2022/{item}/", "a[href^='/2022/1/20']"),
        ("map", "/map/", None),
        ("search", "/search/?q=学校", None),
        ("not-found", "/no-such-page/", None),
        ("track", "/feedback/track/", None),
        ("care-home", "/", ".care-switch button"),
        ("english-home", "/", ".lang-switch button[value='en']"),
    ]
    if code:
        shots.append(("feedback-status", f"/feedback/{code}/", None))
    if first_item_page:
        shots.append(("feedback-form", f"/feedback/new/{first_item_page}/", None))
    return shots


# Lazy images load now; cards under `content-visibility: auto` (long lists) are painted, as
# they are for a resident who scrolls to them. A full-page shot otherwise catches some blank.
SETTLE = """() => {
  document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager'; });
  for (const el of document.querySelectorAll('*')) {
    if (getComputedStyle(el).contentVisibility === 'auto') el.style.contentVisibility = 'visible';
  }
}"""


def settle(page):
    """Load every lazy image and paint every card, so a full-page shot never catches a
    half-loaded page; the caret and transitions are stopped by the screenshot itself."""
    page.evaluate(SETTLE)
    page.wait_for_load_state("networkidle")
    page.wait_for_function(
        "() => [...document.images].every(i => i.complete) && document.fonts.status === 'loaded'"
    )


def shoot(base_url, out, database, only=None, extra=False):
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    runs = [(size, options, None) for size, options in VIEWPORTS.items()]
    if extra:
        runs += [(size, options, None) for size, options in EXTRA_VIEWPORTS.items()]
        runs.append(("print", VIEWPORTS["laptop"], PRINTED))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for size, options, names in runs:
            for name, path, action in pages(database):
                if (only and name not in only) or (names and name not in names):
                    continue
                # A fresh context per shot: no 关怀版 or language choice carries over.
                context = browser.new_context(**options)
                page = context.new_page()
                page.goto(urljoin(base_url, path), wait_until="networkidle")
                if action:
                    with page.expect_navigation():
                        page.locator(action).first.click()
                    page.wait_for_load_state("networkidle")
                settle(page)
                if size == "print":
                    page.emulate_media(media="print")
                target = out / f"{name}-{size}.png"
                page.screenshot(path=target, full_page=True, animations="disabled", caret="hide")
                print(f"{target}  {page.url}")
                context.close()
        browser.close()


def compare(before, after, diffs):
    differing = 0
    names = sorted({p.name for p in before.glob("*.png")} | {p.name for p in after.glob("*.png")})
    for name in names:
        a, b = before / name, after / name
        if not (a.exists() and b.exists()):
            print(f"{name}: only in {'before' if a.exists() else 'after'}")
            differing += 1
            continue
        one, two = Image.open(a).convert("RGB"), Image.open(b).convert("RGB")
        if one.size != two.size:
            print(f"{name}: size {one.size} before, {two.size} after")
            differing += 1
            continue
        diff = ImageChops.difference(one, two)
        box = diff.getbbox()
        if box is None:
            print(f"{name}: identical {one.size[0]}×{one.size[1]}")
            continue
        count = diff.convert("L").point(lambda v: 255 if v else 0).histogram()[255]
        differing += 1
        diffs.mkdir(parents=True, exist_ok=True)
        # The changed pixels in red over a faded copy of the "after" shot.
        mask = diff.convert("L").point(lambda v: 255 if v else 0)
        faded = Image.blend(two, Image.new("RGB", two.size, "white"), 0.7)
        faded.paste(Image.new("RGB", two.size, (255, 0, 0)), mask=mask)
        faded.save(diffs / name)
        print(f"{name}: {count} pixels differ in box {box}; see {diffs / name}")
    print(f"{len(names) - differing} of {len(names)} screenshots identical.")
    return differing


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("shoot", help="screenshot the pages into a folder")
    s.add_argument("--base-url", default="http://127.0.0.1:8000")
    s.add_argument("--out", type=Path, required=True)
    s.add_argument(
        "--database",
        default="db.sqlite3" if Path("db.sqlite3").exists() else None,
        help="the server's SQLite file, to find a feedback code (default: db.sqlite3 if present)",
    )
    s.add_argument("--only", nargs="*", help="page names to shoot (default: all)")
    s.add_argument("--extra", action="store_true", help="also 320, 650, 950 wide, and printed")
    c = sub.add_parser("compare", help="compare two folders of screenshots")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    c.add_argument("--diffs", type=Path, help="where to write diff images (default: AFTER-diff)")
    args = parser.parse_args()
    if args.command == "shoot":
        shoot(args.base_url, args.out, args.database, args.only, args.extra)
        return 0
    diffs = args.diffs or args.after.with_name(args.after.name + "-diff")
    return 1 if compare(args.before, args.after, diffs) else 0


if __name__ == "__main__":
    sys.exit(main())
