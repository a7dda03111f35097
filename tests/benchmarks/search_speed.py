"""Search benchmark: Material's lunr search (the old way) and the sop plugin's Pagefind search, side by side.

Not a test (pytest collects only ``test_*.py``): run it by hand,

    python tests/benchmarks/search_speed.py              # 2000 SOPs, 5 runs per engine and query
    python tests/benchmarks/search_speed.py 10000 3 sop  # other size and runs, the sop search only

It writes one generated manual (``page_size.py``'s SOPs), builds it twice (``search`` plugin and the
sop plugin's ``search: false``; then no ``search`` plugin and the sop plugin's search), serves each
site on 127.0.0.1, and opens the home page with ``?q=WORD`` in the system Chromium, a fresh browser
context (empty cache) each time, the engines taking turns. For each open it reports the bytes the
server sent until the results had settled (page and search; http.server does not compress), and the
time from the page's load event to the first result on screen. Medians over the runs.
"""

from __future__ import annotations

import functools
import http.server
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from page_size import CONFIG, ROOT, make_manual  # noqa: E402

ENGINES = {
    "lunr (Material search)": CONFIG.replace("  - sop:\n", "  - sop:\n      search: false\n"),
    "pagefind (sop search)": CONFIG.replace("  - search\n", ""),
}
QUERIES = ("permohonan", "pengiriman")
"""A word of the SOPs as written, and a form of *kirim* that they never use (they say "Mengirim")."""
PAGE = ""
"""The home page: SOP pages also load Mermaid (served by the site when ``mermaid_js`` is set), which is not search."""
FIRST_RESULT = """() => new Promise(resolve => {
  const seen = () => document.querySelector(".md-search-result__item");
  if (seen()) return resolve(performance.now());
  new MutationObserver((_, observer) => { if (seen()) { observer.disconnect(); resolve(performance.now()); } })
    .observe(document.documentElement, {childList: true, subtree: true});
})"""


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


def build(root: Path, name: str, config: str) -> tuple[Path, float]:
    (root / f"{name}.yml").write_text(config.format(overrides=ROOT / "overrides"), encoding="utf-8")
    site = root / f"site-{name}"
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / f"{name}.yml"),
                             "-d", str(site)], capture_output=True, text=True, cwd=root,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"})
    if result.returncode != 0:
        raise SystemExit(f"build {name} failed:\n{result.stderr[-3000:]}")
    return site, time.perf_counter() - start


def measure(browser, url: str, handler, query: str) -> tuple[int, float | None]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    outside = []
    context.route("**/*", lambda route: route.continue_() if "127.0.0.1" in route.request.url
                  else (outside.append(route.request.url), route.abort()))
    page = context.new_page()
    handler.sent = 0
    page.goto(f"{url}{PAGE}?q={query}", wait_until="load")
    loaded = page.evaluate("() => performance.getEntriesByType('navigation')[0].loadEventEnd")
    try:
        first = page.evaluate(f"() => Promise.race([({FIRST_RESULT})(), new Promise(r => setTimeout(() => r(null), 30000))])")
    except Exception:  # noqa: BLE001 - a page that navigates away or errors counts as no result
        first = None
    page.wait_for_load_state("networkidle")
    sent = handler.sent
    context.close()
    assert not outside, f"requests outside 127.0.0.1: {outside}"
    return sent, max(0.0, first - loaded) / 1000 if first is not None else None  # 0: shown before the load event


def main(count: int, runs: int, only: str = "") -> None:
    with tempfile.TemporaryDirectory(prefix=f"sop-search-bench-{count}-") as folder:
        root = Path(folder)
        make_manual(root, count)
        (root / "mkdocs.yml").unlink()
        sites = {}
        for index, (engine, config) in enumerate(item for item in ENGINES.items() if only in item[0]):
            site, seconds = build(root, f"engine{index}", config)
            sites[engine] = site
            print(f"{engine}: build {seconds:.1f} s", flush=True)
        samples: dict[tuple[str, str], list[tuple[int, float | None]]] = {}
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
    print(f"\n{count} SOPs, {runs} runs each, medians:\n")
    print("engine | query | bytes moved (page + search) | first result after load | results found")
    print("--- | --- | --- | --- | ---")
    for (engine, query), values in samples.items():
        moved = statistics.median(sent for sent, _ in values)
        times = [seconds for _, seconds in values if seconds is not None]
        shown = f"{statistics.median(times):.3f} s" if times else "none"
        print(f"{engine} | {query} | {moved / 1e6:.2f} MB | {shown} | {len(times)}/{len(values)} runs")


if __name__ == "__main__":
    arguments = sys.argv[1:]
    main(int(arguments[0]) if arguments else 2000, int(arguments[1]) if len(arguments) > 1 else 5,
         arguments[2] if len(arguments) > 2 else "")
