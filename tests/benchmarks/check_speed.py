"""How fast does ``sop check`` answer on a big manual, next to the build it replaces?

Not a test (pytest collects only ``test_*.py``): run it by hand,

    python tests/benchmarks/check_speed.py            # 2000 SOPs, 5 runs
    python tests/benchmarks/check_speed.py 500 7      # 500 SOPs, 7 runs
    python tests/benchmarks/check_speed.py 2000 5 --build   # also time one `mkdocs build`
    python tests/benchmarks/check_speed.py 2000 5 --against=/path/to/old/checkout

It writes the same manual as ``page_size.py`` (SOPs spread over 20 units) into a
temporary folder and runs, side by side in one run:

- ``sop check`` as an editor runs it (a new process: start-up included), with its
  cache of the last check warm (nothing changed since), and with ``--no-cache``;
- ``load_manual`` in a new process (the core alone: reading, schema, rules);
- with ``--against=CHECKOUT``, ``load_manual`` of another checkout of this project
  (e.g. the code before a speed-up) in a new process, next to this one's, interleaved
  run by run so that both see the same machine load;
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


EDITED = "sop check (one SOP edited)"
LOAD = "from sop_manual.manual import load_manual; from pathlib import Path; load_manual(Path('sops'), 'sops')"


def load_in_process_of(checkout: Path | None) -> list[str]:
    """A command loading the manual with this checkout's package, or another checkout's."""
    return [sys.executable, "-c", (f"import sys; sys.path.insert(0, {str(checkout / 'plugins')!r}); " if checkout
                                   else "") + LOAD]


def line(name: str, seconds: list[float]) -> str:
    return f"  {name:<34} {statistics.median(seconds):6.2f} s  ({min(seconds):.2f}-{max(seconds):.2f})"


def main(count: int, runs: int, build: bool, against: Path | None) -> None:
    with tempfile.TemporaryDirectory(prefix=f"sop-check-{count}-") as folder:
        root = Path(folder)
        make_manual(root, count)
        commands = {"sop check (new process)": [sys.executable, "-m", "sop_manual", "check"],
                    "sop check --no-cache": [sys.executable, "-m", "sop_manual", "check", "--no-cache"],
                    "load_manual (new process)": load_in_process_of(None)}
        if against:
            commands[f"load_manual of {against.name}"] = load_in_process_of(against)
        timed(commands["sop check (new process)"], root)  # warm the file cache once
        commands[EDITED] = commands["sop check (new process)"]
        seconds: dict[str, list[float]] = {name: [] for name in commands}
        edited = root / "sops" / "unit-01" / "sop-0000.md"
        for _ in range(runs):  # interleaved: every command sees the same load
            for name, command in commands.items():
                if name == EDITED:  # the editor's loop: one file saved, then checked
                    edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")
                seconds[name].append(timed(command, root))
        assert len(load_manual(root / "sops", "sops").sops) == count
        print(f"{count} SOPs, {runs} runs, median (min-max):")
        for name, values in seconds.items():
            print(line(name, values))
        if against:
            ratio = statistics.median(seconds[f"load_manual of {against.name}"]) / statistics.median(
                seconds["load_manual (new process)"])
            print(f"  {against.name} / this checkout: {ratio:.2f}x")
        check = seconds["sop check (new process)"]
        if build:
            seconds = timed([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(root / "site")], root)
            print(f"  mkdocs build (once):      {seconds:.1f} s = {seconds / statistics.median(check):.0f}x sop check")


if __name__ == "__main__":
    arguments = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    against = next((Path(arg.split("=", 1)[1]) for arg in sys.argv[1:] if arg.startswith("--against=")), None)
    main(int(arguments[0]) if arguments else 2000, int(arguments[1]) if len(arguments) > 1 else 5,
         "--build" in sys.argv, against)
