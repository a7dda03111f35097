"""The flow of an SOP: where each step goes, what is reachable, and the total time.

Totals are counted by hand in each test (1 hari = 8 jam = 480 menit, 1 minggu =
5 hari, 1 bulan = 4 minggu) along the paths drawn in the comments.
"""

from __future__ import annotations

import textwrap
from fractions import Fraction


from conftest import MINIMAL_SOP, ROOT, load
from sop_manual.durations import WorkingTime
from sop_manual.flow import Flow
from sop_manual.rendering import Renderer, Settings

HEAD = """\
---
nomor: SOP-ALUR-001
judul: Alur
unit: Bagian Uji
pelaksana:
  petugas: Petugas
langkah:
"""


def flow_of(steps: str) -> Flow:
    result = load(HEAD + textwrap.indent(textwrap.dedent(steps), "  ") + "---\n")
    assert result.diagnostics == [], [str(d) for d in result.diagnostics]
    return Flow(result.sop)


def totals(flow: Flow, hours_per_day: int = 8) -> tuple[Fraction, Fraction, int, int]:
    total = flow.total_time(WorkingTime(hours_per_day))
    return total.min_minutes, total.max_minutes, total.min_whole_minutes, total.max_whole_minutes


LOOP = """\
- id: terima          # 1: 10 menit
  kegiatan: Menerima berkas
  pelaksana: petugas
  waktu: 10 menit
- id: periksa         # 2: 1 jam = 60
  kegiatan: Memeriksa berkas
  pelaksana: petugas
  waktu: 1 jam
  keputusan:
    ya: setujui
    tidak: perbaiki
- id: perbaiki        # 3: 2 hari = 960
  kegiatan: Memperbaiki berkas
  pelaksana: petugas
  waktu: 2 hari
  keputusan:
    ulang: periksa
    langsung: setujui
- id: setujui         # 4: 5 to 10 menit, the last step ends
  kegiatan: Menyetujui
  pelaksana: petugas
  waktu: 5-10 menit
"""


def test_edges_follow_the_list_jumps_decisions_and_ends():
    flow = flow_of(LOOP)
    assert [(e.source, e.target, e.label) for e in flow.edges] == [
        (0, 1, None),
        (1, 3, "ya"), (1, 2, "tidak"),
        (2, 1, "ulang"), (2, 3, "langsung"),
        (3, flow.end, None),
    ]
    assert flow.end == 4
    assert [flow.is_ending(i) for i in range(4)] == [False, False, False, True]


def test_selesai_and_lanjut_and_a_branch_to_the_end():
    flow = flow_of("""\
        - kegiatan: Menerima
          pelaksana: petugas
          lanjut: arsip
        - id: tolak
          kegiatan: Menolak
          pelaksana: petugas
          selesai: true
        - id: arsip
          kegiatan: Mengarsipkan
          pelaksana: petugas
          keputusan:
            Lengkap: selesai
            Kurang: tolak
        """)
    assert [(e.source, e.target, e.label, e.target_name) for e in flow.edges] == [
        (0, 2, None, "arsip"),
        (1, 3, None, "selesai"),
        (2, 3, "Lengkap", "selesai"), (2, 1, "Kurang", "tolak"),
    ]
    assert flow.reachable_from_start() == {0, 1, 2, 3}


def test_reachability_both_ways():
    flow = flow_of("""\
        - kegiatan: A
          pelaksana: petugas
          selesai: true
        - id: b
          kegiatan: B (no path reaches it)
          pelaksana: petugas
          lanjut: c
        - id: c
          kegiatan: C (loops on itself, never ends)
          pelaksana: petugas
          lanjut: c
        """)
    assert flow.reachable_from_start() == {0, flow.end}
    assert flow.can_reach_end() == {0, flow.end}


def test_shortest_and_longest_path_with_a_loop_and_a_range():
    # shortest: 1-2-4         = 10 + 60 + 5        = 75
    # longest:  1-2-3-4       = 10 + 60 + 960 + 10 = 1040
    # (3 -> 2 would visit step 2 twice: the longest path never takes the loop back)
    assert totals(flow_of(LOOP)) == (75, 1040, 75, 1040)


def test_a_range_counts_low_for_the_minimum_and_high_for_the_maximum():
    flow = flow_of("""\
        - kegiatan: A
          pelaksana: petugas
          waktu: 1-2 hari kerja
        - kegiatan: B
          pelaksana: petugas
          waktu: 30-90 menit
        """)
    # min: 480 + 30 = 510; max: 960 + 90 = 1050
    assert totals(flow) == (510, 1050, 510, 1050)


def test_the_minimum_takes_the_shortest_branch_and_the_maximum_the_longest():
    flow = flow_of("""\
        - kegiatan: Memeriksa
          pelaksana: petugas
          waktu: 1 jam
          keputusan:
            ya: cepat
            tidak: lambat
        - id: lambat
          kegiatan: Jalur lambat
          pelaksana: petugas
          waktu: 1 minggu
          selesai: true
        - id: cepat
          kegiatan: Jalur cepat
          pelaksana: petugas
          waktu: 2-3 jam
          selesai: true
        """)
    # min: 60 + 120 = 180 (via cepat); max: 60 + 5 * 480 = 2460 (via lambat)
    assert totals(flow) == (180, 2460, 180, 2460)


def test_a_branch_straight_to_the_end_counts_only_the_steps_before_it():
    flow = flow_of("""\
        - kegiatan: Memeriksa
          pelaksana: petugas
          waktu: 20 menit
          keputusan:
            ya: lanjutkan
            tidak: selesai
        - id: lanjutkan
          kegiatan: Melanjutkan
          pelaksana: petugas
          waktu: 1 bulan
        """)
    # min: 20 (the "tidak" branch ends at once); max: 20 + 4 * 5 * 480 = 9620
    assert totals(flow) == (20, 9620, 20, 9620)


def test_seconds_are_rounded_down_to_whole_minutes():
    flow = flow_of("""\
        - kegiatan: A
          pelaksana: petugas
          waktu: 30 detik
        - kegiatan: B
          pelaksana: petugas
          waktu: 45 detik
        - kegiatan: C
          pelaksana: petugas
          waktu: 20-50 detik
        """)
    # min: 30 + 45 + 20 = 95 s = 1 min 35 s -> 1; max: 30 + 45 + 50 = 125 s = 2 min 5 s -> 2
    assert totals(flow) == (Fraction(95, 60), Fraction(125, 60), 1, 2)


def test_a_step_without_waktu_counts_as_zero():
    flow = flow_of("""\
        - kegiatan: A
          pelaksana: petugas
          waktu: 1,5 jam
        - kegiatan: B tanpa waktu
          pelaksana: petugas
        """)
    assert totals(flow) == (90, 90, 90, 90)


def test_totals_follow_the_configured_working_day():
    flow = flow_of("""\
        - kegiatan: A
          pelaksana: petugas
          waktu: 1 minggu
        - kegiatan: B
          pelaksana: petugas
          waktu: 1 hari
        """)
    # 7-hour days: 5 * 420 + 420 = 2520
    assert totals(flow, hours_per_day=7)[2:] == (2520, 2520)


def test_no_total_when_the_end_cannot_be_reached():
    result = load(HEAD + "  - id: a\n    kegiatan: A\n    pelaksana: petugas\n    lanjut: a\n---\n")
    assert Flow(result.sop).total_time(WorkingTime()) is None


def test_an_unknown_target_is_an_edge_to_nowhere():
    result = load(HEAD + "  - kegiatan: A\n    pelaksana: petugas\n    lanjut: entah\n---\n")
    flow = Flow(result.sop)
    [edge] = flow.edges
    assert (edge.target, edge.target_name) == (None, "entah")
    assert flow.successors(0) == []


def test_longest_path_search_is_bounded_and_says_so():
    # 30 decisions, each to the next step or the one after: about 1.3 million simple paths
    steps = ""
    for number in range(1, 31):
        steps += (f"- id: s{number}\n  kegiatan: Langkah {number}\n  pelaksana: petugas\n  waktu: 1 menit\n"
                  f"  keputusan:\n    a: {f's{number + 1}' if number < 30 else 'selesai'}\n"
                  f"    b: {f's{number + 2}' if number < 29 else 'selesai'}\n")
    flow = flow_of(steps)
    total = flow.total_time(WorkingTime())
    assert total.complete is False
    assert total.min_minutes == 15        # s1, s3, ..., s29: 15 steps, then the end
    assert 15 <= total.max_minutes <= 30  # a lower bound of the true 30


def test_longest_path_search_completes_on_a_wide_but_small_flow():
    steps = ""
    for number in range(1, 13):
        steps += (f"- id: s{number}\n  kegiatan: Langkah {number}\n  pelaksana: petugas\n  waktu: 1 menit\n"
                  f"  keputusan:\n    a: {f's{number + 1}' if number < 12 else 'selesai'}\n"
                  f"    b: {f's{number + 2}' if number < 11 else 'selesai'}\n")
    total = flow_of(steps).total_time(WorkingTime())
    assert (total.min_minutes, total.max_minutes, total.complete) == (6, 12, True)


def test_total_shown_to_readers():
    renderer = Renderer([ROOT / "overrides"], Settings())
    total = renderer.total_time(flow_of(LOOP))
    assert total == {"min_menit": 75, "max_menit": 1040, "complete": True,
                     "text": "1 jam 15 menit sampai 2 hari 1 jam 20 menit"}
    single = renderer.total_time(Flow(load(MINIMAL_SOP).sop))
    assert single["text"] == "1 jam 10 menit" and single["min_menit"] == single["max_menit"] == 70


def test_example_sop_total_by_hand():
    """sops/sistem-informasi/website-baru.md, counted from its steps table."""
    text = (ROOT / "sops" / "sistem-informasi" / "website-baru.md").read_text(encoding="utf-8")
    flow = Flow(load(text).sop)
    day, week, month = 480, 5 * 480, 20 * 480
    # shortest: ajukan (1 hari) -> evaluasi (3 hari) -> tolak (1 hari), selesai
    shortest = day + 3 * day + day
    # longest: ajukan, evaluasi, kebutuhan (5 hari), rencana (5 hari), persetujuan (3 hari),
    # pengembangan (2 bulan), pengujian (2 minggu), pelatihan (3 hari), implementasi (1 minggu),
    # dokumentasi (1 minggu), penyelesaian (1 hari), pemantauan (3 bulan)
    longest = day + 3 * day + 5 * day + 5 * day + 3 * day + 2 * month + 2 * week + 3 * day + week + week + day + 3 * month
    total = flow.total_time(WorkingTime())
    assert (total.min_minutes, total.max_minutes, total.complete) == (shortest, longest, True)
