"""Hostile editor text for property tests: a Hypothesis strategy and an SOP that uses it everywhere.

``hostile_texts()`` draws one text per editor-written field of ``TEXT_FIELDS``;
``sop_with(texts)`` builds an SOP of a fixed shape (two lanes, a decision, a
jump, an early end, references, signatures, versions, dissemination) whose every
text comes from ``texts``. ``placeholders(texts)`` gives plain texts with the same
truthiness and the same equalities, so an SOP built from them takes the same
branches in the templates: the baseline to compare a hostile page with.
``HOSTILE_SOP`` is a source file with every text field full of attacks, for real
builds (``nasty(word)`` is the text of the field that starts with ``word``).
"""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import strategies as st

from sop_manual.durations import parse_duration
from sop_manual.model import (
    Branch, Dissemination, Executor, Reference, Review, Revision, Signature, Sop, Step,
)

NASTY = [
    "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "<!--", "-->", "]]>", '"', "'", "`",
    ";", "#", "#35;", "&", "&amp;", "&lt;", "&#60;", "|", "[", "]", "{", "}", "(", ")", "{{", "}}", "{%", "%}",
    "{{ 7*7 }}", "{% raw %}", "%%", "%%{init: {}}%%", ":::", "end", "subgraph", "click", "style", "classDef",
    "-->", "---", "==>", "-.->", "\\", "\n", "\t", "  ", "javascript:alert(1)", "ya", "tidak", "selesai",
    "\u00a0", "\u200b", "\ufeff", "é", "Ω", "👩🏽‍💻", "\u202e",
]
"""Fragments that break HTML, Jinja, Markdown or Mermaid when not escaped."""

# What the loader accepts: no control characters but tab and newline, no line/paragraph separators.
_CHARACTERS = st.characters(blacklist_categories=("Cs", "Cc", "Cn", "Zl", "Zp"))


def hostile_text() -> st.SearchStrategy[str]:
    fragment = st.sampled_from(NASTY) | st.text(_CHARACTERS, min_size=1, max_size=4)
    return st.lists(fragment, min_size=1, max_size=6).map("".join) | st.text(_CHARACTERS | st.sampled_from("\n\t"),
                                                                             min_size=1, max_size=30)


TEXT_FIELDS = (
    "nomor", "judul", "unit_atas", "unit", "tujuan", "ruang_lingkup", "istilah", "arti", "dasar_hukum",
    "kualifikasi", "keterkaitan_teks", "peralatan", "peringatan", "pencatatan",
    "pelaksana_a", "pelaksana_b",
    "kegiatan_1", "kegiatan_2", "kegiatan_3", "kegiatan_4", "kelengkapan_1", "kelengkapan_2",
    "output_1", "output_2", "keterangan_1", "keterangan_2", "cabang_a", "cabang_b",
    "jabatan_dibuat", "nama_dibuat", "nip_dibuat", "pangkat_dibuat", "jabatan_disahkan", "nama_disahkan",
    "nip_disahkan", "pangkat_disahkan", "versi_1", "versi_2", "perubahan", "oleh", "sosialisasi_versi",
    "metode", "peserta", "tag", "lain_nomor", "lain_judul",
)


ALL_NASTY = {name: '"><img src=x onerror=alert(1)><script>alert(1)</script>{{ 7*7 }}{% raw %}--> ; # | end'
             for name in TEXT_FIELDS}
"""Every field at once full of the classic attacks."""
CHART_FIELDS = ("kegiatan_1", "kegiatan_2", "kegiatan_3", "kegiatan_4", "pelaksana_a", "pelaksana_b",
                "cabang_a", "cabang_b")
"""The texts the Mermaid flowchart shows."""


def hostile_texts(fields: tuple[str, ...] = TEXT_FIELDS) -> st.SearchStrategy[dict[str, str]]:
    """A text for each of ``fields``; the other fields of ``TEXT_FIELDS`` read ``teks``."""
    plain = dict.fromkeys(TEXT_FIELDS, "teks")
    return st.fixed_dictionaries({name: hostile_text() for name in fields}).map(lambda drawn: plain | drawn)


def placeholders(texts: dict[str, str]) -> dict[str, str]:
    """Plain stand-ins: equal texts get equal stand-ins, different texts different ones."""
    names: dict[str, str] = {}
    return {field: names.setdefault(text, f"teks{len(names)}") for field, text in texts.items()}


def sop_with(t: dict[str, str]) -> tuple[Sop, Sop]:
    """(the SOP, the SOP it links to by nomor), every text taken from ``t``."""
    day = dt.date(2025, 1, 6)
    steps = (
        Step(1, t["kegiatan_1"], ("a",), id="terima", kelengkapan=(t["kelengkapan_1"], t["kelengkapan_2"]),
             waktu=parse_duration("10 menit"), output=t["output_1"], keterangan=t["keterangan_1"], lanjut="periksa"),
        Step(2, t["kegiatan_2"], ("b", "a"), id="periksa", kelengkapan=(t["kelengkapan_1"],),
             waktu=parse_duration("1-2 jam"), output=t["output_2"], keterangan=t["keterangan_2"],
             keputusan=(Branch(t["cabang_a"], "setujui"), Branch(t["cabang_b"], "tolak"))),
        Step(3, t["kegiatan_3"], ("a",), id="tolak", waktu=parse_duration("5 menit"), output=t["output_1"],
             selesai=True),
        Step(4, t["kegiatan_4"], ("b",), id="setujui", waktu=parse_duration("1 hari"), output=t["output_2"]),
    )
    other = Sop(source="lain/sop.md", nomor=t["lain_nomor"], judul=t["lain_judul"], unit=(t["unit"],),
                pelaksana=(Executor("a", t["pelaksana_a"]),), langkah=(steps[3],))
    sop = Sop(
        source="uji/sop.md",
        nomor=t["nomor"],
        judul=t["judul"],
        unit=(t["unit_atas"], t["unit"]),
        status="berlaku",
        klasifikasi={"jenis": "spesifik", "sifat": "administratif", "skala": "mikro", "kelengkapan": "final"},
        tanggal={"pembuatan": day, "revisi": day, "efektif": day},
        tinjauan=Review(siklus=parse_duration("12 bulan"), terakhir=day),
        tujuan=t["tujuan"],
        ruang_lingkup=t["ruang_lingkup"],
        definisi={t["istilah"]: t["arti"]},
        dasar_hukum=(t["dasar_hukum"], t["kualifikasi"]),
        kualifikasi_pelaksana=(t["kualifikasi"],),
        keterkaitan=(Reference(t["lain_nomor"], t["lain_nomor"], "lanjutan"), Reference(t["keterkaitan_teks"])),
        peralatan=(t["peralatan"],),
        peringatan=(t["peringatan"],),
        pencatatan=(t["pencatatan"],),
        pelaksana=(Executor("a", t["pelaksana_a"]), Executor("b", t["pelaksana_b"])),
        langkah=steps,
        pengesahan={
            "dibuat": Signature("dibuat", t["jabatan_dibuat"], t["nama_dibuat"], t["nip_dibuat"], t["pangkat_dibuat"],
                                day),
            "disahkan": Signature("disahkan", t["jabatan_disahkan"], t["nama_disahkan"], t["nip_disahkan"],
                                  t["pangkat_disahkan"]),
        },
        revisi=(Revision(t["versi_1"], day, t["perubahan"], t["oleh"]), Revision(t["versi_2"], day, t["perubahan"])),
        sosialisasi=(Dissemination(day, t["sosialisasi_versi"], t["metode"], (t["peserta"], t["oleh"])),),
        tags=(t["tag"],),
    )
    return sop, other


# -- a whole SOP source, for real builds ------------------------------------------------------

PAGE_NASTY = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "</title></textarea>", "-->", ";", "#",
              "|", "end", "subgraph", "click", "'", '"', "&amp;", "{{ 7*7 }}", "{% raw %}", "{% rusak %}"]
"""The classic attacks, for ``HOSTILE_SOP``; ``{% rusak %}`` would stop a build that ran it as a macro."""


def nasty(word: str) -> str:
    """``word`` followed by every attack: the words tell the fields apart on the page."""
    return " ".join([word, *PAGE_NASTY])


def q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


HOSTILE_SOP = f"""\
---
nomor: {q(nasty("SOP"))}
judul: {q(nasty("Judul"))}
unit: [{q(nasty("Organisasi"))}, {q(nasty("Unit"))}]
status: berlaku
tujuan: {q(nasty("Tujuan"))}
ruang_lingkup: {q(nasty("Lingkup"))}
definisi:
  {q(nasty("Istilah"))}: {q(nasty("Arti"))}
dasar_hukum: [{q(nasty("Dasar"))}, {q(nasty("Peraturan"))}]
keterkaitan: [{q(nasty("Terkait"))}]
peralatan: {q(nasty("Alat"))}
pelaksana:
  petugas: {q(nasty("Petugas"))}
  kepala: {q(nasty("Kepala"))}
langkah:
  - id: terima
    kegiatan: {q(nasty("Menerima"))}
    pelaksana: petugas
    kelengkapan: [{q(nasty("Berkas"))}, {q(nasty("Formulir"))}]
    waktu: 10 menit
    output: {q(nasty("Diterima"))}
    keterangan: {q(nasty("Catatan"))}
  - id: periksa
    kegiatan: {q(nasty("Memeriksa"))}
    pelaksana: [kepala, petugas]
    waktu: 1 jam
    output: {q(nasty("Diperiksa"))}
    keputusan:
      {q(nasty("Lengkap"))}: setujui
      {q(nasty("Kurang"))}: tolak
  - id: tolak
    kegiatan: {q(nasty("Menolak"))}
    pelaksana: petugas
    waktu: 5 menit
    output: {q(nasty("Ditolak"))}
    selesai: true
  - id: setujui
    kegiatan: {q(nasty("Menyetujui"))}
    pelaksana: kepala
    waktu: 1 jam
    output: {q(nasty("Disetujui"))}
pengesahan:
  dibuat: {{jabatan: {q(nasty("Penyusun"))}, nama: {q(nasty("Nama"))}, tanggal: 2025-01-06}}
  disahkan: {{jabatan: {q(nasty("Jabatan"))}, nama: {q(nasty("Pejabat"))}, nip: {q(nasty("NIP"))}}}
revisi:
  - {{versi: {q(nasty("V1"))}, tanggal: 2025-01-06, perubahan: {q(nasty("Perubahan"))}, oleh: {q(nasty("Oleh"))}}}
sosialisasi:
  - {{tanggal: 2025-01-07, versi: {q(nasty("V1"))}, metode: {q(nasty("Metode"))}, peserta: {q(nasty("Peserta"))}}}
---
"""
