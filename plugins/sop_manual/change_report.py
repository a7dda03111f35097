"""Changes between two versions of an SOP written out: ``sop diff --format``.

- ``text``: one line per change, ``+``/``-``/``~`` then its location and value
  (``~ langkah[10].pelaksana: kasubbag → staf_tu``), for a terminal;
- ``json``: the spec's list of ``{"path", "change", "old", "new"}``;
- ``markdown``: a review comment in the editors' language, headed by the file and
  the SOP ("Langkah 9 ditambahkan: ...").
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from .comparison import ADDED, REMOVED, Change, describe
from .model import Sop

FORMATS = ("text", "json", "markdown")

_SIGN = {ADDED: "+", REMOVED: "-"}


def _compact(value: Any) -> str:
    if isinstance(value, str):
        return re.sub(r"\s+", " ", value).strip()
    return json.dumps(value, ensure_ascii=False)


def text(changes: Sequence[Change], old: Sop, new: Sop, labels: Mapping[str, str]) -> str:
    lines = []
    for change in changes:
        if change.change == ADDED:
            value = _compact(change.new)
        elif change.change == REMOVED:
            value = _compact(change.old)
        else:
            value = f"{_compact(change.old)} \u2192 {_compact(change.new)}"
        lines.append(f"{_SIGN.get(change.change, '~')} {change.path}: {value}\n")
    return "".join(lines)


def as_json(changes: Sequence[Change], old: Sop, new: Sop, labels: Mapping[str, str]) -> str:
    return json.dumps([change.as_json() for change in changes], ensure_ascii=False, indent=2) + "\n"


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~])")


def _markdown_text(text: str) -> str:
    """Editor text shown literally in Markdown (a kegiatan with ``*`` or ``<b>`` stays as written)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def markdown(changes: Sequence[Change], old: Sop, new: Sop, labels: Mapping[str, str], title: str = "") -> str:
    heading = f"#### {_markdown_text(new.nomor or old.nomor)} \u00b7 {_markdown_text(new.judul or old.judul)}"
    lines = [heading + (f" (`{title}`)" if title else ""), ""]
    sentences = describe(changes, old, new, labels=labels)
    lines += [f"- {_markdown_text(sentence)}" for sentence in sentences] or [labels["diff.none"]]
    return "\n".join(lines) + "\n\n"


WRITERS = {"text": text, "json": as_json, "markdown": markdown}
