"""The SOPs ``sop check`` loaded last time, kept between runs of the command.

``load_manual`` re-reads only the files whose bytes changed when given a
``LoadCache`` (the preview server keeps one in memory); a command is a new
process each time, so this module keeps that cache on disk. It lives in the
user's cache folder (``$XDG_CACHE_HOME`` or ``~/.cache``), never in the manual's
repository: a cache is a pickle, and a pull request must not be able to plant
one. It is keyed by the SOP folder and by this package's own source, so a new
version of the rules never reuses old results; any unreadable cache is ignored.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from functools import cache
from importlib import resources
from pathlib import Path

from .manual import LoadCache

FOLDER_NAME = "sop-manual"


@cache
def _code_version() -> str:
    """A digest of this package's files: results computed by other code are never reused."""
    digest = hashlib.blake2b(sys.version.encode(), digest_size=16)
    package = resources.files(__package__)
    for name in sorted(entry.name for entry in package.iterdir() if entry.name.endswith((".py", ".json"))):
        digest.update(name.encode() + package.joinpath(name).read_bytes())
    for entry in sorted(package.joinpath("schema").iterdir(), key=lambda e: e.name):
        digest.update(entry.read_bytes())
    return digest.hexdigest()


def cache_file(sops_root: Path) -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = hashlib.blake2b(str(sops_root.resolve()).encode(), digest_size=12).hexdigest()
    return base / FOLDER_NAME / f"check-{folder}.pickle"


def read(sops_root: Path) -> LoadCache:
    """The cache of the last check of ``sops_root`` (empty when there is none or it is stale)."""
    try:
        with cache_file(sops_root).open("rb") as file:
            version, entries = pickle.load(file)
    except Exception:  # missing, truncated, written by another version: start afresh
        return LoadCache()
    return LoadCache(entries=entries) if version == _code_version() else LoadCache()


def write(sops_root: Path, load_cache: LoadCache, before: dict) -> None:
    """Store ``load_cache`` when it differs from what was read (``before``); quietly skip when it cannot."""
    if fingerprint(load_cache) == before:
        return
    path = cache_file(sops_root)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        with partial.open("wb") as file:
            pickle.dump((_code_version(), load_cache.entries), file, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(path)  # atomic: a concurrent check reads the old or the new cache, never half
    except OSError:
        pass


def fingerprint(load_cache: LoadCache) -> dict:
    """What ``write`` compares to tell whether the cache changed."""
    return {key: entry[:3] for key, entry in load_cache.entries.items()}
