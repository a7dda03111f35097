"""Compare two versions of an SOP by structure, not by text.

``compare(old, new)`` returns the changes between two loaded SOPs as a list of
``Change`` (``path`` in the location syntax of validation messages, numbered as
in NEW, or as in OLD for what was removed; ``change`` is ``added``, ``removed``
or ``changed``; ``old`` and ``new`` are JSON-able values). ``describe`` turns
them into sentences in the editors' language ("Langkah 9 ditambahkan: ...").

How things are matched:

- **steps** by ``id`` when both versions have that id, else by content: the two
  step lists are aligned (a longest common subsequence of their keys), so an
  inserted, deleted or moved step is one change and the steps after it are
  untouched. Unmatched steps between two aligned ones are paired when their
  text is similar (an edited step); a step found elsewhere in the other
  version is a move, reported once as ``langkah[N].no`` (old number -> new);
- **decisions and jumps** by the step they point at: renaming a target's id,
  or inserting steps before it, is not a change of the decision;
- **pelaksana** by key, a key that disappeared while a new key with the same
  name appeared is one renamed pelaksana (and the steps using it are unchanged);
- **lists** (kelengkapan, dasar_hukum, peralatan, revisi, ...) item by item,
  aligned the same way; **mappings** key by key. Fields this module does not
  know by name (added to the model later) are compared the same generic way.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from .diagnostics import format_location
from .durations import Duration
from .labels import labels_for
from .model import END, Sop, Step

ADDED, REMOVED, CHANGED = "added", "removed", "changed"

SIMILAR = 0.6
"""Text similarity (0..1) above which two unmatched steps count as one edited step."""

_SKIPPED_FIELDS = {"source", "lines", "body_line", "line", "number"}
"""Model fields that say where something is written, not what the SOP says."""

BODY = "isi"
"""Location of the free Markdown body in changes (it has no YAML field name)."""


@dataclass(frozen=True)
class Change:
    """One difference between two versions of an SOP.

    ``path``: location in section 2's syntax (``langkah[9].pelaksana``), counting
    items from 1 as in NEW, or as in OLD for a removal. ``old``/``new``: JSON-able
    values (``None`` for the side that does not exist). A step's pelaksana are keys,
    a target is written as the target id (or ``selesai``), a moved step is
    ``langkah[N].no`` with its old and new number.
    """

    path: str
    change: str
    old: Any = None
    new: Any = None

    def as_json(self) -> dict:
        return {"path": self.path, "change": self.change, "old": self.old, "new": self.new}


def compare(old: Sop, new: Sop) -> list[Change]:
    """Every structural change from ``old`` to ``new``, in the order of the fields of the SOP."""
    comparison = _Comparison(old, new)
    return comparison.run()


# -- JSON-able values ------------------------------------------------------------


def to_json(value: Any) -> Any:
    """A model value as plain JSON: dates as ISO text, durations as written, dataclasses as mappings."""
    if isinstance(value, Duration):
        return value.text
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Fraction):
        return float(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)
                if f.name not in _SKIPPED_FIELDS and not _empty(getattr(value, f.name))}
    if isinstance(value, Mapping):
        return {str(key): to_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(item) for item in value]
    if hasattr(value, "value") and isinstance(getattr(value, "value"), str):  # enums
        return value.value
    return value


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == () or value == [] or value == {} or value is False


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, _normal(a), _normal(b), autojunk=False).ratio()


# -- the comparison ---------------------------------------------------------------


class _Comparison:
    def __init__(self, old: Sop, new: Sop) -> None:
        self.old, self.new = old, new
        self.changes: list[Change] = []
        self.key_map = _executor_renames(old, new)
        """old pelaksana key -> new key, for keys renamed with the same name."""
        self.step_map: dict[int, int] = {}
        """old step index -> new step index, for matched steps."""

    def emit(self, path: tuple, change: str, old: Any = None, new: Any = None) -> None:
        self.changes.append(Change(format_location(path), change, old, new))

    def run(self) -> list[Change]:
        old, new = self.old, self.new
        for name in _field_order():
            if name == "pelaksana":
                self.executors()
            elif name == "langkah":
                self.steps()
            elif name == "body":
                if old.body.strip() != new.body.strip():
                    self.value((BODY,), old.body.strip() or None, new.body.strip() or None)
            else:
                self.value((name,), to_json(getattr(old, name)), to_json(getattr(new, name)))
        return self.changes

    # generic values: scalars, mappings key by key, lists item by item

    def value(self, path: tuple, old: Any, new: Any) -> None:
        if _empty(old) and _empty(new):
            return
        if _empty(old):
            self.emit(path, ADDED, None, new)
        elif _empty(new):
            self.emit(path, REMOVED, old, None)
        elif isinstance(old, dict) and isinstance(new, dict):
            for key in list(old) + [key for key in new if key not in old]:
                self.value(path + (key,), old.get(key), new.get(key))
        elif isinstance(old, list) and isinstance(new, list):
            self.items(path, old, new)
        elif old != new:
            self.emit(path, CHANGED, old, new)

    def items(self, path: tuple, old: list, new: list) -> None:
        matcher = difflib.SequenceMatcher(None, [_key(i) for i in old], [_key(i) for i in new], autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
            for offset in range(paired):  # an item edited in place
                self.value(path + (j1 + offset,), old[i1 + offset], new[j1 + offset])
            for index in range(i1 + paired, i2):
                self.emit(path + (index,), REMOVED, old[index], None)
            for index in range(j1 + paired, j2):
                self.emit(path + (index,), ADDED, None, new[index])

    # pelaksana: renamed keys recognised

    def executors(self) -> None:
        old_names = {e.key: e.name for e in self.old.pelaksana}
        new_names = {e.key: e.name for e in self.new.pelaksana}
        renamed_to = set(self.key_map.values())
        for key, name in old_names.items():
            if key in self.key_map:
                target = self.key_map[key]
                self.emit(("pelaksana", target), CHANGED, {"key": key, "nama": name},
                          {"key": target, "nama": new_names[target]})
            elif key not in new_names:
                self.emit(("pelaksana", key), REMOVED, {"key": key, "nama": name}, None)
            elif new_names[key] != name:
                self.emit(("pelaksana", key), CHANGED, {"key": key, "nama": name}, {"key": key, "nama": new_names[key]})
        for key, name in new_names.items():
            if key not in old_names and key not in renamed_to:
                self.emit(("pelaksana", key), ADDED, None, {"key": key, "nama": name})

    # steps: aligned, then compared field by field

    def steps(self) -> None:
        old_steps, new_steps = self.old.langkah, self.new.langkah
        pairs, moved = align_steps(old_steps, new_steps)
        self.step_map = dict(pairs)
        new_to_old = {j: i for i, j in pairs}
        removed = sorted(set(range(len(old_steps))) - set(self.step_map))
        changes_before = len(self.changes)
        for j, step in enumerate(new_steps):
            if j not in new_to_old:
                self.emit(("langkah", j), ADDED, None, to_json(step))
        for i in removed:
            self.emit(("langkah", i), REMOVED, to_json(old_steps[i]), None)
        for j in range(len(new_steps)):
            if j in new_to_old:
                i = new_to_old[j]
                if (i, j) in moved:
                    self.emit(("langkah", j, "no"), CHANGED, i + 1, j + 1)
                self.step_fields(i, j)
        # additions and removals in the order of the steps (removals at their old place)
        block = self.changes[changes_before:]
        block.sort(key=lambda c: _step_order(c, new_to_old))
        self.changes[changes_before:] = block

    def step_fields(self, i: int, j: int) -> None:
        old, new = self.old.langkah[i], self.new.langkah[j]
        path = ("langkah", j)
        for name in ("id", "kegiatan"):
            self.value(path + (name,), getattr(old, name) or None, getattr(new, name) or None)
        old_keys = [self.key_map.get(key, key) for key in old.pelaksana]
        if old_keys != list(new.pelaksana):  # who does it, as a whole (names read better than items)
            if old.pelaksana and new.pelaksana:
                self.emit(path + ("pelaksana",), CHANGED, list(old.pelaksana), list(new.pelaksana))
            else:
                self.value(path + ("pelaksana",), list(old.pelaksana) or None, list(new.pelaksana) or None)
        self.value(path + ("kelengkapan",), list(old.kelengkapan), list(new.kelengkapan))
        self.value(path + ("waktu",), to_json(old.waktu), to_json(new.waktu))
        for name in ("output", "keterangan"):
            self.value(path + (name,), getattr(old, name) or None, getattr(new, name) or None)
        old_branches = {b.label: b.target for b in old.keputusan}
        new_branches = {b.label: b.target for b in new.keputusan}
        for label in list(old_branches) + [label for label in new_branches if label not in old_branches]:
            self.target(path + ("keputusan", label), old_branches.get(label), new_branches.get(label))
        self.target(path + ("lanjut",), old.lanjut, new.lanjut)
        if old.selesai != new.selesai:
            self.emit(path + ("selesai",), CHANGED, old.selesai, new.selesai)
        for name in _OTHER_STEP_FIELDS:  # fields added to the model later, compared generically
            self.value(path + (name,), to_json(getattr(old, name)), to_json(getattr(new, name)))

    def target(self, path: tuple, old: str | None, new: str | None) -> None:
        """A decision branch or jump: the same when both point at the same (matched) step."""
        if old and new and self._points_at(old, new):
            return
        self.value(path, old or None, new or None)

    def _points_at(self, old: str, new: str) -> bool:
        if old == END or new == END:
            return old == new
        old_index = _index_of(self.old.langkah, old)
        new_index = _index_of(self.new.langkah, new)
        if old_index is None or new_index is None:
            return old == new
        return self.step_map.get(old_index) == new_index


_STEP_FIELDS_COMPARED = {"id", "kegiatan", "pelaksana", "kelengkapan", "waktu", "output", "keterangan",
                         "keputusan", "lanjut", "selesai"}
_OTHER_STEP_FIELDS = tuple(f.name for f in dataclasses.fields(Step)
                           if f.name not in _STEP_FIELDS_COMPARED | _SKIPPED_FIELDS)


def _field_order() -> list[str]:
    """The SOP's fields in the order of the source format (pelaksana and langkah before pengesahan)."""
    names = [f.name for f in dataclasses.fields(Sop) if f.name not in _SKIPPED_FIELDS | {"pelaksana", "langkah"}]
    at = names.index("pengesahan") if "pengesahan" in names else len(names)
    return names[:at] + ["pelaksana", "langkah"] + names[at:]


def _index_of(steps: Sequence[Step], step_id: str) -> int | None:
    return next((index for index, step in enumerate(steps) if step.id == step_id), None)


def _step_order(change: Change, new_to_old: dict[int, int]) -> tuple:
    """Sort key placing a removed step (numbered as in OLD) after the new step that follows its old neighbour."""
    number = int(re.match(r"langkah\[(\d+)\]", change.path).group(1)) - 1
    if change.change == REMOVED and change.path.count(".") == 0:
        before = [j for j, i in new_to_old.items() if i < number]
        return (max(before) + 0.5 if before else -0.5, 0)
    return (number, 1)


def _executor_renames(old: Sop, new: Sop) -> dict[str, str]:
    """Old key -> new key for pelaksana whose key changed but whose name stayed (ignoring case and spaces)."""
    old_keys = {e.key: _normal(e.name) for e in old.pelaksana}
    new_keys = {e.key: _normal(e.name) for e in new.pelaksana}
    gone = [key for key in old_keys if key not in new_keys]
    fresh = [key for key in new_keys if key not in old_keys]
    renames = {}
    for key in gone:
        same = [candidate for candidate in fresh if new_keys[candidate] == old_keys[key]]
        if len(same) == 1:
            renames[key] = same[0]
            fresh.remove(same[0])
    return renames


def align_steps(old: Sequence[Step], new: Sequence[Step]) -> tuple[list[tuple[int, int]], set[tuple[int, int]]]:
    """Pair the steps of two versions: (pairs of old index, new index in order), and the pairs that moved.

    Steps are keyed by ``id`` when the id exists in both versions, else by their text. The longest
    common subsequence of the keys is kept in place; between two kept steps, unmatched steps with
    similar text are the same step edited. Unmatched steps with the same key (or very similar text)
    elsewhere in the other version have moved.
    """
    shared_ids = {s.id for s in old if s.id} & {s.id for s in new if s.id}

    def key(step: Step) -> str:
        return f"id:{step.id}" if step.id in shared_ids else f"text:{_normal(step.kegiatan)}"

    old_keys, new_keys = [key(s) for s in old], [key(s) for s in new]
    matcher = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    pairs: list[tuple[int, int]] = []
    gaps: list[tuple[list[int], list[int]]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs.extend(zip(range(i1, i2), range(j1, j2)))
        else:
            gaps.append((list(range(i1, i2)), list(range(j1, j2))))
    # moves first: the same step (same key) found in another gap
    loose_old = [i for olds, _ in gaps for i in olds]
    loose_new = [j for _, news in gaps for j in news]
    moved: set[tuple[int, int]] = set()
    for j in list(loose_new):
        match = next((i for i in loose_old if old_keys[i] == new_keys[j]), None)
        if match is not None:
            pair = (match, j)
            pairs.append(pair)
            if not _same_gap(gaps, pair):
                moved.add(pair)
            loose_old.remove(match)
            loose_new.remove(j)
    # then edited steps: within a gap, in order, when their text is similar
    for olds, news in gaps:
        olds = [i for i in olds if i in loose_old and old[i].id not in shared_ids]
        news = [j for j in news if j in loose_new and new[j].id not in shared_ids]
        for i, j in _similar_in_order(olds, news, old, new):
            pairs.append((i, j))
            loose_old.remove(i)
            loose_new.remove(j)
    # last, moved and edited: similar text anywhere
    for j in list(loose_new):
        if new[j].id in shared_ids:
            continue
        best = max(((_similarity(old[i].kegiatan, new[j].kegiatan), i) for i in loose_old
                    if old[i].id not in shared_ids), default=(0.0, None))
        if best[1] is not None and best[0] >= 0.8:
            pairs.append((best[1], j))
            moved.add((best[1], j))
            loose_old.remove(best[1])
            loose_new.remove(j)
    pairs.sort(key=lambda pair: pair[1])
    return pairs, _moved(pairs, moved)


def _same_gap(gaps: list[tuple[list[int], list[int]]], pair: tuple[int, int]) -> bool:
    return any(pair[0] in olds and pair[1] in news for olds, news in gaps)


def _moved(pairs: list[tuple[int, int]], candidates: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """The pairs out of order with the others (a move), among the candidates found outside the alignment."""
    in_order = {pair for pair in pairs if pair not in candidates}
    moved = set()
    for pair in candidates:
        before = [p for p in in_order if p[1] < pair[1]]
        after = [p for p in in_order if p[1] > pair[1]]
        if any(p[0] > pair[0] for p in before) or any(p[0] < pair[0] for p in after):
            moved.add(pair)
        else:
            in_order.add(pair)
    return moved


def _similar_in_order(olds: list[int], news: list[int], old: Sequence[Step], new: Sequence[Step]) -> list[tuple[int, int]]:
    """The best order-keeping pairing of similar steps (a small alignment by text similarity)."""
    if not olds or not news:
        return []
    rows, cols = len(olds), len(news)
    score = [[0.0] * (cols + 1) for _ in range(rows + 1)]
    for r in range(rows - 1, -1, -1):
        for c in range(cols - 1, -1, -1):
            similarity = _step_similarity(old[olds[r]], new[news[c]])
            take = score[r + 1][c + 1] + similarity if similarity >= SIMILAR else -1.0
            score[r][c] = max(take, score[r + 1][c], score[r][c + 1])
    pairs, r, c = [], 0, 0
    while r < rows and c < cols:
        similarity = _step_similarity(old[olds[r]], new[news[c]])
        if similarity >= SIMILAR and score[r][c] == score[r + 1][c + 1] + similarity:
            pairs.append((olds[r], news[c]))
            r, c = r + 1, c + 1
        elif score[r][c] == score[r + 1][c]:
            r += 1
        else:
            c += 1
    return pairs


def _step_similarity(a: Step, b: Step) -> float:
    return _similarity(a.kegiatan, b.kegiatan)


# -- the editors' language ----------------------------------------------------------

_PART = re.compile(r"(?P<name>[^.\[]+)(?:\[(?P<index>\d+)\])?")

_STEP_LABELS = {
    "kegiatan": "col.kegiatan", "pelaksana": "col.pelaksana", "kelengkapan": "col.kelengkapan",
    "waktu": "col.waktu", "output": "col.output", "keterangan": "col.keterangan", "id": "diff.field.id",
    "selesai": "diff.field.selesai",
}


def describe(changes: Sequence[Change], old: Sop, new: Sop, language: str = "id",
             labels: Mapping[str, str] | None = None) -> list[str]:
    """One sentence per change in the editors' language (``language`` ``id`` or ``en``).

    ``old`` and ``new`` are the two versions given to ``compare`` (for step texts and
    pelaksana names); ``labels`` replaces the label table (e.g. one with an
    organisation's overrides). Examples: ``Langkah 9 ditambahkan: Mengarsipkan berkas``,
    ``Langkah 10 — pelaksana: Kasubbag → Staf TU``, ``Peralatan dihapus: Printer``.
    """
    describer = _Describer(labels or labels_for(language), old, new)
    return [describer.sentence(change) for change in changes]


class _Describer:
    def __init__(self, labels: Mapping[str, str], old: Sop, new: Sop) -> None:
        self.labels, self.old, self.new = labels, old, new
        self.new_index = dict(align_steps(old.langkah, new.langkah)[0])
        """old step index -> new step index: an old target is named by the number its step has now."""

    def sentence(self, change: Change) -> str:
        parts = [(m["name"], int(m["index"]) if m["index"] else None) for m in _PART.finditer(change.path)]
        if parts[0][0] == "langkah" and parts[0][1] is not None:
            return self.step_sentence(change, parts[0][1], parts[1:])
        old, new = change.old, change.new
        if parts[0][0] == "pelaksana" and isinstance(old, dict) and isinstance(new, dict) and old["key"] != new["key"]:
            return self.labels["diff.executor_renamed"].format(old=old["key"], new=new["key"], name=new["nama"])
        return self.field_sentence(change, self.field_name(parts), self.value_text(parts[0][0], change.old),
                                   self.value_text(parts[0][0], change.new))

    def step_sentence(self, change: Change, number: int, rest: list[tuple[str, int | None]]) -> str:
        labels = self.labels
        if not rest:
            key = "diff.step_added" if change.change == ADDED else "diff.step_removed"
            step = change.new if change.change == ADDED else change.old
            return labels[key].format(number=number, text=_text((step or {}).get("kegiatan"), labels))
        name, index = rest[0]
        if name == "no":
            return labels["diff.step_moved"].format(number=number, old=change.old,
                                                    text=_text(self.new.langkah[number - 1].kegiatan, labels))
        if name in ("keputusan", "lanjut"):
            if name == "lanjut":
                field = labels["diff.jump"]
            else:
                branch = ".".join(part for part, _ in rest[1:])
                field = labels["diff.branch"].format(label=labels.get(f"branch.{branch}", branch))
            return self.field_sentence(change, labels["diff.step_field"].format(number=number, field=field),
                                       self.target_text(change.old, self.old), self.target_text(change.new, self.new))
        field = _lower_first(labels[_STEP_LABELS[name]] if name in _STEP_LABELS else name)
        if index is not None:
            field += f" {index}"
        return self.field_sentence(change, labels["diff.step_field"].format(number=number, field=field),
                                   self.step_value(name, change.old, self.old),
                                   self.step_value(name, change.new, self.new))

    def target_text(self, target: Any, sop: Sop) -> str:
        """A target as a step number in NEW; a step that is gone keeps its old number, marked as removed."""
        if target is None:
            return ""
        if target == END:
            return self.labels["flow.end"]
        index = _index_of(sop.langkah, str(target))
        if index is None:
            return str(target)
        if sop is self.old:
            if index not in self.new_index:
                return self.labels["diff.to_removed_step"].format(number=index + 1)
            index = self.new_index[index]
        return self.labels["diff.to_step"].format(number=index + 1)

    def step_value(self, name: str, value: Any, sop: Sop) -> str:
        if name == "pelaksana" and isinstance(value, list):
            return ", ".join(sop.executor_name(key) for key in value)
        return _text(value, self.labels)

    def label(self, *candidates: str) -> str | None:
        return next((self.labels[c] for c in candidates if c in self.labels), None)

    def field_name(self, parts: list[tuple[str, int | None]]) -> str:
        """``revisi[3].perubahan`` -> "Riwayat Revisi 3 — Perubahan"; ``tanggal.efektif`` -> "Tanggal Efektif"."""
        names = [name for name, _ in parts]
        head = names[0]
        whole = ".".join(names)
        found = self.label(f"diff.field.{whole}", whole, f"axis.{names[-1]}" if head == "klasifikasi" else "",
                           f"role.{names[-1]}" if head == "pengesahan" and len(names) == 2 else "")
        if found and not any(index for _, index in parts):
            return found
        text = self.label(f"diff.field.{head}", head, f"section.{head}") or head
        if parts[0][1] is not None:
            text += f" {parts[0][1]}"
        for position, (name, index) in enumerate(parts[1:], start=1):
            if head in ("pelaksana", "definisi") and position == 1:
                text += f" “{name}”"
                continue
            text += " — " + (self.label(f"{head}.{name}", f"role.{name}" if head == "pengesahan" else "", name) or name)
            if index is not None:
                text += f" {index}"
        return text

    def value_text(self, head: str, value: Any) -> str:
        if value is None:
            return ""
        if head == "pelaksana" and isinstance(value, dict):
            return f"{value.get('nama', '')} ({value.get('key', '')})"
        if head in ("klasifikasi", "status") and isinstance(value, str):
            return self.labels.get(f"value.{value}", value)
        return _text(value, self.labels)

    def field_sentence(self, change: Change, field: str, old: str, new: str) -> str:
        if change.change == ADDED:
            return self.labels["diff.added"].format(field=field, new=new)
        if change.change == REMOVED:
            return self.labels["diff.removed"].format(field=field, old=old)
        return self.labels["diff.changed"].format(field=field, old=old, new=new)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _text(value: Any, labels: Mapping[str, str]) -> str:
    """A JSON-able value on one line: lists joined by semicolons, mappings by their values."""
    if value is None:
        return ""
    if value is True or value is False:
        return labels["diff.yes" if value else "diff.no"]
    if isinstance(value, list):
        return "; ".join(_text(item, labels) for item in value)
    if isinstance(value, dict):
        return ", ".join(_text(item, labels) for item in value.values() if item not in (None, "", [], {}))
    return re.sub(r"\s+", " ", str(value)).strip()
