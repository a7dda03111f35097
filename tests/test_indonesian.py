"""The Indonesian analysis behind the search: word families meet, different roots stay apart."""

from __future__ import annotations

import pytest

from sop_manual.indonesian import Analyser, candidates, root_among, words

from conftest import ROOT

FAMILIES = {
    # nasal prefixes meN-/peN- with their sound changes (the gap Snowball's stemmer leaves)
    "mohon": ["memohon", "pemohon", "permohonan", "dimohon", "memohonkan"],
    "terima": ["menerima", "penerimaan", "terima", "diterima", "diterimanya"],
    "kirim": ["mengirim", "pengiriman", "kirim", "dikirim", "kiriman"],
    "serah": ["menyerahkan", "penyerahan", "serah", "diserahkan"],
    "aju": ["mengajukan", "pengajuan", "diajukan", "ajukan"],
    "periksa": ["memeriksa", "pemeriksaan", "diperiksa", "periksa", "pemeriksa"],
    "catat": ["mencatat", "pencatatan", "dicatat", "catatan"],
    "buat": ["membuat", "pembuatan", "dibuat", "buatan"],
    "nilai": ["menilai", "penilaian", "dinilai", "nilai"],
    "guna": ["menggunakan", "penggunaan", "digunakan", "guna"],
    "kumpul": ["mengumpulkan", "pengumpulan", "kumpul"],
    "setuju": ["menyetujui", "persetujuan", "disetujui", "setuju"],
    "cek": ["mengecek", "pengecekan", "cek"],
    "daftar": ["mendaftar", "pendaftaran", "didaftarkan", "daftar"],
    # ber-, ter-, di-, ke-...-an, per-...-an, -kan, -i, -an, -nya
    "kunjung": ["kunjungan", "berkunjung", "mengunjungi", "dikunjungi"],
    "tugas": ["petugas", "bertugas", "tugas", "tugasnya"],
    "kerja": ["bekerja", "pekerjaan", "kerja", "dikerjakan"],
    "ajar": ["belajar", "pelajaran", "mengajar", "ajar"],
    "rekam": ["merekam", "terekam", "rekaman", "direkam"],
    "lengkap": ["kelengkapan", "melengkapi", "lengkap", "dilengkapi"],
    "sesuai": ["kesesuaian", "menyesuaikan", "sesuai"],
    "baik": ["perbaikan", "memperbaiki", "diperbaiki", "baik"],
    "laksana": ["pelaksana", "pelaksanaan", "melaksanakan", "dilaksanakan"],
    "arsip": ["mengarsipkan", "pengarsipan", "diarsipkan", "arsip"],
    "berkas": ["berkas", "berkasnya"],
}
APART = [
    ("pohon", "memohon"),     # a tree is no request: meN- + mohon, not meN- + pohon
    ("masa", "masalah"),      # -lah is not stripped
    ("belum", "sebelum"),     # se- is not stripped
    ("pala", "kepala"),       # ke- only with -an
    ("tanda", "tangan"),
    ("makan", "makam"),
    ("pajak", "pajangan"),
    ("terima", "rima"),
]
VOCABULARY = sorted({word for family in FAMILIES.values() for word in family}
                    | {word for pair in APART for word in pair})


@pytest.fixture(scope="module")
def analyser() -> Analyser:
    return Analyser(VOCABULARY)


@pytest.mark.parametrize("root", FAMILIES)
def test_every_form_of_a_family_has_the_same_root(analyser, root):
    assert {word: analyser.root(word) for word in FAMILIES[root]} == {word: root for word in FAMILIES[root]}


@pytest.mark.parametrize(("one", "other"), APART)
def test_words_of_different_roots_stay_apart(analyser, one, other):
    assert analyser.root(one) != analyser.root(other)


@pytest.mark.parametrize(("word", "root"), [
    ("permohonannya", "mohon"),       # a form the manual does not have finds the manual's root
    ("penyerahannya", "serah"),
    ("pengirimannya", "kirim"),
    ("berkunjungnya", "kunjung"),
    ("pengajuannya", "aju"),
])
def test_an_unseen_form_gets_the_root_the_manual_has(analyser, word, root):
    assert word not in VOCABULARY
    assert analyser.root(word) == root


def test_a_word_alone_in_the_manual_still_meets_its_other_forms():
    """With only "mengajukan" in the manual, "pengajuan" and "diajukan" (typed by a reader) find it."""
    alone = Analyser(["mengajukan", "surat", "cuti"])
    assert alone.root("pengajuan") == alone.root("diajukan") == alone.root("mengajukan")
    assert alone.root("surat") == "surat"


def test_the_manuals_vocabulary_decides_between_candidate_roots():
    """memohon is me- + mohon or meN- + pohon; permohonan settles it, and memeriksa is meN- + periksa."""
    assert {"mohon", "pohon"} <= set(candidates("memohon"))
    assert Analyser(["memohon", "permohonan"]).root("memohon") == "mohon"
    assert Analyser(["memeriksa", "pemeriksaan", "diperiksa"]).root("memeriksa") == "periksa"


def test_reduplication_and_hyphens_give_the_words_of_each_part(analyser):
    assert words("Dokumen-dokumen diperiksa; berkali-kali") == ["dokumen", "dokumen", "diperiksa", "berkali", "kali"]
    assert {analyser.root(word) for word in words("kunjung-mengunjungi")} == {"kunjung"}


def test_numbers_codes_and_short_words_are_left_alone():
    assert candidates("2022") == {"2022": 0}
    assert candidates("sop") == {"sop": 0}
    assert candidates("di") == {"di": 0}


def test_roots_of_a_text_are_those_it_does_not_already_show(analyser):
    assert analyser.roots("Pemohon mengajukan berkas; petugas menerima berkas.") == ["aju", "mohon", "terima", "tugas"]


def test_the_roots_shipped_to_the_browser_carry_their_support(analyser):
    assert analyser.support["mohon"] >= len(FAMILIES["mohon"])
    assert all(count >= 1 for count in analyser.support.values())
    assert "pohon" in analyser.support  # a word of the manual in its own right


def test_the_browser_finds_for_every_word_of_the_manual_the_root_it_was_indexed_under():
    """The query side knows only the roots and their support; for a word of the manual it must agree."""
    text = " ".join(path.read_text(encoding="utf-8") for folder in ("sops", "docs") for path in (ROOT / folder).rglob("*.md"))
    vocabulary = set(words(text)) | set(VOCABULARY)
    analyser = Analyser(vocabulary)
    assert {word: root_among(word, analyser.support) for word in vocabulary} == \
        {word: analyser.root(word) for word in vocabulary}
