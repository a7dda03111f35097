"""The Atom 1.0 feed of SOP revisions (spec section 5): one entry per ``revisi`` entry, newest first.

For intranet portals and mail digests. The XML comes from the template ``sop/feed-atom.html``; this
module prepares its values. Entry ids are ``urn:uuid`` names derived from the manual's name,
the SOP number and the version, so they stay the same from build to build and when the site
moves. Links are absolute when the site's URL is known (``site_url``); without it they are
relative to the feed's own address, which Atom allows and feed readers resolve.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from markupsafe import Markup

from .lifecycle import RevisionEntry, revision_entries
from .manual import Manual
from .model import Sop

EPOCH = dt.date(1970, 1, 1)


@dataclass(frozen=True)
class FeedEntry:
    sop: Sop
    title: str
    id: str
    updated: str
    url: str
    summary: str
    author: str = ""
    changes: tuple[str, ...] = ()


def atom_feed(manual: Manual, render: Callable[[str, dict], str], labels: Mapping[str, str], *, name: str,
              feed_uri: str, page_path: Callable[[Sop], str], site_url: str = "",
              versions: Mapping[str, Mapping[str, object]] | None = None,
              memo: dict[tuple, str] | None = None) -> str:
    """The feed's XML. ``name``: the manual's name (titles, ids); ``feed_uri``: the feed's path in the
    site; ``page_path(sop)``: the path of an SOP's page in the site (``sop/ti/x/``); ``versions``:
    SOP source -> versi -> ``history.VersionChanges`` (their git details go into the entries).

    ``memo``: the entries of the previous call, kept by the caller (a preview server) for as long as
    the templates and labels stay the same: an entry whose SOP file and values did not change is not
    rendered again (a manual of 2,000 SOPs has thousands of revisions)."""
    versions = versions or {}

    def url(path: str) -> str:
        if site_url:
            return site_url.rstrip("/") + "/" + path.lstrip("/")
        relative = posixpath.relpath("/" + path, "/" + (posixpath.dirname(feed_uri) or "."))
        return "./" if relative == "." else relative + ("/" if path.endswith("/") and relative != "." else "")

    entries = [_entry(entry, labels, name, url(page_path(entry.sop)), versions.get(entry.sop.source, {}))
               for entry in revision_entries(manual)]
    updated = max((entry.updated for entry in entries), default=_timestamp(manual.today or EPOCH))
    feed = {
        "title": labels["feed.title"].format(name=name),
        "subtitle": labels["feed.subtitle"].format(name=name),
        "id": _urn(name, "feed"),
        "updated": updated,
        "self_url": url(feed_uri) if site_url else "",
        "home_url": url(""),
        "author": name,
    }
    rendered, kept = [], {}
    for entry in entries:
        file = manual.digests.get(entry.sop.source)  # what the entry shows of its SOP is all in the SOP's file
        key = (entry.sop.source, file, entry.title, entry.id, entry.updated, entry.url, entry.summary, entry.author,
               entry.changes) if file else None
        xml = memo.get(key) if memo is not None and key else None
        xml = xml if xml is not None else render("feed-entry.html", {"entry": entry})
        if key:
            kept[key] = xml
        rendered.append(Markup(xml))
    if memo is not None:
        memo.clear()
        memo.update(kept)
    return render("feed-atom.html", {"feed": feed, "entries": rendered})


def _entry(entry: RevisionEntry, labels: Mapping[str, str], name: str, url: str,
           versions: Mapping[str, object]) -> FeedEntry:
    sop, revision = entry.sop, entry.revision
    version = versions.get(revision.versi)
    changes = tuple(getattr(version, "changes", ()) or ())
    return FeedEntry(
        sop=sop,
        title=labels["feed.entry"].format(nomor=sop.nomor, judul=sop.judul, versi=revision.versi),
        id=_urn(name, f"{sop.nomor}@{revision.versi}"),
        updated=_timestamp(entry.date or _sop_date(sop)),
        url=url,
        summary=revision.perubahan or labels["feed.entry.summary"].format(versi=revision.versi),
        author=revision.oleh,
        changes=changes,
    )


def _sop_date(sop: Sop) -> dt.date:
    """An undated revision is dated like its SOP (revised, effective or created), else the epoch."""
    return next((sop.tanggal[key] for key in ("revisi", "efektif", "pembuatan") if key in sop.tanggal), EPOCH)


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _urn(name: str, what: str) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'sop-manual:{name}:{what}')}"
