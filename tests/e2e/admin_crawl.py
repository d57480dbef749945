"""A bounded crawl of the Wagtail admin as one signed-in user sees it, collecting visible text.

Used by test_admin_chinese.py (and handy by hand against a dev server): starting from the
dashboard it opens the main menu's submenus by clicking, follows the same-origin /admin/ links
a person would see, breadth first, and on each page clicks through the tabs, collecting what is
shown: innerText, the `placeholder`, `title`, `aria-label` and `alt` of visible elements, and
the document title. `latin_runs()` then finds the runs of Latin letters in that text that are
neither proper names nor the users' own data.
"""

import re
from collections import Counter, deque
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

# Links a person follows without changing anything; the rest are actions or downloads.
# (set-up: opening two-step verification's set-up page starts a new secret, shown as Latin text.)
DESTRUCTIVE = re.compile(
    r"/(delete|unpublish|logout|revert|lock|unlock|cancel|approve|reject|restart|disable|"
    r"enable|reveal|convert_alias|copy_for_translation|workflow/action|set-up)(/|$)|^/admin/bulk/"
    r"|[?&](export|format)=|/preview/|/usage/|/serve/|/download/|\.(xlsx|csv|pdf|docx)$"
)
# Proper names, units and formats an editor meets in Chinese text as they are.
ALLOWED = {
    "Wagtail", "Excel", "XLSX", "xlsx", "CSV", "csv", "URL", "ID", "JPEG", "JPG", "PNG",
    "WebP", "AVIF", "HEIC", "GIF", "SVG", "PDF", "DOCX", "API", "RSS", "Atom", "QR", "GPS",
    "EXIF", "HTML", "MB", "KB", "GB", "px", "No", "WeChat", "ICP", "WEBP", "English", "GMT",
    "UTC", "A", "Z", "x",
    "Yucai", "School",  # the English title an item's help text gives as its example
}  # fmt: skip
# Latin text that is data, not interface: e-mail addresses, file names, web addresses, codes.
DATA_PATTERNS = [
    re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"),
    re.compile(r"https?://\S+"),
    re.compile(r"[\w\-.]+\.(jpe?g|png|webp|avif|heic|gif|csv|xlsx|docx|pdf)\b", re.IGNORECASE),
    re.compile(r"\b[0-9A-Z]{16}\b"),  # feedback tracking codes
    re.compile(r"#[0-9a-fA-F]{3,6}\b"),  # colours: #1d6fa5
    re.compile(r"\b[A-Z][A-Za-z_]+/[A-Za-z_/+\-]+"),  # time zones: Asia/Shanghai
    re.compile(r"\b[a-z_]+\.[a-z_]+\b"),  # model names: projects.projectpage
]
# Query parameters that only page or sort a listing; a page of another kind needs other keys.
LISTING_ONLY = {"p", "ordering", "sort", "next", "layout"}
LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z'’]*(?:[\s\-–:,./&()]+[A-Za-z][A-Za-z'’]*)*")

COLLECT_TEXT = """() => {
    const visible = (el) => el.checkVisibility ? el.checkVisibility() : el.offsetParent !== null;
    const parts = [document.title];
    // A long list of choices (time zones) is names: only its chosen value is read.
    const longLists = [...document.querySelectorAll('select')].filter((s) => s.options.length > 40);
    const saved = longLists.map((s) => [s, s.style.display]);
    const chosen = longLists.map((s) => s.selectedOptions[0]?.text || '');
    longLists.forEach((s) => { s.style.display = 'none'; });
    parts.push(document.body.innerText, ...chosen);
    saved.forEach(([s, display]) => { s.style.display = display; });
    // The rich-text editor's placeholder is CSS generated content ("::before").
    for (const el of document.querySelectorAll('.Draftail-block--empty')) {
        const content = getComputedStyle(el, '::before').content;
        if (content && content !== 'none') parts.push(content);
    }
    for (const el of document.querySelectorAll('[placeholder], [title], [aria-label], img[alt]')) {
        if (!visible(el)) continue;
        for (const name of ['placeholder', 'title', 'aria-label', 'alt']) {
            const value = el.getAttribute(name);
            if (value) parts.push(value);
        }
    }
    return parts.join('\\n');
}"""
COLLECT_LINKS = """() => [...document.querySelectorAll('a[href]')]
    .filter((a) => !a.hasAttribute('download') && a.target !== '_blank')
    .map((a) => a.href)"""


def latin_runs(text, data_strings=()):
    """Runs of Latin letters in `text` outside proper names, units and the users' own data."""
    for value in sorted(data_strings, key=len, reverse=True):
        if value:
            text = text.replace(value, " ")
    for pattern in DATA_PATTERNS:
        text = pattern.sub(" ", text)
    found = []
    for match in LATIN_RUN.finditer(text):
        words = re.findall(r"[A-Za-z][A-Za-z'’]*", match.group())
        if all(word in ALLOWED for word in words):
            continue
        found.append(match.group().strip(" -:,./&()"))
    return found


def canonical(url):
    """The page a link shows, without the fragment and the parameters that only page or sort."""
    parts = urlsplit(url)
    query = [(key, value) for key, value in parse_qsl(parts.query) if key not in LISTING_ONLY]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def url_shape(url):
    """Pages of one kind share a shape: ids become N, query values are dropped."""
    parts = urlsplit(url)
    keys = sorted({key for key, _value in parse_qsl(parts.query)})
    return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(keys)


def is_followable(url, origin):
    parts = urlsplit(url)
    return (
        f"{parts.scheme}://{parts.netloc}" == origin
        and parts.path.startswith("/admin/")
        and not DESTRUCTIVE.search(parts.path + ("?" + parts.query if parts.query else ""))
    )


def open_submenus(page):
    """Open each of the main menu's submenus by clicking, returning the text they show."""
    texts = []
    toggles = page.locator("#wagtail-sidebar button[aria-haspopup='menu'], "
                           "#wagtail-sidebar .sidebar-menu-item--has-submenu > button")  # fmt: skip
    for index in range(toggles.count()):
        toggle = toggles.nth(index)
        if not toggle.is_visible():
            continue
        toggle.click()
        page.wait_for_timeout(150)
        texts.append(page.evaluate(COLLECT_TEXT))
        page.keyboard.press("Escape")
    return texts


def click_through_tabs(page):
    """The text of every tab panel of a tabbed edit view, each shown in turn."""
    texts = []
    tabs = page.locator("[role=tab]")
    for index in range(tabs.count()):
        tab = tabs.nth(index)
        if tab.is_visible():
            tab.click()
            texts.append(page.evaluate(COLLECT_TEXT))
    return texts


def open_dropdowns(page, limit=4):
    """Open the first few dropdown menus (a row's "more" actions, the save button's other
    actions) by clicking, returning the text they show."""
    texts = []
    toggles = page.locator("[data-w-dropdown-target='toggle']:visible:not(#wagtail-sidebar *)")
    for index in range(min(toggles.count(), limit)):
        toggle = toggles.nth(index)
        if not toggle.is_visible() or not toggle.is_enabled():
            continue
        toggle.click()
        texts.append(page.evaluate(COLLECT_TEXT))
        page.keyboard.press("Escape")
    return texts


# In the page tree pages of one shape are of different kinds (the home page, a year, an item, an
# update), so more of them are walked.
TREE_SHAPES = {"/admin/pages/N/?", "/admin/pages/N/edit/?"}
PER_TREE_SHAPE = 6


def crawl(page, start_url, *, max_pages=80, per_shape=1):
    """Visit up to `max_pages` admin pages, at most `per_shape` of each shape outside the page
    tree; return {url: [text, ...]}."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(start_url))
    queue = deque([start_url])
    queued = {start_url}
    shapes = Counter([url_shape(start_url)])
    texts = {}
    while queue and len(texts) < max_pages:
        url = queue.popleft()
        response = page.goto(url)
        if response is None or response.status >= 400 or not page.url.startswith(origin):
            texts[url] = [f"HTTP {response.status if response else '?'}"]
            continue
        shown = [page.evaluate(COLLECT_TEXT)]
        if url == start_url:
            shown += open_submenus(page)
        shown += click_through_tabs(page)
        shown += open_dropdowns(page)
        texts[url] = shown
        for link in page.evaluate(COLLECT_LINKS):
            link = canonical(urljoin(url, link))
            shape = url_shape(link)
            if link in queued or not is_followable(link, origin):
                continue
            if shapes[shape] >= (PER_TREE_SHAPE if shape in TREE_SHAPES else per_shape):
                continue
            shapes[shape] += 1
            queued.add(link)
            queue.append(link)
    return texts


def untranslated(texts, data_strings=()):
    """{url: sorted Latin runs} for the crawled pages that show any."""
    report = {}
    for url, shown in texts.items():
        runs = sorted({run for text in shown for run in latin_runs(text, data_strings)})
        if runs:
            report[url] = runs
    return report
