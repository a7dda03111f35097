"""The built manual in a real browser: pages, Mermaid, search, print, and nothing fetched from outside.

Drives the system Chromium through Playwright (never a downloaded browser); each
site is served by ``http.server`` on 127.0.0.1 at a free port. One browser per
module. Every page of the example manual is visited once (``tour``) with every
request outside 127.0.0.1 aborted and recorded; the tests then read the visit.

Material draws each Mermaid diagram into a *closed* shadow root; an init script
opens it (test instrumentation only) so that the SVG and Mermaid's "Syntax error"
text can be found.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import example, given, settings

from conftest import ROOT, chromium_path, make_project
from hostile_text import ALL_NASTY, CHART_FIELDS, HOSTILE_SOP, hostile_texts, nasty, sop_with
from sop_manual.labels import labels_for
from sop_manual.mermaid import flowchart

sync_api = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
OPEN_SHADOW_ROOTS = """(() => {
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) { return attach.call(this, {...init, mode: "open"}); };
})();"""
MERMAID_JS = ROOT / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
DIAGRAM_MS = 20_000
NO_STICKY_HEADER = ".md-header { visibility: hidden; }"
"""For screenshots of one element: the fixed header would cover its top."""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@contextmanager
def serve(site: Path, handler: type[http.server.SimpleHTTPRequestHandler] = _Quiet) -> Iterator[str]:
    """Serve ``site`` on 127.0.0.1 at a free port (with ``handler``, a subclass of ``_Quiet``); yields the base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def pages_of(site: Path) -> list[str]:
    """Every page of a built site as a URL path relative to its root ('' for the home page)."""
    relative = (path.parent.relative_to(site).as_posix() for path in site.rglob("index.html"))
    return sorted("" if folder == "." else f"{folder}/" for folder in relative)


@pytest.fixture(scope="module")
def browser():
    executable = chromium_path()
    if executable is None:
        pytest.skip("no system Chromium (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Offline:
    """A browser context in which only 127.0.0.1 answers; every other request is aborted and recorded."""

    context: object
    outside: list[str] = field(default_factory=list)


@contextmanager
def offline_context(browser) -> Iterator[Offline]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    offline = Offline(context)

    def route(route):
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            offline.outside.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    context.add_init_script(OPEN_SHADOW_ROOTS)
    try:
        yield offline
    finally:
        context.close()


def wait_for_diagram(page) -> bool:
    """Whether the page's Mermaid block became an SVG."""
    try:
        page.locator(".sop-diagram svg").first.wait_for(timeout=DIAGRAM_MS)
    except sync_api.TimeoutError:
        return False
    return True


def syntax_errors(page) -> int:
    return page.get_by_text("Syntax error").count()


# -- the example manual, every page once ---------------------------------------------------------

@dataclass
class Visit:
    path: str
    status: int | None
    diagram: bool = False
    syntax_errors: int = 0
    bagan_visible: bool = False
    badges_visible: bool = False
    problems: list[str] = field(default_factory=list)
    """Script errors, console errors and local requests that failed."""


@dataclass
class Tour:
    visits: dict[str, Visit]
    outside: list[str]

    @property
    def sop_pages(self) -> list[Visit]:
        return [visit for path, visit in self.visits.items() if path.startswith("sop/")]


@pytest.fixture(scope="module")
def site_url(example_site) -> Iterator[str]:
    with serve(example_site) as url:
        yield url


@pytest.fixture(scope="module")
def tour(browser, example_site, site_url) -> Tour:
    """Every page, opened in its own tab (the waits overlap), then read once it has settled."""
    with offline_context(browser) as offline:
        opened = []
        for path in pages_of(example_site):
            page = offline.context.new_page()
            problems: list[str] = []
            page.on("pageerror", lambda error, problems=problems: problems.append(f"script error: {error}"))
            page.on("console", lambda message, problems=problems: problems.append(
                f"console {message.type}: {message.text}") if message.type == "error" else None)
            page.on("requestfailed", lambda request, problems=problems: problems.append(
                f"failed: {request.url} {request.failure}") if urlsplit(request.url).hostname == "127.0.0.1" else None)
            page.on("response", lambda response, problems=problems: problems.append(
                f"HTTP {response.status}: {response.url}") if response.status >= 400 else None)
            response = page.goto(site_url + path, wait_until="commit")
            opened.append((page, Visit(path, response.status if response else None), problems))
        visits = {}
        for page, visit, problems in opened:
            page.wait_for_load_state("load")
            if page.locator(".sop-diagram").count():
                visit.diagram = wait_for_diagram(page)
                visit.bagan_visible = page.locator(".sop-bagan").first.is_visible()
                visit.badges_visible = page.locator(".sop-badge").first.is_visible()
            page.wait_for_load_state("networkidle")  # late requests (a Mermaid or font fetch) show up too
            visit.syntax_errors = syntax_errors(page)
            visit.problems = list(problems)
            visits[visit.path] = visit
            page.close()
        return Tour(visits, list(offline.outside))


def test_no_page_of_the_site_fetches_anything_from_outside(tour):
    """Intranet-ready: fonts off, Mermaid served by the site itself, nothing else outside."""
    assert len(tour.visits) >= 10
    assert tour.outside == []


def test_every_page_loads_without_errors(tour):
    assert {path: visit.status for path, visit in tour.visits.items() if visit.status != 200} == {}
    assert {path: visit.problems for path, visit in tour.visits.items() if visit.problems} == {}


def test_every_sop_page_draws_its_flowchart_without_syntax_error(tour):
    sources = sorted((ROOT / "sops").rglob("*.md"))
    assert len(tour.sop_pages) == len([path for path in sources if not path.name.startswith("_")])
    assert [visit.path for visit in tour.sop_pages if not visit.diagram] == []
    assert [visit.path for visit in tour.visits.values() if visit.syntax_errors] == []


def test_every_sop_page_shows_the_matrix_and_badges(tour):
    assert [visit.path for visit in tour.sop_pages if not visit.bagan_visible] == []
    assert [visit.path for visit in tour.sop_pages if not visit.badges_visible] == []


SEARCHED = "sistem-informasi/pencadangan-basis-data-siakad"


def test_search_finds_an_sop_by_a_word_of_its_title(browser, site_url):
    source = (ROOT / "sops" / f"{SEARCHED}.md").read_text(encoding="utf-8")
    word = "Pencadangan"
    assert f"judul: {word} " in source  # the word is the title's, not only the body's
    with offline_context(browser) as offline:
        page = offline.context.new_page()
        page.goto(site_url)
        search = page.locator("input.md-search__input")
        search.click()
        search.press_sequentially(word.lower(), delay=20)
        first = page.locator(f'[data-search-results][data-query="{word.lower()}"]:not([aria-busy]) .md-search-result__item').first
        first.wait_for(timeout=15_000)
        hrefs = page.locator(".md-search-result__item a").evaluate_all("links => links.map(a => a.href)")
        assert any(urlsplit(href).path == f"/sop/{SEARCHED}/" for href in hrefs), hrefs
        assert word in first.inner_text()
        assert offline.outside == []


def test_print_hides_the_site_chrome_and_keeps_the_sop(browser, site_url, output_dir):
    with offline_context(browser) as offline:
        page = offline.context.new_page()
        page.goto(site_url + "sop/sistem-informasi/website-baru/")
        assert wait_for_diagram(page)
        page.screenshot(path=str(output_dir / "sop-layar.png"), full_page=True)
        page.locator(".sop-diagram").screenshot(path=str(output_dir / "sop-diagram.png"), style=NO_STICKY_HEADER)
        assert page.locator(".md-header").is_visible()

        page.emulate_media(media="print")
        page.screenshot(path=str(output_dir / "sop-cetak.png"), full_page=True)
        assert not page.locator(".md-header").is_visible()
        assert [page.locator(".md-sidebar").nth(n).is_visible() for n in range(page.locator(".md-sidebar").count())] \
            == [False] * page.locator(".md-sidebar").count()
        assert not page.locator(".md-footer").is_visible()
        assert page.locator(".sop").is_visible()  # the official form: identity sheet and flowchart matrix
        assert page.locator(".sop-identitas").first.is_visible()
        assert page.locator(".sop-bagan").first.is_visible()
        assert offline.outside == []
    assert (output_dir / "sop-layar.png").stat().st_size > 10_000
    assert (output_dir / "sop-cetak.png").stat().st_size > 10_000


# -- hostile text in a real page -----------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("hostile") / "manual", sops={"jahat/sop.md": HOSTILE_SOP})
    result = project.build()
    assert result.returncode == 0, result.stderr
    return project.site


@pytest.fixture(scope="module")
def hostile_url(hostile_site) -> Iterator[str]:
    with serve(hostile_site) as url:
        yield url


INJECTED = """() => {
  const all = [];
  const walk = root => root.querySelectorAll("*").forEach(element => {
    all.push(element);
    if (element.shadowRoot) walk(element.shadowRoot);
  });
  walk(document);
  return {
    images: all.filter(e => e.tagName === "IMG" && e.getAttribute("src") === "x").length,
    handlers: all.filter(e => e.hasAttribute("onerror")).length,
    scripts: all.filter(e => e.tagName === "SCRIPT" && e.textContent.includes("alert(1)")).length,
  };
}"""


def test_hostile_text_stays_text_on_every_page(browser, hostile_site, hostile_url):
    """No dialog, no injected element: not in the SOP, its unit page, the catalogue, the nav or the search."""
    with offline_context(browser) as offline:
        page = offline.context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        paths = pages_of(hostile_site)
        assert "sop/jahat/sop/" in paths and any(path.startswith("unit/") for path in paths)
        for path in paths:
            page.goto(hostile_url + path)
            if path == "sop/jahat/sop/":
                assert wait_for_diagram(page)
            page.wait_for_load_state("networkidle")
            assert page.evaluate(INJECTED) == {"images": 0, "handlers": 0, "scripts": 0}, path
        search = page.locator("input.md-search__input")
        search.click()
        search.press_sequentially("judul", delay=20)
        page.locator('[data-search-results][data-query="judul"]:not([aria-busy]) .md-search-result__item').first.wait_for(timeout=15_000)
        assert nasty("Judul") in page.locator(".md-search-result__item").first.inner_text()
        assert page.evaluate(INJECTED) == {"images": 0, "handlers": 0, "scripts": 0}
        page.wait_for_timeout(300)
        assert dialogs == []
        assert offline.outside == []


def test_hostile_text_shows_literally_and_its_flowchart_renders(browser, hostile_url, output_dir):
    with offline_context(browser) as offline:
        page = offline.context.new_page()
        page.goto(hostile_url + "sop/jahat/sop/")
        assert wait_for_diagram(page)
        assert syntax_errors(page) == 0
        page.screenshot(path=str(output_dir / "sop-jahat.png"))
        page.locator(".sop-diagram").screenshot(path=str(output_dir / "sop-jahat-diagram.png"), style=NO_STICKY_HEADER)

        assert page.title() == f"{nasty('Judul')} - Manual Uji"
        assert page.locator("h1#judul").inner_text() == nasty("Judul")
        assert page.locator(".md-header__topic").last.inner_text() == nasty("Judul")
        assert page.locator("article.sop").get_attribute("data-sop-nomor") == nasty("SOP")
        assert page.locator('td[data-col="output"]').first.inner_text() == nasty("Diterima")

        diagram = page.locator(".sop-diagram svg").first
        nodes = diagram.locator(".nodeLabel").all_inner_texts()
        assert "Mulai" in nodes and "Selesai" in nodes
        # long activities are shortened ("…"); what is shown is the editor's characters, not entities
        first = next(text for text in nodes if text.startswith("1. "))
        assert first.startswith("1. " + nasty("Menerima")[:60])
        assert any(nasty("Petugas") in text for text in nodes)  # the second pelaksana of step 2
        edges = [text for text in diagram.locator("g.edgeLabel").all_text_contents() if text.strip()]
        assert sorted(edges) == sorted([nasty("Lengkap"), nasty("Kurang")])
        assert diagram.locator("img, script, [onerror]").count() == 0


LABELS = labels_for("id")


@pytest.fixture(scope="module")
def mermaid_page(browser, hostile_url):
    """An SOP page of the manual, which loads the site's own mermaid.min.js."""
    with offline_context(browser) as offline:
        page = offline.context.new_page()
        page.goto(hostile_url + "sop/jahat/sop/")
        page.wait_for_function("() => typeof mermaid !== 'undefined' && typeof mermaid.parse === 'function'")
        yield page
        assert offline.outside == []


PARSE = """async text => {
  try { await mermaid.parse(text); return null; } catch (error) { return String(error.message || error); }
}"""


@settings(max_examples=20, derandomize=True, deadline=None)
@given(hostile_texts(CHART_FIELDS))
@example(ALL_NASTY)
def test_generated_labels_parse_in_the_real_mermaid(mermaid_page, texts):
    sop, _ = sop_with(texts)
    chart = flowchart(sop, LABELS)
    assert mermaid_page.evaluate(PARSE, chart) is None, chart


def test_the_real_mermaid_does_reject_a_broken_chart(mermaid_page):
    """The parse check can fail: an unescaped quote breaks a label."""
    assert mermaid_page.evaluate(PARSE, 'flowchart TD\n  s1["a " b"]\n') is not None
