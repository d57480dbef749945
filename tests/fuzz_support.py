"""Shared pieces of the fuzz test (tests/test_fuzz.py): hostile values, raw query strings and
bodies, the form fields a page offers, and the tally printed at the end of the run.

Kept free of Django and hypothesis imports so `tests/conftest.py` can print the tally cheaply.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import quote_from_bytes


class Verbatim(str):
    """A value put into a query string or body as it is, not percent-encoded (`%zz`, `%C3%28`)."""


UNICODE_DIGITS = ["²", "1²", "①", "1①", "٣", "١٢٣", "１", "２０２２", "𝟚𝟘𝟚𝟚", "৩", "Ⅻ", "½", "७"]
CONTROL = ["\x00", "a\x00b", "\x01", "\x08", "\x1b[31m", "\x7f", "\x85", "\x9b", "\r\n", "\t"]
INVISIBLE = [
    "\u200b",
    "\u200b" * 1000,
    "\u202e",
    "abc\u202edef",
    "\ufeff",
    "\u2028",
    "\u00ad",
    "\u2060",
    "\U000e0001",
    "\u3000",
]
WRONG_TYPES = [
    "-1",
    "0",
    "1e9",
    "1E999",
    "NaN",
    "inf",
    "-0",
    "0x10",
    "9" * 30,
    "2022-13-45",
    "2022-02-30",
    "0000-00-00",
    "99999-01-01",
    "true",
    "null",
    "[]",
    "{}",
    "1.5",
    " 7 ",
    "+7",
    "7abc",
    "",
]
METACHARACTERS = [
    "'",
    '"',
    "' OR '1'='1",
    "1; DROP TABLE projects_feedback;--",
    "%",
    "_",
    "%_%",
    "\\",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7|add:7 }}",
    "{% debug %}",
    "${7*7}",
    "../../etc/passwd",
    "*",
    "-",
    "AND NOT",
    "()",
    ":",
    "&",
    "|",
    "!",
    "__proto__",
    "a" * 101,
]
HUGE = ["A" * 100_000, "测" * 34_000, "1" * 5_000]
# Bytes no correct client sends as UTF-8: invalid sequences, a lone surrogate (CESU-8), GBK,
# Latin-1, and escapes that are not escapes.
RAW = [
    Verbatim("%C3%28"),
    Verbatim("%FF%FE"),
    Verbatim("%ED%A0%80"),
    Verbatim("%C0%AF"),
    Verbatim("%zz"),
    Verbatim("%"),
    Verbatim("%%00"),
    Verbatim("%u202e"),
    b"\xc3\x28",
    b"\xed\xa0\x80",
    "民生实事".encode("gbk"),
    "Ecole fermée".encode("latin-1"),
]
HOSTILE = UNICODE_DIGITS + CONTROL + INVISIBLE + WRONG_TYPES + METACHARACTERS + HUGE + RAW
# Every parameter gets each of these alone, once (a table), before hypothesis combines them:
# one of each kind of value that has crashed a view here before.
BATTERY = [
    "1²",
    "①",
    "٣",
    "１",
    "\x00",
    "\x85",
    "\u200b" * 1000,
    "\u202e",
    "A" * 100_000,
    "-1",
    "1e9",
    "9" * 30,
    "2022-13-45",
    "' OR '1'='1",
    Verbatim("%C3%28"),
    "民生实事".encode("gbk"),
]
HOSTILE_KEYS = ["q[]", "", "\x00", "p", "page", "format", "q\u200b", "Q", "sort[]", "__proto__"]

CHARSETS = ["utf-8", "gbk", "latin-1", "utf-16"]


def encode(value, charset="utf-8"):
    """`value` as it goes on the wire in a query string or urlencoded body."""
    if isinstance(value, Verbatim):
        return value
    if isinstance(value, str):
        try:
            value = value.encode(charset)
        except UnicodeEncodeError:
            value = value.encode("utf-8", "surrogatepass")
    return quote_from_bytes(value, safe="")


def urlencode_pairs(pairs, charset="utf-8"):
    return "&".join(f"{encode(key, charset)}={encode(value, charset)}" for key, value in pairs)


def as_text(value):
    """A value for a client that only takes text (multipart): bytes as Latin-1."""
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


@dataclass
class Form:
    action: str
    method: str
    fields: dict  # name -> set of values the page offers (options, radios, hidden values)


class FormFinder(HTMLParser):
    """The forms on a page, with their field names and offered values."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self.current = None
        self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = Form(
                attrs.get("action") or "", (attrs.get("method") or "get").lower(), {}
            )
            self.forms.append(self.current)
        elif self.current is not None and tag in ("input", "select", "textarea", "button"):
            name = attrs.get("name")
            if not name:
                return
            values = self.current.fields.setdefault(name, set())
            if attrs.get("value") and attrs.get("type") not in ("password",):
                values.add(attrs["value"])
            self.select = values if tag == "select" else None
        elif tag == "option" and self.select is not None and attrs.get("value"):
            self.select.add(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None


def forms_on(html):
    finder = FormFinder()
    finder.feed(html)
    return finder.forms


class Tally:
    """Requests per target and their status codes, for the summary at the end of the run."""

    def __init__(self):
        self.by_target = defaultdict(Counter)

    def record(self, target, status):
        self.by_target[target][status] += 1

    def lines(self):
        if not self.by_target:
            return []
        total = Counter()
        for counts in self.by_target.values():
            total.update(counts)
        errors = sum(n for status, n in total.items() if status >= 500)
        lines = [f"fuzz: {total.total():,} requests, {errors} × 5xx: {histogram(total)}"]
        for target, counts in sorted(self.by_target.items()):
            lines.append(f"  {target}: {counts.total():,} ({histogram(counts)})")
        return lines


def histogram(counts):
    return " ".join(f"{status}×{n:,}" for status, n in sorted(counts.items()))


TALLY = Tally()
