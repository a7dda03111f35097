"""How fast does ``sop check`` answer on a big manual, next to the build it replaces?

Not a test (pytest collects only ``test_*.py``): run it by hand,

    python tests/benchmarks/check_speed.py            # 2000 SOPs, 5 runs
    python tests/benchmarks/check_speed.py 500 7      # 500 SOPs, 7 runs
    python tests/benchmarks/check_speed.py 2000 5 --build   # also time one `mkdocs build`

It writes the same manual as ``page_size.py`` (SOPs spread over 20 units) into a
temporary folder and runs, side by side in one run:

- ``sop check`` as an editor runs it (a new process: start-up included);
- ``load_manual`` in this process (the core alone: reading, schema, rules);
- with ``--build``, one ``mkdocs build`` (before the ``sop`` command, the only way
  to validate), for the ratio.

The machine is shared and noisy: read the medians and the ratios, not single runs.
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

from sop_manual.manual import load_manual  # noqa: E402

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, cwd=cwd, env=ENV)
    seconds = time.perf_counter() - start
    if result.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} could not run:\n{result.stderr[-2000:]}")
    return seconds


def main(count: int, runs: int, build: bool) -> None:
    with tempfile.TemporaryDirectory(prefix=f"sop-check-{count}-") as folder:
        root = Path(folder)
        make_manual(root, count)
        command = [sys.executable, "-m", "sop_manual", "check"]
        timed(command, root)  # warm the file cache once
        check = [timed(command, root) for _ in range(runs)]
        core = []
        for _ in range(runs):
            start = time.perf_counter()
            manual = load_manual(root / "sops", "sops")
            core.append(time.perf_counter() - start)
        assert len(manual.sops) == count, len(manual.sops)
        print(f"{count} SOPs, {runs} runs (median, min-max):")
        print(f"  sop check (new process): {statistics.median(check):.2f} s ({min(check):.2f}-{max(check):.2f})")
        print(f"  load_manual (in process): {statistics.median(core):.2f} s ({min(core):.2f}-{max(core):.2f})")
        print(f"  start-up and output:      {statistics.median(check) - statistics.median(core):.2f} s")
        if build:
            seconds = timed([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(root / "site")], root)
            print(f"  mkdocs build (once):      {seconds:.1f} s = {seconds / statistics.median(check):.0f}x sop check")


if __name__ == "__main__":
    arguments = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    main(int(arguments[0]) if arguments else 2000, int(arguments[1]) if len(arguments) > 1 else 5,
         "--build" in sys.argv)
