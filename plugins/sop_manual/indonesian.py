"""Indonesian word analysis for search: the root an affixed word is built on.

Indonesian builds words from one root with prefixes, suffixes and confixes, and
the nasal prefixes meN-/peN- change the root's first sound (``memohon`` and
``pemohon`` from *mohon*, ``menerima`` and ``penerimaan`` from *terima*,
``mengirim`` from *kirim*, ``menyerahkan`` from *serah*). Stripping affixes by
rule alone cannot tell ``memohon`` (me- + *mohon*) from ``memeriksa`` (meN- +
*periksa*), and we ship no root dictionary (the free ones forbid commercial use).
So every word gets all its possible roots (:func:`candidates`), and
:class:`Analyser` picks, for each word of the manual, the candidate that most
words of the manual share: *mohon* is a candidate of ``memohon``, ``pemohon``
and ``permohonan``, *pohon* only of the first two.

The browser runs the same :func:`candidates` (``overrides/assets/javascripts/
sop-search.js`` is a port: change both together) against the roots chosen here
and their support, so a query word that appears nowhere in the manual still
finds its family.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping

VOWELS = frozenset("aeiou")
MIN_ROOT = 3
"""Shortest root kept (``aju``, ``isi``, ``uji``)."""
MIN_ANALYSED = 4
"""Shorter words are their own root."""
ONSETS = frozenset({"bl", "br", "dr", "fl", "fr", "gl", "gr", "kh", "kl", "kr", "ng", "ny", "pl", "pr", "ps",
                    "sk", "sl", "sm", "sn", "sp", "st", "sw", "sy", "tr"})
"""Consonant pairs a root may start with (loans included); ``rmohon`` is no root."""
SUFFIXES = ("kan", "an", "i")
INVALID_CONFIXES = frozenset({("be", "i"), ("di", "an"), ("ke", "i"), ("ke", "kan"), ("me", "an"), ("te", "an")})
"""Outer prefix and suffix that never combine (Nazief and Adriani)."""
MAX_PREFIXES = 3
INNER_PREFIXES = {"me": {"per", "be"}, "pe": {"per", "be"}, "di": {"per", "be"}, "ke": {"pe", "per", "be", "te"},
                  "be": {"pe", "per"}, "te": {"per"}}
"""Which prefix may stand inside which: memperbaiki, diberangkatkan, keterlambatan, berpengalaman."""
_WORD = re.compile(r"[a-z]+")


def words(text: str) -> list[str]:
    """The words of ``text``, lower case (``Dokumen-dokumen`` gives ``dokumen`` twice)."""
    return _WORD.findall(text.lower())


def _plausible(root: str) -> bool:
    return (len(root) >= MIN_ROOT and any(letter in VOWELS for letter in root)
            and (root[0] in VOWELS or root[1] in VOWELS or root[:2] in ONSETS))


def _prefixes(word: str) -> list[tuple[str, str]]:
    """Every way to take one prefix off ``word``: (prefix class, what is left, with the sound it replaced)."""
    found: list[tuple[str, str]] = []

    def add(kind: str, rest: str) -> None:
        if _plausible(rest):
            found.append((kind, rest))

    for kind in ("me", "pe"):
        if not word.startswith(kind):
            continue
        rest = word[2:]
        if rest.startswith("nge"):  # mengecek -> cek
            add(kind, rest[3:])
        if rest.startswith("ng"):
            after = rest[2:]
            if after[:1] in VOWELS:  # mengajukan -> ajukan, mengirim -> kirim
                add(kind, after)
                add(kind, "k" + after)
            elif after[:1] and after[0] in "ghk":  # menggunakan -> gunakan
                add(kind, after)
        elif rest.startswith("ny"):
            if rest[2:3] in VOWELS:  # menyerahkan -> serahkan
                add(kind, "s" + rest[2:])
        elif rest.startswith("n"):
            after = rest[1:]
            if after[:1] in VOWELS:  # menerima -> terima
                add(kind, "t" + after)
            elif after[:1] and after[0] in "cdjtz" or after.startswith("sy"):  # mencatat -> catat
                add(kind, after)
        elif rest.startswith("m"):
            after = rest[1:]
            if after[:1] in VOWELS:  # memeriksa -> periksa
                add(kind, "p" + after)
            elif after[:1] and after[0] in "bfpv":  # membuat -> buat
                add(kind, after)
        if rest[:1] and rest[0] in "lmnrwy":  # memohon -> mohon, menilai -> nilai, melapor -> lapor
            add(kind, rest)
        elif kind == "pe" and rest[:1] and rest[0] not in VOWELS:  # petugas -> tugas
            add(kind, rest)
    if word.startswith("per"):  # permohonan -> mohonan
        add("per", word[3:])
    if word.startswith("pelajar") or word.startswith("belajar"):
        add(word[:2], word[3:])
    if word.startswith("ber"):
        add("be", word[3:])
    if word.startswith("beker"):  # bekerja -> kerja
        add("be", word[2:])
    if word.startswith("ter"):
        add("te", word[3:])
        add("te", word[2:])  # terekam -> rekam
    if word.startswith("di"):
        add("di", word[2:])
    if word.startswith("ke"):  # only with -an (ke-...-an), see _strip
        add("ke", word[2:])
    return found


def _strip(stem: str, removed: int, suffix: str | None, outer: str | None, found: dict[str, int],
           level: int = 0) -> None:
    """Take up to MAX_PREFIXES prefixes off ``stem``; ``outer`` is the prefix taken just before (None: none yet)."""
    if level >= MAX_PREFIXES:
        return
    for kind, rest in _prefixes(stem):
        if outer is None and ((kind, suffix) in INVALID_CONFIXES or (kind == "ke" and suffix != "an")):
            continue
        if outer is not None and kind not in INNER_PREFIXES.get(outer, ()):
            continue
        if found.get(rest, -1) < removed + 1:
            found[rest] = removed + 1
        _strip(rest, removed + 1, suffix, kind, found, level + 1)


def candidates(word: str) -> dict[str, int]:
    """Every root ``word`` may be built on, with how many affixes it takes off (the word itself: 0)."""
    found = {word: 0}
    if len(word) < MIN_ANALYSED or not word.isalpha():
        return found
    bases = [(word, 0)]
    if word.endswith("nya") and _plausible(word[:-3]):
        bases.append((word[:-3], 1))
    for base, removed in bases:
        forms = [(base, removed, None)]
        for suffix in SUFFIXES:
            if base.endswith(suffix) and _plausible(base[:-len(suffix)]):
                forms.append((base[:-len(suffix)], removed + 1, suffix))
        for stem, depth, suffix in forms:
            if found.get(stem, -1) < depth:
                found[stem] = depth
            _strip(stem, depth, suffix, None, found)
    return found


def best(options: Mapping[str, int], support: Mapping[str, int]) -> str:
    """The candidate most words of the manual share.

    Among equals: when several words share it, the one with fewest affixes off (*periksa*, not *iksa*, which
    every word of that family also offers: per- + iksa); when the word stands alone in the manual, the one with
    most affixes off, so that other forms of its root still find it. Then the first alphabetically.
    """
    most = max(support.get(root, 0) for root in options)
    direction = 1 if most >= 2 else -1
    return min((root for root in options if support.get(root, 0) == most),
               key=lambda root: (direction * options[root], root))


def root_among(word: str, support: Mapping[str, int]) -> str:
    """The root of ``word`` among a manual's roots (``Analyser.support``), as the browser finds it; or the word."""
    known = {root: removed for root, removed in candidates(word).items() if root in support}
    return best(known, support) if known else word


class Analyser:
    """Roots for the words of one manual, chosen with the manual's own vocabulary."""

    def __init__(self, vocabulary: Iterable[str], interrupt: Callable[[], None] | None = None) -> None:
        """``interrupt``: called now and then; it may raise to abandon the work (a newer preview build)."""
        options = {}
        for count, word in enumerate(set(vocabulary)):
            if interrupt is not None and count % 256 == 0:
                interrupt()
            options[word] = candidates(word)
        counts = Counter(root for found in options.values() for root in found)
        self._roots = {word: best(found, counts) for word, found in options.items()}
        self.support: dict[str, int] = {root: counts[root] for root in set(self._roots.values())}
        """Every root chosen, with how many words of the manual could come from it (shipped to the browser)."""

    def root(self, word: str) -> str:
        """The root of ``word`` (lower case); a word the manual does not have gets a root the manual has, if any.

        For a word of the manual this is also :func:`root_among` its support: what the browser finds.
        """
        return self._roots[word] if word in self._roots else root_among(word, self.support)

    def roots(self, text: str) -> list[str]:
        """The roots of the words of ``text`` that are not words of it themselves, sorted."""
        return self.roots_of_words(words(text))

    def roots_of_words(self, found: Iterable[str]) -> list[str]:
        """``roots`` of a text already split into its words (``words``)."""
        present = set(found)
        return sorted({self.root(word) for word in present} - present)
