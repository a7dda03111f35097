"""The Dokumen SOP book as Permenpan RB 35/2012 lays it out, as data for ``sop/cetak-manual.html``.

Cover (organisation, logo, year), the hand-written front pages (Keputusan Pimpinan,
foreword… from Markdown the adapter renders), a table of contents with page numbers,
a short guide to using the document (scope, summary, definitions gathered from every
SOP's ``definisi``), the list of SOPs, then each SOP's identity sheet and flowchart
matrix. One book for the manual, one per unit (``unit`` set).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .glossary import Term, glossary
from .model import Sop


@dataclass(frozen=True)
class FrontPage:
    """A hand-written page before the table of contents, as HTML rendered by the adapter."""

    title: str
    html: str
    anchor: str = ""


@dataclass(frozen=True)
class UnitCount:
    path: str
    count: int


@dataclass(frozen=True)
class Book:
    organisation: str
    year: int | str
    sops: tuple[Sop, ...]
    unit: str = ""
    """The unit path of a unit's book; empty for the whole manual."""
    logo_url: str = ""
    front: tuple[FrontPage, ...] = ()

    @property
    def owner(self) -> str:
        """Whose SOPs these are: the unit, or the organisation."""
        return self.unit or self.organisation

    @property
    def units(self) -> list[UnitCount]:
        counts: dict[str, int] = {}
        for sop in self.sops:
            counts[sop.unit_path] = counts.get(sop.unit_path, 0) + 1
        return [UnitCount(path, count) for path, count in counts.items()]

    @property
    def definitions(self) -> list[Term]:
        """The glossary of the book's SOPs: every term, each wording with the SOPs that use it."""
        return glossary(self.sops)


def front_anchors(pages: Sequence[FrontPage]) -> tuple[FrontPage, ...]:
    """The pages with unique anchors for the table of contents."""
    return tuple(FrontPage(page.title, page.html, f"depan-{number}") for number, page in enumerate(pages, start=1))

