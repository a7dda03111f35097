"""What changed in each recorded version of every SOP, read from the git history of the manual.

For every SOP and every ``revisi.versi`` it records, the version's source is the file as it
stood in the commit where that ``versi`` entry first appeared (following the file across
moves); each version is compared structurally (``comparison.compare``) with the one before
and described in the editors' language. Where git cannot tell (no repository, a shallow
clone, versions written down before the file entered the repository), the version says why
and the page falls back to the editor's ``perubahan`` text.

Cost: one ``git log`` for the whole SOP folder and one ``git cat-file --batch`` for the
file versions it needs, per build, whatever the number of SOPs; file versions are parsed
only where they may introduce a version, and comparisons are cached by the pair of git
blobs (a ``mkdocs serve`` rebuild compares nothing it compared before). No MkDocs here.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .comparison import Change, compare, describe
from .git_source import GitError, relative_path, repository_root
from .loading import load_bytes
from .model import Sop

GIT = "git"
TEXT = "teks"
"""Where a version's changes come from: the git history, or the editor's ``perubahan`` text."""

FIRST = "awal"
"""Reason: the first recorded version has nothing before it to compare with."""
NO_REPOSITORY = "tanpa-git"
SHALLOW = "dangkal"
UNTRACKED = "belum-dicatat"
BEFORE_REPOSITORY = "sebelum-git"
"""Reasons git cannot tell: the manual is not built from a git checkout; the checkout is a
shallow clone whose history stops after the version; the file is not committed; the version
was written down before the file entered the repository (its predecessor appears in the same commit)."""

RECORD_FIELDS = ("revisi", "sosialisasi", "monev", "tanggal", "tinjauan.terakhir", "tinjauan.berikutnya")
"""Record-keeping, not procedure: left out of a version's changes (every version dates itself)."""

_SEPARATOR = "\x1e"


@dataclass(frozen=True)
class VersionChanges:
    """What one recorded version changed."""

    versi: str
    source: str
    """``GIT``: ``changes`` come from comparing the file at this version with the one before;
    ``TEXT``: only the editor's ``perubahan`` says what changed (``reason`` says why)."""
    changes: tuple[str, ...] = ()
    """One sentence per change, in the manual's language (``GIT`` only)."""
    commit: str = ""
    """The commit where this version first appeared (empty: not committed yet)."""
    reason: str = ""


@dataclass(frozen=True)
class _FileVersion:
    commit: str
    blob: str
    path: str


@dataclass
class GitHistory:
    """Reads the history of one SOP folder; keeps its comparisons between builds."""

    sops_root: Path
    labels: Mapping[str, str]
    _compared: dict = field(default_factory=dict, repr=False)
    """(old blob, new blob) -> described changes."""
    _blobs: dict = field(default_factory=dict, repr=False)
    """blob -> its bytes."""
    _versions_of: dict = field(default_factory=dict, repr=False)
    """blob -> the ``revisi.versi`` it lists."""

    def versions(self, sops: Iterable[Sop]) -> dict[str, dict[str, VersionChanges]]:
        """SOP source -> versi -> what that version changed, for every SOP with ``revisi``."""
        sops = [sop for sop in sops if sop.revisi]
        try:
            root = repository_root(self.sops_root)
            prefix = relative_path(self.sops_root, root).strip(".").strip("/")
            shallow = _git(root, "rev-parse", "--is-shallow-repository").strip() == "true"
            log = _git(root, "-c", "core.quotePath=false", "log", "--raw", "--no-abbrev", "-M",
                       f"--format={_SEPARATOR}%H", "HEAD", "--", prefix or ".")
        except GitError:
            return {sop.source: _fallback(sop, NO_REPOSITORY) for sop in sops}
        git_path = {sop.source: f"{prefix}/{sop.source}" if prefix else sop.source for sop in sops}
        histories = _file_histories(log, git_path)
        wanted = {version.blob for sop in sops for version in histories.get(sop.source, ())}
        self._read_blobs(root, wanted - set(self._blobs))
        return {sop.source: self._sop_versions(sop, histories.get(sop.source, []), shallow) for sop in sops}

    def _sop_versions(self, sop: Sop, history: list[_FileVersion], shallow: bool) -> dict[str, VersionChanges]:
        if not history:
            return _fallback(sop, UNTRACKED)
        first_seen = self._first_seen(sop, history)
        result: dict[str, VersionChanges] = {}
        for index, revision in enumerate(sop.revisi):
            seen = first_seen[revision.versi]
            commit = seen.commit if seen else ""
            before = first_seen[sop.revisi[index - 1].versi] if index else None
            if index == 0:
                result[revision.versi] = VersionChanges(revision.versi, TEXT, commit=commit, reason=FIRST)
            elif before is None:  # the version before exists only in the working tree
                result[revision.versi] = VersionChanges(revision.versi, TEXT, reason=UNTRACKED)
            elif seen is not None and seen.commit == before.commit:
                reason = SHALLOW if shallow and seen.commit == history[0].commit else BEFORE_REPOSITORY
                result[revision.versi] = VersionChanges(revision.versi, TEXT, commit=commit, reason=reason)
            else:
                changes = self._changes(before, seen, sop)
                result[revision.versi] = (VersionChanges(revision.versi, GIT, changes, commit) if changes is not None
                                          else VersionChanges(revision.versi, TEXT, commit=commit, reason=UNTRACKED))
        return result

    def _first_seen(self, sop: Sop, history: list[_FileVersion]) -> dict[str, _FileVersion | None]:
        """versi -> the oldest file version listing it (None: only the working tree lists it)."""
        pending = [revision.versi for revision in sop.revisi]
        found: dict[str, _FileVersion | None] = {}
        for version in history:  # oldest first
            if version.blob not in self._versions_of:
                text = self._blobs.get(version.blob, b"").decode("utf-8", "replace")
                # most file versions add no version: no YAML to read when no pending versi is in the text
                if not any(versi in text for versi in pending):
                    continue
                self._versions_of[version.blob] = _versions_in(text)
            for versi in self._versions_of[version.blob]:
                if versi in pending:
                    found[versi] = version
                    pending.remove(versi)
            if not pending:
                break
        for versi in pending:  # written in the working tree, not committed yet
            found[versi] = None
        return found

    def _sop_at(self, version: _FileVersion, current: Sop, current_raw: bytes | None) -> Sop | None:
        raw = self._blobs.get(version.blob)
        if raw is None:
            return None
        if raw == current_raw:  # the version as it is now: loaded already
            return current
        return load_bytes(raw, version.path.rsplit("/", 1)[-1], validate=False).sop

    def _changes(self, before: _FileVersion, version: _FileVersion | None, current: Sop) -> tuple[str, ...] | None:
        """The described changes from ``before`` to ``version`` (None: the working tree, i.e. ``current``);
        None when a file version cannot be read."""
        key = (before.blob, version.blob if version else None)
        if version is not None and key in self._compared:
            return self._compared[key]
        current_raw = self._current_raw(current)
        old = self._sop_at(before, current, current_raw)
        new = self._sop_at(version, current, current_raw) if version is not None else current
        if old is None or new is None:
            return None
        described = tuple(describe([c for c in compare(old, new) if not _is_record(c)], old, new, labels=self.labels))
        if version is not None:
            self._compared[key] = described
        return described

    def _current_raw(self, sop: Sop) -> bytes | None:
        try:
            return (self.sops_root / sop.source).read_bytes()
        except OSError:
            return None

    def _read_blobs(self, root: Path, blobs: set[str]) -> None:
        """Every blob in one ``git cat-file --batch``."""
        if not blobs:
            return
        order = sorted(blobs)
        try:
            result = subprocess.run([GIT, "-C", str(root), "cat-file", "--batch"], input="\n".join(order).encode() + b"\n",
                                    capture_output=True, check=False)
        except FileNotFoundError:
            return
        data, position = result.stdout, 0
        for blob in order:
            end = data.index(b"\n", position)
            header = data[position:end].split()
            position = end + 1
            if len(header) < 3 or header[1] == b"missing":
                continue
            size = int(header[2])
            self._blobs[blob] = data[position:position + size]
            position += size + 1


def _git(root: Path, *args: str) -> str:
    try:
        result = subprocess.run([GIT, "-C", str(root), *args], capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    if result.returncode != 0:
        raise GitError(result.stderr.strip() or f"git {args[0]} failed")
    return result.stdout


def _file_histories(log: str, git_path: Mapping[str, str]) -> dict[str, list[_FileVersion]]:
    """SOP source -> the commits that changed its file, oldest first, following moves back in time."""
    tracked = {path: source for source, path in git_path.items()}
    histories: dict[str, list[_FileVersion]] = {}
    for record in log.split(_SEPARATOR)[1:]:
        commit, _, raw = record.partition("\n")
        for line in raw.splitlines():
            if not line.startswith(":"):
                continue
            meta, *paths = line.split("\t")
            fields = meta.split()
            blob, status = fields[3], fields[4][:1]
            new_path = paths[-1]
            source = tracked.get(new_path)
            if source is None or status == "D":
                continue
            histories.setdefault(source, []).append(_FileVersion(commit.strip(), blob, new_path))
            del tracked[new_path]
            if status == "R":  # earlier commits know the file by its old name
                tracked[paths[0]] = source
            elif status != "A":
                tracked[new_path] = source
    for versions in histories.values():
        versions.reverse()
    return histories


_REVISI_BLOCK = re.compile(r"^revisi:.*?(?=^[^\s#-]|^---|\Z)", re.M | re.S)


def _versions_in(text: str) -> list[str]:
    """The ``revisi.versi`` of an SOP source, as written: only the ``revisi`` block of the front matter
    is read, as plain text (no model, no line numbers: cheap)."""
    if not text.startswith("---"):
        return []
    block = _REVISI_BLOCK.search(text[3:].split("\n---", 1)[0] + "\n")
    if block is None:
        return []
    try:
        data = yaml.load(block.group(), Loader=getattr(yaml, "CBaseLoader", yaml.BaseLoader))
    except yaml.YAMLError:
        return []
    revisions = data.get("revisi") if isinstance(data, dict) else None
    return [str(entry["versi"]) for entry in revisions or [] if isinstance(entry, dict) and "versi" in entry] \
        if isinstance(revisions, list) else []


def _is_record(change: Change) -> bool:
    path = change.path
    if path.startswith("pengesahan.") and path.endswith(".tanggal"):
        return True
    return any(path == name or path.startswith((name + ".", name + "[")) for name in RECORD_FIELDS)


def _fallback(sop: Sop, reason: str) -> dict[str, VersionChanges]:
    return {revision.versi: VersionChanges(revision.versi, TEXT, reason=FIRST if index == 0 else reason)
            for index, revision in enumerate(sop.revisi)}
