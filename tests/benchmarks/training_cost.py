"""What the glossary, the referenced-by lists and the self-checks cost at a large manual.

Not a test: run it by hand, from the repository root,

    python tests/benchmarks/training_cost.py                 # 2000 SOPs, 3 rounds: 89844af against a4c6743
    python tests/benchmarks/training_cost.py 500 --rounds 5 --before main~3 --after .

It writes one manual of that many SOPs (the page-size benchmark's SOPs, plus two
``definisi`` terms each from a shared vocabulary, so that the glossary merges), then
builds it with the code of two commits (``--before``, ``--after``: their ``plugins/``
and ``overrides/`` from ``git archive``, put first on PYTHONPATH; ``--after .`` is this
checkout), alternating, ``--rounds`` times each. The defaults are main just before the
training views landed and the commit that landed them, so that only they differ. It prints the median build time of each and their
ratio, the median and largest SOP page, the search index and the glossary page. Machines
here are shared and noisy: read the ratio of medians, not single figures.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_speed import project_config  # noqa: E402
from page_size import make_manual, search_size  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
TERMS = [f"Istilah Layanan {index:02d}" for index in range(40)]


def add_definitions(sops: Path) -> None:
    for number, path in enumerate(sorted(sops.rglob("*.md"))):
        lines = "".join(f"  {TERMS[(number + offset * 7) % len(TERMS)]}: Arti baku istilah"
                        f" {TERMS[(number + offset * 7) % len(TERMS)]} di seluruh universitas.\n" for offset in range(2))
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("dasar_hukum:", "definisi:\n" + lines + "dasar_hukum:", 1), encoding="utf-8")


def code_at(revision: str, folder: Path) -> Path:
    archive = subprocess.run(["git", "archive", revision, "plugins", "overrides", "mkdocs.yml"], cwd=ROOT, capture_output=True,
                             check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def build(root: Path, code: Path, site: Path) -> float:
    (root / "mkdocs.yml").write_text(project_config(code), encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true",
           "PYTHONPATH": str(code / "plugins")}
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml"),
                             "-d", str(site)], capture_output=True, text=True, cwd=root, env=env)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"build with {code} failed:\n{result.stderr[-3000:]}")
    return seconds


def sizes(site: Path) -> dict[str, float]:
    pages = [path.stat().st_size for path in (site / "sop").rglob("index.html")]
    glossary = site / "glosarium" / "index.html"
    return {"sop_median": statistics.median(pages), "sop_max": max(pages),
            "search": (lunr.stat().st_size if (lunr := site / "search" / "search_index.json").is_file()
                       else search_size(site)),
            "glossary": glossary.stat().st_size if glossary.is_file() else 0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--before", default="89844af", help="commit without the training views")
    parser.add_argument("--after", default="a4c6743", help="commit with them ('.': this checkout)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sop-training-") as folder:
        root = Path(folder) / "manual"
        make_manual(root, args.count)
        add_definitions(root / "sops")
        codes = {"before": code_at(args.before, Path(folder) / "before"),
                 "after": ROOT if args.after == "." else code_at(args.after, Path(folder) / "after")}
        times: dict[str, list[float]] = {name: [] for name in codes}
        for _ in range(args.rounds):
            for name, code in codes.items():
                times[name].append(build(root, code, Path(folder) / f"site-{name}"))
        measured = {name: sizes(Path(folder) / f"site-{name}") for name in codes}
    print(f"{args.count} SOPs, {args.rounds} rounds, before = {args.before}, after = {args.after}")
    print("| | build s (median) | SOP page median | SOP page max | search index | glossary page |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name in codes:
        row = measured[name]
        print(f"| {name} | {statistics.median(times[name]):.1f} ({', '.join(f'{t:.1f}' for t in times[name])}) |"
              f" {row['sop_median']:,.0f} B | {row['sop_max']:,} B | {row['search']:,} B | {row['glossary']:,} B |")
    ratio = statistics.median(times["after"]) / statistics.median(times["before"])
    page_ratio = measured["after"]["sop_median"] / measured["before"]["sop_median"]
    print(f"after/before: build time x{ratio:.2f}, median SOP page x{page_ratio:.2f}")


if __name__ == "__main__":
    main()
