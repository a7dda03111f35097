"""Every PDF a published manual gets, and where it goes in the site.

- each SOP's official form (``pdf/<source>.pdf``);
- the Dokumen SOP book of the whole manual (``pages.MANUAL_PDF``) and, optionally,
  one per unit (``pdf/unit/<slug>.pdf``): the SOPs in force;
- with the forms switched on, each unit's monitoring form, blank and filled
  (``pdf/formulir/monitoring/…``), and each SOP's evaluation and dissemination
  forms (``pdf/formulir/sop/…``), the PDFs of the pages ``forms`` publishes.

Plain Python: an adapter writes what ``site_documents`` yields.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from . import printing
from .book import FrontPage
from .forms import monitoring_form, sop_forms
from .manual import Manual
from .pages import (MANUAL_PDF, SiteOptions, monitoring_form_uri, page_pdf_uri, printed_sops, sop_forms_uri,
                    sop_pdf_uri, unit_book_pdf_uri)
from .rendering import Renderer

MONITORING_PARTS = ("formulir-monitoring.html",)
SOP_FORM_PARTS = ("formulir-evaluasi.html", "formulir-hadir.html", "formulir-berita-acara.html")


@dataclass(frozen=True)
class BookOptions:
    organisation: str
    year: int | str
    front: Sequence[FrontPage] = ()
    front_base_url: str | None = None
    """Where the front pages' relative links (images) point from, e.g. the built page's folder."""
    units: bool = True
    """One book per unit besides the manual's."""


def site_documents(renderer: Renderer, manual: Manual, options: SiteOptions, book: BookOptions, *,
                   logo_url: str = "") -> Iterator[tuple[str, bytes]]:
    """(site path, PDF) of every document, made one at a time."""
    for sop in manual.sops:
        references = renderer.references(sop, manual.by_nomor, lambda target: "")
        yield sop_pdf_uri(sop), printing.sop_pdf(renderer, sop, references=references, logo_url=logo_url)
    in_force = printed_sops(manual.select())
    yield MANUAL_PDF, _book(renderer, in_force, book, logo_url)
    units = [unit for unit in manual.units() if printed_sops(unit.sops)]
    if book.units:
        for unit in units:
            yield unit_book_pdf_uri(unit), _book(renderer, printed_sops(unit.sops), book, logo_url,
                                                 unit=" / ".join(unit.path))
    if not options.forms:
        return
    for unit in units:
        for filled in (False, True):
            yield page_pdf_uri(monitoring_form_uri(unit, filled)), printing.forms_pdf(
                renderer, MONITORING_PARTS, {"form": monitoring_form(unit, filled)}, logo_url=logo_url, landscape=True)
    for sop in in_force:
        yield page_pdf_uri(sop_forms_uri(sop)), printing.forms_pdf(
            renderer, SOP_FORM_PARTS, {"forms": sop_forms(sop)}, logo_url=logo_url)


def _book(renderer: Renderer, sops, book: BookOptions, logo_url: str, unit: str = "") -> bytes:
    return printing.manual_pdf(renderer, sops, book.organisation, book.year, logo_url=logo_url, front=book.front,
                               unit=unit, base_url=book.front_base_url)
