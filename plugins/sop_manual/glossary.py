"""The glossary: every term the SOPs define (``definisi``), merged across the manual.

Terms are one term when they differ only in case or spacing ("Sistem informasi",
"sistem  Informasi"). Revoked SOPs (``dicabut``) are left out: their definitions
no longer hold. When SOPs define one term differently the glossary shows the
definitions side by side, and ``conflicts`` warns at every one of those
definitions, naming the SOPs that word it differently, so that each SOP's editors
hear of it.

Plain data, no page: ``pages.glossary_pages`` publishes it. This module imports
neither ``manual`` nor ``pages`` (``load_manual`` runs ``conflicts``).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .diagnostics import Diagnostic, Severity, format_location
from .model import Sop

OTHER_LETTER = "#"
"""Heading of the terms that do not start with a letter (numbers, symbols)."""


@dataclass(frozen=True)
class Definition:
    """One SOP's definition of a term, with the term as that SOP writes it."""

    sop: Sop
    term: str
    text: str

    @property
    def line(self) -> int:
        return self.sop.line_of("definisi", self.term)


@dataclass(frozen=True)
class Meaning:
    """One wording of a term's definition and the SOPs that use it."""

    text: str
    definitions: tuple[Definition, ...]

    @property
    def sops(self) -> tuple[Sop, ...]:
        return _distinct(definition.sop for definition in self.definitions)


@dataclass(frozen=True)
class Term:
    name: str
    """The spelling most SOPs use (the first SOP's on a tie)."""
    anchor: str
    meanings: tuple[Meaning, ...]
    """One per wording, in the order of the first SOP using it; more than one: the SOPs disagree."""

    @property
    def differs(self) -> bool:
        return len(self.meanings) > 1

    @property
    def sops(self) -> tuple[Sop, ...]:
        return _distinct(sop for meaning in self.meanings for sop in meaning.sops)


def _distinct(sops: Iterable[Sop]) -> tuple[Sop, ...]:
    """Each SOP once, in order (an SOP may define a term twice: "SOP" and "sop")."""
    return tuple({id(sop): sop for sop in sops}.values())


@dataclass(frozen=True)
class Letter:
    letter: str
    terms: tuple[Term, ...]


def term_key(term: str) -> str:
    """Terms that differ only in case or spacing are one term."""
    return " ".join(term.split()).casefold()


def _wording_key(text: str) -> str:
    """Definitions that differ only in case, spacing or a final full stop say the same."""
    return " ".join(text.split()).casefold().rstrip(".")


def _plain(term: str) -> str:
    """Lower case, without accents and punctuation, single spaces."""
    text = "".join(char for char in unicodedata.normalize("NFKD", term) if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^\w\s]|_", "", text.casefold()).split())


def alphabetical_key(term: str) -> tuple:
    """Dictionary order as Indonesian readers expect it: case, accents and punctuation ignored
    ("e-KTP" files as "ektp", beside "email"), numbers by value ("Tahap 2" before "Tahap 10")."""
    parts = tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                  for part in re.split(r"(\d+)", _plain(term)) if part)
    return parts, term


def _initial(term: str) -> str:
    key = alphabetical_key(term)[0]
    first = key[0][2][:1] if key and key[0][0] == 1 else ""
    return first.upper() if "a" <= first <= "z" else OTHER_LETTER


def definitions(sops: Iterable[Sop]) -> dict[str, list[Definition]]:
    """Every definition of every SOP not revoked, by term key, in the order of ``sops``."""
    grouped: dict[str, list[Definition]] = {}
    for sop in sops:
        if sop.status == "dicabut":
            continue
        for term, text in sop.definisi.items():
            if term.strip() and text:
                grouped.setdefault(term_key(term), []).append(Definition(sop, term, text))
    return grouped


def glossary(sops: Iterable[Sop]) -> list[Term]:
    """The merged terms in alphabetical order; SOPs and wordings in the order of ``sops`` (give the
    catalogue order)."""
    terms, anchors = [], set()
    for group in definitions(sops).values():
        spellings = Counter(" ".join(definition.term.split()) for definition in group)
        name = max(spellings, key=lambda spelling: spellings[spelling])  # first-seen wins a tie
        meanings: dict[str, list[Definition]] = {}
        for definition in group:
            meanings.setdefault(_wording_key(definition.text), []).append(definition)
        anchor = base = "istilah-" + (re.sub(r"[^0-9a-z]+", "-", _plain(name).encode("ascii", "ignore").decode())
                                      .strip("-") or "lain")
        copy = 1
        while anchor in anchors:
            copy += 1
            anchor = f"{base}-{copy}"
        anchors.add(anchor)
        terms.append(Term(name, anchor, tuple(Meaning(wording[0].text, tuple(wording)) for wording in meanings.values())))
    return sorted(terms, key=lambda term: alphabetical_key(term.name))


def by_letter(terms: Iterable[Term]) -> list[Letter]:
    letters: dict[str, list[Term]] = {}
    for term in terms:
        letters.setdefault(_initial(term.name), []).append(term)
    return [Letter(letter, tuple(group)) for letter, group in letters.items()]


def conflicts(loaded: Iterable[tuple[Sop, str]]) -> list[Diagnostic]:
    """A warning at every definition of a term that another SOP words differently, naming those SOPs."""
    loaded = list(loaded)
    files = {id(sop): file for sop, file in loaded}
    diagnostics = []
    for group in definitions(sop for sop, _ in loaded).values():
        wordings = {_wording_key(definition.text) for definition in group}
        if len(wordings) < 2:
            continue
        for definition in group:
            others = [other for other in group if _wording_key(other.text) != _wording_key(definition.text)]
            named = "; ".join(f"{other.sop.nomor} ({files[id(other.sop)]}:{other.line}: '{_shortened(other.text)}')"
                              for other in others)
            diagnostics.append(Diagnostic(
                files[id(definition.sop)], definition.line, format_location(("definisi", definition.term)),
                f"defined differently in {named}; the glossary shows both: use one wording, or a different"
                " term for a different meaning", Severity.WARNING))
    return diagnostics


def _shortened(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"
