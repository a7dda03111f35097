"""A new SOP: the unit's next free number and a skeleton that checks clean (``sop new``).

Numbering is learned from the unit's existing SOPs: each number is read as a
pattern with one running number in it (``SOP-DSI-{}``, ``530/{}-IND/IV/2019``);
the pattern most of the unit's SOPs share wins, and the next number is one
above the highest, zero-padded as the others are, and free in the whole manual.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence

import yaml

from .manual import Manual
from .model import Sop

_DIGITS = re.compile(r"\d+")


class NumberingError(Exception):
    """No number can be proposed (the unit has no SOPs yet, or no number with digits)."""


def unit_sops(manual: Manual, unit: str) -> tuple[tuple[str, ...], list[Sop]]:
    """The unit named ``unit`` (its full hierarchy) and its SOPs.

    ``unit`` may be the last level (``Direktorat Sistem Informasi``) or the whole path
    joined by `` / ``; case and repeated spaces are ignored. An unknown unit is read as a
    new hierarchy: ``A / B`` is ``(A, B)``.
    """
    wanted = _normal(unit)
    for candidate in sorted({sop.unit for sop in manual.sops}):
        if wanted in (_normal(" / ".join(candidate)), _normal(candidate[-1] if candidate else "")):
            return candidate, [sop for sop in manual.sops if sop.unit == candidate]
    return tuple(part.strip() for part in unit.split(" / ") if part.strip()), []


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _patterns(nomor: str) -> list[tuple[str, int, int, str]]:
    """(pattern, number, width, digits) for each run of digits of ``nomor``, the run as ``{}``."""
    found = []
    for match in _DIGITS.finditer(nomor):
        pattern = nomor[:match.start()].replace("{", "{{").replace("}", "}}") + "{}" + \
            nomor[match.end():].replace("{", "{{").replace("}", "}}")
        found.append((pattern, int(match.group()), len(match.group()), match.group()))
    return found


def _preference(digits: str, position: int) -> tuple:
    """Among equally shared runs: zero-padded first, then not a year, then the rightmost."""
    year = len(digits) == 4 and digits.startswith(("19", "20"))
    return (digits.startswith("0"), not year, position)


def next_number(numbers: Sequence[str], taken: Iterable[str]) -> str:
    """The next free number of the numbering ``numbers`` share, not in ``taken``."""
    counts: Counter = Counter()
    best_run: dict[str, tuple] = {}
    for nomor in numbers:
        for position, (pattern, _, _, digits) in enumerate(_patterns(nomor)):
            counts[pattern] += 1
            best_run[pattern] = max(best_run.get(pattern, ()), _preference(digits, position))
    if not counts:
        raise NumberingError("the unit's SOP numbers have no digits to count on")
    pattern = max(counts, key=lambda p: (counts[p], best_run[p]))
    members = [(number, width) for nomor in numbers for p, number, width, _ in _patterns(nomor) if p == pattern]
    width = max(width for _, width in members)
    taken = set(taken)
    candidate = max(number for number, _ in members) + 1
    while pattern.format(str(candidate).zfill(width)) in taken:
        candidate += 1
    return pattern.format(str(candidate).zfill(width))


def _yaml_text(text: str) -> str:
    """A text as a YAML scalar: plain when YAML reads it back unchanged, else quoted as JSON (valid YAML)."""
    try:
        if "\n" not in text and text.strip() == text and yaml.safe_load(text) == text and " #" not in text:
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text, ensure_ascii=False)


def skeleton(nomor: str, judul: str, unit: Sequence[str], today: dt.date) -> str:
    """The source of a new SOP: required fields filled, optional fields blank (blank counts as absent)."""
    unit_text = _yaml_text(unit[0]) if len(unit) == 1 else "[" + ", ".join(map(_yaml_text, unit)) + "]"
    return f"""\
---
nomor: {_yaml_text(nomor)}
judul: {_yaml_text(judul)}
unit: {unit_text}
status: draf                # draf | tinjauan | berlaku | dicabut
klasifikasi:
  jenis:                    # spesifik | generik
  sifat:                    # administratif | teknis
  skala:                    # mikro | makro
  kelengkapan:              # parsial | final
tanggal:
  pembuatan: {today.isoformat()}
  revisi:
  efektif:
tinjauan:
  siklus: 12 bulan
tujuan:
ruang_lingkup:
definisi:
dasar_hukum:
  - Peraturan Menteri PANRB Nomor 35 Tahun 2012 tentang Pedoman Penyusunan SOP Administrasi Pemerintahan
kualifikasi_pelaksana:
keterkaitan:
peralatan:
peringatan:
pencatatan:
pelaksana:                  # kunci: nama jabatan; urutan = kolom bagan alir
  pelaksana: Pelaksana
  atasan: Atasan Langsung
langkah:                    # dinomori 1..n sesuai urutan
  - kegiatan: Menerima dan memeriksa permohonan
    pelaksana: pelaksana
    kelengkapan:
    waktu: 1 hari
    output: Permohonan yang telah diperiksa
  - kegiatan: Menyetujui hasil pemeriksaan
    pelaksana: atasan
    waktu: 1 hari
    output: Persetujuan
pengesahan:
  dibuat:
  diperiksa:
  disahkan:
revisi:
  - versi: "1.0"
    tanggal: {today.isoformat()}
    perubahan: Penyusunan awal
---
"""
