"""Monev records (spec section 1): their rules with message and line, and what the model concludes.

Lines are counted by hand in the SOP text of each test; ``at`` double-checks the count.
"""

from __future__ import annotations

import datetime as dt
import textwrap

from conftest import MINIMAL_SOP, load
from test_validation import E, TODAY, W, at, check, found

HEAD = MINIMAL_SOP.removesuffix("---\n")
"""MINIMAL_SOP without its closing line: 17 lines, the records start at line 18."""


def with_monev(records: str, extra: str = "") -> str:
    return HEAD + extra + "monev:\n" + textwrap.indent(textwrap.dedent(records), "  ") + "---\n"


ALL_YES = "{kinerja: ya, dipahami: ya, dilaksanakan: ya, peran: ya, masalah: ya, kebutuhan: ya, sinergi: ya}"


def test_complete_monitoring_and_evaluation_records_are_clean_and_loaded_in_order(tmp_path):
    text = with_monev(f"""\
        - tanggal: 2025-01-15
          jenis: monitoring
          penilai: Kepala Subbagian Umum
          hasil: tidak-baik
          catatan: Langkah 2 sering tertunda
          tindakan: Menambah petugas
        - tanggal: 2025-07-10
          jenis: evaluasi
          penilai: Tim Monev
          kriteria: {ALL_YES.replace("sinergi: ya", "sinergi: tidak")}
        """)
    manual = check(tmp_path, {"uji.md": text})
    assert found(manual) == []
    monitoring, evaluation = manual.sops[0].monev
    assert (monitoring.tanggal, monitoring.jenis, monitoring.penilai, monitoring.hasil) == (
        dt.date(2025, 1, 15), "monitoring", "Kepala Subbagian Umum", "tidak-baik")
    assert (monitoring.catatan, monitoring.tindakan, monitoring.line) == (
        "Langkah 2 sering tertunda", "Menambah petugas", at(text, 19, "- tanggal: 2025-01-15"))
    assert evaluation.failed_criteria == ("sinergi",)
    assert evaluation.line == at(text, 25, "- tanggal: 2025-07-10")


def test_every_monev_problem_is_reported_at_once_with_its_line(tmp_path):
    text = with_monev(f"""\
        - tanggal: 2025-01-15
          jenis: monitoring
          penilai: Kepala
        - tanggal: 2025-07-10
          jenis: evaluasi
          hasil: baik
          kriteria:
            kinerja: ya
            dipahami: mungkin
        - jenis: audit
          tanggal: 2026-03-01
        - penilai: Tanpa jenis dan tanggal
        - tanggal: 2025-02-30
          jenis: monitoring
          hasil: berjalan
          kriteria: {ALL_YES}
        """)
    manual = check(tmp_path, {"uji.md": text})
    f = "sops/uji.md"
    assert found(manual) == [
        (E, f"{f}:{at(text, 19, '- tanggal: 2025-01-15')}: monev[1].hasil: a monitoring record needs hasil:"
            " baik (berjalan dengan baik) or tidak-baik"),
        (E, f"{f}:{at(text, 24, 'hasil: baik')}: monev[2].hasil: hasil belongs to a monitoring record;"
            " an evaluasi record answers the seven kriteria"),
        (E, f"{f}:{at(text, 25, 'kriteria:')}: monev[2].kriteria: an evaluasi record answers all seven kriteria"
            " with ya or tidak; missing: dilaksanakan, peran, masalah, kebutuhan, sinergi"),
        (E, f"{f}:{at(text, 27, 'dipahami: mungkin')}: monev[2].kriteria.dipahami: 'mungkin' is not one of: ya, tidak"),
        (E, f"{f}:{at(text, 28, '- jenis: audit')}: monev[3].jenis: 'audit' is not one of: monitoring, evaluasi"),
        (W, f"{f}:{at(text, 29, 'tanggal: 2026-03-01')}: monev[3].tanggal: the record is dated 2026-03-01,"
            " after the build date 2026-01-01"),
        (E, f"{f}:{at(text, 30, '- penilai')}: monev[4].jenis: required field is missing or empty"),
        (E, f"{f}:{at(text, 30, '- penilai')}: monev[4].tanggal: required field is missing or empty"),
        (E, f"{f}:{at(text, 31, '- tanggal: 2025-02-30')}: monev[5].tanggal: '2025-02-30' is not a valid date:"
            " write YYYY-MM-DD (e.g. 2024-07-01)"),
        (E, f"{f}:{at(text, 33, 'hasil: berjalan')}: monev[5].hasil: 'berjalan' is not one of: baik, tidak-baik"),
        (E, f"{f}:{at(text, 34, 'kriteria:')}: monev[5].kriteria: kriteria belong to an evaluasi record;"
            " a monitoring record gives hasil"),
    ]
    assert len(manual.errors) == 10


def test_monev_must_be_a_list_of_records(tmp_path):
    text = HEAD + "monev: baik\n---\n"
    manual = check(tmp_path, {"uji.md": text})
    assert found(manual) == [(E, f"sops/uji.md:{at(text, 18, 'monev:')}: monev: expected a list, got text")]


def test_an_unknown_criterion_or_field_names_the_known_ones(tmp_path):
    text = with_monev("""\
        - tanggal: 2025-07-10
          jenis: evaluasi
          kriteria: {kinerja: ya, dipahami: ya, dilaksanakan: ya, peran: ya, masalah: ya, kebutuhan: ya, sinergi: ya, biaya: ya}
          rekomendasi: Tidak ada
        """)
    manual = check(tmp_path, {"uji.md": text})
    messages = [message for _, message in found(manual)]
    assert messages == [
        f"sops/uji.md:{at(text, 21, 'kriteria:')}: monev[1].kriteria.biaya: unknown field 'biaya' (known fields:"
        " kinerja, dipahami, dilaksanakan, peran, masalah, kebutuhan, sinergi)",
        f"sops/uji.md:{at(text, 22, 'rekomendasi:')}: monev[1].rekomendasi: unknown field 'rekomendasi' (known fields:"
        " tanggal, jenis, penilai, hasil, kriteria, catatan, tindakan)",
    ]


def test_a_record_dated_on_the_build_date_is_not_in_the_future(tmp_path):
    text = with_monev("""\
        - tanggal: 2026-01-01
          jenis: monitoring
          hasil: baik
        """)
    assert found(check(tmp_path, {"uji.md": text}, today=TODAY)) == []


# -- what the model concludes (spec section 1) --------------------------------------------


def sop_with(*records: str, extra: str = ""):
    result = load(with_monev("".join(textwrap.dedent(part) for part in records), extra))
    assert [d for d in result.diagnostics if d.is_error] == []
    return result.sop


EVALUATION_WITH_A_NO = f"""\
    - tanggal: 2025-07-10
      jenis: evaluasi
      kriteria: {ALL_YES.replace("dilaksanakan: ya", "dilaksanakan: tidak")}
    """


def test_a_failed_criterion_without_a_later_revision_needs_revision():
    assert sop_with(EVALUATION_WITH_A_NO).needs_revision
    earlier = 'revisi:\n  - {versi: "1.0", tanggal: 2025-01-01}\n'
    assert sop_with(EVALUATION_WITH_A_NO, extra=earlier).needs_revision
    later = 'revisi:\n  - {versi: "1.0", tanggal: 2025-01-01}\n  - {versi: "1.1", tanggal: 2025-09-01}\n'
    assert not sop_with(EVALUATION_WITH_A_NO, extra=later).needs_revision


def test_only_the_latest_evaluation_counts_and_monitoring_never_asks_for_revision():
    passed_later = f"""\
    - tanggal: 2026-01-01
      jenis: evaluasi
      kriteria: {ALL_YES}
    - tanggal: 2026-02-01
      jenis: monitoring
      hasil: tidak-baik
    """
    assert not sop_with(EVALUATION_WITH_A_NO, passed_later).needs_revision


def test_the_latest_record_is_the_last_review_when_tinjauan_terakhir_is_absent():
    sop = sop_with(EVALUATION_WITH_A_NO, """\
    - tanggal: 2025-03-01
      jenis: monitoring
      hasil: baik
    """, extra="tinjauan:\n  siklus: 6 bulan\n")
    assert sop.last_review == dt.date(2025, 7, 10)
    assert sop.next_review() == dt.date(2026, 1, 10)
    assert sop.latest_monev("monitoring").tanggal == dt.date(2025, 3, 1)
