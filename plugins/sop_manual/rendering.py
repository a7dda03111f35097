"""Render SOP pages and listings to HTML through Jinja templates.

Templates live in the theme's ``overrides/sop/`` folder so that an
organisation's theme can replace any of them; this module only prepares what
they show (labels, links, the flow in words, the Mermaid text, the matrix
layout, total time) and never builds HTML itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import escape

from .diagnostics import Diagnostic
from .durations import WorkingTime, split_seconds
from .bagan import layout_bagan
from .flow import Flow, TotalTime
from .labels import labels_for
from .manual import Referrer
from .mermaid import branch_label, flowchart
from .model import AXES, CRITERIA, Sop
from .pages import ManualPage
from .paging import ListPage, Pager
from .selfcheck import Distractors, SelfCheck, self_check, self_check_reading

TEMPLATE_FOLDER = "sop"


@dataclass(frozen=True)
class Settings:
    """How the manual is shown; the MkDocs adapter fills this from its config."""

    language: str = "id"
    labels: Mapping[str, str] = field(default_factory=dict)
    organisation: str = ""
    logo: str = ""
    """Site path of the organisation's logo (identity sheet, forms), e.g. ``assets/logo.svg``."""
    hours_per_day: int = 8
    steps_per_page: int = 10
    today: dt.date | None = None


Href = Callable[[Sop], str]
"""Gives the URL of an SOP page relative to the page being rendered."""
Link = Callable[[str], str]
"""Gives the URL of a site file (by its source path, e.g. ``katalog.md``) relative to the page being rendered."""


@dataclass(frozen=True)
class FlowStep:
    """Where the procedure goes after a step, in words, for the steps table."""

    text: str
    target_number: int | None


@dataclass(frozen=True)
class LinkedReference:
    text: str
    hubungan: str
    href: str | None
    judul: str = ""


class Renderer:
    def __init__(self, template_dirs: Sequence[Path], settings: Settings | None = None, *,
                 reload_templates: bool = True) -> None:
        """``reload_templates``: notice edited templates (a preview server); a one-off build need not
        look at every template file's time again for each of its thousands of includes."""
        self.settings = settings or Settings()
        self.template_dirs = list(template_dirs)
        self.labels = labels_for(self.settings.language, self.settings.labels)
        self.working_time = WorkingTime(self.settings.hours_per_day)
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(path) for path in template_dirs]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=reload_templates,
        )
        self.env.filters["date"] = self.format_date
        self.env.filters["branch"] = lambda label: branch_label(label, self.labels)
        self.env.globals.update(L=self.labels, AXES=AXES, CRITERIA=CRITERIA, settings=self.settings)

    # formatting -----------------------------------------------------------

    def format_date(self, value: dt.date | None) -> str:
        if value is None:
            return ""
        months = self.labels["months"].split(",")
        return f"{value.day} {months[value.month - 1]} {value.year}"

    def format_seconds(self, seconds: int) -> str:
        parts = split_seconds(seconds, self.working_time)
        if not parts:
            return self.labels["total.zero"]
        return " ".join(f"{count} {self._unit_name(unit, count)}" for count, unit in parts)

    def _unit_name(self, unit: str, count: int) -> str:
        """A language with a singular form sets ``unit.<name>.1`` (English: "1 day", "2 days")."""
        return self.labels.get(f"unit.{unit}.1", self.labels[f"unit.{unit}"]) if count == 1 else self.labels[f"unit.{unit}"]

    # views ----------------------------------------------------------------

    def flow_steps(self, sop: Sop, flow: Flow, index: int) -> list[FlowStep]:
        """The branches and jumps of a step by step number (plain next steps say nothing)."""
        L = self.labels
        result = []
        step = sop.langkah[index]
        for edge in flow.edges_from[index]:
            ends = edge.target == flow.end
            number = None if ends or edge.target is None else edge.target + 1
            if edge.label is not None:
                label = branch_label(edge.label, L)
                text = L["flow.branch_end"].format(label=label) if ends else L["flow.branch"].format(label=label, number=number)
            elif ends and (step.selesai or step.lanjut):
                text = L["flow.end"]
            elif step.lanjut and not ends:
                text = L["flow.goto"].format(number=number)
            else:
                continue
            result.append(FlowStep(text, number))
        return result

    def total_time(self, flow: Flow) -> dict | None:
        total: TotalTime | None = flow.total_time(self.working_time)
        if total is None:
            return None
        low = self.format_seconds(int(total.min_minutes * 60))
        high = self.format_seconds(int(total.max_minutes * 60))
        text = self.labels["total.single"].format(min=low) if low == high else self.labels["total.range"].format(min=low, max=high)
        return {"min_menit": total.min_whole_minutes, "max_menit": total.max_whole_minutes, "text": text,
                "complete": total.complete}

    def references(self, sop: Sop, find: Callable[[str], Sop | None], href: Href) -> list[LinkedReference]:
        result = []
        for reference in sop.keterkaitan:
            target = find(reference.nomor) if reference.nomor else None
            result.append(LinkedReference(reference.text, reference.hubungan, href(target) if target else None,
                                          target.judul if target else ""))
        return result

    def self_check(self, sop: Sop, distractors: Distractors | None = None) -> SelfCheck | None:
        """The SOP's self-check questions (None: too few steps); ``distractors`` from the whole manual."""
        return self_check(sop, self.labels, distractors, self.working_time)

    def self_check_reading(self, sop: Sop, distractors: Distractors | None = None) -> tuple[SelfCheck | None, tuple]:
        """``self_check``, and which of the manual-wide wrong answers it read (``Distractors.read``)."""
        return self_check_reading(sop, self.labels, distractors, self.working_time)

    def sections(self, sop: Sop, *, referrers: Sequence[Referrer] = (),
                 quiz: SelfCheck | None = None) -> list[tuple[str, str]]:
        """(anchor, title) of the page's sections, for the table of contents."""
        L = self.labels
        present = [
            ("identitas", "section.identitas", True),
            ("tujuan", "section.tujuan", bool(sop.tujuan)),
            ("ruang-lingkup", "section.ruang_lingkup", bool(sop.ruang_lingkup)),
            ("definisi", "section.definisi", bool(sop.definisi)),
            ("uraian-prosedur", "section.langkah", True),
            ("diagram-alir", "section.diagram", True),
            ("bagan-alir", "section.bagan", True),
            ("pengesahan", "section.pengesahan", True),
            ("riwayat-revisi", "section.revisi", bool(sop.revisi)),
            ("sosialisasi", "section.sosialisasi", True),
            ("monev", "section.monev", True),
            ("dirujuk-oleh", "section.dirujuk", bool(referrers)),
            ("latihan", "section.latihan", quiz is not None),
        ]
        return [(anchor, str(escape(L[key]))) for anchor, key, shown in present if shown]

    # pages ----------------------------------------------------------------

    def revision_needed(self, sop: Sop) -> dict | None:
        """The evaluation that asks for a revision (its date, the criteria answered "tidak"), if any;
        a revoked SOP is archive and needs none."""
        if sop.status == "dicabut" or not sop.needs_revision:
            return None
        evaluation = sop.latest_monev("evaluasi")
        return {"tanggal": evaluation.tanggal,
                "criteria": [self.labels[f"kriteria.{name}"] for name in evaluation.failed_criteria]}

    def sop_page(self, sop: Sop, *, body_html: str, find: Callable[[str], Sop | None], href: Href,
                 unit_href: str = "", pdf_href: str = "", logo_href: str = "", bagan=None,
                 referrers: Sequence[Referrer] = (), quiz: SelfCheck | None = None, forms_href: str = "",
                 versions: Mapping[str, object] | None = None, today: dt.date | None = None) -> str:
        """``referrers``: the SOPs whose keterkaitan name this one; ``quiz``: its self-check; ``forms_href``: its
        page of forms (evaluation, dissemination); ``versions``: versi -> ``history.VersionChanges`` (empty:
        the git history is not read); ``today``: the date the manual was checked against (overdue review)."""
        flow = Flow(sop)
        next_review = sop.next_review()
        context = {
            "sop": sop,
            "flow": flow,
            "flow_steps": [self.flow_steps(sop, flow, index) for index in range(len(sop.langkah))],
            "mermaid": flowchart(sop, self.labels),
            "bagan": bagan if bagan is not None else layout_bagan(sop, self.labels, self.settings.steps_per_page),
            "total": self.total_time(flow),
            "references": self.references(sop, find, href),
            "next_review": next_review,
            "overdue": bool(next_review and today and next_review < today and sop.status != "dicabut"),
            "revision_needed": self.revision_needed(sop),
            "versions": versions or {},
            "disseminated": {entry.versi for entry in sop.sosialisasi},
            "body_html": body_html,
            "unit_href": unit_href,
            "pdf_href": pdf_href,
            "logo_href": logo_href,
            "referrers": referrers,
            "href": href,
            "quiz": quiz,
            "forms_href": forms_href,
        }
        return self._render("page.html", context)

    def manual_page(self, page: ManualPage, href: Href, link: Link) -> str:
        """A manual-wide page's content: its template with its data, ``href(sop)`` and ``link(uri)``."""
        return self._render(page.template, {**page.context, "href": href, "link": link})

    def problems(self, diagnostics: Sequence[Diagnostic]) -> str:
        """A source file's problems, each as ``file:line: location: message`` (the preview server shows
        them instead of the page: errors replace it, warnings go above it)."""
        errors = [d for d in diagnostics if d.is_error]
        return self._render("masalah.html", {"errors": errors, "warnings": [d for d in diagnostics if not d.is_error]})

    def sop_list(self, sops: Iterable[Sop], href: Href, pager: Pager | None = None, listing: int = 0) -> str:
        """A list of SOPs (the ``sop_list`` macro); one page of a long one: its ``pager`` (whose URIs are
        file names beside the page) and the list's number on its page."""
        return self._render("daftar.html", {"sops": list(sops), "href": href, "pager": pager, "listing": listing,
                                            "link": lambda name: name})

    def sop_list_document(self, page: ListPage, listing: int, title: str, href: Href) -> str:
        """Page 2, 3… of a long ``sop_list``: a document beside the hand-written page ``title``."""
        return self._render("daftar-dokumen.html", {"sops": page.sops, "href": href, "pager": page.pager,
                                                    "listing": listing, "title": title, "link": lambda name: name})

    def sop_link(self, sop: Sop, href: Href) -> str:
        return self._render("tautan.html", {"sop": sop, "href": href}).strip()

    def search_document(self, title: str, content: str, sop: Sop | None, roots: Sequence[str], language: str,
                        mark: str, weight: float | None = None) -> str:
        """What the search index reads of one page (see search_index.py); ``title`` and ``content`` are HTML."""
        return self._render("cari-dokumen.html", {"title": title, "content": content, "sop": sop, "roots": roots,
                                                  "language": language, "mark": mark, "weight": weight})

    def render(self, name: str, context: dict) -> str:
        """Any template of ``sop/`` with the labels and settings (e.g. the feed's ``feed-atom.html``)."""
        return self._render(name, context)

    def _render(self, name: str, context: dict) -> str:
        return self.env.get_template(f"{TEMPLATE_FOLDER}/{name}").render(context)
