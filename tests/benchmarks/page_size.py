"""Page-size benchmark: how big do the pages a reader opens get as a manual grows?

Not a test (pytest collects only ``test_*.py``): run it by hand,

    python tests/benchmarks/page_size.py                      # 10, 200 and 2000 SOPs
    python tests/benchmarks/page_size.py 10000 --before DIR   # also an older checkout, side by side

For each size it writes a manual of that many generated SOPs (the SOPs of ``build_speed.py``)
configured as this repository's ``mkdocs.yml`` is, with one large unit (``--big-unit``: that
share of the SOPs, 30 % by default; the rest spread over 19 more units) and two hand-written
pages listing SOPs with the ``sop_list`` macro (all of them; those of the large unit). It
builds it (not strict) with this checkout and, with ``--before``, with an older checkout's
plugin, templates and ``mkdocs.yml``, one after the other, and prints, per kind of page
(SOP pages, catalogue, unit pages, role pages, ``sop_list`` pages, changelog…), how many there
are and the largest one, then the build time, the peak memory (``/usr/bin/time %M``) and the
search index of each build (Pagefind's ``pagefind/`` folder and the roots file on disk; a reader
downloads only the few chunks a query needs: ``search_speed.py``). Sizes are bytes of the HTML
file as served (without the shared CSS and JavaScript).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
UNITS = 20
DEFAULT_SIZES = (10, 200, 2000)

VERBS = ["Menerima", "Memeriksa", "Mencatat", "Menyusun", "Mengirim", "Menandatangani", "Mengarsipkan", "Memverifikasi"]
OBJECTS = ["berkas permohonan", "surat pengantar", "laporan kegiatan", "formulir layanan", "dokumen anggaran",
           "berita acara", "daftar hadir", "nota dinas"]
TIMES = ["15 menit", "30 menit", "1 jam", "2 jam", "1 hari", "2-3 hari kerja", "1 minggu", "0,5 hari"]

LISTS = {
    "daftar-semua.md": "# Semua SOP\n\n{{ sop_list() }}\n",
    "daftar-unit-besar.md": "# SOP Unit Kerja 01\n\n{{ sop_list(unit=\"Unit Kerja 01\") }}\n",
}
"""Hand-written pages with the sop_list macro: every SOP, and the SOPs of the large unit."""

KINDS = [
    ("SOP page", "sop/"), ("catalogue", "katalog/"), ("unit page", "unit/"), ("role index", "peran/index.html"),
    ("role page", "peran/"), ("sop_list page", "daftar-"), ("changelog", "perubahan/"), ("dashboard", "dasbor-mutu/"),
    ("glossary", "glosarium/"), ("forms", "formulir/"), ("home", "index.html"),
]
"""Kinds of page, by the start of their path in the site (first match wins)."""


def unit_name(index: int) -> str:
    return f"Unit Kerja {index + 1:02d}"


def even_layout(number: int) -> int:
    """Unit index of SOP ``number``: spread evenly over ``UNITS`` units."""
    return number % UNITS


def sop_source(number: int, total: int, layout: Callable[[int], int] = even_layout) -> str:
    """SOP ``number``: the same text in every manual size (but for the SOP its keterkaitan names);
    ``layout`` gives the unit index of an SOP number."""
    rng = random.Random(number)
    unit = layout(number)
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
          - nomor: SOP-{layout(related) + 1:02d}-{related:04d}
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


def big_unit_layout(number: int, share: float) -> int:
    """Unit index of SOP ``number``: ``share`` of the SOPs in unit 0, the others spread over the rest."""
    if share <= 0:
        return even_layout(number)
    if (number * share) % 1 + share >= 1 - 1e-9:
        return 0
    return 1 + number % (UNITS - 1)


def make_manual(root: Path, count: int, code: Path = ROOT, big_unit: float = 0.0) -> None:
    """A generated manual of ``count`` SOPs configured as the checkout ``code`` configures its own
    (``big_unit``: the share of the SOPs in one unit; 0 spreads them evenly)."""
    from build_speed import project_config

    docs = root / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Beranda\n\nManual SOP untuk pengukuran.\n", encoding="utf-8")
    if (code / "docs" / "assets").is_dir():
        shutil.copytree(code / "docs" / "assets", docs / "assets")
    for name, text in LISTS.items():
        (docs / name).write_text(text, encoding="utf-8")
    (root / "mkdocs.yml").write_text(project_config(code), encoding="utf-8")
    for number in range(count):
        path = root / "sops" / f"unit-{number % UNITS + 1:02d}" / f"sop-{number:04d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(sop_source(number, count, lambda n: big_unit_layout(n, big_unit)), encoding="utf-8")


def page_sizes(site: Path) -> dict[str, list[tuple[int, str]]]:
    """Every HTML page of the built site by kind: (bytes, path)."""
    kinds: dict[str, list[tuple[int, str]]] = {}
    for path in site.rglob("*.html"):
        relative = path.relative_to(site).as_posix()
        if relative.startswith(("assets/", "pagefind/", "404")):
            continue
        kind = next((name for name, start in KINDS if relative.startswith(start)), "other")
        kinds.setdefault(kind, []).append((path.stat().st_size, relative))
    return kinds


def search_size(site: Path) -> int:
    """Bytes on disk of the sop plugin's search index: Pagefind's bundle and the roots file."""
    files = [*(site / "pagefind").rglob("*"), site / "search" / "akar.json"]
    return sum(path.stat().st_size for path in files if path.is_file())


def measure(count: int, code: Path, folder: Path, big_unit: float) -> dict:
    from build_speed import build

    root = folder / f"{code.name}-{count}"
    make_manual(root, count, code, big_unit)
    seconds, peak = build(root, code)
    return {"build_s": seconds, "peak_mb": peak, "kinds": page_sizes(root / "site"), "search": search_size(root / "site")}


def kb(size: int) -> str:
    return f"{size / 1000:,.0f} kB" if size >= 10_000 else f"{size / 1000:,.1f} kB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=list(DEFAULT_SIZES))
    parser.add_argument("--before", type=Path, help="a checkout of older code to build side by side")
    parser.add_argument("--only", choices=["after", "before"], help="build one variant only (the other one measured earlier)")
    parser.add_argument("--big-unit", type=float, default=0.3, help="share of the SOPs in one unit (0: even units)")
    args = parser.parse_args()
    variants = [("after", ROOT)] + ([("before", args.before.resolve())] if args.before else [])
    variants = [(name, code) for name, code in variants if args.only in (None, name)]
    for count in args.sizes:
        with tempfile.TemporaryDirectory(prefix=f"sop-pages-{count}-") as folder:
            results = {name: measure(count, code, Path(folder), args.big_unit) for name, code in variants}
        names = [name for name, _ in variants]
        print(f"\n{count:,} SOPs (largest unit: {args.big_unit:.0%} of them)\n")
        print("| kind | " + " | ".join(f"{name}: pages | {name}: largest" for name in names) + " |")
        print("| --- |" + " ---: | --- |" * len(names))
        kinds = dict.fromkeys(name for name, _ in KINDS + [("other", "")])
        for kind in kinds:
            cells = []
            for name in names:
                found = results[name]["kinds"].get(kind, [])
                size, path = max(found) if found else (0, "")
                cells += [f"{len(found):,}", f"{kb(size)} ({path})" if found else "–"]
            if any(results[name]["kinds"].get(kind) for name in names):
                print(f"| {kind} | " + " | ".join(cells) + " |")
        print("\n| variant | build s | peak MB | search index (pagefind/) |\n| --- | ---: | ---: | ---: |")
        for name in names:
            print(f"| {name} | {results[name]['build_s']:.1f} | {results[name]['peak_mb']:.0f}"
                  f" | {kb(results[name]['search'])} |", flush=True)


if __name__ == "__main__":
    sys.path[:0] = [str(HERE)]
    main()
