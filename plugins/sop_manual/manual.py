"""The whole manual: every SOP file of a folder, loaded and checked together."""

from __future__ import annotations

import functools
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic, Severity
from .glossary import conflicts as glossary_conflicts
from .loading import load_bytes, load_file
from .model import Sop
from .parallel import SharedWork
from .rules import check_manual, check_sop

SOP_SUFFIX = ".md"
MISNAMED_SUFFIXES = {".markdown", ".yml", ".yaml", ".txt", ".mdown", ".mkd", ".mkdn"}
"""Files that look like an SOP someone misnamed: reported, never skipped silently."""


@dataclass(frozen=True)
class Unit:
    """A group of SOPs with the same unit hierarchy."""

    path: tuple[str, ...]
    sops: tuple[Sop, ...]
    slug: str = ""
    """URL-safe name, unique in the manual (``Manual.units`` sets it)."""

    @property
    def name(self) -> str:
        return self.path[-1] if self.path else ""


@dataclass(frozen=True)
class Referrer:
    """An SOP whose ``keterkaitan`` names another SOP, and how (``prasyarat``, ``lanjutan``, ``terkait``)."""

    sop: Sop
    hubungan: tuple[str, ...]


@dataclass
class Manual:
    sops: list[Sop] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    """Other files in the SOP folder (images, PDFs), published beside the pages."""
    today: dt.date | None = None
    """The date the manual was checked against (overdue reviews, records dated in the future)."""
    role_aliases: dict[str, str] = field(default_factory=dict)
    """Pelaksana names joined into one role by ``sops/_peran.yml``: ``roles.role_key(name)`` -> role name."""
    digests: dict[str, str] = field(default_factory=dict)
    """SOP source -> digest of its file's bytes: what changed between two loads."""
    _by_nomor: dict[str, Sop] = field(default_factory=dict, repr=False)
    _indexed: list[Sop] | None = field(default=None, repr=False)
    _referrers: dict[str, tuple[Referrer, ...]] = field(default_factory=dict, repr=False)
    _referrers_of: list[Sop] | None = field(default=None, repr=False)
    _units: list[Unit] = field(default_factory=list, repr=False)
    _units_of: list[Sop] | None = field(default=None, repr=False)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    def by_nomor(self, nomor: str) -> Sop | None:
        if self._indexed is not self.sops:  # (re)index when the list was replaced
            self._by_nomor = {}
            for sop in self.sops:
                self._by_nomor.setdefault(sop.nomor, sop)
            self._indexed = self.sops
        return self._by_nomor.get(nomor)

    def referenced_by(self, nomor: str) -> tuple[Referrer, ...]:
        """The SOPs whose ``keterkaitan`` point to ``nomor``, in catalogue order (itself left out);
        one index for the whole manual, built on first use."""
        if self._referrers_of is not self.sops:
            index: dict[str, dict[int, tuple[Sop, list[str]]]] = {}
            for sop in sorted(self.sops, key=sort_key):
                for reference in sop.keterkaitan:
                    if reference.nomor and reference.nomor != sop.nomor:
                        _, kinds = index.setdefault(reference.nomor, {}).setdefault(id(sop), (sop, []))
                        if reference.hubungan not in kinds:
                            kinds.append(reference.hubungan)
            self._referrers = {target: tuple(Referrer(sop, tuple(kinds)) for sop, kinds in sources.values())
                               for target, sources in index.items()}
            self._referrers_of = self.sops
        return self._referrers.get(nomor, ())

    def units(self) -> list[Unit]:
        """The SOPs grouped by unit, in unit order, each with a unique slug; grouped once per SOP list
        (the catalogue, unit pages, forms, dashboard and books all ask)."""
        if self._units_of is not self.sops:
            self._units = self._group_units()
            self._units_of = self.sops
        return list(self._units)

    def _group_units(self) -> list[Unit]:
        groups: dict[tuple[str, ...], list[Sop]] = {}
        for sop in self.sops:
            groups.setdefault(sop.unit, []).append(sop)
        units, taken = [], set()
        for path, group in sorted(groups.items()):
            base = "/".join(slugify(part) for part in path) or "tanpa-unit"
            slug, copy = base, 1
            while slug in taken:  # "Bagian Umum" and "bagian umum": one slug, two units
                copy += 1
                slug = f"{base}-{copy}"
            taken.add(slug)
            units.append(Unit(path, tuple(sorted(group, key=sort_key)), slug))
        return units

    def select(self, **criteria: str) -> list[Sop]:
        """SOPs matching every criterion: unit (any level), status, tag, or a klasifikasi axis."""
        chosen = []
        for sop in sorted(self.sops, key=sort_key):
            if all(_matches(sop, key, value) for key, value in criteria.items() if value is not None):
                chosen.append(sop)
        return chosen


SELECT_KEYS = ("unit", "status", "tag", "jenis", "sifat", "skala", "kelengkapan")


def _matches(sop: Sop, key: str, value: str) -> bool:
    if key == "unit":
        return value in sop.unit or value == sop.unit_path
    if key == "status":
        return sop.status == value
    if key == "tag":
        return value in sop.tags
    if key in ("jenis", "sifat", "skala", "kelengkapan"):
        return sop.klasifikasi.get(key) == value
    raise ValueError(f"unknown criterion '{key}' (use: {', '.join(SELECT_KEYS)})")


def sort_key(sop: Sop) -> tuple:
    return (_natural(sop.nomor), sop.source)


@functools.lru_cache(maxsize=1 << 16)  # every listing sorts the manual again: thousands of numbers, each parsed once
def _natural(text: str) -> tuple:
    import re

    return tuple(int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", text))


def slugify(text: str) -> str:
    import re
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "unit"


def discover(root: Path) -> tuple[list[Path], list[Path], list[Path]]:
    """(SOP files, misnamed files, attachments) under ``root``, in a stable order."""
    sop_files, misnamed, attachments = [], [], []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if not path.is_file() or any(part.startswith((".", "_")) for part in relative.parts):
            continue
        if path.suffix == SOP_SUFFIX:
            sop_files.append(path)
        elif path.suffix.lower() in MISNAMED_SUFFIXES or path.suffix.lower() == SOP_SUFFIX:
            # 'SPJ.MD' too: MkDocs takes only '.md' for Markdown and would publish the source as a file
            misnamed.append(path)
        else:
            attachments.append(path)
    return sop_files, misnamed, attachments


@dataclass
class LoadCache:
    """SOP files loaded and checked before, by content: a later ``load_manual`` given the same cache
    reads every file again but parses and checks only those whose bytes changed (a preview server
    reloads a 2,000-SOP manual in a fraction of a second). Checks across files always run again."""

    entries: dict[str, tuple[str, str, dt.date, Sop | None, list[Diagnostic]]] = field(default_factory=dict)
    """source -> (digest, shown name, check date, SOP, its own problems)."""


LOAD_SHARE = 0.47
"""Part of the SOP files a child process loads and checks in a ``parallel`` load (sending an SOP back
costs the child about a fifth of loading it, and the parent a fifteenth to read it)."""


def load_manual(root: Path, display_root: str = "", today: dt.date | None = None,
                cache: LoadCache | None = None, *, parallel: bool = False) -> Manual:
    """Load and check every SOP under ``root``; ``display_root`` prefixes file names in messages.
    ``parallel``: a forked child loads and checks part of the files (see ``parallel.SharedWork``); the
    result is the same."""
    from .learning import prerequisite_cycles  # they order SOPs as the manual does (sort_key)
    from .roles import ALIASES_FILE, read_aliases

    today = today or dt.date.today()
    manual = Manual(today=today)
    if not root.is_dir():
        manual.diagnostics.append(Diagnostic(display_root or str(root), 1, "", "the SOP folder does not exist"))
        return manual
    sop_files, misnamed, attachments = discover(root)
    shown = {path: _shown(display_root, path.relative_to(root).as_posix()) for path in sop_files + misnamed}
    for path in misnamed:
        manual.diagnostics.append(Diagnostic(shown[path], 1, "", f"not an SOP file: SOP files end in '{SOP_SUFFIX}'"
                                             " (rename it, or start its name with '_' if it is not an SOP)"))
    loaded: list[tuple[Sop, str]] = []
    fresh: dict[str, tuple[str, str, dt.date, Sop | None, list[Diagnostic]]] = {}
    ahead = SharedWork(lambda path: _load_and_check(path, None, path.relative_to(root).as_posix(), shown[path], today),
                       sop_files, child_share=LOAD_SHARE) if parallel and cache is None else None
    for path in sop_files:
        source = path.relative_to(root).as_posix()
        try:
            raw = path.read_bytes()
        except OSError:
            raw = None
        digest = hashlib.blake2b(raw, digest_size=16).hexdigest() if raw is not None else ""
        entry = cache.entries.get(source) if cache is not None and digest else None
        if entry is None or entry[:3] != (digest, shown[path], today):
            done = ahead.take(path) if ahead is not None else None
            sop, problems = done if done is not None else _load_and_check(path, raw, source, shown[path], today)
            entry = (digest, shown[path], today, sop, problems)
        fresh[source] = entry
        _, _, _, sop, problems = entry
        if sop is not None:
            loaded.append((sop, shown[path]))
            manual.digests[source] = digest
        manual.diagnostics.extend(problems)
    if cache is not None:
        cache.entries = fresh
    manual.diagnostics.extend(check_manual(loaded))
    manual.diagnostics.extend(glossary_conflicts(loaded))
    manual.diagnostics.extend(prerequisite_cycles(loaded))
    manual.role_aliases, problems = read_aliases(root / ALIASES_FILE, _shown(display_root, ALIASES_FILE),
                                                 [sop for sop, _ in loaded])
    manual.diagnostics.extend(problems)
    manual.sops = [sop for sop, _ in loaded]
    manual.attachments = [path.relative_to(root).as_posix() for path in attachments]
    manual.diagnostics.sort(key=lambda d: (d.file, d.line, d.location, d.message))
    return manual


def _load_and_check(path: Path, raw: bytes | None, source: str, shown: str,
                    today: dt.date) -> tuple[Sop | None, list[Diagnostic]]:
    """One file's SOP (None: unreadable) and its own problems, schema and rules."""
    result = load_file(path, source, shown) if raw is None else load_bytes(raw, source, shown)
    problems = list(result.diagnostics)
    if result.sop is not None:
        structural = {d.location for d in problems}
        problems += [d for d in check_sop(result.sop, shown, today)
                     if not any(_within(d.location, location) for location in structural)]
    return result.sop, problems


def _within(location: str, structural: str) -> bool:
    """Whether a rule's finding is at (or inside) a field the schema already reported."""
    return bool(structural) and (location == structural or location.startswith((structural + ".", structural + "[")))


def _shown(display_root: str, relative: str) -> str:
    return f"{display_root.rstrip('/')}/{relative}" if display_root else relative
