"""Page-size benchmark: how big do pages get as a manual grows?

Not a test (pytest collects only ``test_*.py``): run it by hand,

    python tests/benchmarks/page_size.py            # 10, 200 and 2000 SOPs
    python tests/benchmarks/page_size.py 10 500     # other sizes

For each size it writes a manual of that many SOPs spread over 20 units into a
temporary folder, builds it with a plain ``mkdocs build`` (not strict), and prints
the build time, the median and largest SOP page, the catalogue page, the largest
unit page, the sitemap and the search index. An SOP page should not grow with
the number of SOPs: the plugin keeps SOP pages out of the navigation and adds
one page per unit instead.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
UNITS = 20
DEFAULT_SIZES = (10, 200, 2000)

CONFIG = """\
site_name: Manual SOP Benchmark
site_url: https://sop.example.ac.id/
theme:
  name: material
  language: id
  custom_dir: {overrides}
  font: false
  features:
    - navigation.sections
    - navigation.top
    - navigation.footer
    - search.highlight
    - toc.follow
plugins:
  - search
  - sop:
      organisation: Universitas Benchmark
      today: "2026-01-01"
  - macros:
      modules: [sop_manual.macros]
      on_error_fail: true
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - tables
  - toc:
      permalink: true
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
"""

VERBS = ["Menerima", "Memeriksa", "Mencatat", "Menyusun", "Mengirim", "Menandatangani", "Mengarsipkan", "Memverifikasi"]
OBJECTS = ["berkas permohonan", "surat pengantar", "laporan kegiatan", "formulir layanan", "dokumen anggaran",
           "berita acara", "daftar hadir", "nota dinas"]
TIMES = ["15 menit", "30 menit", "1 jam", "2 jam", "1 hari", "2-3 hari kerja", "1 minggu", "0,5 hari"]


def unit_name(index: int) -> str:
    return f"Unit Kerja {index + 1:02d}"


def sop_source(number: int, total: int) -> str:
    """SOP ``number``: the same text in every manual size (but for the SOP its keterkaitan names)."""
    rng = random.Random(number)
    unit = number % UNITS
    steps = []
    count = rng.randint(5, 10)
    decision_at = rng.randint(2, count - 1)
    for step in range(1, count + 1):
        lines = [f"  - id: l{step}",
                 f"    kegiatan: {rng.choice(VERBS)} {rng.choice(OBJECTS)} sesuai ketentuan yang berlaku",
                 f"    pelaksana: {rng.choice(['pemohon', 'petugas', 'kepala'])}",
                 f"    kelengkapan: [{rng.choice(OBJECTS).capitalize()}, {rng.choice(OBJECTS).capitalize()}]",
                 f"    waktu: {rng.choice(TIMES)}",
                 f"    output: {rng.choice(OBJECTS).capitalize()} selesai"]
        if step == decision_at:
            lines += ["    keputusan:", f"      ya: l{step + 1}", f"      tidak: l{step - 1}"]
        steps.append("\n".join(lines))
    related = (number + 1) % total
    return textwrap.dedent(f"""\
        ---
        nomor: SOP-{unit + 1:02d}-{number:04d}
        judul: Prosedur Layanan Nomor {number} pada {unit_name(unit)}
        unit: [Universitas Benchmark, {unit_name(unit)}]
        status: {rng.choice(['berlaku', 'berlaku', 'berlaku', 'draf', 'tinjauan', 'dicabut'])}
        klasifikasi: {{jenis: spesifik, sifat: administratif, skala: mikro, kelengkapan: final}}
        tanggal: {{pembuatan: 2024-01-10, revisi: 2025-06-01, efektif: 2025-07-01}}
        tinjauan: {{siklus: 12 bulan, terakhir: 2025-06-01}}
        tujuan: Memberi pedoman layanan nomor {number} agar seragam, tertib, dan terukur.
        ruang_lingkup: Berlaku di lingkungan {unit_name(unit)}.
        dasar_hukum: [Peraturan Menteri PANRB Nomor 35 Tahun 2012]
        keterkaitan:
          - nomor: SOP-{related % UNITS + 1:02d}-{related:04d}
            hubungan: terkait
        peralatan: [Komputer, Printer]
        pelaksana:
          pemohon: Pemohon
          petugas: Petugas Layanan
          kepala: Kepala {unit_name(unit)}
        langkah:
        """) + "\n".join(steps) + textwrap.dedent("""
        pengesahan:
          disahkan: {jabatan: Kepala Unit, nama: Nama Pejabat, nip: "197001011990031001"}
        revisi:
          - {versi: "1.0", tanggal: 2024-01-10, perubahan: Penerbitan awal}
        ---
        Catatan singkat.
        """)


def make_manual(root: Path, count: int) -> None:
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Beranda\n\nManual SOP untuk pengukuran.\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(CONFIG.format(overrides=ROOT / "overrides"), encoding="utf-8")
    for number in range(count):
        path = root / "sops" / f"unit-{number % UNITS + 1:02d}" / f"sop-{number:04d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(sop_source(number, count), encoding="utf-8")


def measure(count: int) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"sop-bench-{count}-") as folder:
        root = Path(folder)
        make_manual(root, count)
        site = root / "site"
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml"), "-d", str(site)],
            capture_output=True, text=True, cwd=root,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"},
        )
        seconds = time.perf_counter() - start
        if result.returncode != 0:
            raise SystemExit(f"build of {count} SOPs failed:\n{result.stderr[-3000:]}")
        sop_pages = [p.stat().st_size for p in (site / "sop").rglob("index.html")]
        first = (site / "sop" / "unit-01" / "sop-0000" / "index.html").stat().st_size
        unit_pages = [p.stat().st_size for p in (site / "unit").rglob("index.html")]
        assert len(sop_pages) == count, (len(sop_pages), count)
        return {
            "sops": count,
            "build_s": seconds,
            "sop_median": statistics.median(sop_pages),
            "sop_max": max(sop_pages),
            "sop_first": first,
            "catalogue": (site / "katalog" / "index.html").stat().st_size,
            "unit_max": max(unit_pages),
            "sitemap": (site / "sitemap.xml").stat().st_size,
            "search": (site / "search" / "search_index.json").stat().st_size,
        }


def main(sizes: list[int]) -> None:
    header = ("SOPs", "build s", "SOP page median", "SOP page max", "SOP-01-0000 page", "catalogue",
              "unit page max", "sitemap.xml", "search index")
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for count in sizes:
        row = measure(count)
        print(" | ".join([
            str(row["sops"]), f"{row['build_s']:.1f}", f"{row['sop_median']:,.0f} B", f"{row['sop_max']:,} B",
            f"{row['sop_first']:,} B", f"{row['catalogue']:,} B", f"{row['unit_max']:,} B", f"{row['sitemap']:,} B",
            f"{row['search']:,} B",
        ]), flush=True)


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or list(DEFAULT_SIZES))
