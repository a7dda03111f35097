"""A preview server's site folder, kept from one rebuild to the next where nothing changed.

An engine that cleans its site folder before every rebuild (MkDocs does, unless ``--dirty``)
writes thousands of unchanged files again after every save of one SOP, and deleting them
first is slower still. Instead, just before the clean, the previous build's files are set
aside in a hidden folder of the site (engines leave hidden entries alone); the adapter asks
which of them it can keep (``keep``: written under the same fingerprint, and still there);
then, before the engine writes the site, ``restore`` puts the kept files back where they
were and discards the others, so the site holds exactly what a fresh build would write:
the kept files, then whatever the engine writes around them.

Plain Python: the adapter tells when (before the clean, before writing, on failure) and
which file was written under which fingerprint.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

ASIDE = ".sop-previous"
"""Hidden folder of the site holding the previous build's files during a rebuild."""
DISCARDED = ".sop-discarded"


class KeptSite:
    """The files of a site folder, each with the fingerprint it was written under."""

    def __init__(self, site_dir: Path, cleaned: bool = True) -> None:
        self.site_dir = Path(site_dir)
        self.cleaned = cleaned
        """Whether the engine cleans the site folder before a rebuild (else, ``--dirty``, files stay in place)."""
        self.aside = self.site_dir / ASIDE if cleaned else self.site_dir
        self.previous: dict[str, str] = {}
        """Site path -> fingerprint of the previous build's files (now set aside)."""
        self.current: dict[str, str] = {}
        """Site path -> fingerprint of this build's files: kept or written."""
        self.kept: set[str] = set()
        self._discarding: list[threading.Thread] = []
        self._moved = 0

    def set_aside(self) -> None:
        """Before the engine cleans the site: move the previous build's files out of its way."""
        self.previous, self.current, self.kept = self.current, {}, set()
        if not self.cleaned:
            return
        self._discard(self.aside)  # a failed build's leftovers
        if not self.previous or not self.site_dir.is_dir():
            return
        self.aside.mkdir()
        for entry in os.scandir(self.site_dir):
            if not entry.name.startswith("."):
                os.rename(entry.path, self.aside / entry.name)

    def keep(self, path: str, fingerprint: str) -> str | None:
        """Where the file at site path ``path`` is kept if the previous build wrote it under
        ``fingerprint`` (it is then this build's file as well), else None: write it."""
        if self.previous.get(path) != fingerprint:
            return None
        kept = self.aside / path
        if not kept.is_file():
            return None
        self.kept.add(path)
        self.current[path] = fingerprint
        return str(kept)

    def written(self, path: str, fingerprint: str) -> None:
        """The engine writes ``path`` in this build as rendered under ``fingerprint``."""
        self.current[path] = fingerprint

    def restore(self) -> None:
        """Before the engine writes the site: the kept files back in place, every other file discarded."""
        if not self.cleaned or not self.aside.is_dir():
            return
        top = {path.split("/", 1)[0] for path in self.kept}
        trash = self.aside / DISCARDED
        trash.mkdir()
        for entry in os.scandir(self.aside):
            if entry.name == DISCARDED:
                continue
            if entry.name in top and entry.is_dir(follow_symlinks=False):
                self._prune(Path(entry.path), entry.name, trash)
                os.rename(entry.path, self.site_dir / entry.name)
            elif entry.name in top:
                os.rename(entry.path, self.site_dir / entry.name)
            else:
                os.rename(entry.path, trash / entry.name)
        self._discard(self.aside)

    def _prune(self, folder: Path, prefix: str, trash: Path) -> None:
        """Move every file under ``folder`` (site path ``prefix``) that is not kept to ``trash``;
        drop the folders left empty."""
        for root, folders, files in os.walk(folder, topdown=False):
            relative = os.path.relpath(root, folder).replace(os.sep, "/")
            base = prefix if relative == "." else f"{prefix}/{relative}"
            for name in files:
                if f"{base}/{name}" not in self.kept:
                    self._moved += 1
                    os.rename(os.path.join(root, name), trash / f"{self._moved}-{name}")
            if root != str(folder) and not os.listdir(root):
                os.rmdir(root)

    def forget(self) -> None:
        """After a failed build: nothing on disk is trusted, the next build writes every file."""
        self.previous, self.current, self.kept = {}, {}, set()

    def _discard(self, folder: Path) -> None:
        """Delete ``folder`` in the background (thousands of files take seconds to delete)."""
        if not folder.exists():
            return
        self._moved += 1
        doomed = folder.with_name(f"{DISCARDED}-{self._moved}")
        while doomed.exists():
            self._moved += 1
            doomed = folder.with_name(f"{DISCARDED}-{self._moved}")
        os.rename(folder, doomed)
        thread = threading.Thread(target=shutil.rmtree, args=(doomed,), kwargs={"ignore_errors": True}, daemon=True)
        thread.start()
        self._discarding = [job for job in self._discarding if job.is_alive()] + [thread]

    def close(self) -> None:
        """Wait for the deletions under way (the engine may remove the site folder next)."""
        for job in self._discarding:
            job.join()
        self._discarding = []
