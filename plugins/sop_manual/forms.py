"""The official forms of the life cycle after signing (Permenpan RB 35/2012).

- the monitoring form of a unit (Tabel 7): one row per SOP in force, either blank
  for filling in by hand, or filled from each SOP's latest monitoring record;
- per SOP, one print document holding its evaluation form (the seven criteria),
  and the attendance list (daftar hadir) and minutes (berita acara) of a
  dissemination of its current version.

Each form is data here plus a template under ``overrides/sop/`` (``formulir-*.html``)
that the web page and the PDF document both include, so the browser's Print and
the PDF give the same A4 sheet. The per-unit forms are pages published through
``pages.BUILDERS``, listed on one "Formulir Monev" page in the navigation. The
per-SOP forms are thousands in a large manual: as site pages (theme, navigation,
search) they made a build of 2,000 SOPs 1.8 times as long (tests/benchmarks/
forms_cost.py), so each is a standalone HTML document (``sop_form_documents``)
the adapter writes as a plain file, linked from the SOP page and the unit page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from .manual import Manual, Unit
from .model import CRITERIA, MonevRecord, Sop
from . import pages
from .pages import (FORMS_INDEX, ManualPage, SiteOptions, monitoring_form_uri, page_pdf_uri, printed_sops,
                    sop_forms_uri, sop_uri)

ATTENDANCE_ROWS = 16
"""Blank lines of the attendance list (one A4 sheet)."""


@dataclass(frozen=True)
class MonitoringRow:
    """One procedure on the monitoring form; ``record`` is its latest monitoring when the form is filled."""

    number: int
    sop: Sop
    record: MonevRecord | None = None


@dataclass(frozen=True)
class MonitoringForm:
    unit: Unit
    rows: tuple[MonitoringRow, ...]
    filled: bool

    @property
    def unit_path(self) -> str:
        return " / ".join(self.unit.path)

    @property
    def latest(self) -> dt.date | None:
        """The newest record shown (the date the filled form stands for)."""
        dates = [row.record.tanggal for row in self.rows if row.record and row.record.tanggal]
        return max(dates) if dates else None


@dataclass(frozen=True)
class SopForms:
    """The forms of one SOP: evaluation, and dissemination of its current version."""

    sop: Sop
    versi: str
    criteria: tuple[str, ...] = CRITERIA
    attendance_rows: int = ATTENDANCE_ROWS


@dataclass(frozen=True)
class UnitForms:
    """A line of the "Formulir Monev" page: a unit's two monitoring forms (pages, and PDFs if written)."""

    unit: Unit
    count: int
    blank_uri: str
    filled_uri: str
    blank_pdf_uri: str = ""
    filled_pdf_uri: str = ""

    @property
    def unit_path(self) -> str:
        return " / ".join(self.unit.path)


def monitoring_form(unit: Unit, filled: bool) -> MonitoringForm:
    rows = tuple(MonitoringRow(number, sop, sop.latest_monev("monitoring") if filled else None)
                 for number, sop in enumerate(printed_sops(unit.sops), start=1))
    return MonitoringForm(unit, rows, filled)


def sop_forms(sop: Sop) -> SopForms:
    return SopForms(sop, sop.current_version)


def forms_index_pages(manual: Manual, labels: Mapping[str, str], options: SiteOptions) -> Iterator[ManualPage]:
    """The "Formulir Monev" page: every unit's monitoring form, blank and filled, and where the others are."""
    if not options.forms:
        return
    units = []
    for unit in manual.units():
        count = len(printed_sops(unit.sops))
        if count:
            blank, filled = monitoring_form_uri(unit), monitoring_form_uri(unit, True)
            pdfs = (page_pdf_uri(blank), page_pdf_uri(filled)) if options.pdf else ("", "")
            units.append(UnitForms(unit, count, blank, filled, *pdfs))
    # "of": the units shown, so that a preview (serve) renders the page again only when one of their SOPs changes
    yield ManualPage(FORMS_INDEX, labels["forms.title"], "formulir.html",
                     {"units": units, "pdf": options.pdf, "of": [entry.unit for entry in units]},
                     nav=(labels["forms.title"],))


def monitoring_form_pages(manual: Manual, labels: Mapping[str, str], options: SiteOptions) -> Iterator[ManualPage]:
    """Per unit with SOPs in force: the blank monitoring form and the one filled from the latest records."""
    if not options.forms:
        return
    for unit in manual.units():
        if not printed_sops(unit.sops):
            continue
        for filled in (False, True):
            uri = monitoring_form_uri(unit, filled)
            title = labels["forms.monitoring.filled_title" if filled else "forms.monitoring.title"].format(unit=unit.name)
            other = monitoring_form_uri(unit, not filled)
            yield ManualPage(uri, title, "formulir-monitoring-halaman.html", {
                "form": monitoring_form(unit, filled),
                "of": unit,
                "other_uri": other,
                "pdf_uri": page_pdf_uri(uri) if options.pdf else "",
            })


def sop_form_documents(manual: Manual, labels: Mapping[str, str], options: SiteOptions) -> Iterator[ManualPage]:
    """Per SOP in force, one standalone HTML document (not a site page: ``uri`` ends in ``.html``) holding all
    its forms; rendered like a manual-wide page (``Renderer.manual_page``) and written as a file."""
    if not options.forms:
        return
    for sop in printed_sops(manual.select()):
        uri = sop_forms_uri(sop)
        yield ManualPage(uri, labels["forms.sop.title"].format(nomor=sop.nomor), "formulir-sop-dokumen.html", {
            "forms": sop_forms(sop),
            "sop_uri": sop_uri(sop, options),
            "pdf_uri": page_pdf_uri(uri) if options.pdf else "",
        })


BUILDERS = [forms_index_pages, monitoring_form_pages]
pages.BUILDERS.extend(builder for builder in BUILDERS if builder not in pages.BUILDERS)
