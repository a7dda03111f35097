"""Build-speed benchmark: the project against plain Material (and, optionally, older code), side by side.

Not a test (pytest collects only ``test_*.py``); ``make benchmark`` runs it, or by hand:

    python tests/benchmarks/build_speed.py                       # 1000 and 2000 SOPs, 3 repeats
    python tests/benchmarks/build_speed.py 2000 4000 --repeats 1
    python tests/benchmarks/build_speed.py 2000 --before ../old  # also a checkout of older code
    python tests/benchmarks/build_speed.py 2000 --serve-only --edits 5   # only the serve latency

For each size it writes a manual of that many generated SOPs (the SOPs of
``page_size.py``) configured as this repository's ``mkdocs.yml`` is (its theme, plugins and
Markdown extensions; its own ``nav``, docs and ``strict`` left out), and the same content
written by hand as plain Material pages: one Markdown page per SOP (identity table, steps
table, the Mermaid flowchart, signatures, history) kept out of the navigation with
``not_in_nav``, a catalogue table and one list page per unit, built without the ``sop`` and
``macros`` plugins (with Material's search plugin, since the project indexes its site for
search itself). ``--before`` builds the same SOPs with an older checkout's plugin, templates
and ``mkdocs.yml``. It builds each the same number of times, interleaved, and prints the
median build time, their ratio (project / plain: 1.0 means as fast as plain Material), the
peak memory of a build, and the serve latency: ``mkdocs serve`` on 127.0.0.1, one SOP file
edited, the seconds until its page shows the change (median of a few edits). Machines are
noisy: compare ratios and medians, not single numbers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(HERE), str(ROOT / "tests")]

from page_size import UNITS, sop_source, unit_name  # noqa: E402
from serving import Server  # noqa: E402

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true", "SOP_PDF": "false"}


def project_config(code: Path) -> str:
    """The mkdocs.yml of the checkout ``code`` for a generated manual: absolute paths, no nav, not strict."""
    text = (code / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"^nav:\n(?:[ \t]+.*\n|\n)*", "", text, flags=re.M)
    text = re.sub(r"^strict:.*\n", "", text, flags=re.M)
    text = re.sub(r"^      today: .*\n", "", text, flags=re.M)  # the generated SOPs are checked against 2026-01-01
    text = re.sub(r"^      book:.*\n(?:        .*\n)*", "", text, flags=re.M)  # its pages are the example's docs
    text = re.sub(r"^(\s*)custom_dir: .*$", rf"\1custom_dir: {code / 'overrides'}", text, flags=re.M)
    text = re.sub(r"^(\s*)mermaid_js: (?!/)(.*)$", rf"\1mermaid_js: {ROOT}/\2", text, flags=re.M)
    text = re.sub(r"^site_name: .*$", "site_name: Manual SOP Benchmark", text, flags=re.M)
    return text.replace("organisation: Universitas Nusantara", "organisation: Universitas Benchmark\n      today: \"2026-01-01\"")


def plain_config(code: Path) -> str:
    """The same without the project's plugins: plain Material with the SOP pages out of the nav, and
    Material's own search plugin where the project indexes the site itself (a plain site has search too)."""
    text = project_config(code)
    text = re.sub(r"^  - (sop|macros):\n(?:      .*\n)*", "", text, flags=re.M)
    if not re.search(r"^  - search\b", text, flags=re.M):
        text = text.replace("plugins:\n", "plugins:\n  - search\n", 1)
    return text + "\nnot_in_nav: |\n  /sop/**\n"


def make_sources(root: Path, count: int) -> None:
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Beranda\n\nManual SOP untuk pengukuran.\n", encoding="utf-8")
    if (ROOT / "docs" / "assets").is_dir():
        shutil.copytree(ROOT / "docs" / "assets", root / "docs" / "assets")
    for number in range(count):
        path = root / "sops" / f"unit-{number % UNITS + 1:02d}" / f"sop-{number:04d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(sop_source(number, count), encoding="utf-8")


def make_project(root: Path, count: int, code: Path) -> None:
    make_sources(root, count)
    (root / "mkdocs.yml").write_text(project_config(code), encoding="utf-8")


def make_plain(root: Path, project: Path) -> None:
    """The project's SOPs written out by hand as Markdown pages of plain Material."""
    from sop_manual.labels import labels_for
    from sop_manual.manual import load_manual, sort_key
    from sop_manual.mermaid import flowchart

    labels = labels_for("id")
    manual = load_manual(project / "sops", "sops", dt.date(2026, 1, 1))
    docs = root / "docs"
    shutil.copytree(project / "docs", docs)
    (root / "mkdocs.yml").write_text(plain_config(ROOT), encoding="utf-8")

    def cell(text: object) -> str:
        return str(text).replace("|", "\\|").replace("\n", " ")

    rows = ["| Nomor | Judul | Unit | Status | Efektif |", "| --- | --- | --- | --- | --- |"]
    units: dict[str, list] = {}
    for sop in sorted(manual.sops, key=sort_key):
        page = Path("sop") / Path(sop.source).with_suffix("")
        steps = ["| No | Kegiatan | Pelaksana | Kelengkapan | Waktu | Output |", "| --- | --- | --- | --- | --- | --- |"]
        steps += [f"| {s.number} | {cell(s.kegiatan)} | {cell(', '.join(sop.executor_name(k) for k in s.pelaksana))} |"
                  f" {cell(', '.join(s.kelengkapan))} | {cell(s.waktu.text if s.waktu else '')} | {cell(s.output)} |"
                  for s in sop.langkah]
        signatures = [f"| {role} | {cell(sig.jabatan)} | {cell(sig.nama)} | {cell(sig.nip)} |"
                      for role, sig in sop.pengesahan.items()]
        history = [f"| {cell(r.versi)} | {r.tanggal or ''} | {cell(r.perubahan)} |" for r in sop.revisi]
        text = "\n".join([
            f"# {sop.nomor} {sop.judul}", "",
            "| | |", "| --- | --- |", f"| Nomor SOP | {cell(sop.nomor)} |", f"| Unit | {cell(' / '.join(sop.unit))} |",
            f"| Status | {sop.status} |", *(f"| {axis} | {value} |" for axis, value in sop.klasifikasi.items()),
            *(f"| Tanggal {key} | {value} |" for key, value in sop.tanggal.items()),
            f"| Dasar hukum | {cell('; '.join(sop.dasar_hukum))} |", f"| Peralatan | {cell('; '.join(sop.peralatan))} |",
            *(f"| Keterkaitan | [{r.text}](../../{Path(manual.by_nomor(r.nomor).source).with_suffix('')}.md) |"
              for r in sop.keterkaitan if r.nomor and manual.by_nomor(r.nomor)), "",
            "## Tujuan", "", sop.tujuan, "", "## Ruang Lingkup", "", sop.ruang_lingkup, "",
            "## Uraian Prosedur", "", *steps, "",
            "## Diagram Alir", "", "```mermaid", flowchart(sop, labels), "```", "",
            "## Pengesahan", "", "| Peran | Jabatan | Nama | NIP |", "| --- | --- | --- | --- |", *signatures, "",
            "## Riwayat Revisi", "", "| Versi | Tanggal | Perubahan |", "| --- | --- | --- |", *history, "",
            sop.body,
        ])
        (docs / page).parent.mkdir(parents=True, exist_ok=True)
        (docs / page).with_suffix(".md").write_text(text, encoding="utf-8")
        link = f"{page.as_posix()}.md"
        rows.append(f"| {cell(sop.nomor)} | [{cell(sop.judul)}]({link}) | {cell(sop.unit[-1])} | {sop.status} |"
                    f" {sop.tanggal.get('efektif', '')} |")
        units.setdefault(sop.unit[-1], []).append((sop, link))
    (docs / "katalog.md").write_text("# Katalog SOP\n\n" + "\n".join(rows) + "\n", encoding="utf-8")
    for name, listed in units.items():
        path = docs / "unit" / f"{name.lower().replace(' ', '-')}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"# {name}\n\n" + "\n".join(f"- [{s.nomor} {s.judul}](../{link})" for s, link in listed) + "\n",
                        encoding="utf-8")


def build(root: Path, code: Path | None = None) -> tuple[float, float]:
    """(seconds, peak MB) of one ``mkdocs build`` of ``root``; ``code``: a checkout whose plugin to use."""
    env = dict(ENV)
    if code is not None and code != ROOT:
        env["PYTHONPATH"] = str(code / "plugins")
    peak = root / "peak.txt"
    start = time.perf_counter()
    result = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", str(peak), sys.executable, "-m", "mkdocs", "build",
                             "-q", "-f", str(root / "mkdocs.yml"), "-d", str(root / "site")],
                            capture_output=True, text=True, cwd=root, env=env)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"build of {root} failed:\n{result.stderr[-3000:]}")
    return seconds, int(peak.read_text().split()[-1]) / 1024


def serve_latency(root: Path, code: Path | None, edits: int) -> list[float]:
    """Seconds from saving an SOP to its page showing the change under ``mkdocs serve``, per edit."""
    env_path = os.environ.get("PYTHONPATH")
    if code is not None and code != ROOT:
        os.environ["PYTHONPATH"] = str(code / "plugins")
    source = root / "sops" / "unit-01" / "sop-0000.md"
    original = source.read_text(encoding="utf-8")
    seconds = []
    try:
        with Server(root, startup_timeout=3600) as server:
            for edit in range(edits):
                marker = f"Diubah{edit}x{time.time_ns()}"
                source.write_text(original.replace("judul: ", f"judul: {marker} ", 1), encoding="utf-8")
                seconds.append(server.wait_for("sop/unit-01/sop-0000/", lambda status, text: marker in text, 900))
                time.sleep(1)
    finally:
        source.write_text(original, encoding="utf-8")
        if env_path is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = env_path
    return seconds


def measure(count: int, repeats: int, edits: int, before: Path | None, folder: Path,
            serve_only: bool = False) -> list[dict]:
    project = folder / f"project-{count}"
    plain = folder / f"plain-{count}"
    make_project(project, count, ROOT)
    variants = [("project", project, ROOT)]
    if before is not None:
        old = folder / f"before-{count}"
        make_project(old, count, before)
        variants.append(("before", old, before))
    if serve_only:
        rows = []
        for name, root, code in variants:
            latency = serve_latency(root, code, edits)
            print(f"{name}: serve edit → page s: {', '.join(f'{value:.2f}' for value in latency)}", flush=True)
            rows.append({"variant": name, "sops": count, "build_s": None, "ratio": None, "peak_mb": None,
                         "serve_s": statistics.median(latency)})
        return rows
    make_plain(plain, project)
    times: dict[str, list[float]] = {name: [] for name, _, _ in variants}
    times["plain"] = []
    peaks: dict[str, float] = {}
    for _ in range(repeats):
        for name, root, code in [*variants, ("plain", plain, None)]:
            seconds, peak = build(root, code)
            times[name].append(seconds)
            peaks[name] = max(peaks.get(name, 0), peak)
    plain_median = statistics.median(times["plain"])
    rows = [{"variant": "plain Material", "sops": count, "build_s": plain_median, "ratio": 1.0,
             "peak_mb": peaks["plain"], "serve_s": None}]
    for name, root, code in variants:
        median = statistics.median(times[name])
        latency = serve_latency(root, code, edits) if edits else []
        rows.append({"variant": name, "sops": count, "build_s": median, "ratio": median / plain_median,
                     "peak_mb": peaks[name], "serve_s": statistics.median(latency) if latency else None})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 2000])
    parser.add_argument("--repeats", type=int, default=3, help="builds per variant (median)")
    parser.add_argument("--edits", type=int, default=3, help="SOP edits under mkdocs serve (median); 0: skip")
    parser.add_argument("--before", type=Path, help="a checkout of older code to build side by side")
    parser.add_argument("--serve-only", action="store_true", help="only the serve latency (no builds, no plain Material)")
    args = parser.parse_args()
    if args.serve_only and not args.edits:
        parser.error("--serve-only needs --edits (at least 1)")
    print("| SOPs | variant | build s (median) | ratio to plain | peak MB | serve edit → page s (median) |")
    print("| ---: | --- | ---: | ---: | ---: | ---: |", flush=True)
    for count in args.sizes:
        with tempfile.TemporaryDirectory(prefix=f"sop-speed-{count}-") as folder:
            for row in measure(count, args.repeats, args.edits, args.before, Path(folder), args.serve_only):
                cells = [f"{row['sops']:,}", row["variant"]] + [
                    "–" if row[key] is None else format(row[key], shape)
                    for key, shape in (("build_s", ".1f"), ("ratio", ".2f"), ("peak_mb", ".0f"), ("serve_s", ".1f"))]
                print(f"| {' | '.join(cells)} |", flush=True)


if __name__ == "__main__":
    main()
