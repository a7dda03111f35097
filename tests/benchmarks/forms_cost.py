"""What the official forms and the Dokumen SOP books cost a build.

Not a test: run it by hand,

    python tests/benchmarks/forms_cost.py pages 2000 3   # site build, forms on vs off, 2000 SOPs, 3 runs each
    python tests/benchmarks/forms_cost.py pdf 40 1       # pdf: true, forms and unit books on vs off

Builds the generated manual of ``page_size.py`` (20 units) with ``forms: true`` and
``forms: false`` (and, for ``pdf``, ``book: {units: false}``) in alternation, so that
both see the same machine load, and prints each run, the medians and their ratio.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from page_size import make_manual  # noqa: E402

VARIANTS = {
    "pages": {"forms on": "      forms: true\n", "forms off": "      forms: false\n"},
    "pdf": {"forms and unit books on": "      pdf: true\n      forms: true\n",
            "forms and unit books off": "      pdf: true\n      forms: false\n      book: {units: false}\n"},
}


def build(root: Path, extra: str) -> float:
    config = root / "mkdocs.yml"
    base = config.read_text(encoding="utf-8").split("  - macros:")[0]
    rest = "  - macros:" + config.read_text(encoding="utf-8").split("  - macros:")[1]
    lines = [line for line in base.splitlines(keepends=True) if not line.startswith(("      forms:", "      pdf:", "      book:"))]
    config.write_text("".join(lines) + extra + rest, encoding="utf-8")
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(root / "site")],
                            capture_output=True, text=True, cwd=root,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"})
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(result.stderr[-3000:])
    return seconds


def main(kind: str, count: int, runs: int) -> None:
    variants = VARIANTS[kind]
    times: dict[str, list[float]] = {name: [] for name in variants}
    with tempfile.TemporaryDirectory(prefix=f"sop-forms-{count}-") as folder:
        root = Path(folder)
        make_manual(root, count)
        for run in range(runs):
            for name, extra in variants.items():
                seconds = build(root, extra)
                times[name].append(seconds)
                print(f"run {run + 1}: {name}: {seconds:.1f} s", flush=True)
    medians = {name: statistics.median(values) for name, values in times.items()}
    on, off = medians.values()
    print(" | ".join(f"{name}: median {value:.1f} s" for name, value in medians.items()), f"| ratio {on / off:.2f}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
