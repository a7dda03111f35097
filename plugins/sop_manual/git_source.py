"""Read an SOP file as it stood at a git revision, following the file across moves.

Plain ``git`` subprocesses, no MkDocs. Paths given to these functions are file
system paths (absolute, or relative to the current directory); paths returned
are relative to the repository root, with ``/``, as git writes them.

- ``history(path)``: every commit that changed the file, newest first, each with
  the path the file had in that commit (``git log --follow``);
- ``path_at(path, rev)``: where the file that is ``path`` now lived at ``rev``;
- ``read_at(path, rev)``: its bytes at ``rev`` (``rev=None``: the working tree);
- ``show(root, rev, relative)``: the bytes of ``relative`` at ``rev`` as stored.

Every failure (not a repository, unknown revision, file absent at that revision)
raises ``GitError`` with a message an editor can act on.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path

_SEPARATOR = "\x1e"


class GitError(Exception):
    """git could not answer: the message says why, in words for the person who ran the command."""


@dataclass(frozen=True)
class FileVersion:
    """One commit that changed a file: the commit, when, its subject, and the file's path in it."""

    commit: str
    date: dt.datetime
    path: str
    subject: str = ""
    status: str = "M"
    """git's letter for the change: A (added), M (modified), R (renamed/moved), D (deleted), C (copied)."""


def _git(root: Path, *args: str) -> str:
    try:
        result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    if result.returncode != 0:
        raise GitError(result.stderr.strip().splitlines()[-1] if result.stderr.strip() else f"git {args[0]} failed")
    return result.stdout


def _git_bytes(root: Path, *args: str) -> bytes:
    result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip()
        raise GitError(message.splitlines()[-1] if message else f"git {args[0]} failed")
    return result.stdout


def repository_root(path: Path) -> Path:
    """The root of the git repository holding ``path`` (a file or folder, which need not exist)."""
    folder = Path(path).resolve()
    while not folder.exists() or not folder.is_dir():
        folder = folder.parent
    try:
        return Path(_git(folder, "rev-parse", "--show-toplevel").strip())
    except GitError:
        raise GitError(f"{path} is not inside a git repository") from None


def relative_path(path: Path, root: Path | None = None) -> str:
    """``path`` relative to its repository root, with ``/``."""
    root = root or repository_root(path)
    return Path(path).resolve().relative_to(root.resolve()).as_posix()


def commit_of(root: Path, rev: str) -> str:
    """The full commit id of ``rev`` (a branch, tag, ``HEAD~2``, a short id...)."""
    try:
        return _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}").strip()
    except GitError:
        raise GitError(f"unknown revision '{rev}'") from None


def show(root: Path, rev: str, relative: str) -> bytes:
    """The bytes of ``relative`` (a path from the repository root) at ``rev``."""
    try:
        return _git_bytes(root, "show", f"{commit_of(root, rev)}:{relative}")
    except GitError:
        raise GitError(f"{relative} does not exist at revision '{rev}'") from None


def history(path: Path, rev: str = "HEAD") -> list[FileVersion]:
    """Every commit reachable from ``rev`` that changed the file at ``path``, newest first, across moves.

    ``path`` names the file as it is at ``rev`` (for ``HEAD``, a move staged or made in the
    working tree since the last commit is followed too). Each entry's ``path`` is the file's
    path in that commit, so ``show(root, entry.commit, entry.path)`` reads that version
    (except for ``status == "D"``, a deletion).
    """
    root = repository_root(path)
    relative = relative_path(path, root)
    if rev == "HEAD":
        relative = _uncommitted_moves(root).get(relative, relative)
    output = _git(root, "log", "--follow", "-M", "--name-status", f"--format={_SEPARATOR}%H%x00%cI%x00%s",
                  commit_of(root, rev), "--", relative)
    versions = []
    for record in output.split(_SEPARATOR)[1:]:
        header, _, changes = record.partition("\n")
        commit, date, subject = header.split("\x00", 2)
        lines = [line for line in changes.splitlines() if line.strip()]
        if not lines:
            continue
        fields = lines[-1].split("\t")
        versions.append(FileVersion(commit, dt.datetime.fromisoformat(date), fields[-1], subject, fields[0][:1]))
    return versions


def _uncommitted_moves(root: Path) -> dict[str, str]:
    """New path -> path at HEAD, for files moved (``git mv`` or moved and added) since the last commit."""
    try:
        output = _git(root, "diff", "-M", "--name-status", "HEAD")
    except GitError:  # no commit yet
        return {}
    moves = {}
    for line in output.splitlines():
        fields = line.split("\t")
        if fields[0].startswith("R") and len(fields) == 3:
            moves[fields[2]] = fields[1]
    return moves


def path_at(path: Path, rev: str, since: str | None = None) -> str:
    """Where the file that is ``path`` at ``since`` (default: the working tree) lived at ``rev``.

    Returns the path relative to the repository root; raises ``GitError`` when the file
    did not exist at ``rev``.
    """
    root = repository_root(path)
    commit = commit_of(root, rev)
    versions = history(path, since or "HEAD")
    ancestors = set(_git(root, "rev-list", commit).split())
    for version in versions:  # newest first: the last change at or before rev
        if version.commit in ancestors:
            if version.status == "D":
                break
            return version.path
    relative = relative_path(path, root)
    if _exists(root, commit, relative):
        return relative
    raise GitError(f"{relative} did not exist at revision '{rev}' (nor under an earlier name)")


def _exists(root: Path, commit: str, relative: str) -> bool:
    try:
        _git(root, "cat-file", "-e", f"{commit}:{relative}")
    except GitError:
        return False
    return True


def read_at(path: Path, rev: str | None, since: str | None = None) -> tuple[str, bytes]:
    """(path shown, bytes) of the file ``path`` at ``rev``; ``rev=None`` reads the working tree.

    ``since`` is the revision at which ``path`` names the file (default: the working tree),
    so that ``read_at(p, "v1.0", since="v2.0")`` finds a file moved between the two.
    """
    if rev is None:
        try:
            return str(path), Path(path).read_bytes()
        except OSError as exc:
            raise GitError(f"cannot read {path}: {exc.strerror}") from None
    root = repository_root(path)
    relative = path_at(path, rev, since)
    return f"{rev}:{relative}", show(root, rev, relative)
