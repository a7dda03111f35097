"""Search benchmark: Material's lunr search, the sop search of an earlier commit and of this checkout, side by side.

Not a test (pytest collects only ``test_*.py``): run it by hand, from the repository root,

    python tests/benchmarks/search_speed.py                      # 2000 SOPs, 5 runs per engine and query
    python tests/benchmarks/search_speed.py 10000 --runs 3 --only sop --before ''   # this checkout only
    python tests/benchmarks/search_speed.py --before main~3      # another earlier commit

It writes one generated manual (``page_size.py``'s SOPs) and builds it with each engine: Material's
``search`` plugin (the sop plugin's ``search: false``), the sop plugin's search with the code of
``--before`` (its ``plugins/`` and ``overrides/`` from ``git archive``, first on PYTHONPATH), and
with this checkout. It serves each site on 127.0.0.1 and opens the home page with ``?q=WORD`` in the
system Chromium, a fresh browser context (empty cache) each time, the engines taking turns. For each
open it reports, medians over the runs:

- the bytes the server sent until the network was idle (page and search; http.server does not compress);
- when the page's load event ended, counted from the start of the navigation: search work moved before
  the load event shows here, so that it cannot hide in the next figure;
- the first result after the load event: from the end of the load event until the first result item with
  a link and a title is in the document (0 when it came before); the issue's target. A result of the
  first-page files (``first_page.py``) counts: a reader can open it, its excerpt follows with Pagefind;
- the first result counted from the start of the navigation (the whole wait of a reader).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import io
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from page_size import ROOT, UNITS, sop_source  # noqa: E402

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
"""The manual the first search measurements of issue 7 used: so that figures stay comparable."""
LUNR = CONFIG.replace("  - sop:\n", "  - search\n  - sop:\n      search: false\n")
SOP = CONFIG
BEFORE = "d5508e3"
"""main before the first page of a one-word query came from build-time files (task firstpage); ``e0b29e6``
is main before the search of issue 7 was first made faster (task search)."""
QUERIES = ("permohonan", "pengiriman")
"""A word of the SOPs as written, and a form of *kirim* that they never use (they say "Mengirim")."""
PAGE = ""
"""The home page: SOP pages also load Mermaid (served by the site when ``mermaid_js`` is set), which is not search."""
WATCH_FIRST_RESULT = """new MutationObserver((_, observer) => {
  const shown = [...document.querySelectorAll(".md-search-result__item")]
    .some(item => item.querySelector("a[href]") && item.querySelector("h1")?.textContent.trim());
  if (shown) { window.__firstResult = performance.now(); observer.disconnect(); }
}).observe(document, {childList: true, subtree: true});"""
"""Runs before the page's own scripts: the time a first result (a link with a title) enters the document,
wherever it happens (before the load event too), not when the benchmark gets round to asking."""


class CountingHandler(http.server.SimpleHTTPRequestHandler):
    sent = 0

    def log_message(self, format, *args):  # noqa: A002
        pass

    def copyfile(self, source, outputfile):
        start = source.tell()
        super().copyfile(source, outputfile)
        type(self).sent += source.tell() - start


@contextmanager
def serve(site: Path):
    handler = type("Handler", (CountingHandler,), {"sent": 0})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", handler
    finally:
        server.shutdown()
        server.server_close()


def build(root: Path, name: str, config: str, code: Path = ROOT) -> tuple[Path, float]:
    """The manual in ``root`` built with ``config`` and the plugin and overrides of ``code``."""
    (root / f"{name}.yml").write_text(config.format(overrides=code / "overrides"), encoding="utf-8")
    site = root / f"site-{name}"
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / f"{name}.yml"),
                             "-d", str(site)], capture_output=True, text=True, cwd=root,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true",
                                 "PYTHONPATH": str(code / "plugins")})
    if result.returncode != 0:
        raise SystemExit(f"build {name} failed:\n{result.stderr[-3000:]}")
    return site, time.perf_counter() - start


def measure(browser, url: str, handler, query: str) -> tuple[int, float, float | None, float | None]:
    """Bytes sent, load event end, first result after it and since the navigation start (s; None: no result)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    outside = []
    context.route("**/*", lambda route: route.continue_() if "127.0.0.1" in route.request.url
                  else (outside.append(route.request.url), route.abort()))
    context.add_init_script(WATCH_FIRST_RESULT)
    page = context.new_page()
    handler.sent = 0
    page.goto(f"{url}{PAGE}?q={query}", wait_until="load")
    loaded = page.evaluate("() => performance.getEntriesByType('navigation')[0].loadEventEnd")
    try:
        page.wait_for_function("() => window.__firstResult !== undefined", timeout=30_000)
        first = page.evaluate("() => window.__firstResult")
    except Exception:  # noqa: BLE001 - no result within 30 s, or a page that navigates away, counts as no result
        first = None
    page.wait_for_load_state("networkidle")
    sent = handler.sent
    context.close()
    assert not outside, f"requests outside 127.0.0.1: {outside}"
    if first is None:
        return sent, loaded / 1000, None, None
    return sent, loaded / 1000, max(0.0, first - loaded) / 1000, first / 1000  # 0: shown before the load event


def make_manual(root: Path, count: int) -> None:
    """``count`` SOPs (``page_size.py``'s) spread evenly over the units, and a home page."""
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Beranda\n\nManual SOP untuk pengukuran.\n", encoding="utf-8")
    for number in range(count):
        path = root / "sops" / f"unit-{number % UNITS + 1:02d}" / f"sop-{number:04d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(sop_source(number, count), encoding="utf-8")


def code_at(revision: str, folder: Path) -> Path:
    """The ``plugins/`` and ``overrides/`` of ``revision``, extracted into ``folder``."""
    archive = subprocess.run(["git", "archive", revision, "plugins", "overrides"], cwd=ROOT, capture_output=True,
                             check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def engines(folder: Path, before: str, only: str) -> dict[str, tuple[str, Path]]:
    """Engine name -> (mkdocs.yml, code), those whose name contains ``only``."""
    found = {"lunr (Material search)": (LUNR, ROOT)}
    if before:
        found[f"sop search at {before}"] = (SOP, code_at(before, folder / "before"))
    found["sop search (this checkout)"] = (SOP, ROOT)
    return {name: engine for name, engine in found.items() if only in name}


def seconds(values: list[float]) -> str:
    return f"{statistics.median(values):.3f} s" if values else "none"


def main(count: int, runs: int, before: str, only: str) -> None:
    with tempfile.TemporaryDirectory(prefix=f"sop-search-bench-{count}-") as folder:
        root = Path(folder) / "manual"
        make_manual(root, count)
        sites = {}
        for index, (engine, (config, code)) in enumerate(engines(Path(folder), before, only).items()):
            site, took = build(root, f"engine{index}", config, code)
            sites[engine] = site
            print(f"{engine}: build {took:.1f} s", flush=True)
        samples: dict[tuple[str, str], list[tuple[int, float, float | None, float | None]]] = {}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            servers = {engine: serve(site) for engine, site in sites.items()}
            opened = {engine: server.__enter__() for engine, server in servers.items()}
            try:
                for _ in range(runs):
                    for query in QUERIES:
                        for engine, (url, handler) in opened.items():
                            samples.setdefault((engine, query), []).append(measure(browser, url, handler, query))
            finally:
                for server in servers.values():
                    server.__exit__(None, None, None)
                browser.close()
    print(f"\n{count} SOPs, {runs} runs each, medians (load: os.getloadavg() {os.getloadavg()[0]:.1f} at the end):\n")
    print("engine | query | bytes moved (page + search) | load event | first result after load"
          " | first result since navigation | results found")
    print("--- | --- | --- | --- | --- | --- | ---")
    for (engine, query), values in samples.items():
        moved = statistics.median(sent for sent, *_ in values)
        after = [value for _, _, value, _ in values if value is not None]
        since = [value for *_, value in values if value is not None]
        print(f"{engine} | {query} | {moved / 1e6:.2f} MB | {seconds([load for _, load, *_ in values])}"
              f" | {seconds(after)} | {seconds(since)} | {len(after)}/{len(values)} runs")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--before", default=BEFORE, help="commit of the earlier sop search ('': none)")
    parser.add_argument("--only", default="", help="only the engines whose name contains this")
    arguments = parser.parse_args()
    main(arguments.count, arguments.runs, arguments.before, arguments.only)
