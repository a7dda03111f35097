"""What do role pages and learning paths cost a build of a big manual?

Not a test (pytest collects only ``test_*.py``): run it by hand,

    python tests/benchmarks/training_speed.py            # 2000 SOPs, 5 runs
    python tests/benchmarks/training_speed.py 500 7      # 500 SOPs, 7 runs
    python tests/benchmarks/training_speed.py 2000 3 --build   # also time one `mkdocs build`

It writes the same manual as ``page_size.py`` (SOPs over 20 units, three
pelaksana names shared by every SOP: the worst case for role pages, two roles
with a step in nearly every SOP), makes every third ``keterkaitan`` a
``prasyarat``, and times side by side in one run, in this process:

- ``load_manual`` (reading and checking: what every build does first);
- planning the catalogue and unit pages without learning paths (as before roles);
- planning every manual-wide page with roles and learning paths (once per build);
- rendering every role page and the role index (the HTML of the largest one is sized);

and with ``--build`` one ``mkdocs build`` for scale. The machine is shared and
noisy: read the medians and the ratios, not single runs.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))

from page_size import ROOT, make_manual  # noqa: E402

from sop_manual import learning, pages  # noqa: E402
from sop_manual.labels import labels_for  # noqa: E402
from sop_manual.manual import load_manual  # noqa: E402
from sop_manual.rendering import Renderer  # noqa: E402

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
LABELS = labels_for("id")


def with_prerequisites(root: Path) -> None:
    for index, path in enumerate(sorted((root / "sops").rglob("*.md"))):
        if index % 3 == 0:
            path.write_text(path.read_text(encoding="utf-8").replace("hubungan: terkait", "hubungan: prasyarat"),
                            encoding="utf-8")


def clock(action) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def main(count: int, runs: int, build: bool) -> None:
    renderer = Renderer([ROOT / "overrides"])
    options = pages.SiteOptions()
    with tempfile.TemporaryDirectory(prefix=f"sop-training-{count}-") as folder:
        root = Path(folder)
        make_manual(root, count)
        with_prerequisites(root)
        times: dict[str, list[float]] = {"load": [], "before": [], "after": [], "render": []}
        for _ in range(runs):
            seconds, manual = clock(lambda: load_manual(root / "sops", "sops"))
            times["load"].append(seconds)
            with mock.patch.object(pages, "BUILDERS", [pages.catalogue_pages, pages.unit_pages]), \
                    mock.patch.object(learning.Prerequisites, "path", lambda self, sops: []):
                times["before"].append(clock(lambda: pages.manual_pages(manual, LABELS, options))[0])
            seconds, planned = clock(lambda: pages.manual_pages(manual, LABELS, options))
            times["after"].append(seconds)
            role_pages = [page for page in planned if page.template.startswith("peran")]
            seconds, sizes = clock(lambda: [len(renderer.manual_page(page, lambda sop: "x/", lambda uri: uri))
                                            for page in role_pages])
            times["render"].append(seconds)
        build_s = None
        if build:
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml"),
                            "-d", str(root / "site")], check=True, capture_output=True, cwd=root, env=ENV)
            build_s = time.perf_counter() - start
    median = {name: statistics.median(values) for name, values in times.items()}
    roles = len(role_pages) - 1
    print(f"{count} SOPs, {runs} runs (medians); {roles} roles; largest role page {max(sizes) / 1e6:.1f} MB,"
          f" all role pages {sum(sizes) / 1e6:.1f} MB of HTML")
    print("step | median s | / load_manual")
    print("--- | --- | ---")
    rows = [("load_manual", median["load"]), ("plan catalogue + units, no paths (before)", median["before"]),
            ("plan every page with roles + paths (after)", median["after"]),
            ("extra planning (after - before)", median["after"] - median["before"]),
            ("render role index + role pages", median["render"])]
    for name, seconds in rows:
        print(f"{name} | {seconds:.3f} | {seconds / median['load']:.2f}")
    if build_s is not None:
        extra = median["after"] - median["before"] + median["render"]
        print(f"mkdocs build | {build_s:.1f} | {build_s / median['load']:.2f}  (roles + paths: {extra / build_s:.1%} of it)")


if __name__ == "__main__":
    numbers = [int(arg) for arg in sys.argv[1:] if not arg.startswith("--")]
    main(numbers[0] if numbers else 2000, numbers[1] if len(numbers) > 1 else 5, "--build" in sys.argv)
