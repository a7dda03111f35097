"""The life cycle after signing, across the manual: the changelog and the quality team's dashboard.

Both are manual-wide pages (``pages.ManualPage``: data plus a template), registered in
``pages.BUILDERS``; ``revision_entries`` is shared with the Atom feed (``feed.py``).

Which SOPs the dashboard's action lists hold:

- *review overdue* (``terlambat``): in force or under review (``berlaku``, ``tinjauan``),
  next review before the check date — the SOPs the build warns about;
- *not disseminated* (``belum-sosialisasi``): in force, current version never disseminated
  (a draft or a revision under review cannot be disseminated yet);
- *needs revision* (``perlu-revisi``): in force or under review, latest evaluation failed;
- *no recent monitoring*: in force, no monitoring record in the last six months.

Drafts are not in force yet and revoked (``dicabut``) SOPs are archive: neither is in an
action list; both are counted in the table of units and statuses.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from .manual import Manual, sort_key
from .model import STATUSES, Revision, Sop
from . import pages
from .pages import ManualPage, SiteOptions
from .paging import chunked, continuation_uris, paged_title, pagers

CHANGELOG_URI = "perubahan.md"
DASHBOARD_URI = "dasbor-mutu.md"
MONITORING_MONTHS = 6
"""Permenpan RB 35/2012: implementation is monitored every six months."""

IN_FORCE = ("berlaku",)
ACTIVE = ("berlaku", "tinjauan")


@dataclass(frozen=True)
class RevisionEntry:
    """One ``revisi`` entry of one SOP, as the changelog and the feed list it."""

    sop: Sop
    revision: Revision
    position: int
    """Index of the entry in the SOP's ``revisi`` (0: the first version)."""

    @property
    def date(self) -> dt.date | None:
        return self.revision.tanggal


def revision_entries(manual: Manual) -> list[RevisionEntry]:
    """Every revision of every SOP, newest first; on one day by SOP number, a later version first.
    Undated entries come last."""
    entries = [RevisionEntry(sop, revision, index) for sop in manual.sops for index, revision in enumerate(sop.revisi)]
    dated = sorted((e for e in entries if e.date), key=lambda e: (sort_key(e.sop), -e.position))
    dated.sort(key=lambda e: e.date, reverse=True)  # stable: keeps the order within a day
    undated = sorted((e for e in entries if not e.date), key=lambda e: (sort_key(e.sop), -e.position))
    return dated + undated


def changelog_pages(manual: Manual, labels: Mapping[str, str], options: SiteOptions) -> Iterator[ManualPage]:
    """The changelog; beyond ``options.page_size`` revisions, continued on numbered pages out of the
    navigation (``perubahan/2.md``…: older revisions), like the catalogue."""
    if not options.changelog:
        return
    chunks = chunked(revision_entries(manual), options.page_size)
    uris = continuation_uris(CHANGELOG_URI, len(chunks))
    for uri, chunk, pager in zip(uris, chunks, pagers(uris, chunks, _entry_date)):
        yield ManualPage(uri, paged_title(labels["changelog.title"], pager.number, labels), "perubahan.html",
                         {"entries": chunk, "pager": pager, "feed_uri": options.feed},
                         nav=(labels["changelog.title"],) if pager.number == 1 else ())


def _entry_date(entry: RevisionEntry) -> str:
    return entry.date.isoformat() if entry.date else "–"


def months_before(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 - months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Dashboard:
    """What the quality team checks, on the date the manual was checked against."""

    today: dt.date
    overdue: list[tuple[Sop, dt.date]]
    """(SOP, the date its review was due), the longest overdue first."""
    not_disseminated: list[Sop]
    needs_revision: list[tuple[Sop, object]]
    """(SOP, the evaluation asking for it)."""
    unmonitored: list[tuple[Sop, dt.date | None]]
    """(SOP, its latest monitoring or None), never monitored first."""
    monitoring_since: dt.date
    units: list[tuple[str, dict[str, int]]]
    """(unit path, status -> count), with every status of ``STATUSES``."""
    totals: dict[str, int]


def dashboard(manual: Manual, today: dt.date | None = None) -> Dashboard:
    today = today or manual.today or dt.date.today()
    sops = sorted(manual.sops, key=sort_key)
    since = months_before(today, MONITORING_MONTHS)
    overdue = [(sop, due) for sop in sops if sop.status in ACTIVE and (due := sop.next_review()) and due < today]
    overdue.sort(key=lambda pair: pair[1])
    unmonitored = []
    for sop in sops:
        latest = sop.latest_monev("monitoring")
        if sop.status in IN_FORCE and (latest is None or latest.tanggal < since):
            unmonitored.append((sop, latest.tanggal if latest else None))
    unmonitored.sort(key=lambda pair: pair[1] or dt.date.min)
    units = [(unit.path, {status: sum(1 for sop in unit.sops if sop.status == status) for status in STATUSES})
             for unit in manual.units()]
    return Dashboard(
        today=today,
        overdue=overdue,
        not_disseminated=[sop for sop in sops if sop.status in IN_FORCE and not sop.is_disseminated],
        needs_revision=[(sop, sop.latest_monev("evaluasi")) for sop in sops if sop.status in ACTIVE and sop.needs_revision],
        unmonitored=unmonitored,
        monitoring_since=since,
        units=units,
        totals={status: sum(counts[status] for _, counts in units) for status in STATUSES},
    )


def dashboard_pages(manual: Manual, labels: Mapping[str, str], options: SiteOptions) -> Iterator[ManualPage]:
    """The dashboard, in the navigation. An action list longer than ``options.page_size`` (a new manual of
    thousands of SOPs has most of them not disseminated yet) shows its first page on the dashboard and
    continues on numbered pages of its own, out of the navigation (``dasbor-mutu/terlambat/2.md``…)."""
    if not options.dashboard:
        return
    board = dashboard(manual)
    lists = {"terlambat": board.overdue, "belum-sosialisasi": board.not_disseminated,
             "perlu-revisi": board.needs_revision, "tanpa-monitoring": board.unmonitored}
    dated = {"today": board.today, "monitoring_since": board.monitoring_since}
    """What a continuation page shows of the dashboard besides its list."""
    first_pages, continued = {}, []
    for key, items in lists.items():
        chunks = chunked(items, options.page_size)
        uris = [DASHBOARD_URI] + continuation_uris(f"{DASHBOARD_URI.removesuffix('.md')}/{key}.md", len(chunks))[1:]
        list_pagers = pagers(uris, chunks, _listed_nomor, anchor=key)
        first_pages[key] = {"items": chunks[0], "pager": list_pagers[0]}
        title = f"{labels['dashboard.title']}: {labels['dashboard.' + key]}"
        continued += [ManualPage(uri, paged_title(title, pager.number, labels), "dasbor-lanjutan.html",
                                 {"dasbor": dated, "key": key, "items": chunk, "pager": pager, "dashboard_uri": DASHBOARD_URI})
                      for uri, chunk, pager in zip(uris[1:], chunks[1:], list_pagers[1:])]
    yield ManualPage(DASHBOARD_URI, labels["dashboard.title"], "dasbor.html", {"dasbor": board, "pages": first_pages},
                     nav=(labels["dashboard.title"],))
    yield from continued


def _listed_nomor(item: Sop | tuple) -> str:
    """The SOP number of an item of a dashboard list: an SOP, or an (SOP, detail) pair."""
    return (item[0] if isinstance(item, tuple) else item).nomor


pages.BUILDERS.extend(builder for builder in (changelog_pages, dashboard_pages) if builder not in pages.BUILDERS)
