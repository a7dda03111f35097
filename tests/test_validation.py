"""Validation of SOP sources (spec section 2): every problem, at once, where it is.

Each test writes SOP files into a throw-away ``sops/`` folder, loads the manual as a
build does, and asserts the exact text an editor reads (``file:line: location:
message``), its severity and its line. Lines are counted by hand in the SOP text of
the test; ``at(text, line, field)`` double-checks that the counted line is the one
holding the field, so a wrong count fails loudly instead of silently agreeing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import MINIMAL_SOP, ROOT, load
from sop_manual.diagnostics import Severity
from sop_manual.manual import Manual, load_manual
from sop_manual.schema import schema_text

TODAY = dt.date(2026, 1, 1)
E, W = "error", "warning"


def check(tmp_path: Path, files: dict[str, str], today: dt.date = TODAY) -> Manual:
    root = tmp_path / "sops"
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return load_manual(root, "sops", today)


def found(manual: Manual) -> list[tuple[str, str]]:
    """Every diagnostic as (severity, full text), in the order the build prints them."""
    return [(d.severity.value, str(d)) for d in manual.diagnostics]


def at(text: str, line: int, starts: str) -> int:
    """``line`` (1-based), after checking that this line of ``text`` starts with ``starts``."""
    actual = text.splitlines()[line - 1].strip()
    assert actual.startswith(starts), f"line {line} is {actual!r}, not {starts!r}: recount"
    return line


def sop(text: str) -> str:
    return textwrap.dedent(text)


# MINIMAL_SOP, line by line, for the tests that edit it:
#  1 ---                        10   - kegiatan: Menerima berkas
#  2 nomor: SOP-UJI-001         11     pelaksana: petugas
#  3 judul: Prosedur Uji        12     waktu: 10 menit
#  4 unit: [...]                13     output: Berkas diterima
#  5 status: berlaku            14   - kegiatan: Menyetujui berkas
#  6 pelaksana:                 15     pelaksana: kepala
#  7   petugas: Petugas         16     waktu: 1 jam
#  8   kepala: Kepala Bagian    17     output: Berkas disetujui
#  9 langkah:                   18 ---


def test_minimal_sop_is_clean(tmp_path):
    manual = check(tmp_path, {"uji.md": MINIMAL_SOP})
    assert found(manual) == []
    assert [s.nomor for s in manual.sops] == ["SOP-UJI-001"]


def test_messages_have_the_form_file_line_location_message(tmp_path):
    text = MINIMAL_SOP.replace("status: berlaku", "status: aktif")
    manual = check(tmp_path, {"ti/website-baru.md": text})
    [diagnostic] = manual.diagnostics
    assert (diagnostic.file, diagnostic.line, diagnostic.location) == ("sops/ti/website-baru.md", at(text, 5, "status:"), "status")
    assert diagnostic.severity is Severity.ERROR and diagnostic.is_error
    assert str(diagnostic) == "sops/ti/website-baru.md:5: status: 'aktif' is not one of: draf, tinjauan, berlaku, dicabut"


# -- errors: unreadable sources ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("# Prosedur tanpa front matter\n",
                     "sops/uji.md:1: no front matter: an SOP file starts with a line '---', its YAML fields, then '---'",
                     id="no-front-matter"),
        pytest.param("---\nnomor: SOP-1\njudul: Tanpa penutup\n",
                     "sops/uji.md:1: front matter is not closed: add a line '---' after the SOP fields",
                     id="front-matter-not-closed"),
        pytest.param("---\nnomor: SOP-1\n  judul: Salah indentasi\n---\n",
                     "sops/uji.md:3: invalid YAML: mapping values are not allowed here",
                     id="bad-indentation"),
        pytest.param("---\nnomor: SOP-1\njudul: \"tidak ditutup\nunit: X\n---\n",
                     "sops/uji.md:3: invalid YAML: the front matter ended while scanning a quoted scalar that"
                     " starts on this line; is a quote or bracket not closed?",
                     id="unclosed-quote"),
        pytest.param("---\nnomor: SOP-1\njudul: A\nnomor: SOP-2\n---\n",
                     "sops/uji.md:4: duplicate key 'nomor'",
                     id="duplicate-key"),
        pytest.param("---\nnomor: SOP-1\npelaksana:\n\tpetugas: Petugas\n---\n",
                     "sops/uji.md:4: a tab is used for indentation; YAML indents with spaces only",
                     id="tab-indentation"),
        pytest.param("---\n- nomor: SOP-1\n---\n",
                     "sops/uji.md:2: the front matter must be a mapping of fields (key: value)",
                     id="not-a-mapping"),
        pytest.param("", "sops/uji.md:1: the file is empty: an SOP needs front matter with nomor, judul, unit,"
                     " pelaksana and langkah", id="empty-file"),
    ],
)
def test_unreadable_front_matter_is_an_error(tmp_path, text, expected):
    manual = check(tmp_path, {"uji.md": text})
    assert found(manual) == [(E, expected)]
    assert manual.sops == []  # an unreadable SOP is never silently published


def test_a_misnamed_sop_file_is_an_error_not_skipped(tmp_path):
    manual = check(tmp_path, {"uji.md": MINIMAL_SOP, "lain.yaml": "nomor: X\n", "_catatan.md": "bukan SOP"})
    assert found(manual) == [(E, "sops/lain.yaml:1: not an SOP file: SOP files end in '.md'"
                                 " (rename it, or start its name with '_' if it is not an SOP)")]


# -- errors: missing required fields ----------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param("nomor: SOP-UJI-001\n", "", [(E, "sops/uji.md:2: nomor: required field is missing or empty")],
                     id="nomor"),
        pytest.param("judul: Prosedur Uji\n", "", [(E, "sops/uji.md:2: judul: required field is missing or empty")],
                     id="judul"),
        pytest.param("judul: Prosedur Uji\n", "judul:\n",
                     [(E, "sops/uji.md:3: judul: required field is missing or empty")], id="judul-blank"),
        pytest.param("unit: [Organisasi Uji, Bagian Uji]\n", "",
                     [(E, "sops/uji.md:2: unit: required field is missing or empty")], id="unit"),
        pytest.param("pelaksana:\n  petugas: Petugas\n  kepala: Kepala Bagian\n", "",
                     [(E, "sops/uji.md:2: pelaksana: required field is missing or empty"),
                      (E, "sops/uji.md:8: langkah[1].pelaksana: 'petugas' is not declared in pelaksana (declared: none)"),
                      (E, "sops/uji.md:12: langkah[2].pelaksana: 'kepala' is not declared in pelaksana (declared: none)")],
                     id="pelaksana"),
        pytest.param("  - kegiatan: Menerima berkas\n    pelaksana: petugas\n", "  - pelaksana: petugas\n",
                     [(E, "sops/uji.md:10: langkah[1].kegiatan: required field is missing or empty")],
                     id="step-kegiatan"),
        pytest.param("    pelaksana: kepala\n", "    pelaksana:\n",
                     [(W, "sops/uji.md:8: pelaksana.kepala: declared but no step uses this pelaksana"),
                      (E, "sops/uji.md:15: langkah[2].pelaksana: required field is missing or empty")],
                     id="step-pelaksana-blank"),
        pytest.param("    pelaksana: kepala\n", "",
                     [(W, "sops/uji.md:8: pelaksana.kepala: declared but no step uses this pelaksana"),
                      (E, "sops/uji.md:14: langkah[2].pelaksana: required field is missing or empty")],
                     id="step-pelaksana"),
    ],
)
def test_missing_required_field_is_an_error(tmp_path, old, new, expected):
    assert old in MINIMAL_SOP
    manual = check(tmp_path, {"uji.md": MINIMAL_SOP.replace(old, new, 1)})
    assert found(manual) == expected


def test_missing_langkah_is_an_error(tmp_path):
    text = MINIMAL_SOP.split("langkah:")[0] + "---\n"
    manual = check(tmp_path, {"uji.md": text})
    assert found(manual) == [
        (E, "sops/uji.md:2: langkah: required field is missing or empty"),
        (W, "sops/uji.md:7: pelaksana.petugas: declared but no step uses this pelaksana"),
        (W, "sops/uji.md:8: pelaksana.kepala: declared but no step uses this pelaksana"),
    ]
    assert manual.sops[0].langkah == ()  # loaded for the other checks, but the error stops the build


def test_empty_langkah_list_is_an_error(tmp_path):
    text = MINIMAL_SOP.split("langkah:")[0] + "langkah: []\n---\n"
    manual = check(tmp_path, {"uji.md": text})
    assert (E, f"sops/uji.md:{at(text, 9, 'langkah:')}: langkah: an SOP needs at least one step") in found(manual)


# -- errors: closed sets -----------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("jenis", "umum", "klasifikasi.jenis: 'umum' is not one of: spesifik, generik"),
        ("sifat", "teknikal", "klasifikasi.sifat: 'teknikal' is not one of: administratif, teknis;"
                              " did you mean 'teknis'?"),
        ("skala", "besar", "klasifikasi.skala: 'besar' is not one of: mikro, makro"),
        ("kelengkapan", "lengkap", "klasifikasi.kelengkapan: 'lengkap' is not one of: parsial, final"),
    ],
)
def test_klasifikasi_outside_its_closed_set_is_an_error(tmp_path, field, value, expected):
    text = MINIMAL_SOP.replace("status: berlaku\n", f"status: berlaku\nklasifikasi:\n  {field}: {value}\n")
    manual = check(tmp_path, {"uji.md": text})
    assert found(manual) == [(E, f"sops/uji.md:{at(text, 7, field)}: {expected}")]


@pytest.mark.parametrize(("value", "hint"), [("aktif", ""), ("Berlaku", "; did you mean 'berlaku'?"),
                                             ("draft", "; did you mean 'draf'?")])
def test_status_outside_its_closed_set_is_an_error(tmp_path, value, hint):
    manual = check(tmp_path, {"uji.md": MINIMAL_SOP.replace("status: berlaku", f"status: {value}")})
    assert found(manual) == [(E, f"sops/uji.md:5: status: '{value}' is not one of: draf, tinjauan, berlaku,"
                                 f" dicabut{hint}")]


def test_hubungan_outside_its_closed_set_is_an_error_at_the_hubungan(tmp_path):
    other = MINIMAL_SOP.replace("SOP-UJI-001", "SOP-UJI-002")
    text = MINIMAL_SOP.replace("status: berlaku\n", "status: berlaku\nketerkaitan:\n"
                               "  - SOP Pengarsipan\n  - nomor: SOP-UJI-002\n    hubungan: sebelum\n")
    manual = check(tmp_path, {"uji.md": text, "lain.md": other})
    assert found(manual) == [
        (E, f"sops/uji.md:{at(text, 9, 'hubungan:')}: keterkaitan[2].hubungan: 'sebelum' is not one of:"
            " prasyarat, lanjutan, terkait"),
    ]


def test_unknown_field_is_an_error_naming_the_known_ones(tmp_path):
    text = MINIMAL_SOP.replace("status: berlaku\n", "status: berlaku\nstatuss: berlaku\n")
    manual = check(tmp_path, {"uji.md": text})
    [(severity, message)] = found(manual)
    assert severity == E
    assert message.startswith("sops/uji.md:6: statuss: unknown field 'statuss' (known fields: nomor, judul, unit, status,")
    assert message.endswith("; did you mean 'status'?")


def test_a_misspelt_step_field_suggests_the_field(tmp_path):
    text = MINIMAL_SOP.replace("    output: Berkas disetujui\n", "    ouput: Berkas disetujui\n")
    manual = check(tmp_path, {"uji.md": text})
    assert [str(d) for d in manual.errors] == [
        "sops/uji.md:17: langkah[2].ouput: unknown field 'ouput' (known fields: id, kegiatan, pelaksana, kelengkapan,"
        " waktu, output, keterangan, keputusan, lanjut, selesai); did you mean 'output'?"]


def test_long_lists_of_known_values_are_capped_nearest_first(tmp_path):
    executors = "".join(f"  petugas_{n:02d}: Petugas {n}\n" for n in range(1, 31))
    steps = "".join(f"  - kegiatan: Langkah {n}\n    pelaksana: petugas_{n:02d}\n    waktu: 1 jam\n    output: Hasil\n"
                    for n in range(1, 31))
    text = (f"---\nnomor: SOP-1\njudul: Uji\nunit: U\npelaksana:\n{executors}langkah:\n{steps}"
            "  - kegiatan: Menutup\n    pelaksana: petugas_3\n    waktu: 1 jam\n    output: Hasil\n---\n")
    manual = check(tmp_path, {"uji.md": text})
    [error] = manual.errors
    assert error.message == ("'petugas_3' is not declared in pelaksana (declared: petugas_30, petugas_03, petugas_13,"
                             " petugas_23, petugas_01, petugas_02, petugas_04, petugas_05, petugas_06,"
                             " petugas_07 and 20 more); did you mean 'petugas_30'?")


def test_a_reference_suggests_a_number_written_differently_but_not_another_sop(tmp_path):
    other = MINIMAL_SOP.replace("SOP-UJI-001", "SOP-UJI-002")
    text = MINIMAL_SOP.replace("status: berlaku\n", "status: berlaku\nketerkaitan: [{nomor: sop-uji-002},"
                                                     " {nomor: SOP-UJI-02}, {nomor: SOP-UJI-003}]\n")
    manual = check(tmp_path, {"uji.md": text, "lain.md": other})
    assert [d.message for d in manual.errors] == [
        "no SOP in this manual has nomor 'sop-uji-002'; did you mean 'SOP-UJI-002'?",
        "no SOP in this manual has nomor 'SOP-UJI-02'; did you mean 'SOP-UJI-002'?",
        "no SOP in this manual has nomor 'SOP-UJI-003'",  # another number: another SOP, not a typo
    ]


# -- errors: wrong types, dates, durations -----------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param("judul: Prosedur Uji", "judul: [Prosedur, Uji]", "sops/uji.md:3: judul: expected text", id="judul-list"),
        pytest.param("unit: [Organisasi Uji, Bagian Uji]", "unit: {organisasi: Uji}",
                     "sops/uji.md:4: unit: expected text or a list of texts (the unit hierarchy from the top), got a mapping",
                     id="unit-mapping"),
        pytest.param("    output: Berkas diterima", "    output: Berkas diterima\n    kelengkapan: {formulir: F-1}",
                     "sops/uji.md:14: langkah[1].kelengkapan: expected text or a list of texts, got a mapping",
                     id="kelengkapan-mapping"),
        pytest.param("    output: Berkas disetujui", "    output: Berkas disetujui\n    selesai: ya",
                     "sops/uji.md:18: langkah[2].selesai: expected true or false", id="selesai-text"),
        pytest.param("    pelaksana: kepala", "    pelaksana: kepala bagian",
                     "sops/uji.md:15: langkah[2].pelaksana: 'kepala bagian' is not a valid key: use letters, digits,"
                     " '_' or '-', starting with a letter", id="pelaksana-not-a-key"),
    ],
)
def test_wrong_type_is_an_error(tmp_path, old, new, expected):
    assert old in MINIMAL_SOP
    manual = check(tmp_path, {"uji.md": MINIMAL_SOP.replace(old, new, 1)})
    assert (E, expected) in found(manual)
    assert all(d.is_error for d in manual.diagnostics if d.line == int(expected.split(":")[1]))


def test_langkah_as_a_mapping_is_an_error(tmp_path):
    text = MINIMAL_SOP.split("langkah:")[0] + "langkah:\n  terima: Menerima berkas\n---\n"
    manual = check(tmp_path, {"uji.md": text})
    assert (E, f"sops/uji.md:{at(text, 9, 'langkah:')}: langkah: expected a list, got a mapping") in found(manual)


def test_pelaksana_as_a_list_is_an_error(tmp_path):
    text = MINIMAL_SOP.replace("pelaksana:\n  petugas: Petugas\n  kepala: Kepala Bagian", "pelaksana: [petugas, kepala]")
    manual = check(tmp_path, {"uji.md": text})
    assert found(manual)[0] == (E, f"sops/uji.md:{at(text, 6, 'pelaksana:')}: pelaksana: expected a mapping (key: value), got a list")


@pytest.mark.parametrize("value", ["2024-02-30", "2024-13-01", "1 Juli 2024", "01-07-2024", "2024-7-1"])
def test_invalid_date_is_an_error(tmp_path, value):
    text = MINIMAL_SOP.replace("status: berlaku\n", f"status: berlaku\ntanggal:\n  efektif: {value}\n")
    manual = check(tmp_path, {"uji.md": text})
    assert found(manual) == [
        (E, f"sops/uji.md:{at(text, 7, 'efektif:')}: tanggal.efektif: '{value}' is not a valid date:"
            " write YYYY-MM-DD (e.g. 2024-07-01)"),
    ]


def test_invalid_dates_in_signatures_and_revisions_are_errors(tmp_path):
    text = sop("""\
        ---
        nomor: SOP-UJI-001
        judul: Prosedur Uji
        unit: Bagian Uji
        pelaksana:
          petugas: Petugas
        langkah:
          - kegiatan: Menerima berkas
            pelaksana: petugas
            waktu: 10 menit
            output: Berkas diterima
        pengesahan:
          disahkan: {jabatan: Kepala, tanggal: 2024-06-31}
        revisi:
          - versi: "1.0"
            tanggal: 10/01/2024
        sosialisasi:
          - {tanggal: kemarin, versi: "1.0"}
        ---
        """)
    manual = check(tmp_path, {"uji.md": text})
    assert found(manual) == [
        (E, f"sops/uji.md:{at(text, 13, 'disahkan:')}: pengesahan.disahkan.tanggal: '2024-06-31' is not a valid date:"
            " write YYYY-MM-DD (e.g. 2024-07-01)"),
        (E, f"sops/uji.md:{at(text, 16, 'tanggal:')}: revisi[1].tanggal: '10/01/2024' is not a valid date:"
            " write YYYY-MM-DD (e.g. 2024-07-01)"),
        (E, f"sops/uji.md:{at(text, 18, '- {tanggal')}: sosialisasi[1].tanggal: 'kemarin' is not a valid date:"
            " write YYYY-MM-DD (e.g. 2024-07-01)"),
    ]


UNITS_NAMED = "with unit one of: detik, menit, jam, hari, hari kerja, minggu, bulan"


@pytest.mark.parametrize(("value", "hint"), [
    ("2 jm", "2 jam"), ("10", ""), ("sehari", ""), ("1 tahun", ""), ("1 hari 2 jam", ""), ("-5 menit", ""),
    ("5 - menit", "5 menit"), ("1:30", ""), ("1.50", ""), ("1e3", ""), ("3 hari kerj", "3 hari kerja"),
    ("5-10 mnt", "5-10 menit"), ("2 Jem", "2 jam"),
])
def test_invalid_step_duration_is_an_error_naming_the_units(tmp_path, value, hint):
    text = MINIMAL_SOP.replace("waktu: 1 jam", f"waktu: {value}")
    manual = check(tmp_path, {"uji.md": text})
    assert found(manual) == [
        (E, f"sops/uji.md:{at(text, 16, 'waktu:')}: langkah[2].waktu: '{value}' is not a duration: write"
            f" '<number> <unit>' or a range '<number>-<number> <unit>', {UNITS_NAMED}"
            + (f"; did you mean '{hint}'?" if hint else "")),
    ]
    # the invalid value is reported once, not again as "step has no waktu"
    assert not manual.warnings


def test_messages_quote_numbers_as_written(tmp_path):
    """YAML reads ``1:30`` as 90 and ``1.10`` as 1.1; the editor must see what they wrote."""
    text = MINIMAL_SOP.replace("status: berlaku", "status: 1.10").replace("waktu: 1 jam", "waktu: 1:30")
    manual = check(tmp_path, {"uji.md": text})
    assert [message for _, message in found(manual)] == [
        "sops/uji.md:5: status: '1.10' is not one of: draf, tinjauan, berlaku, dicabut",
        f"sops/uji.md:16: langkah[2].waktu: '1:30' is not a duration: write '<number> <unit>' or a range"
        f" '<number>-<number> <unit>', {UNITS_NAMED}",
    ]


def test_invalid_review_cycle_is_an_error_naming_the_units(tmp_path):
    text = MINIMAL_SOP.replace("status: berlaku\n", "status: berlaku\ntinjauan:\n  siklus: setahun\n")
    manual = check(tmp_path, {"uji.md": text})
    [(severity, message)] = found(manual)
    assert severity == E
    assert message.startswith(f"sops/uji.md:{at(text, 7, 'siklus:')}: tinjauan.siklus: 'setahun' is not a duration")
    assert message.endswith(UNITS_NAMED)


def test_reversed_range_is_an_error(tmp_path):
    text = MINIMAL_SOP.replace("waktu: 1 jam", "waktu: 10-5 menit")
    manual = check(tmp_path, {"uji.md": text})
    assert found(manual) == [(E, "sops/uji.md:16: langkah[2].waktu: '10-5 menit' is not a duration:"
                                 " the range ends before it starts")]


# -- errors: uniqueness and references ---------------------------------------------


def test_duplicate_nomor_in_two_files_is_an_error_at_the_second(tmp_path):
    manual = check(tmp_path, {"a/pertama.md": MINIMAL_SOP, "b/kedua.md": MINIMAL_SOP})
    assert found(manual) == [(E, "sops/b/kedua.md:2: nomor: 'SOP-UJI-001' is already the nomor of sops/a/pertama.md")]


def test_duplicate_step_id_is_an_error(tmp_path):
    text = sop("""\
        ---
        nomor: SOP-UJI-001
        judul: Prosedur Uji
        unit: Bagian Uji
        pelaksana:
          petugas: Petugas
        langkah:
          - id: terima
            kegiatan: Menerima berkas
            pelaksana: petugas
            waktu: 10 menit
            output: Berkas diterima
          - id: terima
            kegiatan: Memeriksa berkas
            pelaksana: petugas
            waktu: 10 menit
            output: Berkas diperiksa
        ---
        """)
    manual = check(tmp_path, {"uji.md": text})
    assert found(manual) == [
        (E, f"sops/uji.md:{at(text, 13, '- id: terima')}: langkah[2].id: duplicate step id 'terima' (first used at langkah[1])"),
    ]


SPEC_EXAMPLE = sop("""\
    ---
    nomor: SOP-TI-001
    judul: Permohonan Pembuatan Website / Sistem Informasi Baru
    unit: [Universitas Contoh, Direktorat Sistem Informasi]
    status: berlaku
    klasifikasi:
      jenis: spesifik
      sifat: administratif
      skala: makro
      kelengkapan: final
    tanggal:
      pembuatan: 2024-01-10
      revisi: 2024-06-01
      efektif: 2024-07-01
    tujuan: Memberi panduan bagi unit yang mengajukan website baru
    ruang_lingkup: Berlaku untuk seluruh unit kerja
    peralatan: [Komputer, Formulir permohonan]
    pelaksana:
      pemohon: Pengguna / Departemen Pemohon
      tim_it: Tim IT / Pengembangan Aplikasi
      pimpinan: Pimpinan
    langkah:
      - id: ajukan
        kegiatan: Mengajukan permohonan berisi deskripsi proyek
        pelaksana: pemohon
        waktu: 1 hari
        output: Formulir permohonan terisi
      - id: evaluasi
        kegiatan: Mengevaluasi kesesuaian permohonan
        pelaksana: tim_it
        waktu: 3 hari kerja
        output: Hasil evaluasi
        keputusan:
          ya: setujui
          tidak: selesai
      - id: setujui
        kegiatan: Menyetujui pembuatan website
        waktu: 1 hari
        output: Persetujuan
        keterangan: Pimpinan menandatangani
        pelaksana: tim_itt
    ---
    """)


def test_undeclared_pelaksana_reads_as_in_the_spec(tmp_path):
    manual = check(tmp_path, {"ti/website-baru.md": SPEC_EXAMPLE})
    at(SPEC_EXAMPLE, 41, "pelaksana: tim_itt")
    assert found(manual) == [
        (W, "sops/ti/website-baru.md:21: pelaksana.pimpinan: declared but no step uses this pelaksana"),
        (E, "sops/ti/website-baru.md:41: langkah[3].pelaksana: 'tim_itt' is not declared in pelaksana"
            " (declared: pemohon, tim_it, pimpinan); did you mean 'tim_it'?"),
    ]
    assert [d.line for d in manual.errors] == [41]


def test_undeclared_pelaksana_in_a_list_of_pelaksana(tmp_path):
    text = MINIMAL_SOP.replace("    pelaksana: kepala\n", "    pelaksana: [kepala, sekretaris]\n")
    manual = check(tmp_path, {"uji.md": text})
    assert found(manual) == [(E, "sops/uji.md:15: langkah[2].pelaksana: 'sekretaris' is not declared in pelaksana"
                                 " (declared: petugas, kepala)")]


FLOW_HEAD = """\
---
nomor: SOP-ALUR-001
judul: Alur
unit: Bagian Uji
pelaksana:
  petugas: Petugas
langkah:
"""  # 7 lines; the first step starts on line 8


def flow_sop(steps: str) -> str:
    return FLOW_HEAD + textwrap.indent(textwrap.dedent(steps), "  ") + "---\n"


def test_unknown_decision_target_is_an_error(tmp_path):
    text = flow_sop("""\
        - id: periksa
          kegiatan: Memeriksa berkas
          pelaksana: petugas
          waktu: 1 jam
          output: Hasil periksa
          keputusan:
            ya: arsipkan
            tidak: selesai
        - id: arsip
          kegiatan: Mengarsipkan
          pelaksana: petugas
          waktu: 1 jam
          output: Arsip
        """)
    manual = check(tmp_path, {"alur.md": text})
    assert found(manual) == [
        (E, f"sops/alur.md:{at(text, 14, 'ya: arsipkan')}: langkah[1].keputusan.ya: target 'arsipkan' is not a step id"
            " (ids: periksa, arsip) nor 'selesai'; did you mean 'arsip'?"),
        (W, f"sops/alur.md:{at(text, 16, '- id: arsip')}: langkah[2]: no path from step 1 reaches this step"),
    ]


def test_unknown_lanjut_target_is_an_error(tmp_path):
    text = flow_sop("""\
        - kegiatan: Menerima berkas
          pelaksana: petugas
          waktu: 1 jam
          output: Berkas
          lanjut: setujui
        - kegiatan: Mengarsipkan
          pelaksana: petugas
          waktu: 1 jam
          output: Arsip
        """)
    manual = check(tmp_path, {"alur.md": text})
    assert found(manual) == [
        (E, f"sops/alur.md:{at(text, 8, '- kegiatan: Menerima')}: langkah[1]: the end can never be reached from this step"
            " (a loop with no exit, or a missing target)"),
        (E, f"sops/alur.md:{at(text, 12, 'lanjut: setujui')}: langkah[1].lanjut: target 'setujui' is not a step id"
            " (ids: none) nor 'selesai'"),
        (W, f"sops/alur.md:{at(text, 13, '- kegiatan: Mengarsipkan')}: langkah[2]: no path from step 1 reaches this step"),
    ]


@pytest.mark.parametrize("branches", ["{ya: selesai}", "{}"])
def test_decision_with_fewer_than_two_branches_is_an_error(tmp_path, branches):
    text = flow_sop(f"""\
        - kegiatan: Memeriksa berkas
          pelaksana: petugas
          waktu: 1 jam
          output: Hasil periksa
          keputusan: {branches}
        """)
    manual = check(tmp_path, {"alur.md": text})
    assert found(manual) == [
        (E, f"sops/alur.md:{at(text, 12, 'keputusan:')}: langkah[1].keputusan: a decision needs at least two branches"
            " (label: target)"),
    ]


def test_step_from_which_the_end_cannot_be_reached_is_an_error(tmp_path):
    text = flow_sop("""\
        - id: terima
          kegiatan: Menerima berkas
          pelaksana: petugas
          waktu: 1 jam
          output: Berkas
        - id: periksa
          kegiatan: Memeriksa berkas
          pelaksana: petugas
          waktu: 1 jam
          output: Hasil periksa
          keputusan:
            lengkap: setujui
            kurang: periksa
        - id: setujui
          kegiatan: Menyetujui
          pelaksana: petugas
          waktu: 1 jam
          output: Persetujuan
          lanjut: periksa
        """)
    manual = check(tmp_path, {"alur.md": text})
    message = "the end can never be reached from this step (a loop with no exit, or a missing target)"
    assert found(manual) == [
        (E, f"sops/alur.md:{at(text, 8, '- id: terima')}: langkah[1]: {message}"),
        (E, f"sops/alur.md:{at(text, 13, '- id: periksa')}: langkah[2]: {message}"),
        (E, f"sops/alur.md:{at(text, 21, '- id: setujui')}: langkah[3]: {message}"),
    ]


def test_a_loop_with_an_exit_is_fine(tmp_path):
    text = flow_sop("""\
        - id: periksa
          kegiatan: Memeriksa berkas
          pelaksana: petugas
          waktu: 1 jam
          output: Hasil periksa
          keputusan:
            lengkap: selesai
            kurang: perbaiki
        - id: perbaiki
          kegiatan: Memperbaiki berkas
          pelaksana: petugas
          waktu: 1 jam
          output: Berkas diperbaiki
          lanjut: periksa
        """)
    assert found(check(tmp_path, {"alur.md": text})) == []


def test_keterkaitan_to_unknown_nomor_is_an_error(tmp_path):
    other = MINIMAL_SOP.replace("SOP-UJI-001", "SOP-UJI-002")
    text = MINIMAL_SOP.replace("status: berlaku\n", "status: berlaku\nketerkaitan:\n  - nomor: SOP-UJI-002\n"
                               "    hubungan: prasyarat\n  - SOP Pengarsipan Nasional\n  - nomor: SOP-UJI-999\n")
    manual = check(tmp_path, {"uji.md": text, "lain.md": other})
    assert found(manual) == [
        (E, f"sops/uji.md:{at(text, 10, '- nomor: SOP-UJI-999')}: keterkaitan[3].nomor: no SOP in this manual has nomor"
            " 'SOP-UJI-999'"),
    ]


def test_duplicate_revision_version_is_an_error(tmp_path):
    text = MINIMAL_SOP.replace("status: berlaku\n", "status: berlaku\nrevisi:\n  - versi: \"1.0\"\n"
                               "  - versi: 1.1\n  - versi: 1.10\n  - {versi: '1.1', perubahan: Lagi}\n")
    manual = check(tmp_path, {"uji.md": text})
    # 1.1 and 1.10 differ (unquoted 1.10 keeps its text); the quoted '1.1' repeats 1.1
    assert found(manual) == [
        (E, f"sops/uji.md:{at(text, 10, '- {versi')}: revisi[4].versi: version '1.1' already appears at revisi[2]"),
    ]


# -- warnings --------------------------------------------------------------------


def test_step_without_waktu_or_output_is_a_warning(tmp_path):
    text = MINIMAL_SOP.replace("    waktu: 10 menit\n", "").replace("    output: Berkas disetujui\n", "")
    manual = check(tmp_path, {"uji.md": text})
    assert found(manual) == [
        (W, "sops/uji.md:10: langkah[1].waktu: step has no waktu (the total time counts it as 0)"),
        (W, f"sops/uji.md:{at(text, 13, '- kegiatan: Menyetujui')}: langkah[2].output: step has no output"),
    ]
    assert not manual.errors


def test_step_with_blank_waktu_or_output_is_a_warning(tmp_path):
    """``waktu:`` left blank (as on many paper SOPs) is accepted, but the step still has no waktu."""
    text = MINIMAL_SOP.replace("waktu: 10 menit", "waktu:").replace("output: Berkas disetujui", "output:")
    manual = check(tmp_path, {"uji.md": text})
    assert found(manual) == [
        (W, f"sops/uji.md:{at(text, 12, 'waktu:')}: langkah[1].waktu: step has no waktu (the total time counts it as 0)"),
        (W, f"sops/uji.md:{at(text, 17, 'output:')}: langkah[2].output: step has no output"),
    ]


def test_declared_but_unused_pelaksana_is_a_warning(tmp_path):
    text = MINIMAL_SOP.replace("  kepala: Kepala Bagian\n", "  kepala: Kepala Bagian\n  arsiparis: Arsiparis\n")
    manual = check(tmp_path, {"uji.md": text})
    assert found(manual) == [
        (W, f"sops/uji.md:{at(text, 9, 'arsiparis:')}: pelaksana.arsiparis: declared but no step uses this pelaksana"),
    ]


def test_step_no_path_reaches_is_a_warning(tmp_path):
    text = flow_sop("""\
        - kegiatan: Menerima berkas
          pelaksana: petugas
          waktu: 1 jam
          output: Berkas
          selesai: true
        - kegiatan: Langkah yatim
          pelaksana: petugas
          waktu: 1 jam
          output: Tidak pernah
        """)
    manual = check(tmp_path, {"alur.md": text})
    assert found(manual) == [
        (W, f"sops/alur.md:{at(text, 13, '- kegiatan: Langkah yatim')}: langkah[2]: no path from step 1 reaches this step"),
    ]


def test_overdue_review_is_a_warning(tmp_path):
    text = MINIMAL_SOP.replace("status: berlaku\n", "status: berlaku\ntinjauan:\n  berikutnya: 2025-12-31\n")
    manual = check(tmp_path, {"uji.md": text})
    assert found(manual) == [
        (W, f"sops/uji.md:{at(text, 7, 'berikutnya:')}: tinjauan.berikutnya: the review was due on 2025-12-31 and is overdue"),
    ]
    assert found(check(tmp_path / "hari-ini", {"uji.md": text}, today=dt.date(2025, 12, 31))) == []


@pytest.mark.parametrize(
    ("fields", "due"),
    [
        pytest.param("tinjauan:\n  siklus: 12 bulan\n  terakhir: 2024-12-15\n", "2025-12-15", id="terakhir+siklus"),
        pytest.param("tinjauan:\n  siklus: 6 bulan\n  terakhir: 2025-05-31\n", "2025-11-30", id="end-of-month"),
        pytest.param("tinjauan:\n  siklus: 52 minggu\n  terakhir: 2024-12-20\n", "2025-12-19", id="weeks"),
        pytest.param("tanggal:\n  efektif: 2025-06-30\ntinjauan:\n  siklus: 6 bulan\n", "2025-12-30",
                     id="efektif+siklus"),
    ],
)
def test_overdue_review_computed_from_cycle_is_a_warning(tmp_path, fields, due):
    text = MINIMAL_SOP.replace("status: berlaku\n", "status: berlaku\n" + fields)
    manual = check(tmp_path, {"uji.md": text})
    line = text.splitlines().index("tinjauan:") + 1
    assert found(manual) == [(W, f"sops/uji.md:{line}: tinjauan: the review was due on {due} and is overdue")]


def test_review_not_yet_due_or_of_a_revoked_sop_is_no_warning(tmp_path):
    due_later = MINIMAL_SOP.replace("status: berlaku\n", "status: berlaku\ntinjauan:\n  siklus: 12 bulan\n"
                                    "  terakhir: 2025-06-01\n")
    revoked = MINIMAL_SOP.replace("SOP-UJI-001", "SOP-UJI-002").replace(
        "status: berlaku\n", "status: dicabut\ntinjauan:\n  berikutnya: 2020-01-01\n")
    assert found(check(tmp_path, {"a.md": due_later, "b.md": revoked})) == []


def test_teknis_sop_with_more_than_one_pelaksana_is_a_warning(tmp_path):
    text = MINIMAL_SOP.replace("status: berlaku\n", "status: berlaku\nklasifikasi:\n  sifat: teknis\n")
    manual = check(tmp_path, {"uji.md": text})
    assert found(manual) == [
        (W, f"sops/uji.md:{at(text, 7, 'sifat: teknis')}: klasifikasi.sifat: a 'teknis' SOP is carried out by one"
            " pelaksana; this one declares 2"),
    ]


def test_teknis_sop_with_one_pelaksana_is_fine(tmp_path):
    text = flow_sop("""\
        - kegiatan: Menjalankan skrip cadangan
          pelaksana: petugas
          waktu: 30 menit
          output: Berkas cadangan
        """).replace("unit: Bagian Uji\n", "unit: Bagian Uji\nklasifikasi: {sifat: teknis}\n")
    assert found(check(tmp_path, {"alur.md": text})) == []


def test_warnings_do_not_keep_an_sop_out(tmp_path):
    text = MINIMAL_SOP.replace("    output: Berkas disetujui\n", "")
    manual = check(tmp_path, {"uji.md": text})
    assert manual.warnings and not manual.errors
    assert [s.nomor for s in manual.sops] == ["SOP-UJI-001"]


# -- every problem at once -----------------------------------------------------------


MANY_MISTAKES = sop("""\
    ---
    nomor: SOP-SALAH-001
    judul: SOP dengan banyak kesalahan
    unit: Bagian Uji
    status: aktif
    klasifikasi:
      jenis: umum
      sifat: teknis
      skala: besar
    tanggal:
      efektif: 2024-13-01
    tinjauan:
      siklus: 12 bulan
      terakhir: 2024-01-15
    keterkaitan:
      - nomor: SOP-TIDAK-ADA
        hubungan: sebelum
    pelaksana:
      pemohon: Pemohon
      tim_it: Tim IT
      pimpinan: Pimpinan
    langkah:
      - id: a
        kegiatan: Mengajukan
        pelaksana: pemohon
        waktu: 2 jm
        output: Permohonan
      - id: a
        kegiatan: Mengevaluasi
        pelaksana: tim_it
        waktu: 1 hari
        output: Evaluasi
        keputusan:
          ya: c
          tidak: zzz
      - id: c
        kegiatan: Mengerjakan
        pelaksana: tim_itt
        waktu: 1 hari
        lanjut: c
      - kegiatan: Menutup
        pelaksana: pimpinan
        output: Selesai
        keputusan:
          ya: selesai
    revisi:
      - versi: "1.0"
      - versi: "1.0"
    ---
    """)


def test_a_file_with_many_mistakes_reports_all_of_them_in_one_run(tmp_path):
    never = "the end can never be reached from this step (a loop with no exit, or a missing target)"
    f = "sops/salah.md"
    manual = check(tmp_path, {"salah.md": MANY_MISTAKES, "rusak.md": "---\nnomor: [\n---\n", "baik.md": MINIMAL_SOP})
    assert found(manual) == [
        (E, "sops/rusak.md:2: invalid YAML: expected the node content, but found '<stream end>'"),
        (E, f"{f}:{at(MANY_MISTAKES, 5, 'status:')}: status: 'aktif' is not one of: draf, tinjauan, berlaku, dicabut"),
        (E, f"{f}:7: klasifikasi.jenis: 'umum' is not one of: spesifik, generik"),
        (W, f"{f}:8: klasifikasi.sifat: a 'teknis' SOP is carried out by one pelaksana; this one declares 3"),
        (E, f"{f}:{at(MANY_MISTAKES, 9, 'skala:')}: klasifikasi.skala: 'besar' is not one of: mikro, makro"),
        (E, f"{f}:{at(MANY_MISTAKES, 11, 'efektif:')}: tanggal.efektif: '2024-13-01' is not a valid date:"
            " write YYYY-MM-DD (e.g. 2024-07-01)"),
        (W, f"{f}:{at(MANY_MISTAKES, 12, 'tinjauan:')}: tinjauan: the review was due on 2025-01-15 and is overdue"),
        (E, f"{f}:{at(MANY_MISTAKES, 16, '- nomor: SOP-TIDAK-ADA')}: keterkaitan[1].nomor: no SOP in this manual has"
            " nomor 'SOP-TIDAK-ADA'"),
        (E, f"{f}:17: keterkaitan[1].hubungan: 'sebelum' is not one of: prasyarat, lanjutan, terkait"),
        (E, f"{f}:{at(MANY_MISTAKES, 23, '- id: a')}: langkah[1]: {never}"),
        (E, f"{f}:{at(MANY_MISTAKES, 26, 'waktu: 2 jm')}: langkah[1].waktu: '2 jm' is not a duration: write"
            f" '<number> <unit>' or a range '<number>-<number> <unit>', {UNITS_NAMED}; did you mean '2 jam'?"),
        (E, f"{f}:{at(MANY_MISTAKES, 28, '- id: a')}: langkah[2]: {never}"),
        (E, f"{f}:28: langkah[2].id: duplicate step id 'a' (first used at langkah[1])"),
        (E, f"{f}:{at(MANY_MISTAKES, 35, 'tidak: zzz')}: langkah[2].keputusan.tidak: target 'zzz' is not a step id"
            " (ids: a, c) nor 'selesai'"),
        (E, f"{f}:{at(MANY_MISTAKES, 36, '- id: c')}: langkah[3]: {never}"),
        (W, f"{f}:36: langkah[3].output: step has no output"),
        (E, f"{f}:{at(MANY_MISTAKES, 38, 'pelaksana: tim_itt')}: langkah[3].pelaksana: 'tim_itt' is not declared in"
            " pelaksana (declared: pemohon, tim_it, pimpinan); did you mean 'tim_it'?"),
        (W, f"{f}:{at(MANY_MISTAKES, 41, '- kegiatan: Menutup')}: langkah[4]: no path from step 1 reaches this step"),
        (W, f"{f}:41: langkah[4].waktu: step has no waktu (the total time counts it as 0)"),
        (E, f"{f}:{at(MANY_MISTAKES, 44, 'keputusan:')}: langkah[4].keputusan: a decision needs at least two branches"
            " (label: target)"),
        (E, f"{f}:{at(MANY_MISTAKES, 48, '- versi')}: revisi[2].versi: version '1.0' already appears at revisi[1]"),
    ]
    assert len(manual.errors) == 16 and len(manual.warnings) == 5


def test_the_build_lists_problems_of_every_file_sorted_by_file_and_line(tmp_path):
    broken = {f"unit-{n}/sop.md": MINIMAL_SOP.replace("SOP-UJI-001", f"SOP-{n}").replace("waktu: 1 jam", "waktu: lama")
              for n in (3, 1, 2)}
    manual = check(tmp_path, broken)
    assert [(d.file, d.line) for d in manual.diagnostics] == [(f"sops/unit-{n}/sop.md", 16) for n in (1, 2, 3)]


# -- real SOPs are accepted --------------------------------------------------------


REAL_GOVERNMENT_SOP = sop("""\
    ---
    nomor: 530/ /01-IND/IV/2019
    judul: Pelayanan Izin Usaha Industri
    unit: [Pemerintah Kabupaten Contoh, Dinas Perindustrian, Bidang Industri]
    status: berlaku
    klasifikasi:
      jenis: spesifik
      sifat: administratif
      skala:
      kelengkapan:
    tanggal:
      pembuatan: 2019-04-01
      revisi:
      efektif: 2019-04-15
    tujuan:
    ruang_lingkup:
    definisi:
    dasar_hukum:
      - Undang-Undang Nomor 3 Tahun 2014 tentang Perindustrian
    kualifikasi_pelaksana: Memahami peraturan perizinan
    keterkaitan: SOP Pelayanan Terpadu Satu Pintu
    peralatan:
    peringatan: Berkas tidak lengkap dikembalikan
    pencatatan:
    pelaksana:
      pemohon: Pemohon
      loket: Petugas Loket
      verifikator: Verifikator
      kabid: Kepala Bidang
      sekretaris: Sekretaris Dinas
      kadis: Kepala Dinas
    langkah:
      - kegiatan: Menyerahkan berkas permohonan
        pelaksana: pemohon
        kelengkapan:
        waktu: 30 detik
        output: Berkas permohonan
        keterangan:
      - id: verifikasi
        kegiatan: Memverifikasi berkas
        pelaksana: [loket, verifikator]
        kelengkapan: [Berkas permohonan, Daftar periksa]
        waktu: 1-2 hari kerja
        output: Hasil verifikasi
        keterangan:
        keputusan:
          Lengkap: paraf
          Perlu perbaikan: kembalikan
          Ditolak: selesai
      - id: kembalikan
        kegiatan: Mengembalikan berkas untuk dilengkapi
        pelaksana: loket
        waktu: 15 Menit
        output: Berkas dikembalikan
        lanjut: verifikasi
      - id: paraf
        kegiatan: Memaraf konsep izin
        pelaksana: kabid
        waktu: 0,5 hari
        output: Konsep berparaf
      - kegiatan: Memeriksa konsep izin
        pelaksana: sekretaris
        waktu: 2 jam
        output: Konsep diperiksa
      - kegiatan: Menandatangani izin
        pelaksana: kadis
        waktu: 1.5 jam
        output: Izin usaha industri
        selesai: true
    pengesahan:
      dibuat:
      diperiksa: {jabatan: Sekretaris Dinas, nama:}
      disahkan: {jabatan: Kepala Dinas, nama: Drs. Contoh, nip: "196501011990031001"}
    revisi:
      - {versi: 1.0, tanggal: 2019-04-01, perubahan: Penerbitan awal, oleh:}
      - {versi: 1.10, tanggal: 2020-01-02, perubahan: Revisi kesepuluh}
    sosialisasi:
    tags:
    ---
    Catatan bebas.
    """)


def test_a_real_government_sop_with_blanks_and_odd_values_is_accepted(tmp_path):
    manual = check(tmp_path, {"industri/izin-usaha.md": REAL_GOVERNMENT_SOP})
    assert found(manual) == []
    [loaded] = manual.sops
    assert loaded.nomor == "530/ /01-IND/IV/2019"
    assert len(loaded.pelaksana) == 6
    assert [b.label for b in loaded.langkah[1].keputusan] == ["Lengkap", "Perlu perbaikan", "Ditolak"]
    assert [s.waktu.text for s in loaded.langkah] == ["30 detik", "1-2 hari kerja", "15 Menit", "0,5 hari", "2 jam", "1.5 jam"]
    assert [r.versi for r in loaded.revisi] == ["1.0", "1.10"]
    assert loaded.current_version == "1.10"
    assert loaded.langkah[0].keterangan == "" and loaded.langkah[0].kelengkapan == ()
    assert set(loaded.pengesahan) == {"diperiksa", "disahkan"}
    assert loaded.tanggal == {"pembuatan": dt.date(2019, 4, 1), "efektif": dt.date(2019, 4, 15)}


def test_unquoted_version_keeps_its_text_through_load_bytes():
    result = load(MINIMAL_SOP.replace("status: berlaku\n", "status: berlaku\nrevisi:\n  - versi: 1.10\n  - versi: 2.0\n"))
    assert result.diagnostics == []
    assert [r.versi for r in result.sop.revisi] == ["1.10", "2.0"]


def test_every_example_sop_loads_without_problems():
    # checked on the date the tests build the example for (SOP_TODAY, see conftest)
    manual = load_manual(ROOT / "sops", "sops", dt.date.fromisoformat(os.environ["SOP_TODAY"]))
    assert found(manual) == []
    assert len(manual.sops) == len(list((ROOT / "sops").rglob("[!_]*.md")))


# -- the published JSON Schema ---------------------------------------------------------


def test_published_schema_is_valid_json_schema_2020_12():
    schema = json.loads(schema_text())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    assert set(schema["required"]) == {"nomor", "judul", "unit", "pelaksana", "langkah"}


def _as_json(value):
    """YAML data as a JSON document would carry it: dates as ISO text."""
    if isinstance(value, dict):
        return {str(k): _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


EXAMPLES = sorted((ROOT / "sops").rglob("[!_]*.md"))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.relative_to(ROOT / "sops").as_posix() for p in EXAMPLES])
def test_every_example_sop_validates_against_the_published_schema_with_plain_jsonschema(path):
    schema = json.loads(schema_text())
    front_matter = path.read_text(encoding="utf-8").split("---\n")[1]
    data = _as_json(yaml.safe_load(front_matter))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    assert [e.message for e in validator.iter_errors(data)] == []


def test_plain_jsonschema_rejects_what_the_manual_rejects():
    schema = json.loads(schema_text())
    data = _as_json(yaml.safe_load(MINIMAL_SOP.split("---\n")[1]))
    validator = jsonschema.Draft202012Validator(schema)
    assert not list(validator.iter_errors(data))
    for broken in ({**data, "status": "aktif"}, {**data, "klasifikasi": {"jenis": "umum"}},
                   {k: v for k, v in data.items() if k != "langkah"},
                   {**data, "langkah": [{"kegiatan": "x"}]}):
        assert list(validator.iter_errors(broken)), broken


def test_the_schema_file_in_the_package_is_the_one_published():
    assert schema_text() == (ROOT / "plugins" / "sop_manual" / "schema" / "sop.schema.json").read_text(encoding="utf-8")
