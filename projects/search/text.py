"""Text and queries as index tokens: the same tokens for SQLite and PostgreSQL.

Both databases' full-text engines treat a run of Chinese characters as one word, so "体育公园"
would never match "将军山体育公园建设". We hand them our own tokens instead:

- Index (`index_text`): every Chinese run as overlapping bigrams (将军 军山 山体 体育 …), so any
  word of two or more characters that appears in the text finds it whatever a segmenter makes
  of it; plus the single characters of the *headline* (title, category, tags), so that 路 finds
  断头路打通 but not an item whose third progress update mentions 路基. Latin words are
  lower-cased and made singular (parks → park) so "park" finds "Parks & greenways".
- Query (`parse_query`): jieba, the maintained Chinese segmenter, with our domain dictionary
  (words.txt), cuts what a resident types into words (老人吃饭 → 老人 吃饭). Each word becomes a
  `Concept`: the word and its related words from the editors' synonym list (看病 → 医院, 卫生院
  …), any of which may match. An item must match every concept; single characters among longer
  words (新 in 新医院, 了 in 路灯坏了) and question words (哪里, 附近) only help the ranking,
  unless they are all the resident typed (路).

Segmenting the query but not the documents keeps the index independent of the dictionary: an
editor adding a synonym or a word needs no re-index.
"""

import logging
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from django.utils.html import strip_tags

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RUN = re.compile(f"[{CJK}]+")
TOKEN = re.compile(f"[{CJK}]+|[A-Za-z0-9]+")
WORD_SEPARATORS = re.compile(r"[\s,，、;；/|]+")
DOMAIN_WORDS = Path(__file__).with_name("words.txt")
SEED_SYNONYMS = Path(__file__).with_name("synonyms.txt")

# Words that say how, where or who rather than what: they never narrow a search on their own.
STOP_WORDS = frozenset(
    "哪里 哪儿 哪个 在哪 在哪里 怎么 怎么样 怎样 什么 什么时候 时候 附近 周边 我们 我家 我要 我想 "
    "想要 可以 能否 能不能 有没有 有没 没有 是否 请问 一下 这个 那个 还有 以及 进展 进度 情况 "
    "什么样 多少 the a an of in at to for and near my".split()
)


def stem(word: str) -> str:
    """A Latin word lower-cased and roughly singular: parks → park, libraries → library."""
    word = word.lower()
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes", "uses")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def is_chinese(word: str) -> bool:
    return bool(CJK_RUN.fullmatch(word))


def tokens(text: str, *, unigrams: bool = False) -> list[str]:
    """Bigrams for Chinese runs (and each character too with `unigrams`), Latin words stemmed."""
    result = []
    for run in TOKEN.findall(strip_tags(text or "")):
        if is_chinese(run):
            if len(run) == 1 or unigrams:
                result.extend(run)
            result.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            result.append(stem(run))
    return result


def index_text(headline: Iterable[str], body: Iterable[str]) -> str:
    """The document stored in the search index: see the module's docstring."""
    headline = " ".join(part for part in headline if part)
    body = " ".join(part for part in body if part)
    found = tokens(headline, unigrams=True) + tokens(body)
    return " ".join(dict.fromkeys(found))


def term_tokens(term: str) -> list[str]:
    """The index tokens a term must all have: 医院 → [医院], 卫生服务站 → its bigrams."""
    return list(dict.fromkeys(tokens(term)))


def split_words(text: str) -> list[str]:
    """Words an editor listed, separated by spaces, commas or 、; de-duplicated, in order."""
    return list(dict.fromkeys(word for word in WORD_SEPARATORS.split(text or "") if word))


def normalise_term(word: str) -> str:
    """The form a synonym's word is looked up by: Chinese as written, Latin stemmed."""
    word = word.strip()
    return word if is_chinese(word) else stem(word)


class _Segmenter:
    """jieba with the domain dictionary, built on first use (about a second and 80 MB, once per
    process). Imported there too: importing jieba loads pkg_resources, which every management
    command and migration would otherwise pay for without ever searching."""

    def __init__(self):
        self._tokenizer = None
        self._lock = threading.Lock()

    @property
    def tokenizer(self):
        if self._tokenizer is None:
            with self._lock:
                if self._tokenizer is None:
                    import jieba

                    logging.getLogger("jieba").setLevel(logging.WARNING)
                    tokenizer = jieba.Tokenizer()
                    tokenizer.load_userdict(str(DOMAIN_WORDS))
                    self._tokenizer = tokenizer
        return self._tokenizer

    def cut(self, text: str) -> list[str]:
        return [word for word in self.tokenizer.cut(text) if word.strip()]

    def cut_for_search(self, text: str) -> list[str]:
        return [word for word in self.tokenizer.cut_for_search(text) if word.strip()]


segmenter = _Segmenter()


def query_words(query: str, known: Iterable[str] = ()) -> list[str]:
    """What the resident typed, as words: jieba for Chinese, whole (stemmed) Latin words.

    Pieces jieba split that together make a `known` word (白/改/黑 → 白改黑, a synonym's word)
    are joined again, longest first.
    """
    known = set(known)
    found = []
    for run in TOKEN.findall(query or ""):
        if not is_chinese(run):
            found.append(stem(run))
            continue
        pieces = segmenter.cut(run)
        i = 0
        while i < len(pieces):
            for j in range(len(pieces), i + 1, -1):
                if "".join(pieces[i:j]) in known:
                    found.append("".join(pieces[i:j]))
                    i = j
                    break
            else:
                found.append(pieces[i])
                i += 1
    return list(dict.fromkeys(found))


def shorter_words(word: str, limit: int = 6) -> list[str]:
    """Shorter searches inside a Chinese word that found nothing (停车难 → 停车, 车难): the
    dictionary words jieba finds inside it first, then its bigrams."""
    if not is_chinese(word) or len(word) < 3:
        return []
    inside = [w for w in segmenter.cut_for_search(word) if 1 < len(w) < len(word)]
    bigrams = [word[i : i + 2] for i in range(len(word) - 1)]
    return list(dict.fromkeys(inside + bigrams))[:limit]


@dataclass(frozen=True)
class Concept:
    """One word of the query and the words that may stand for it in an item (itself first)."""

    word: str
    alternatives: tuple[str, ...]
    required: bool


def parse_query(query: str, synonyms: Mapping[str, Iterable[str]]) -> list[Concept]:
    """The query as concepts; `synonyms` maps a normalised word to its related words."""
    words = query_words(query, synonyms.keys())
    meaningful = [word for word in words if word not in STOP_WORDS] or words
    has_long = any(len(word) > 1 or not is_chinese(word) for word in meaningful)
    concepts = []
    for word in meaningful:
        alternatives = dict.fromkeys([word, *synonyms.get(word, ())])
        concepts.append(
            Concept(
                word=word,
                alternatives=tuple(a for a in alternatives if term_tokens(a)),
                required=len(word) > 1 or not is_chinese(word) or not has_long,
            )
        )
    return [concept for concept in concepts if concept.alternatives]


def read_seed_synonyms() -> list[tuple[str, list[str], bool]]:
    """synonyms.txt as (word, related words, suggested) rows."""
    rows = []
    for line in SEED_SYNONYMS.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        word, related = line.split(":", 1)
        suggested = word.startswith("*")
        rows.append((word.lstrip("*").strip(), split_words(related), suggested))
    return rows
