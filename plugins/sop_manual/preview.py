"""Fast previews: which pages a change leaves as they were, so a preview server can replay them.

A preview server rebuilds the site after every save. Rendering thousands of SOP pages again
each time takes far longer than an editor should wait, yet one saved SOP changes only a
few pages: its own, the pages of SOPs it links to or that link to it, and the pages listing
it. Each page gets a *fingerprint* of everything it shows; a page whose fingerprint is the
same as in the previous build is replayed from memory instead of rendered.

What a page depends on:

- every page: the *site signature* (the adapter's digest of the configuration, the
  templates, the navigation, the check date and whatever every SOP page draws from the
  whole manual, such as the self-checks' pool of wrong answers): when it changes,
  everything renders again;
- an SOP page: its own file (content and path), and the files of the SOPs it references
  and of those that reference it;
- a manual-wide page: everything its data (``ManualPage.context``) holds, read the way its
  template can read it: an SOP stands for its file (content and path), a step or a revision for the file
  of its SOP, and any other value for what it is made of (the fields of a dataclass or named
  tuple, the items of a mapping or sequence, the text of a string, a number or a date). A page
  whose data holds anything else (a function, an object of unknown make) is always rendered
  again: its fingerprint could not see a change in it.
"""

from __future__ import annotations

import hashlib
import io
import pickle
import zlib
from collections.abc import Iterable

from .manual import Manual
from .model import Sop, Step
from .pages import ManualPage


def digest(parts: Iterable[object]) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        if isinstance(part, bytes):  # pickled data: as it is (a length first, so no part runs into the next)
            hasher.update(b"\1%d:" % len(part))
            hasher.update(part)
        else:
            hasher.update(str(part).encode("utf-8", "surrogatepass"))
        hasher.update(b"\0")
    return hasher.hexdigest()


def sop_fingerprints(manual: Manual, site_signature: str) -> dict[str, str]:
    """SOP source -> fingerprint of its page."""
    file_of = {sop.source: f"{sop.source}:{manual.digests.get(sop.source, '')}" for sop in manual.sops}
    referenced: dict[str, set[str]] = {sop.source: set() for sop in manual.sops}
    referencing: dict[str, set[str]] = {sop.source: set() for sop in manual.sops}
    for sop in manual.sops:
        for reference in sop.keterkaitan:
            target = manual.by_nomor(reference.nomor) if reference.nomor else None
            if target is not None:
                referenced[sop.source].add(target.source)
                referencing[target.source].add(sop.source)
    return {
        sop.source: digest([site_signature, file_of[sop.source], "->", *sorted(file_of[s] for s in referenced[sop.source]),
                            "<-", *sorted(file_of[s] for s in referencing[sop.source])])
        for sop in manual.sops
    }


def manual_page_fingerprint(page: ManualPage, manual: Manual, site_signature: str,
                            prints: DataPrints | None = None) -> str | None:
    """Fingerprint of a manual-wide page, or None when its data holds something a fingerprint cannot
    see through (render it every time). ``prints``: shared by the pages of one build (faster)."""
    data = (prints or DataPrints(manual)).of(page.context if page.depends_on is None else page.depends_on)
    if data is None:
        return None
    return digest([site_signature, page.uri, page.title, page.template, *page.nav, page.listed, data])


class DataPrints:
    """What a page's data holds, as bytes to digest: SOPs, their steps and revisions by their files (path
    and content digest), everything else by value (pickled); None for data that cannot be pickled."""

    def __init__(self, manual: Manual) -> None:
        self.sop_prints: dict[int, str] = {}
        """id(SOP of this manual, or one of its steps or revisions) -> its SOP's file."""
        for sop in manual.sops:
            token = f"sop:{sop.source}:{manual.digests.get(sop.source, '')}"
            self.sop_prints[id(sop)] = token
            for step in sop.langkah:
                self.sop_prints[id(step)] = f"{token}#{step.number}"
            for index, revision in enumerate(sop.revisi):
                self.sop_prints[id(revision)] = f"{token}@{index}"

    def of(self, value: object) -> bytes | None:
        buffer = io.BytesIO()
        try:
            _Pickler(buffer, self.sop_prints).dump(value)
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
            return None
        return buffer.getvalue()


class _Pickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, sop_prints: dict[int, str]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.sop_prints = sop_prints

    def persistent_id(self, obj: object) -> str | None:
        return self.sop_prints.get(id(obj))  # an SOP (or step) of the manual: its file, not its thousand values


class PageMemory:
    """The pages of the previous build, each with the fingerprint it was rendered under."""

    def __init__(self) -> None:
        self._pages: dict[str, tuple[str, bytes]] = {}

    def recall(self, uri: str, fingerprint: str | None) -> str | None:
        """The page as rendered before, if it was rendered under this fingerprint."""
        kept = self._pages.get(uri)
        if fingerprint is None or kept is None or kept[0] != fingerprint:
            return None
        return zlib.decompress(kept[1]).decode("utf-8")

    def remember(self, uri: str, fingerprint: str, html: str) -> None:
        self._pages[uri] = (fingerprint, zlib.compress(html.encode("utf-8"), 1))

    def keep_only(self, uris: Iterable[str]) -> None:
        """Forget the pages of files that are gone."""
        keep = set(uris)
        self._pages = {uri: page for uri, page in self._pages.items() if uri in keep}

    def __len__(self) -> int:
        return len(self._pages)
