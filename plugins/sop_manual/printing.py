"""PDF documents: one SOP, the Dokumen SOP book (whole manual or one unit), and the official forms.

The documents are rendered with the Renderer's Jinja environment from
``sop/cetak-sop.html``, ``sop/cetak-manual.html`` (the book: cover, front pages,
contents, guide, list of SOPs, then every SOP) and ``sop/cetak-formulir.html``
(which include the identity sheet, the flowchart matrix and the forms the web
pages use) and converted by WeasyPrint, offline: only ``file:`` and ``data:``
URLs are fetched.

WeasyPrint places the absolutely positioned content of a table cell before it
stretches the cell to its row's height, so the matrix's lines would not reach
the cell's edges. The matrix is therefore rendered twice: the first pass
measures every row, the second gives each drawing area that height
(``bagan_heights`` in the template context); the layout does not change
between the passes.

WeasyPrint is imported only when a PDF is made.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .bagan import Bagan, fit_pages, layout_bagan
from .book import Book, FrontPage, front_anchors
from .flow import Flow
from .model import Sop
from .rendering import TEMPLATE_FOLDER, LinkedReference, Renderer
from .roles import Role

STYLESHEETS = ("sop.css", "sop-bagan.css", "sop-print.css", "sop-formulir.css", "sop-cetak.css")
"""Looked up under ``assets/stylesheets/`` of the template folders, first match wins."""
ALLOWED_URL_SCHEMES = ("file", "data")

Heights = dict[str, dict[str, float]]
"""Measured drawing-area heights: bagan id -> row key -> CSS px."""


@dataclass(frozen=True)
class PrintedSop:
    """Everything the print templates show of one SOP."""

    sop: Sop
    bagan: Bagan
    total: dict | None
    references: Sequence[LinkedReference]
    next_review: dt.date | None
    anchor: str


def sop_pdf(renderer: Renderer, sop: Sop, *, references: Sequence[LinkedReference] = (),
            logo_url: str = "") -> bytes:
    """The official form of one SOP: identity sheet (portrait) and flowchart matrix (landscape).

    ``logo_url``: a ``file:`` (or ``data:``) URL of the organisation's logo for the identity sheet."""
    context = {**_page_label(renderer), "logo_href": logo_url}
    return _pdf(renderer, "cetak-sop.html", context, [printed_sop(renderer, sop, references)])


def manual_pdf(renderer: Renderer, sops: Iterable[Sop], organisation: str, year: int | str, *,
               references: Callable[[Sop], Sequence[LinkedReference]] | None = None, logo_url: str = "",
               front: Sequence[FrontPage] = (), unit: str = "", base_url: str | None = None) -> bytes:
    """The Dokumen SOP book: cover, front pages, table of contents with page numbers, a short guide
    (scope, summary, definitions), the list of SOPs, then every SOP's form.

    ``references`` gives an SOP's keterkaitan; by default links to SOPs of this
    manual point to their place in the PDF. ``front``: hand-written pages (HTML) after
    the cover; ``unit``: the unit path of a unit's book (shown on the cover); ``base_url``: what
    the front pages' relative links (images) are relative to.
    """
    sops = list(sops)
    anchors = _anchors(sops)
    if references is None:
        by_nomor = {sop.nomor: sop for sop in sops}

        def references(sop: Sop) -> Sequence[LinkedReference]:
            return renderer.references(sop, by_nomor.get, lambda target: "#" + anchors[id(target)])

    entries = []
    used_ids: set[str] = set()
    for sop in sops:
        entry = printed_sop(renderer, sop, references(sop), anchor=anchors[id(sop)])
        bagan_id = entry.bagan.id
        while bagan_id in used_ids:
            bagan_id += "-x"
        used_ids.add(bagan_id)
        entries.append(dataclasses.replace(entry, bagan=dataclasses.replace(entry.bagan, id=bagan_id)))
    book = Book(organisation, year, tuple(sops), unit=unit, logo_url=logo_url, front=front_anchors(front))
    context = {"book": book, "organisation": organisation, "year": year, "logo_href": logo_url, **_page_label(renderer)}
    return _pdf(renderer, "cetak-manual.html", context, entries, base_url=base_url)


def forms_pdf(renderer: Renderer, parts: Sequence[str], context: dict[str, Any], *, logo_url: str = "",
              landscape: bool = False) -> bytes:
    """Official forms (``parts``: templates under ``sop/``, each a form on sheets of its own) as one PDF;
    ``landscape``: the first form is on landscape sheets (the document starts with one).

    The forms have no flowchart matrix, so one layout pass is enough."""
    import weasyprint

    document = _document(renderer, "cetak-formulir.html", {**context, **_page_label(renderer), "parts": list(parts),
                                                           "logo_src": logo_url, "landscape": landscape})
    with _quiet_weasyprint():
        return weasyprint.HTML(**document).write_pdf()


def role_card_pdf(renderer: Renderer, role: Role, organisation: str, date: dt.date) -> bytes:
    """A role's task card (``sop/cetak-peran.html``): every step it performs, grouped by SOP, without links."""
    import weasyprint  # only needed when PDFs are made

    html = renderer.env.get_template(f"{TEMPLATE_FOLDER}/cetak-peran.html").render({
        "role": role, "role_uris": {}, "organisation": organisation, "date": date,
        "href": lambda sop: "", "link": lambda uri: "", "stylesheets": stylesheet_urls(renderer),
        **_page_label(renderer)})
    folders = _template_folders(renderer)
    base_url = folders[0].resolve().as_uri() + "/" if folders else None
    with _quiet_weasyprint():
        return weasyprint.HTML(string=html, base_url=base_url, url_fetcher=url_fetcher()).write_pdf()


def printed_sop(renderer: Renderer, sop: Sop, references: Sequence[LinkedReference] = (),
                bagan: Bagan | None = None, anchor: str = "") -> PrintedSop:
    if bagan is None:
        bagan = layout_bagan(sop, renderer.labels, renderer.settings.steps_per_page)
    return PrintedSop(sop, bagan, renderer.total_time(Flow(sop)), list(references), sop.next_review(),
                      anchor or "sop-" + bagan.id.removeprefix("bagan-"))


def _anchors(sops: Sequence[Sop]) -> dict[int, str]:
    result: dict[int, str] = {}
    for number, sop in enumerate(sops, start=1):
        result[id(sop)] = f"sop-{number}"
    return result


def _page_label(renderer: Renderer) -> dict[str, str]:
    """``Halaman {page} dari {pages}`` cut around its numbers, for the running footer."""
    before, _, rest = renderer.labels["print.page"].partition("{page}")
    between, _, after = rest.partition("{pages}")
    return {"page_label": {"before": before, "between": between, "after": after}}


# -- rendering ----------------------------------------------------------------

TOTAL_TIME_RESERVE_PX = 22.0
"""Room kept free on each matrix sheet (the total time follows the last one)."""
CONNECTOR_ROW_PX = 36.0
"""Connector row height when none was measured (its CSS minimum, with borders)."""


@dataclass
class Measurement:
    """Where the rows of every matrix were laid out (CSS px)."""

    rows: Heights = dataclasses.field(default_factory=dict)
    """bagan id -> row key -> height of the drawing areas."""
    room: dict[str, dict[str, float]] = dataclasses.field(default_factory=dict)
    """bagan id -> row key -> space from the row's top to the bottom of its sheet."""


def _document(renderer: Renderer, name: str, context: dict[str, Any], base_url: str | None = None) -> dict[str, Any]:
    """Arguments of ``weasyprint.HTML`` for the print template ``name`` with ``context``; relative URLs
    resolve against ``base_url`` (default: the first template folder)."""
    template = renderer.env.get_template(f"{TEMPLATE_FOLDER}/{name}")
    if base_url is None:
        folders = _template_folders(renderer)
        base_url = folders[0].resolve().as_uri() + "/" if folders else None
    html = template.render({**context, "stylesheets": stylesheet_urls(renderer)})
    return {"string": html, "base_url": base_url, "url_fetcher": url_fetcher()}


def _pdf(renderer: Renderer, name: str, context: dict[str, Any], entries: list[PrintedSop],
         base_url: str | None = None) -> bytes:
    import weasyprint  # only needed when PDFs are made

    def document(entries: list[PrintedSop], heights: Heights):
        return weasyprint.HTML(**_document(renderer, name, {**context, "entries": entries, "bagan_heights": heights},
                                           base_url)).render()

    with _quiet_weasyprint():
        return _two_passes(document, renderer, entries)


def _two_passes(document, renderer: Renderer, entries: list[PrintedSop]) -> bytes:
    measurement = measure_rows(document(entries, {}))
    refitted = [_refit(renderer, entry, measurement) for entry in entries]
    if any(new is not old for new, old in zip(refitted, entries)):
        entries = refitted
        measurement = measure_rows(document(entries, {}))
    return document(entries, measurement.rows).write_pdf()


def _refit(renderer: Renderer, entry: PrintedSop, measurement: Measurement) -> PrintedSop:
    """The entry with its matrix split so that every matrix page fits one sheet."""
    bagan = entry.bagan
    rows = measurement.rows.get(bagan.id, {})
    room = measurement.room.get(bagan.id, {})
    step_heights: dict[int, float] = {}
    connector_heights = [CONNECTOR_ROW_PX]
    for page in bagan.pages:
        for row in page.rows:
            if row.key not in rows:
                return entry
            if row.step is not None:
                step_heights[row.step.number - 1] = rows[row.key]
            else:
                connector_heights.append(rows[row.key])
    firsts = [room[page.rows[0].key] for page in bagan.pages if page.rows and page.rows[0].key in room]
    if len(step_heights) != len(entry.sop.langkah) or not firsts:
        return entry
    available = min(firsts) - TOTAL_TIME_RESERVE_PX
    steps_per_page = renderer.settings.steps_per_page
    breaks = fit_pages(entry.sop, [step_heights[index] for index in range(len(step_heights))], available,
                       max(connector_heights), steps_per_page)
    if breaks == [page.step_rows[0].step.number - 1 for page in bagan.pages[1:] if page.step_rows]:
        return entry
    new = layout_bagan(entry.sop, renderer.labels, steps_per_page, breaks=breaks)
    return dataclasses.replace(entry, bagan=dataclasses.replace(new, id=bagan.id))


@contextlib.contextmanager
def _quiet_weasyprint() -> Iterator[None]:
    """WeasyPrint warns about every web-only CSS rule it ignores; only errors matter here."""
    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def url_fetcher():
    """A WeasyPrint URL fetcher that reads local files only (no network while building)."""
    import weasyprint

    fetcher_class = getattr(weasyprint, "URLFetcher", None)
    if fetcher_class is not None:
        return fetcher_class(allowed_protocols=ALLOWED_URL_SCHEMES)

    def fetch(url: str, *args, **kwargs):  # WeasyPrint before 68
        if url.split(":", 1)[0].lower() not in ALLOWED_URL_SCHEMES:
            raise ValueError(f"not fetching {url}: PDFs are built offline")
        return weasyprint.default_url_fetcher(url, *args, **kwargs)

    return fetch


def _template_folders(renderer: Renderer) -> list[Path]:
    return [Path(folder) for folder in getattr(renderer.env.loader, "searchpath", [])]


def stylesheet_urls(renderer: Renderer) -> list[str]:
    """``file:`` URLs of the print stylesheets found in the template folders."""
    urls = []
    for name in STYLESHEETS:
        for folder in _template_folders(renderer):
            path = folder / "assets" / "stylesheets" / name
            if path.is_file():
                urls.append(path.resolve().as_uri())
                break
    return urls


def measure_rows(document) -> Measurement:
    """Heights and places of the matrix rows laid out in a WeasyPrint document.

    Reads WeasyPrint's layout tree (``Page._page_box``), which has been stable
    for many releases; if it changes, the PDF still renders, with the lines of
    the matrix cut short.
    """
    measurement = Measurement()
    for page in document.pages:
        page_box = getattr(page, "_page_box", None)
        if page_box is None:
            continue
        bottom = page_box.content_box_y() + page_box.height
        for bagan_id, row_key, height, top in _row_boxes(page_box, ""):
            rows = measurement.rows.setdefault(bagan_id, {})
            rows[row_key] = max(rows.get(row_key, 0.0), round(height, 2))
            measurement.room.setdefault(bagan_id, {}).setdefault(row_key, bottom - top)
    return measurement


def _row_boxes(box, bagan_id: str) -> Iterator[tuple[str, str, float, float]]:
    element = getattr(box, "element", None)
    tag = getattr(box, "element_tag", "")
    if element is not None and tag == "div" and "sop-bagan" in (element.get("class") or "").split():
        bagan_id = element.get("id") or ""
    if element is not None and tag == "tr" and element.get("data-bagan-row"):
        cells = [cell for cell in box.children if "sop-bagan__lane" in (cell.element.get("class") or "").split()]
        if cells:
            yield bagan_id, element.get("data-bagan-row"), max(cell.padding_height() for cell in cells), box.position_y
        return
    for child in getattr(box, "children", None) or ():
        yield from _row_boxes(child, bagan_id)
