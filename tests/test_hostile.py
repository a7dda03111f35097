"""Hostile input: every malformed SOP is reported exactly, and nothing else is harmed.

``tests/hostile/rusak/`` holds one broken SOP per file, each with ONE defect
(most are the same small SOP with one change); ``tests/hostile/baik/`` holds two
valid SOPs (one links to the other). Each case loads a folder with the valid SOPs
plus the broken file, as a build does, and asserts:

* the exact diagnostics (``file:line: location: message`` and severity) of the
  broken file, and none for the valid ones;
* the valid SOPs load exactly as they do without the broken file;
* loading neither raises nor hangs (a deadline stops a runaway load instead of the CI job;
  the loader's own limits, not the clock, keep a hostile file cheap, and their messages are
  what the cases assert).

One case is generated here rather than committed: the file over 5 MB.
``bukan-utf8.md`` and ``utf16.md`` are committed bytes, ``kosong.md`` is a
committed empty file. A few cases also run a real ``mkdocs build --strict``: it
must fail, print the messages, and exit non-zero.
"""

from __future__ import annotations

import datetime as dt
import shutil
import signal
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import make_project
from sop_manual.manual import Manual, load_manual

HOSTILE = Path(__file__).resolve().parent / "hostile"
VALID = HOSTILE / "baik"
CORPUS = HOSTILE / "rusak"
TODAY = dt.date(2026, 1, 1)


def E(text: str) -> tuple[str, str]:
    return ("error", text)


def W(text: str) -> tuple[str, str]:
    return ("warning", text)


NOT_A_DURATION = ("is not a duration: write '<number> <unit>' or a range '<number>-<number> <unit>',"
                  " with unit one of: detik, menit, jam, hari, hari kerja, minggu, bulan")
NEVER = "the end can never be reached from this step (a loop with no exit, or a missing target)"
PASTED = "delete it (it often comes with text pasted from another program)"
NO_TAGS = "is not supported: write plain text, numbers, true/false, lists and key: value fields"

CASES: dict[str, list[tuple[str, str]]] = {
    # name (file in tests/hostile/rusak/ without .md): diagnostics after "sops/rusak/<name>.md"
    # -- the bytes --------------------------------------------------------------------------
    "kosong": [E(":1: the file is empty: an SOP needs front matter with nomor, judul, unit, pelaksana and langkah")],
    "spasi-saja": [E(":1: the file is empty: an SOP needs front matter with nomor, judul, unit, pelaksana and langkah")],
    "bukan-utf8": [E(":3: the file is not UTF-8 text (byte 0x96); save it as UTF-8")],  # Windows-1252 en dash
    "utf16": [E(":1: the file is UTF-16 text; save it as UTF-8")],  # Notepad's "Unicode"
    "karakter-nul": [E(":3: the file contains a NUL character")],
    "karakter-kontrol": [E(f":30: the file contains the invisible character U+000B; {PASTED}")],
    # YAML counts U+2028 as a line break (editors do not): without the check, every later line is off by one
    "pemisah-baris-tak-terlihat": [E(f":3: the file contains the invisible character U+2028 (LINE SEPARATOR); {PASTED}")],
    "terlalu-besar": [E(":1: the file is 5.2 MB; an SOP file may be at most 1 MB (move attachments out of the SOP)")],
    # -- the front matter ----------------------------------------------------------------------
    "tanpa-front-matter": [E(":1: no front matter: an SOP file starts with a line '---', its YAML fields, then '---'")],
    "front-matter-tidak-ditutup": [E(":1: front matter is not closed: add a line '---' after the SOP fields")],
    "front-matter-kosong": [E(":1: the front matter is empty: an SOP needs at least nomor, judul, unit, pelaksana and"
                              " langkah")],
    "front-matter-daftar": [E(":2: the front matter must be a mapping of fields (key: value)")],
    # -- YAML ----------------------------------------------------------------------------------
    "yaml-rusak": [E(":4: invalid YAML: expected ',' or ']', but got ':' (while parsing a flow sequence on line 3)")],
    # the quote opened on line 3 is the mistake, not the end of the front matter where YAML notices it
    "kutip-tidak-ditutup": [E(":3: invalid YAML: the front matter ended while scanning a quoted scalar that starts on"
                              " this line; is a quote or bracket not closed?")],
    "tab-indentasi": [E(":8: a tab is used for indentation; YAML indents with spaces only")],
    "tab-setelah-teks": [E(":8: a tab is used for indentation; YAML indents with spaces only")],  # a tab in judul first
    "kunci-ganda": [E(":6: duplicate key 'judul'")],
    "merge-key": [E(":7: pelaksana: YAML merge keys ('<<') are not supported")],
    "kunci-bukan-teks": [E(":6: a key must be plain text")],
    "tag-python": [E(f":6: tujuan: YAML tag '!!python/object/apply:os.system' {NO_TAGS}")],
    "tag-tidak-dikenal": [E(f":6: tujuan: YAML tag '!rahasia' {NO_TAGS}")],
    "tag-bool-salah": [E(":28: langkah[3].selesai: expected true or false")],  # '!!bool mungkin'
    "bom-alias": [E(":10: x3: too many values: the front matter expands to more than 50000 values (YAML aliases"
                    " repeated?)")],
    "alias-rekursif": [E(":6: peralatan[2]: a YAML alias ('*name') refers to a value that contains it, repeating it"
                         " endlessly")],
    "bersarang-dalam": [E(":47: tujuan" + "".join(f".t{level}" for level in range(40))
                          + ": nested more than 40 levels deep")],
    "bersarang-sangat-dalam": [E(":6: nested more than 40 levels deep")],  # 20 000 '[': no RecursionError, no wait
    "angka-raksasa": [],  # a 5000-digit judul: past Python's int limit, so it stays text (no crash)
    # -- structure (the schema) ----------------------------------------------------------------
    "field-wajib-hilang": [E(":2: judul: required field is missing or empty")],
    "field-tidak-dikenal": [E(":6: penanggung_jawab: unknown field 'penanggung_jawab' (known fields: nomor, judul,"
                              " unit, status, klasifikasi, tanggal, tinjauan, tujuan, ruang_lingkup, definisi,"
                              " dasar_hukum, kualifikasi_pelaksana, keterkaitan, peralatan, peringatan, pencatatan,"
                              " pelaksana, langkah, pengesahan, revisi, sosialisasi, monev, tags)")],
    "judul-daftar": [E(":3: judul: expected text")],
    "langkah-teks": [W(":7: pelaksana.petugas: declared but no step uses this pelaksana"),
                     W(":8: pelaksana.kepala: declared but no step uses this pelaksana"),
                     E(":9: langkah: expected a list, got text")],
    "langkah-kosong": [W(":7: pelaksana.petugas: declared but no step uses this pelaksana"),
                       W(":8: pelaksana.kepala: declared but no step uses this pelaksana"),
                       E(":9: langkah: an SOP needs at least one step")],
    "langkah-tanpa-kegiatan": [E(":29: langkah[4].kegiatan: required field is missing or empty")],
    "status-tidak-dikenal": [E(":5: status: 'aktif' is not one of: draf, tinjauan, berlaku, dicabut")],
    "klasifikasi-tidak-dikenal": [E(":7: klasifikasi.jenis: 'khusus' is not one of: spesifik, generik")],
    "tanggal-tidak-ada": [E(":7: tanggal.efektif: '2024-02-30' is not a valid date: write YYYY-MM-DD (e.g. 2024-07-01)")],
    "tanggal-format-salah": [E(":7: tanggal.pembuatan: '01-07-2024' is not a valid date: write YYYY-MM-DD"
                               " (e.g. 2024-07-01)")],
    "durasi-satuan-salah": [E(f":18: langkah[2].waktu: '1 jem' {NOT_A_DURATION}; did you mean '1 jam'?")],
    "durasi-rentang-terbalik": [E(":18: langkah[2].waktu: '10-5 menit' is not a duration: the range ends before it"
                                  " starts")],
    "siklus-tinjauan-salah": [E(f":7: tinjauan.siklus: 'setahun sekali' {NOT_A_DURATION}")],
    "selesai-bukan-boolean": [E(":28: langkah[3].selesai: expected true or false")],
    # the bad key is on line 8, not on the 'pelaksana:' line above it
    "kunci-pelaksana-tidak-valid": [
        E(":8: pelaksana.kepala bagian: 'kepala bagian' is not a valid key: use letters, digits, '_' or '-', starting"
          " with a letter"),
        E(":17: langkah[2].pelaksana: 'kepala' is not declared in pelaksana (declared: petugas, kepala bagian);"
          " did you mean 'kepala bagian'?"),
        E(":31: langkah[4].pelaksana: 'kepala' is not declared in pelaksana (declared: petugas, kepala bagian);"
          " did you mean 'kepala bagian'?"),
    ],
    "keputusan-satu-cabang": [E(":20: langkah[2].keputusan: a decision needs at least two branches (label: target)"),
                              W(":22: langkah[3]: no path from step 1 reaches this step")],
    # -- rules of one SOP ----------------------------------------------------------------------
    "id-langkah-ganda": [E(":15: langkah[2].id: duplicate step id 'terima' (first used at langkah[1])")],
    "id-selesai": [E(":15: langkah[2].id: 'selesai' is reserved for the end; choose another id")],
    "pelaksana-tidak-dideklarasikan": [E(":31: langkah[4].pelaksana: 'kepla' is not declared in pelaksana (declared:"
                                         " petugas, kepala); did you mean 'kepala'?")],
    "target-keputusan-tidak-ada": [
        E(":21: langkah[2].keputusan.ya: target 'setuju' is not a step id (ids: terima, periksa, tolak, setujui) nor"
          " 'selesai'; did you mean 'setujui'?"),
        W(":29: langkah[4]: no path from step 1 reaches this step"),
    ],
    "target-lanjut-tidak-ada": [
        E(f":10: langkah[1]: {NEVER}"),
        E(":15: langkah[1].lanjut: target 'periksaa' is not a step id (ids: terima, periksa, tolak, setujui) nor"
          " 'selesai'; did you mean 'periksa'?"),
        W(":16: langkah[2]: no path from step 1 reaches this step"),
        W(":24: langkah[3]: no path from step 1 reaches this step"),
        W(":30: langkah[4]: no path from step 1 reaches this step"),
    ],
    "target-angka": [E(":22: langkah[2].keputusan.tidak: target '3' is not a step id (ids: terima, periksa, tolak,"
                       " setujui) nor 'selesai'"),  # a number where a step id belongs (a step number)
                     W(":23: langkah[3]: no path from step 1 reaches this step")],
    "keputusan-dan-lanjut": [E(":23: langkah[2].lanjut: a step takes only one of keputusan, lanjut, selesai; this one"
                               " has keputusan and lanjut")],
    "akhir-tak-tercapai": [E(f":23: langkah[3]: {NEVER}")],  # 'tolak' jumps to itself
    "siklus-tanpa-keluar": [E(f":10: langkah[1]: {NEVER}"), E(f":15: langkah[2]: {NEVER}"),
                            E(f":23: langkah[3]: {NEVER}"), E(f":29: langkah[4]: {NEVER}")],
    "revisi-versi-ganda": [E(":8: revisi[2].versi: version '1.0' already appears at revisi[1]")],
    # -- rules across files --------------------------------------------------------------------
    "nomor-ganda": [E(":2: nomor: 'SOP-BAIK-001' is already the nomor of sops/baik/alpha.md")],
    "keterkaitan-tidak-dikenal": [E(":7: keterkaitan[1].nomor: no SOP in this manual has nomor 'SOP-BAIK-003'")],
}

GENERATED = {"terlalu-besar"}


def source(name: str) -> bytes:
    """The bytes of a case: the committed file, or a generated one."""
    if name == "terlalu-besar":
        # a valid SOP with a pasted base64 image in its body, 5 MiB in all
        head = (VALID / "alpha.md").read_bytes().replace(b"SOP-BAIK-001", b"SOP-RUSAK/terlalu-besar")
        image = b"\n![denah](data:image/png;base64,"
        return head + image + b"A" * (5 * 1024 * 1024 - len(head) - len(image) - 2) + b")\n"
    return (CORPUS / f"{name}.md").read_bytes()


class TookTooLong(Exception):
    pass


@contextmanager
def deadline(seconds: int):
    """Fail (instead of hanging the CI job) when the block runs longer than ``seconds``."""
    def expire(signum, frame):
        raise TookTooLong(f"still loading after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def folder(root: Path, broken: dict[str, bytes]) -> Path:
    """``root/sops`` with the valid SOPs in ``baik/`` and ``broken`` files in ``rusak/``."""
    sops = root / "sops"
    shutil.copytree(VALID, sops / "baik")
    (sops / "rusak").mkdir()
    for name, raw in broken.items():
        (sops / "rusak" / name).write_bytes(raw)
    return sops


def guarded_load(sops: Path, limit: int = 60) -> Manual:
    """``load_manual`` with a deadline far above its normal time: a hang fails the test, a slow machine does not."""
    with deadline(limit):
        return load_manual(sops, "sops", today=TODAY)


def found(manual: Manual) -> list[tuple[str, str]]:
    return [(d.severity.value, str(d)) for d in manual.diagnostics]


def expected(name: str) -> list[tuple[str, str]]:
    return [(severity, f"sops/rusak/{name}.md{rest}") for severity, rest in CASES[name]]


@pytest.fixture(scope="module")
def valid_sops(tmp_path_factory) -> list:
    """The valid SOPs as they load alone: clean, with the link between them resolved."""
    manual = guarded_load(folder(tmp_path_factory.mktemp("baik"), {}))
    assert found(manual) == []
    assert [sop.nomor for sop in manual.sops] == ["SOP-BAIK-001", "SOP-BAIK-002"]
    assert manual.sops[0].keterkaitan[0].nomor == "SOP-BAIK-002"
    return manual.sops


def test_the_corpus_is_the_table():
    """Every committed hostile file has its expected diagnostics here (a new file cannot go untested)."""
    committed = {path.stem for path in CORPUS.iterdir()}
    assert {path.suffix for path in CORPUS.iterdir()} == {".md"}
    assert committed | GENERATED == set(CASES)
    assert not committed & GENERATED
    assert len(CASES) >= 30


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_hostile_file_is_reported_exactly_and_the_rest_is_untouched(tmp_path, valid_sops, name):
    manual = guarded_load(folder(tmp_path, {f"{name}.md": source(name)}))

    assert found(manual) == expected(name)
    assert [sop for sop in manual.sops if sop.source.startswith("baik/")] == valid_sops
    broken = [sop for sop in manual.sops if sop.source.startswith("rusak/")]
    if not any(severity == "error" for severity, _ in CASES[name]):
        assert len(broken) == 1  # no defect after all (angka-raksasa): the SOP is in the manual
    assert manual.errors or name == "angka-raksasa"


def test_every_hostile_file_at_once_reports_each_its_own_problems(tmp_path, valid_sops):
    """One run reports every problem of every file; no file's defect leaks into another's report."""
    manual = guarded_load(folder(tmp_path, {f"{name}.md": source(name) for name in CASES}), limit=120)
    assert sorted(found(manual)) == sorted(item for name in CASES for item in expected(name))
    assert [sop for sop in manual.sops if sop.source.startswith("baik/")] == valid_sops


def test_a_hostile_file_never_reaches_the_code_behind_a_yaml_tag(tmp_path):
    """``!!python/object/apply:os.system`` is refused before anything is constructed."""
    marker = tmp_path / "diretas"
    text = source("tag-python").decode().replace("[echo diretas]", f"[touch {marker}]")
    manual = guarded_load(folder(tmp_path, {"tag-python.md": text.encode()}))
    assert len(manual.errors) == 1 and "YAML tag" in manual.errors[0].message
    assert not marker.exists()


BUILT = ["yaml-rusak", "bukan-utf8", "nomor-ganda", "siklus-tanpa-keluar", "terlalu-besar"]


@pytest.mark.slow
@pytest.mark.parametrize("name", BUILT)
def test_a_real_build_with_a_hostile_file_fails_with_its_messages(tmp_path, name):
    project = make_project(tmp_path / "manual")
    shutil.copytree(VALID, project.sops / "baik")
    (project.sops / "rusak").mkdir()
    (project.sops / "rusak" / f"{name}.md").write_bytes(source(name))

    result = project.build()

    assert result.returncode != 0
    log = result.stderr
    errors = [text for severity, text in expected(name) if severity == "error"]
    printed = [line for line in log.splitlines() if line.startswith("ERROR")]
    for text in errors:
        assert any(line.endswith(f": {text}") for line in printed), log
    assert f"sop: {len(errors)} error(s) in the SOP sources (listed above); the manual was not built" in log
    assert "Traceback" not in log
    assert not (project.site / "sop" / "baik" / "alpha" / "index.html").exists()
