"""Helping words for messages: "did you mean" and capped lists of known values.

Shared by every message that names a value the editor got wrong (pelaksana
keys, step ids, field names, closed values, duration units, SOP numbers), so
they all suggest the same way and none prints thousands of known values.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence

_DIGIT = re.compile(r"\d")

LIST_LIMIT = 10
"""Most known values a message lists; beyond that the nearest ones and "and N more"."""


def closest(word: str, candidates: Iterable[str], numbers: bool = False) -> str | None:
    """The candidate ``word`` was most likely meant to be (case and spacing aside), or None.

    ``numbers``: the candidates are SOP numbers; one that differs from ``word`` only in
    which digits it has (``SOP-UJI-999`` and ``SOP-UJI-001``) is another SOP, not a typo.
    """
    candidates = [c for c in dict.fromkeys(candidates) if c]
    if numbers:
        shape = _DIGIT.sub("0", word)
        candidates = [c for c in candidates if len(c) != len(word) or _DIGIT.sub("0", c) != shape]
    folded = word.casefold().strip()
    for candidate in candidates:
        if candidate.casefold() == folded and candidate != word:
            return candidate
    ranked = nearest(word, candidates, 1, cutoff=0.6)
    return ranked[0] if ranked and ranked[0] != word else None


def nearest(word: str, candidates: Sequence[str], count: int, cutoff: float = 0.0) -> list[str]:
    """Up to ``count`` candidates most like ``word`` (ignoring case), the likeliest first.

    Likeness is difflib's ratio; ties go to the candidate sharing the longer beginning
    with ``word`` (``SOP-0O12`` is nearer ``SOP-0012`` than ``SOP-1012``).
    """
    folded = word.casefold()
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(folded)
    scored = []
    for candidate in candidates:
        other = candidate.casefold()
        matcher.set_seq1(other)
        if matcher.real_quick_ratio() < cutoff or matcher.quick_ratio() < cutoff:
            continue
        ratio = matcher.ratio()
        if ratio >= cutoff:
            prefix = next((i for i, (a, b) in enumerate(zip(folded, other)) if a != b), min(len(folded), len(other)))
            scored.append((-ratio, -prefix, candidate))
    return [candidate for *_, candidate in sorted(scored)[:count]]


def did_you_mean(word: str, candidates: Iterable[str], numbers: bool = False) -> str:
    """``"; did you mean 'tim_it'?"`` to append to a message, or ``""`` when nothing is close."""
    match = closest(word, candidates, numbers)
    return f"; did you mean '{match}'?" if match else ""


def known(values: Sequence[str], near: str = "", limit: int = LIST_LIMIT, none: str = "none") -> str:
    """``a, b, c`` or, past ``limit``, the values nearest to ``near`` then ``and 1,997 more``."""
    values = list(dict.fromkeys(values))
    if not values:
        return none
    if len(values) <= limit:
        return ", ".join(values)
    shown = nearest(near, values, limit) if near else values[:limit]
    return f"{', '.join(shown)} and {len(values) - len(shown):,} more"
