"""The search's first page, worked out at build time: a page opened with ``?q=WORD`` shows it before Pagefind answers.

Pagefind's first search in a page is slow (its WebAssembly runs cold: 100–250 ms at 2,000 SOPs for a word
most SOPs have), so for every word of the index (every word of the pages and every root, three letters
or more) this module writes the first results of each search the browser plans for a one-word query
(``plan()`` in ``sop-search.js``): the pages that have the word, or a word starting with it (Pagefind
matches by prefix), in force and revoked (``dicabut``), best first. The browser puts together the query's
first page from the word's lists and its root's (in force as typed, in force through the root, revoked
as typed, revoked through the root), draws it at once, and Pagefind then supplies the count, the
filters, the excerpts and every later result, without repeating a page already shown.

The order within one search is modelled on Pagefind's scoring (``pagefind_web/src/search.rs``, version
1.5): BM25 over the words starting with the query word, a word's occurrences weighted by where they
stand (headings more, the SOP number most, a listing page's words less: the weights the index document
gives Pagefind), words longer than the query word weigh less, and a title with the word counts most.
It is our own order, close to Pagefind's but not always the same. What it never breaks: the searches
follow each other as the browser's plan has them, and a later search's pages are shown only when the
first page holds every page of the searches before it (never a revoked SOP above an in-force one).

The lists go into at most :data:`BUCKETS` (128) small JSON files, one per hash of a word's first four
letters (:data:`PREFIX`), so that the browser can also tell that no word starts with what was typed and
that none is the start of it (Pagefind would then take that one: the words shorter than four letters are
in every file), each with what a result needs before Pagefind's fragment: URL, title, number, unit and
status. A revoked list is written only when the word's in-force pages do not fill a page (otherwise the
browser never reaches it). Nothing here imports MkDocs.
"""

from __future__ import annotations

import heapq
import html
import json
import math
import re
import shutil
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .indonesian import words
from .model import Sop

FOLDER = "search/pertama"
"""Site folder of the first-page files (``00.json`` … one per bucket)."""
BUCKETS = 128
"""How many files the words are spread over (fewer when a small manual leaves some empty)."""
PAGE_SIZE = 10
"""Results per list and status: the browser's first page."""
MIN_KEY = 3
"""Shorter words go to Pagefind."""
PREFIX = 4
"""Letters of a word that decide its file; the index's shorter words are listed in every file."""
REVOKED = "dicabut"

# Pagefind's ranking (pagefind_web/src/lib.rs RankingWeights::default, search.rs) and weights (fossick)
_K1 = 1.4
_B = 0.75
_TITLE = 5.0
_HEADINGS = {"1": 7, "2": 6, "3": 5, "4": 4, "5": 3, "6": 2}
_NOMOR_WEIGHT = 10
_HEADING = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")


def bucket(word: str) -> int:
    """The file a word's lists are in: FNV-1a (32 bits) of its first :data:`PREFIX` letters (``sop-search.js``
    and ``partials/sop-search-preload.html`` have the same function: change them together)."""
    value = 0x811C9DC5
    for letter in word[:PREFIX]:
        value = ((value ^ ord(letter)) * 0x01000193) & 0xFFFFFFFF
    return value % BUCKETS


def _stored_weight(weight: float) -> float:
    """A weight as Pagefind stores it: a byte, in 24ths."""
    return int(weight * 24) / 24


def _length_bonus(differential: int) -> float:
    """Pagefind's ``word_length_bonus`` with ``term_similarity`` 1: a longer word than the one typed weighs less."""
    return math.exp(math.exp(-0.5 * differential ** 2 / 4)) / math.e


@dataclass(frozen=True)
class Card:
    """What a result shows before its fragment arrives."""

    path: str
    """The page's URL from the site's root, as Pagefind gives it (``sop/ti/x/``)."""
    title: str
    nomor: str = ""
    unit: str = ""
    status: str = ""

    def row(self) -> list[str]:
        return [self.path, self.title, self.nomor, self.unit, self.status]


def card(dest: str, title: str, sop: Sop | None) -> Card:
    """The card of a page written to ``dest`` (``sop/ti/x/index.html``) with ``title`` (HTML)."""
    path = dest[:-len("index.html")] if dest == "index.html" or dest.endswith("/index.html") else dest
    text = html.unescape(_TAG.sub("", title)).strip()
    if sop is None:
        return Card(path, text)
    return Card(path, text, sop.nomor, sop.unit_path, sop.status)


class FirstPages:
    """The first results of every word of a manual's index, by bucket."""

    def __init__(self) -> None:
        self._cards: list[Card] = []
        self._lengths: list[int] = []
        self._postings: tuple[dict[str, tuple[list[int], list[float]]], ...] = ({}, {})
        """In force, revoked: word -> the pages that have it (ascending) and its weighted count on each."""
        self._titles: dict[str, list[int]] = defaultdict(list)
        """Word -> the pages whose title has it (Pagefind's ``title`` metadata, which weighs most)."""
        self._files: dict[int, dict] | None = None

    def add(self, dest: str, title: str, content: str, found: Sequence[str], roots: Sequence[str], sop: Sop | None,
            listing_weight: float | None) -> None:
        """One page: ``content`` its HTML, ``found`` the words of its text (``words(page_text(content))``),
        ``roots`` those after the mark, ``listing_weight`` the weight of its words when it is a listing page
        (as the index document has it)."""
        page = len(self._cards)
        weights: dict[str, float] = Counter(found)
        if listing_weight is not None:  # headings inside a weighted block weigh as the block
            scale = _stored_weight(listing_weight)
            weights = {word: count * scale for word, count in weights.items()}
        else:
            scale = 1.0
            headings = defaultdict(list)
            for level, inner in _HEADING.findall(content):
                headings[level].append(inner)
            for level, inners in headings.items():
                for word in words(html.unescape(_TAG.sub(" ", " ".join(inners)))):
                    if word in weights:
                        weights[word] += _HEADINGS[level] - 1
        for word in roots:
            weights[word] = weights.get(word, 0.0) + scale
        nomor = words(sop.nomor) if sop is not None else []
        for word in nomor:
            weights[word] = weights.get(word, 0.0) + _NOMOR_WEIGHT
        postings = self._postings[sop is not None and sop.status == REVOKED]
        for word, weight in weights.items():
            if word not in postings:
                postings[word] = ([], [])
            pages, counts = postings[word]
            pages.append(page)
            counts.append(weight)
        for word in set(words(html.unescape(_TAG.sub(" ", title)))):
            self._titles[word].append(page)
        self._cards.append(card(dest, title, sop))
        self._lengths.append(len(found) + len(roots) + len(nomor))

    def compute(self, interrupt: Callable[[], None] | None = None) -> dict[int, dict]:
        """Works out every word's lists (``interrupt`` is called now and then: it may raise to abandon the work).
        Returns bucket number -> its file's data: ``k`` word -> [in-force ids, their count, revoked ids, their count]
        (ids best first, at most :data:`PAGE_SIZE` each; no revoked ids when those in force fill a page), ``p``
        id -> card row, ``s`` the index's words shorter than :data:`PREFIX` (a word typed that no word starts
        with is matched by the longest word it starts with)."""
        vocabulary = sorted(self._postings[0].keys() | self._postings[1].keys() | self._titles.keys())
        average = sum(self._lengths) / len(self._lengths) if self._lengths else 1.0
        norms = [_K1 * (1 - _B + _B * length / average) for length in self._lengths]
        bonuses = [_length_bonus(differential) for differential in range(1, 64)] + [0.0] * 256
        short = sorted(word for word in vocabulary if len(word) < PREFIX)
        files: dict[int, dict] = {}
        for at, key in enumerate(vocabulary):
            if len(key) < MIN_KEY:
                continue
            if interrupt is not None and at % 512 == 0:
                interrupt()
            end = at + 1
            while end < len(vocabulary) and vocabulary[end].startswith(key):
                end += 1
            matched = vocabulary[at:end]
            titled: dict[int, int] = defaultdict(int)
            for word in matched:
                for page in self._titles.get(word, ()):
                    titled[page] += 1
            lists = []
            for postings in self._postings:
                pages, scores = self._scores(key, matched, postings, norms, bonuses, titled)
                wanted = PAGE_SIZE if not lists or lists[1] < PAGE_SIZE else 0
                best = heapq.nlargest(wanted, range(len(scores)), key=scores.__getitem__)
                lists += [[pages[index] for index in best], len(pages)]
            data = files.setdefault(bucket(key), {"k": {}, "p": {}, "s": short})
            data["k"][key] = lists
            for page in (*lists[0], *lists[2]):
                data["p"].setdefault(str(page), self._cards[page].row())
        self._files = files
        return files

    @staticmethod
    def _scores(key: str, matched: list[str], postings, norms: list[float], bonuses: list[float],
                titled: dict[int, int]) -> tuple[list[int], list[float]]:
        """The pages of ``postings`` with a word of ``matched`` (those starting with ``key``) and their scores, in
        IDFs of the key (the same for every page of one search): BM25 of each word, plus the title's boost."""
        k1 = _K1 + 1
        found = [(postings[word], bonuses[len(word) - len(key)]) for word in matched if word in postings]
        if len(found) == 1:
            (pages, counts), bonus = found[0]
            scores = [k1 * count * bonus / (norms[page] + count * bonus) for page, count in zip(pages, counts)]
        else:
            summed: dict[int, float] = {}
            for (pages, counts), bonus in found:
                for page, count in zip(pages, counts):
                    summed[page] = summed.get(page, 0.0) + k1 * count * bonus / (norms[page] + count * bonus)
            pages, scores = list(summed), list(summed.values())
        if titled:  # field weight x matched IDF x coverage squared (coverage: title words matched, in IDFs)
            scores = [score + _TITLE * titled[page] ** 3 if page in titled else score
                      for page, score in zip(pages, scores)]
        return list(pages), scores

    def write(self, folder: Path) -> int:
        """Replaces ``folder`` with the buckets' files; returns how many were written."""
        files = self._files if self._files is not None else self.compute()
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for number, data in files.items():
            (folder / f"{number:02x}.json").write_text(
                json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        return len(files)
