"""Manual-wide pages: pages built from all SOPs together (catalogue, unit pages, and more).

Each page is data plus a template (``overrides/sop/<template>``): where it goes in
the site, its title, where it sits in the navigation, and what it shows. The core
decides all of that; an adapter only publishes the list (the MkDocs plugin adds
each as a generated page) and renders each through ``Renderer.manual_page``,
giving the template two link helpers relative to the page being rendered:
``href(sop)`` for an SOP's page and ``link(uri)`` for any other site file.

A new kind of manual-wide page is one builder function added to ``BUILDERS``:
it takes the manual, the label table and the site options and yields pages.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from .glossary import by_letter, glossary
from .learning import Prerequisites
from .manual import Manual, Unit
from .model import Sop
from .paging import (PAGE_SIZE, ROLE_PAGE_SIZE, chunked, chunked_by_weight, continuation_uris, paged_title, pagers,
                     split_evenly)
from .roles import Role, manual_roles

GLOSSARY_URI = "glosarium.md"
PDF_FOLDER = "pdf"
MANUAL_PDF = f"{PDF_FOLDER}/manual-sop.pdf"
"""The Dokumen SOP book of the whole manual."""
FORMS_FOLDER = "formulir"
FORMS_INDEX = f"{FORMS_FOLDER}/index.md"


@dataclass(frozen=True)
class SiteOptions:
    """Where generated pages go in the site (the adapter fills this from its config)."""

    url_prefix: str = "sop"
    """Folder of the SOP pages: ``sops/ti/x.md`` becomes ``<url_prefix>/ti/x.md``."""
    units_prefix: str = "unit"
    catalogue: str = "katalog.md"
    """The catalogue's page; empty: no generated catalogue."""
    pdf: bool = False
    """Whether PDFs are written (pages then link to them)."""
    roles_prefix: str = "peran"
    """Folder of the role pages: the index, then one page per role."""
    forms: bool = True
    """Whether the official forms are generated (monitoring per unit, evaluation and dissemination per SOP)."""
    changelog: bool = True
    """Whether the changelog page (every revision of every SOP) is generated."""
    dashboard: bool = True
    """Whether the quality team's dashboard is generated."""
    feed: str = "perubahan.xml"
    """Site path of the Atom feed of revisions; empty: no feed."""
    page_size: int = PAGE_SIZE
    """SOPs per page of a listing (catalogue, unit page, ``sop_list``); longer ones continue on numbered pages."""
    role_page_size: int = ROLE_PAGE_SIZE
    """Rows (steps and SOP headings) per role page; a longer role continues on numbered pages."""


@dataclass(frozen=True)
class ManualPage:
    """One generated page of the manual."""

    uri: str
    """Source path inside the site (``unit/bagian-umum.md``): the page is published where a Markdown
    file of that name in ``docs/`` would be; a hand-written ``docs/`` page of that name wins."""
    title: str
    """Plain text (the adapter escapes it)."""
    template: str
    """File name of its template in ``overrides/sop/``."""
    context: Mapping[str, object] = field(default_factory=dict)
    """What the template shows, besides the labels and the two link helpers."""
    nav: tuple[str, ...] = ()
    """Where the adapter places it in the navigation: the titles of the nodes from the top level down
    to the page's own node (``("SOP per Unit", "Fakultas Teknik", "Prodi Sipil")``); the page shows
    under its ``title`` where its node has no children, else first inside a section named after the
    node. Empty: the adapter does not place it (the site's own ``nav`` may list it)."""
    listed: bool = False
    """With an empty ``nav``: whether a site without its own ``nav`` lists it (the catalogue)."""
    depends_on: object = None
    """What a preview's fingerprint reads instead of ``context`` (``preview.manual_page_fingerprint``),
    when the context is costly to read in full: data that determines everything the page shows.
    None: the context itself."""


PageBuilder = Callable[[Manual, Mapping[str, str], SiteOptions], Iterable[ManualPage]]


def sop_uri(sop: Sop, options: SiteOptions) -> str:
    """Source path of an SOP's page inside the site: ``ti/x.md`` -> ``sop/ti/x.md``."""
    return f"{options.url_prefix.strip('/')}/{sop.source}"


def sop_pdf_uri(sop: Sop) -> str:
    """Site path of an SOP's PDF: ``ti/x.md`` -> ``pdf/ti/x.pdf``."""
    return f"{PDF_FOLDER}/{posixpath.splitext(sop.source)[0]}.pdf"


def unit_uri(unit: Unit, options: SiteOptions) -> str:
    return f"{options.units_prefix.strip('/')}/{unit.slug}.md"


def role_uri(role: Role, options: SiteOptions) -> str:
    return f"{options.roles_prefix.strip('/')}/{role.slug}.md"


def role_index_uri(options: SiteOptions) -> str:
    return f"{options.roles_prefix.strip('/')}/index.md"


def role_pdf_uri(role: Role) -> str:
    """Site path of a role's task card: ``pdf/peran/<slug>.pdf``."""
    return f"{PDF_FOLDER}/peran/{role.slug}.pdf"


def unit_book_pdf_uri(unit: Unit) -> str:
    """Site path of a unit's Dokumen SOP book: ``pdf/unit/<slug>.pdf``."""
    return f"{PDF_FOLDER}/unit/{unit.slug}.pdf"


def monitoring_form_uri(unit: Unit, filled: bool = False) -> str:
    """The unit's monitoring form (Permenpan Tabel 7): blank, or filled from the latest records."""
    return f"{FORMS_FOLDER}/monitoring/{unit.slug}{'-hasil' if filled else ''}.md"


def sop_forms_uri(sop: Sop) -> str:
    """The print document of an SOP's evaluation and dissemination forms: ``ti/x.md`` -> ``formulir/sop/ti/x.html``."""
    return f"{FORMS_FOLDER}/sop/{posixpath.splitext(sop.source)[0]}.html"


def page_pdf_uri(uri: str) -> str:
    """Site path of the PDF of a generated page: ``formulir/sop/ti/x.md`` -> ``pdf/formulir/sop/ti/x.pdf``."""
    return f"{PDF_FOLDER}/{posixpath.splitext(uri)[0]}.pdf"


def printed_sops(sops: Iterable[Sop]) -> list[Sop]:
    """The SOPs of a Dokumen SOP book and of the monev forms: those in force (not drafts, not revoked)."""
    return [sop for sop in sops if sop.in_force]


def catalogue_pages(manual: Manual, labels: Mapping[str, str], options: SiteOptions) -> Iterator[ManualPage]:
    """The catalogue at ``options.catalogue``; beyond ``options.page_size`` SOPs, continued on
    numbered pages (``katalog/2.md``…) out of the navigation, each linking to all the others."""
    if not options.catalogue:
        return
    sops = manual.select()
    chunks = chunked(sops, options.page_size)
    uris = continuation_uris(options.catalogue, len(chunks))
    for uri, chunk, pager in zip(uris, chunks, pagers(uris, chunks)):
        title = labels["catalogue.title"] if pager.number == 1 else labels["catalogue.page"].format(number=pager.number)
        yield ManualPage(uri, title, "katalog.html",
                         {"sops": chunk, "pager": pager, "pdf_uri": MANUAL_PDF if options.pdf else ""},
                         listed=pager.number == 1)


def unit_pages(manual: Manual, labels: Mapping[str, str], options: SiteOptions) -> Iterator[ManualPage]:
    """One page per unit, nested in the navigation by the unit hierarchy, without the level every
    unit shares (the organisation). Beyond ``options.page_size`` SOPs a unit continues on numbered
    pages out of the navigation (``unit/x/2.md``…): each holds its share of the list, of the
    learning path and of the forms; the unit's book and monitoring forms are on every page."""
    units = manual.units()
    shared = 0
    if len(units) > 1:
        first = units[0].path
        while all(len(unit.path) > shared + 1 and unit.path[shared] == first[shared] for unit in units):
            shared += 1
    prerequisites = Prerequisites(manual.sops)
    taken = {unit_uri(unit, options) for unit in units}
    for unit in units:
        in_force = printed_sops(unit.sops)
        chunks = chunked(unit.sops, options.page_size)
        uris = continuation_uris(unit_uri(unit, options), len(chunks), taken)
        path = prerequisites.path(unit.sops)
        paths = split_evenly(path, len(chunks))
        unit_wide = {
            "unit": unit, "path_total": len(path),
            "book_pdf_uri": unit_book_pdf_uri(unit) if options.pdf and in_force else "",
            "monitoring_uris": (monitoring_form_uri(unit), monitoring_form_uri(unit, True))
            if options.forms and in_force else (),
        }
        path_first = 1
        for uri, chunk, path_part, pager in zip(uris, chunks, paths, pagers(uris, chunks)):
            forms = [(sop, sop_forms_uri(sop)) for sop in printed_sops(chunk)] if options.forms else []
            nav = ((labels["units.title"], *unit.path[shared:]) if unit.path else (labels["units.title"], "")) \
                if pager.number == 1 else ()
            yield ManualPage(uri, paged_title(unit.name, pager.number, labels), "unit.html",
                             {**unit_wide, "sops": chunk, "pager": pager, "path": path_part, "path_first": path_first,
                              "forms": forms}, nav=nav)
            path_first += len(path_part)


def role_pages(manual: Manual, labels: Mapping[str, str], options: SiteOptions) -> Iterator[ManualPage]:
    """The index of roles (in the navigation) and one page per role, each with its learning path.

    Role pages stay out of the navigation: a manual of a few hundred SOPs has a hundred roles or
    more, too many for a sidebar; the index lists them all, and role pages link each other
    (from whom the work comes, to whom it goes). A role with more than ``options.role_page_size`` steps
    (a generic role such as "Pemohon" in most SOPs of a large manual) is still one page, continued
    on numbered pages (``peran/pemohon/2.md``…), each holding whole SOPs and its share of the
    learning path; the index and every link point to its first page.
    """
    roles = manual_roles(manual.select(), manual.role_aliases)
    if not roles:
        return
    prerequisites = Prerequisites(manual.sops)
    uris = {role.slug: role_uri(role, options) for role in roles}
    index = role_index_uri(options)
    # depends_on: a role's duties are its SOPs' steps, naming the roles (by slug) of the people in them;
    # reading the SOPs' files and the roles' names and slugs is much cheaper than every duty.
    naming = tuple((role.name, role.slug) for role in roles)
    yield ManualPage(index, labels["roles.index"], "peran-indeks.html", {"roles": roles, "role_uris": uris},
                     nav=(labels["roles.index"],),
                     depends_on=(uris, [(role.name, role.slug, role.names, len(role.sops), role.step_count)
                                        for role in roles]))
    taken = set(uris.values())
    for role in roles:
        chunks = chunked_by_weight(role.sops, lambda share: 1 + len(share.duties), options.role_page_size)
        pages = continuation_uris(uris[role.slug], len(chunks), taken)
        path = prerequisites.path(role.sop_list)
        paths = split_evenly(path, len(chunks))
        path_first = 1
        for uri, chunk, path_part, pager in zip(pages, chunks, paths,
                                               pagers(pages, chunks, lambda share: share.sop.nomor)):
            context = {"role": role, "shares": chunk, "pager": pager, "path": path_part, "path_first": path_first,
                       "path_total": len(path), "role_uris": uris, "index_uri": index,
                       "pdf_uri": role_pdf_uri(role) if options.pdf else ""}
            yield ManualPage(uri, paged_title(role.name, pager.number, labels), "peran.html", context, depends_on=(
                naming, role.name, role.slug, role.names, len(role.sops), role.step_count,
                [(share.sop, share.names) for share in chunk],
                {key: value for key, value in context.items() if key not in ("role", "shares")}))
            path_first += len(path_part)


def glossary_pages(manual: Manual, labels: Mapping[str, str], options: SiteOptions) -> Iterator[ManualPage]:
    """The glossary (``glossary.py``), in the navigation; none while no SOP defines a term."""
    terms = glossary(manual.select())
    if terms:
        yield ManualPage(GLOSSARY_URI, labels["glossary.title"], "glosarium.html",
                         {"letters": by_letter(terms), "term_count": len(terms),
                          "sop_count": len({sop.source for term in terms for sop in term.sops})},
                         nav=(labels["glossary.title"],))


BUILDERS: list[PageBuilder] = [catalogue_pages, unit_pages, role_pages, glossary_pages]
"""Every kind of manual-wide page, in navigation order."""


def manual_pages(manual: Manual, labels: Mapping[str, str], options: SiteOptions) -> list[ManualPage]:
    """Every manual-wide page, in navigation order; a URI is never used twice."""
    pages: dict[str, ManualPage] = {}
    for builder in BUILDERS:
        for page in builder(manual, labels, options):
            if page.uri in pages:
                raise ValueError(f"two manual-wide pages at {page.uri}: {pages[page.uri].template} and {page.template}")
            pages[page.uri] = page
    return list(pages.values())


# Builders of other core modules: each module appends its own to BUILDERS when imported (it uses the
# helpers above, so it is imported last, whichever of the two modules is imported first).
from . import forms  # noqa: E402,F401
from . import lifecycle  # noqa: E402,F401
