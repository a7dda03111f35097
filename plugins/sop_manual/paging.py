"""Listings continued on numbered pages: a long catalogue, unit page, role page, changelog or ``sop_list``.

A manual of 10,000 SOPs would otherwise give pages of several megabytes (a unit of 3,000 SOPs, a
role such as "Pemohon" that most SOPs have, a ``sop_list`` of every SOP). Such a listing stays one
logical page: its first page sits at the listing's own URI, where the navigation and every link
point; pages 2, 3… follow at ``<uri without .md>/<number>.md``, out of the navigation, each with
the same pager (``Pager``, shown by ``overrides/sop/halaman.html``). Every item is on exactly one
page, in the listing's order.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from .model import Sop

T = TypeVar("T")

PAGE_SIZE = 500
"""SOPs per page of the catalogue, a unit page and a ``sop_list`` (revisions per changelog page): a
manual of 10,000 SOPs gets 20 catalogue pages of some 250 kB instead of one of 8 MB, a unit of 3,000
SOPs 6 pages of some 350 kB instead of one of 3 MB."""
ROLE_PAGE_SIZE = 250
"""Rows per role page, each step and each SOP's heading counting as one (an SOP's steps are never
split): a role in most of 10,000 SOPs gets pages of some 300 kB instead of one of several megabytes."""


@dataclass(frozen=True)
class Pager:
    """One page of a listing continued on numbered pages: page 1 at the listing's own URI (where the
    navigation and every link point), pages 2, 3… at ``<uri without .md>/<number>.md``, out of the nav."""

    uris: tuple[str, ...]
    """Every page of the listing, page 1 first."""
    number: int
    """This page's number, from 1."""
    first: int
    """Position of this page's first item in the whole listing, from 1."""
    count: int
    """Items on this page."""
    total: int
    """Items on all the pages together."""
    spans: tuple[tuple[str, str], ...] = ()
    """Per page, what it starts and ends with, SOP numbers (dates in the changelog), shown on the page
    links: a reader looking for one SOP among dozens of pages sees which page holds it."""
    anchor: str = ""
    """Where on each page the listing starts (one list of several on a page, such as the dashboard's)."""

    @property
    def last(self) -> int:
        return self.first + self.count - 1

    @property
    def pages(self) -> list[tuple[int, str, tuple[str, str]]]:
        """(number, uri, (first SOP number, last)) of every page; empty when the listing fits on one page."""
        if len(self.uris) < 2:
            return []
        return [(number, uri, self.spans[number - 1] if self.spans else ("", ""))
                for number, uri in enumerate(self.uris, 1)]

    @property
    def previous(self) -> str:
        return self.uris[self.number - 2] if self.number > 1 else ""

    @property
    def next(self) -> str:
        return self.uris[self.number] if self.number < len(self.uris) else ""


def continuation_uris(uri: str, count: int, taken: Iterable[str] = ()) -> list[str]:
    """``uri`` then the URIs of its continuation pages 2..count; a URI in ``taken`` (another page's,
    such as a sub-unit named "2") is never reused: that continuation page gets a suffix."""
    base, taken = uri.removesuffix(".md"), set(taken)
    uris = [uri]
    for number in range(2, count + 1):
        candidate, copy = f"{base}/{number}.md", 1
        while candidate in taken:
            copy += 1
            candidate = f"{base}/{number}-{copy}.md"
        uris.append(candidate)
    return uris


def chunked(items: Sequence[T], size: int) -> list[list[T]]:
    """``items`` in consecutive pieces of ``size`` (at least one piece, maybe empty)."""
    return [list(items[start:start + size]) for start in range(0, len(items), size)] or [[]]


def chunked_by_weight(items: Sequence[T], weight: Callable[[T], int], budget: int) -> list[list[T]]:
    """``items`` in consecutive pieces of at most ``budget`` total weight; an item heavier than the
    budget gets a piece of its own (items are never split)."""
    pieces: list[list[T]] = [[]]
    load = 0
    for item in items:
        if pieces[-1] and load + weight(item) > budget:
            pieces.append([])
            load = 0
        pieces[-1].append(item)
        load += weight(item)
    return pieces


def split_evenly(items: Sequence[T], parts: int) -> list[list[T]]:
    """``items`` in ``parts`` consecutive pieces whose lengths differ by one at most (a learning path
    spread over the pages of its unit or role)."""
    size, extra = divmod(len(items), parts)
    pieces, start = [], 0
    for index in range(parts):
        end = start + size + (1 if index < extra else 0)
        pieces.append(list(items[start:end]))
        start = end
    return pieces


def pagers(uris: Sequence[str], pieces: Sequence[Sequence[T]],
           nomor: Callable[[T], str] = lambda sop: sop.nomor, anchor: str = "") -> list[Pager]:
    """The pager of each of ``pieces`` (one per URI); ``nomor``: the SOP number of an item; ``anchor``:
    the id of the listing's start on each page."""
    total = sum(len(piece) for piece in pieces)
    spans = tuple((nomor(piece[0]), nomor(piece[-1])) if piece else ("", "") for piece in pieces)
    result, first = [], 1
    for number, piece in enumerate(pieces, 1):
        result.append(Pager(tuple(uris), number, first, len(piece), total, spans, anchor))
        first += len(piece)
    return result


@dataclass(frozen=True)
class ListPage:
    """One page of a long ``sop_list``: its SOPs and where it stands among the list's pages."""

    sops: list[Sop]
    pager: Pager
    file: str
    """Where it is published, beside the hand-written page holding the list ("" for the first page:
    that page itself)."""


def sop_list_pages(sops: Sequence[Sop], page_file: str, listing: int, size: int) -> list[ListPage]:
    """A ``sop_list`` of a hand-written page, ``size`` SOPs per page. The first page is in the hand-written
    page itself; the others are documents in the same folder, named after its file (``page_file``, e.g.
    ``index.html``) and the list's number on the page (``index.daftar-1-2.html``). Links between them
    are file names: every page of the list is in one folder, so its SOP links are the same on each."""
    chunks = chunked(sops, size)
    stem = posixpath.splitext(page_file)[0]
    files = [""] + [f"{stem}.daftar-{listing}-{number}.html" for number in range(2, len(chunks) + 1)]
    links = ["./" if page_file == "index.html" else page_file] + files[1:]
    return [ListPage(chunk, pager, file) for chunk, pager, file in zip(chunks, pagers(links, chunks), files)]


def paged_title(title: str, number: int, labels: Mapping[str, str]) -> str:
    return title if number == 1 else labels["pages.title"].format(title=title, number=number)


def paged_title(title: str, number: int, labels: Mapping[str, str]) -> str:
    """The title of page ``number`` of a listing titled ``title``: ``Bagian Umum (halaman 2)``."""
    return title if number == 1 else labels["pages.title"].format(title=title, number=number)
