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
- a manual-wide page: the files of the SOPs its data holds (a unit page: the unit's SOPs;
  a per-SOP form: that SOP); a page whose data holds no SOP is always rendered again.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterable, Iterator, Mapping

from .manual import Manual, Unit
from .model import Sop
from .pages import ManualPage


def digest(parts: Iterable[object]) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
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


def manual_page_fingerprint(page: ManualPage, manual: Manual, site_signature: str) -> str | None:
    """Fingerprint of a manual-wide page, or None when its data holds no SOP (render it every time)."""
    sops = list(_sops_in(page.context))
    if not sops:
        return None
    return digest([site_signature, page.uri, page.title, page.template, *page.nav, page.listed,
                   *(f"{sop.source}:{manual.digests.get(sop.source, '')}" for sop in sops)])


def _sops_in(value: object, depth: int = 0) -> Iterator[Sop]:
    if depth > 6:
        return
    if isinstance(value, Sop):
        yield value
    elif isinstance(value, Unit):
        yield from value.sops
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _sops_in(item, depth + 1)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from _sops_in(item, depth + 1)


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
