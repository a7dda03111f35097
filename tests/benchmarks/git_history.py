"""What reading each version's changes from git costs a build.

Not a test: run it by hand,

    python tests/benchmarks/git_history.py              # the example manual, then 200 and 2000 SOPs
    python tests/benchmarks/git_history.py 500          # other sizes

For each generated size it writes a manual in a fresh git repository with a realistic history:
every SOP committed at version 1.0; then one commit per unit revising its SOPs to 1.1 (a step
added, a time changed); the SOPs of two units moved to another folder; a typo fixed in a quarter
of the files; version 1.2 for half of the SOPs. Then, side by side in one run (medians of
``--runs`` runs, in random order):

- ``load``: reading and checking the manual (``load_manual``), what every build does anyway;
- ``history cold``: ``GitHistory.versions`` in a new instance (a ``mkdocs build``);
- ``history warm``: the same instance again (a ``mkdocs serve`` rebuild: comparisons cached);
- ``per-file git``: the naive way for contrast, one ``git log --follow`` per SOP (history only,
  no file contents and no comparison), on a sample of 100 SOPs scaled to the whole manual.

The ratio that matters is ``history cold / load``: what the git history adds to the part of a
build that grows with the number of SOPs.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "plugins"))

from sop_manual.history import GitHistory  # noqa: E402
from sop_manual.labels import labels_for  # noqa: E402
from sop_manual.manual import load_manual  # noqa: E402

UNITS = 20
ENV = {**os.environ, "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "b@example.org", "GIT_COMMITTER_NAME": "Bench",
       "GIT_COMMITTER_EMAIL": "b@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True, env=ENV).stdout


def sop_source(number: int, versions: list[tuple[str, str]], extra_step: bool, waktu: str, typo: bool) -> str:
    steps = "".join(
        f"  - id: s{step}\n    kegiatan: {'Menerima' if typo and step == 1 else 'Menerma'} berkas tahap {step} nomor {number}\n"
        f"    pelaksana: {'petugas' if step % 2 else 'kepala'}\n    waktu: {waktu if step == 2 else '30 menit'}\n"
        f"    output: Berkas tahap {step}\n"
        for step in range(1, 9 + (1 if extra_step else 0)))
    revisions = "".join(f'  - {{versi: "{v}", tanggal: {d}, perubahan: Perubahan {v}}}\n' for v, d in versions)
    return (f"---\nnomor: SOP-B-{number:05d}\njudul: Prosedur Uji {number}\nunit: [Org, Unit {number % UNITS:02d}]\n"
            f"status: berlaku\npelaksana:\n  petugas: Petugas\n  kepala: Kepala\nlangkah:\n{steps}revisi:\n{revisions}---\n")


def generate(root: Path, size: int) -> None:
    sops = root / "sops"
    git(root.parent, "init", "-q", "-b", "main", str(root))
    folder = {n: f"unit-{n % UNITS:02d}" for n in range(size)}

    def write(n: int, versions, extra=False, waktu="1 jam", typo=False) -> None:
        path = sops / folder[n] / f"sop-{n:05d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(sop_source(n, versions, extra, waktu, typo), encoding="utf-8")

    v10 = [("1.0", "2024-01-10")]
    v11 = v10 + [("1.1", "2024-07-01")]
    v12 = v11 + [("1.2", "2025-02-01")]
    for n in range(size):
        write(n, v10)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "1.0")
    for unit in range(UNITS):
        for n in range(unit, size, UNITS):
            write(n, v11, extra=True)
        git(root, "commit", "-qam", f"1.1 unit {unit}")
    (sops / "pindah").mkdir()
    for unit in (0, 1):
        git(root, "mv", f"sops/unit-{unit:02d}", f"sops/pindah/unit-{unit:02d}")
        for n in range(unit, size, UNITS):
            folder[n] = f"pindah/unit-{unit:02d}"
    git(root, "commit", "-qm", "move two units")
    for n in range(0, size, 4):
        write(n, v11, extra=True, typo=True)
    git(root, "commit", "-qam", "typos")
    for n in range(0, size, 2):
        write(n, v12, extra=True, waktu="2 jam", typo=n % 4 == 0)
    git(root, "commit", "-qam", "1.2")


def median_times(jobs: dict, runs: int) -> dict[str, float]:
    times: dict[str, list[float]] = {name: [] for name in jobs}
    for _ in range(runs):
        order = list(jobs)
        random.shuffle(order)
        for name in order:
            start = time.perf_counter()
            jobs[name]()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def measure(sops_root: Path, runs: int, label: str) -> None:
    labels = labels_for("id")
    manual = load_manual(sops_root, "sops")
    warm = GitHistory(sops_root, labels)
    versions = warm.versions(manual.sops)
    sample = manual.sops[:100]
    repo = Path(git(sops_root, "rev-parse", "--show-toplevel").strip())

    def per_file() -> None:
        for sop in sample:
            git(repo, "log", "--follow", "--format=%H", "--", str(sops_root / sop.source))

    jobs = {
        "load": lambda: load_manual(sops_root, "sops"),
        "history cold": lambda: GitHistory(sops_root, labels).versions(manual.sops),
        "history warm": lambda: warm.versions(manual.sops),
        "per-file git (sample)": per_file,
    }
    medians = median_times(jobs, runs)
    medians["per-file git (sample)"] *= len(manual.sops) / max(len(sample), 1)
    from_git = sum(1 for per_sop in versions.values() for v in per_sop.values() if v.source == "git")
    print(f"\n{label}: {len(manual.sops)} SOPs, {sum(len(s.revisi) for s in manual.sops)} versions,"
          f" {from_git} described from git; medians of {runs} runs")
    for name, seconds in medians.items():
        print(f"  {name:28s} {seconds:8.3f} s   ({seconds / medians['load']:.2f} x load)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[200, 2000])
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    measure(ROOT / "sops", max(arguments.runs, 5), "example manual")
    for size in arguments.sizes:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder) / "manual"
            start = time.perf_counter()
            generate(root, size)
            print(f"\n(generated {size} SOPs with their history in {time.perf_counter() - start:.1f} s)")
            measure(root / "sops", arguments.runs, f"generated manual")


if __name__ == "__main__":
    main()
