"""The manual's search: Pagefind index built by mkdocs build, Indonesian roots, filters, ?q= links, sub-paths.

Browser tests run on the system Chromium with every request outside 127.0.0.1 aborted and recorded
(helpers of test_browser.py); the example manual is the session-built ``example_site``.
"""

from __future__ import annotations

import http.server
import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from conftest import MINIMAL_SOP, ROOT, make_project, search_fragments
from sop_manual.first_page import bucket
from sop_manual.indonesian import candidates, root_among, words
from sop_manual.search_index import ROOTS_MARK, indexed_view, page_text

from test_browser import _Quiet, browser, offline_context, serve  # noqa: F401 - fixtures and helpers

RESULTS = "[data-search-results] .md-search-result__item"
EMAIL = "sistem-informasi/permohonan-akun-email"
"""SOP-DSI-000, revoked (dicabut): "permohonan", "pemohon", never "memohon"."""


def fragments(site: Path) -> list[dict]:
    return list(search_fragments(site).values())


# -- the index as built ---------------------------------------------------------------------------

def test_every_page_is_indexed_without_the_diagram_and_the_matrix(example_site):
    stored = {fragment["url"]: fragment for fragment in fragments(example_site)}
    pages = {"/" + path.parent.relative_to(example_site).as_posix() + "/"
             for path in example_site.rglob("index.html")} - {"/./"} | {"/"}
    assert set(stored) == pages  # SOP pages, docs/ pages, catalogue and unit pages
    sop = stored[f"/sop/{EMAIL}/"]
    assert sop["meta"]["nomor"] == "SOP-DSI-000" and sop["meta"]["status"] == "dicabut"
    assert sop["filters"]["status"] == ["dicabut"]
    assert set(sop["filters"]) == {"unit", "status", "jenis", "sifat", "skala", "kelengkapan", "pelaksana"}
    text = sop["content"].split(ROOTS_MARK)[0]
    assert "flowchart" not in text and "classDef" not in text  # Mermaid source
    assert "Bersambung" not in text and "Mulai/selesai" not in text  # the matrix
    assert "Uraian Prosedur" in text


def test_the_roots_of_a_page_follow_its_text(example_site):
    stored = {fragment["url"]: fragment for fragment in fragments(example_site)}
    content = stored[f"/sop/{EMAIL}/"]["content"]
    text, roots = content.split(ROOTS_MARK)
    assert "mohon" in roots.split() and "permohonan" in text.lower()
    assert not {word for word in roots.split()} & set(words(text))


def test_the_browser_analysis_is_the_python_analysis(browser, example_site):  # noqa: F811
    """The JS port gives the same candidates and roots as indonesian.py, for every word of the manual."""
    support = json.loads((example_site / "search" / "akar.json").read_text(encoding="utf-8"))
    vocabulary = sorted({word for fragment in fragments(example_site)
                         for word in words(fragment["content"].split(ROOTS_MARK)[0])})
    extra = ["memohon", "pengajuan", "penyerahan", "mengirimkannya", "keberangkatan", "mempertanggungjawabkan",
             "dokumen-dokumen", "menyetujui", "pelajaran", "bekerja", "terekam", "mengecek"]
    with serve(example_site) as url, offline_context(browser) as offline:
        page = offline.context.new_page()
        page.goto(url)
        page.wait_for_function("() => window.sopSearch")
        script = """([list, support]) => list.map(word => [Object.fromEntries(window.sopSearch.candidates(word)),
                                                             window.sopSearch.rootOf(word, support)])"""
        answers = page.evaluate(script, [vocabulary + extra, support])
        files = page.evaluate("list => list.map(word => window.sopSearch.bucketOf(word))", vocabulary + extra)
    for word, (found, root), file in zip(vocabulary + extra, answers, files):
        assert found == candidates(word), word
        assert root == root_among(word, support), word
        assert file == bucket(word), word  # the first-page file of a word (first_page.py)


# -- in the browser --------------------------------------------------------------------------------

SETTLED = "[data-search-results]:not([aria-busy])"
"""The results list once every search of the query has run and its results have loaded."""


def settle(page) -> None:
    page.locator(f"{SETTLED} .md-search-result__item").first.wait_for(timeout=15_000)


def open_search(context, url: str):
    """A page opened with ?q=, once its results show, all of them (the "show more" button pressed)."""
    page = context.new_page()
    page.goto(url)
    settle(page)
    show_all(page)
    return page


def show_all(page) -> None:
    """Press "more" until every result is listed."""
    more = page.locator("[data-sop-search-more]")
    while more.is_visible():
        shown = page.locator(RESULTS).count()
        more.click()
        page.wait_for_function(f"document.querySelectorAll({RESULTS!r}).length > {shown}")
        settle(page)


def result_paths(page) -> list[str]:
    return [urlsplit(href).path for href in
            page.locator(f"{RESULTS} a").evaluate_all("links => links.map(a => a.href)")]


@pytest.fixture(scope="module")
def example_url(example_site) -> Iterator[str]:
    with serve(example_site) as url:
        yield url


@pytest.mark.browser
def test_q_finds_an_sop_by_a_nasal_form_that_appears_nowhere_in_it(browser, example_url):  # noqa: F811
    source = (ROOT / "sops" / f"{EMAIL}.md").read_text(encoding="utf-8").lower()
    assert "memohon" not in source and "permohonan" in source and "pemohon" in source
    with offline_context(browser) as offline:
        page = open_search(offline.context, example_url + "katalog/?q=memohon")
        assert page.locator("#__search").is_checked()
        assert page.locator("input.md-search__input").input_value() == "memohon"
        show_all(page)  # a revoked SOP comes last: it may be on a later page of results
        assert f"/sop/{EMAIL}/" in result_paths(page)
        assert offline.outside == []


@pytest.mark.browser
def test_q_shows_the_first_page_before_pagefind_answers_and_pagefind_adds_the_rest(browser, example_url):  # noqa: F811
    """The first page of a one-word query comes from the first-page files (first_page.py) while Pagefind's
    module has not even arrived; Pagefind then fills in the excerpts and the count and adds the later results
    below, none twice, the first page left as drawn."""
    with offline_context(browser) as offline:
        held = []
        offline.context.route("**/pagefind/pagefind.js", lambda route: held.append(route))
        page = offline.context.new_page()
        page.goto(example_url + "katalog/?q=permohonan")
        items = page.locator(RESULTS)
        items.first.wait_for(timeout=15_000)
        assert held and items.count() == 10
        first = result_paths(page)
        assert page.locator("[data-search-results]").get_attribute("aria-busy") == "true"
        assert page.locator(f"{RESULTS} h1").all_inner_texts()[0].startswith("Permohonan")
        assert items.first.get_attribute("data-sop-nomor") in {"SOP-DSI-001", "SOP-DSI-002"}  # SOPs above listings
        assert f"/sop/{EMAIL}/" not in first  # revoked: after every SOP in force, which Pagefind adds later
        assert page.locator(f"{RESULTS} mark").count() == 0  # no excerpts before Pagefind's fragments

        for route in held:
            route.continue_()
        settle(page)
        assert items.first.locator("mark").count() > 0  # its excerpt, from its fragment
        show_all(page)
        paths = result_paths(page)
        assert paths[:len(first)] == first and len(paths) == len(set(paths))
        assert page.locator("[data-sop-search-meta]").inner_text() == f"{len(paths)} hasil"
        assert f"/sop/{EMAIL}/" in paths
        assert offline.outside == []


@pytest.mark.browser
def test_the_first_page_before_pagefind_puts_a_word_as_typed_above_its_other_forms(browser, example_url):  # noqa: F811
    with offline_context(browser) as offline:
        held = []
        offline.context.route("**/pagefind/pagefind.js", lambda route: held.append(route))
        page = offline.context.new_page()
        page.goto(example_url + "?q=pengajuan")
        page.locator(RESULTS).first.wait_for(timeout=15_000)
        assert held
        first = result_paths(page)
        # perbaikan-fitur says "pengajuan"; website-baru only "diajukan"/"mengajukan" (found through the root)
        assert first.index("/sop/sistem-informasi/perbaikan-fitur/") < first.index("/sop/sistem-informasi/website-baru/")
        for route in held:
            route.continue_()
        settle(page)
        show_all(page)
        paths = result_paths(page)
        assert paths[:len(first)] == first and len(paths) == len(set(paths))
        assert offline.outside == []


PRELOADED = {"/pagefind/pagefind.js", "/pagefind/wasm.unknown.pagefind", "/search/akar.json"}
"""What every search needs before its first query: asked for from <head> when a page is opened with ?q=,
with Pagefind's entry file and the metadata it names."""


@pytest.mark.browser
def test_a_page_opened_with_q_asks_for_the_search_files_while_it_loads_and_each_once(browser, example_url):  # noqa: F811
    with offline_context(browser) as offline:
        page = offline.context.new_page()
        requested = []
        page.on("request", lambda request: requested.append(urlsplit(request.url)))
        page.goto(example_url + "katalog/?q=permohonan", wait_until="domcontentloaded")
        settle(page)
        preloads = page.locator("head link[rel=modulepreload], head link[rel=preload][as=fetch]")
        preloaded = {urlsplit(href).path for href in preloads.evaluate_all("links => links.map(l => l.href)")}
        first_page = f"/search/pertama/{bucket('permohonan'):02x}.json"  # the first page's file, asked for first
        [meta] = preloaded - PRELOADED - {first_page}
        assert PRELOADED | {first_page} < preloaded and re.fullmatch(r"/pagefind/pagefind\.x-sop_\w+\.pf_meta", meta)
        assert urlsplit(preloads.first.get_attribute("href")).path.endswith(first_page)
        search_files = [url.path for url in requested if url.path.startswith(("/pagefind/", "/search/"))]
        assert preloaded <= set(search_files)
        assert len(search_files) == len(set(search_files)) + 1  # a preload is used, never fetched a second time
        # but the entry: read by the page's head, then by Pagefind, from the browser's cache (the same tag)
        entries = [url.query for url in requested if url.path == "/pagefind/pagefind-entry.json"]
        assert len(entries) == 2 and entries[0] == entries[1] != ""

        requested.clear()
        page.goto(example_url + "katalog/")
        page.wait_for_load_state("networkidle")
        assert page.locator("head link[rel=modulepreload]").count() == 0
        # nothing of the search until a search
        assert [url for url in requested if url.path.startswith(("/pagefind/", "/search/"))] == []
        assert offline.outside == []


@pytest.mark.browser
def test_a_page_does_not_download_the_sitemap_for_the_feed_link(browser, example_url):  # noqa: F811
    """Material fetches the sitemap.xml beside every link rel="alternate" (for its language switcher):
    the feed's link must not be one (270 kB at 2,000 SOPs, on every page, before the search's files)."""
    with offline_context(browser) as offline:
        page = offline.context.new_page()
        requested = []
        page.on("request", lambda request: requested.append(urlsplit(request.url).path))
        page.goto(example_url + "?q=permohonan")
        assert page.locator('head link[rel~="alternate"][type="application/atom+xml"]').count() == 1
        settle(page)
        page.wait_for_load_state("networkidle")
        assert "/sitemap.xml" not in requested
        assert offline.outside == []


@pytest.mark.browser
def test_a_word_as_typed_ranks_above_other_forms_and_revoked_sops_come_last(browser, example_url):  # noqa: F811
    with offline_context(browser) as offline:
        page = open_search(offline.context, example_url + "?q=pengajuan")
        paths = result_paths(page)
        # perbaikan-fitur says "pengajuan"; website-baru only "diajukan"/"mengajukan"
        assert paths.index("/sop/sistem-informasi/perbaikan-fitur/") < paths.index("/sop/sistem-informasi/website-baru/")
        first = page.locator(RESULTS).first
        assert first.locator("mark").first.inner_text().lower() == "pengajuan"

        page = open_search(offline.context, example_url + "?q=permohonan")
        show_all(page)
        items = page.locator(RESULTS)
        # an SOP about it before the pages that list SOPs (catalogue, units, roles, glossary)
        assert items.first.get_attribute("data-sop-nomor") in {"SOP-DSI-001", "SOP-DSI-002"}
        statuses = [items.nth(n).get_attribute("data-status") for n in range(items.count())]
        sops = [status for status in statuses if status]
        assert "dicabut" in sops and sops.index("dicabut") == len(sops) - 1
        revoked = page.locator(f'{RESULTS}[data-status="dicabut"]')
        assert revoked.locator('.sop-badge[data-value="dicabut"]').inner_text() == "Dicabut"
        assert "sop-search-result--dicabut" in revoked.get_attribute("class")
        assert offline.outside == []


@pytest.mark.browser
def test_a_result_shows_nomor_title_unit_and_status(browser, example_url):  # noqa: F811
    with offline_context(browser) as offline:
        page = open_search(offline.context, example_url + "?q=" + quote("SOP-DSI-004"))
        first = page.locator(RESULTS).first
        assert first.get_attribute("data-sop-nomor") == "SOP-DSI-004"
        assert first.locator("h1").inner_text() == "Pencadangan Harian Basis Data Sistem Informasi Akademik"
        assert first.locator(".sop-search-unit").inner_text() == "Universitas Nusantara / Direktorat Sistem Informasi"
        assert first.locator('.sop-badge[data-axis="status"]').inner_text() == "Berlaku"
        nip = re.search(r'nip: "(\d{18})"', (ROOT / "sops" / "sistem-informasi" / "pencadangan-basis-data-siakad.md")
                        .read_text(encoding="utf-8")).group(1)
        page = open_search(offline.context, example_url + "?q=" + nip)
        assert "/sop/sistem-informasi/pencadangan-basis-data-siakad/" in result_paths(page)
        assert offline.outside == []


@pytest.mark.browser
def test_filters_narrow_the_results(browser, example_url, output_dir):  # noqa: F811
    with offline_context(browser) as offline:
        page = open_search(offline.context, example_url + "?q=permohonan")
        before = page.locator(RESULTS).count()
        page.locator(".md-search__scrollwrap").evaluate("element => element.scrollTo(0, 0)")
        page.screenshot(path=str(output_dir / "cari-hasil.png"))
        filters = page.locator("[data-sop-search-filters] select")
        assert sorted(filters.evaluate_all("all => all.map(s => s.dataset.filter)")) == sorted(
            ["unit", "status", "jenis", "sifat", "skala", "kelengkapan", "pelaksana"])
        page.locator('select[data-filter="status"]').select_option("berlaku")
        page.wait_for_function(f"""() => {{
            const items = document.querySelectorAll('{SETTLED} .md-search-result__item');
            return items.length > 0 && [...items].every(item => item.dataset.status === 'berlaku');
        }}""")
        show_all(page)
        after = page.locator(RESULTS).count()
        assert 0 < after < before
        page.locator('select[data-filter="kelengkapan"]').select_option("parsial")
        page.wait_for_function(f"""() => {{
            const items = document.querySelectorAll('{SETTLED} .md-search-result__item');
            return items.length > 0 && items.length < {after};
        }}""")
        page.locator(".md-search__scrollwrap").evaluate("element => element.scrollTo(0, 0)")
        page.screenshot(path=str(output_dir / "cari-saring.png"))
        page.locator('select[data-filter="sifat"]').select_option("teknis")
        page.wait_for_function(f"() => document.querySelectorAll('{RESULTS}').length === 0")
        assert page.locator("[data-sop-search-meta]").inner_text() == "Tidak ada hasil yang sesuai."
        assert offline.outside == []


@pytest.mark.browser
def test_the_keyboard_shortcut_opens_the_search_in_the_header(browser, example_url):  # noqa: F811
    with offline_context(browser) as offline:
        page = offline.context.new_page()
        page.goto(example_url + "pengantar-sop/")
        assert page.locator(".md-header [data-sop-search] input.md-search__input").count() == 1
        page.wait_for_function("() => window.sopSearch")
        page.keyboard.press("/")
        assert page.locator("#__search").is_checked()
        assert page.evaluate("() => document.activeElement.matches('input.md-search__input')")
        page.keyboard.type("kirim")
        page.locator(f'{SETTLED}[data-query="kirim"] .md-search-result__item').first.wait_for(timeout=15_000)
        page.keyboard.press("Escape")
        assert not page.locator("#__search").is_checked()
        assert offline.outside == []


class _SubPath(_Quiet):
    """Serves the site under /manual-sop/ only."""

    PREFIX = "/manual-sop/"

    def translate_path(self, path):
        if not path.startswith(self.PREFIX):
            return str(Path(self.directory) / "__nothing_here__")
        return super().translate_path("/" + path[len(self.PREFIX):])


@pytest.mark.browser
def test_search_works_under_a_sub_path(browser, example_site):  # noqa: F811
    with serve(example_site, _SubPath) as root, offline_context(browser) as offline:
        url = root + _SubPath.PREFIX.lstrip("/")
        page = offline.context.new_page()
        failed = []
        page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
        page.goto(url + "sop/sistem-informasi/website-baru/?q=pencadangan")
        settle(page)
        paths = result_paths(page)
        assert "/manual-sop/sop/sistem-informasi/pencadangan-basis-data-siakad/" in paths
        assert all(path.startswith("/manual-sop/") for path in paths)
        page.locator(f"{RESULTS} a").first.click()
        page.wait_for_load_state("load")
        assert urlsplit(page.url).path.startswith("/manual-sop/sop/")
        assert failed == []
        assert offline.outside == []


README_CSP = re.search(r"```\n(default-src[^\n]*)\n```", (ROOT / "README.md").read_text(encoding="utf-8")).group(1)
VIOLATIONS = """window.__violations = [];
document.addEventListener("securitypolicyviolation",
  event => window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`));"""


def with_policy(policy: str) -> type[_Quiet]:
    """A handler that sends ``policy`` as the Content-Security-Policy of every response."""
    def end_headers(self):
        self.send_header("Content-Security-Policy", policy)
        http.server.SimpleHTTPRequestHandler.end_headers(self)
    return type("WithPolicy", (_Quiet,), {"end_headers": end_headers})


@pytest.mark.browser
def test_the_content_security_policy_of_the_readme_is_enough(browser, example_site):  # noqa: F811
    assert "'wasm-unsafe-eval'" in README_CSP
    with serve(example_site, with_policy(README_CSP)) as url, offline_context(browser) as offline:
        offline.context.add_init_script(VIOLATIONS)
        page = open_search(offline.context, url + "sop/sistem-informasi/website-baru/?q=pengajuan")
        assert "/sop/sistem-informasi/perbaikan-fitur/" in result_paths(page)
        page.locator(".sop-diagram svg").first.wait_for(timeout=20_000)
        assert page.evaluate("() => window.__violations") == []
        assert offline.outside == []


@pytest.mark.browser
def test_without_webassembly_the_search_says_it_is_unavailable(browser, example_site):  # noqa: F811
    policy = README_CSP.replace(" 'wasm-unsafe-eval'", "")
    with serve(example_site, with_policy(policy)) as url, offline_context(browser) as offline:
        page = offline.context.new_page()
        page.goto(url + "?q=pengajuan")
        unavailable = page.locator("[data-sop-search-meta]", has_text="Pencarian belum tersedia")
        unavailable.wait_for(timeout=15_000)
        assert page.locator(RESULTS).count() == 0


# -- configuration ---------------------------------------------------------------------------------

def test_the_material_search_plugin_beside_ours_fails_a_strict_build(project):
    project.add_sop("uji.md", MINIMAL_SOP)
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("plugins:\n", "plugins:\n  - search\n"),
                      encoding="utf-8")
    result = project.build("-v")  # -q would hide the warning from --strict (see test_plugin.py)
    assert result.returncode != 0
    assert "the 'search' plugin is enabled: remove it from mkdocs.yml" in result.stderr


def test_search_can_be_switched_off(tmp_path):
    project = make_project(tmp_path / "manual", plugin_extra="search: false", sops={"uji.md": MINIMAL_SOP})
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert not (project.site / "pagefind").exists()
    assert "data-sop-search" not in project.page("sop/uji")


def test_page_text_drops_tags_and_the_mermaid_source():
    html = '<p>Menerima <b>berkas</b> &amp; arsip</p><pre class="mermaid"><code>flowchart TD\n s1["x"]</code></pre>'
    assert words(page_text(html)) == ["menerima", "berkas", "arsip"]


def test_page_text_drops_excluded_sections_so_their_roots_match_nothing():
    """A role page repeats its SOPs' titles in excluded sections: "memohon" must not find it through them."""
    html = ('<p>Unit Kerja Pemohon</p><section data-sop-nomor="X" data-search-exclude><h3>Permohonan Website</h3>'
            '<table><tr><td><div>Mengajukan</div></td></tr></table></section><p>arsip</p>')
    assert words(page_text(html)) == ["unit", "kerja", "pemohon", "arsip"]


def test_excluded_parts_are_found_by_their_whole_start_tag():
    """Editors' raw HTML may put "<" in an attribute, "id=" inside another attribute's name, a tab before an
    attribute: the element excluded is still the one whose start tag has the attribute, and the ids kept
    inside it are those of real ``id`` attributes."""
    html = ('<p>awal</p><div title="a<b" class="x"\tdata-search-exclude><span data-id="no">rahasia</span>'
            '<h3\tid="kept">judul</h3><div>dalam</div></div><p>akhir xdata-search-exclude</p>'
            '<section data-search-excluded>tampil</section>')
    assert words(page_text(html)) == ["awal", "akhir", "xdata", "search", "exclude", "tampil"]
    assert indexed_view(html) == ('<p>awal</p><div title="a<b" class="x"\tdata-search-exclude><h3\tid="kept"></h3>'
                                  '</div><p>akhir xdata-search-exclude</p><section data-search-excluded>tampil</section>')


def test_pagefind_reads_a_third_of_each_page_and_indexes_it_as_the_whole(example_site, tmp_path, monkeypatch):
    """Pagefind is given the excluded parts (matrix, Mermaid) emptied, with the ids inside them kept: the index
    and every page's fragment (text, anchors, filters) are as from the whole content, from far less HTML."""
    from sop_manual import search_index
    from sop_manual.rendering import Renderer
    from sop_manual.search_index import SearchIndexer, SearchPage, indexed_view

    pages = []
    for url in (EMAIL, "umum-humas/surat-keluar", "umum-humas/publikasi-berita"):
        html = (example_site / "sop" / url / "index.html").read_text(encoding="utf-8")
        content = html[html.index("<article"):html.index("</article>")]
        pages.append(SearchPage(f"sop/{url}/index.html", url, content))
    reduced = sum(len(indexed_view(page.content)) for page in pages)
    assert reduced < sum(len(page.content) for page in pages) / 2
    renderer = Renderer([ROOT / "overrides"])
    SearchIndexer(renderer).run(pages, tmp_path / "reduced")
    monkeypatch.setattr(search_index, "indexed_view", lambda content: content)
    SearchIndexer(renderer).run(pages, tmp_path / "whole")

    reduced_fragments, whole_fragments = search_fragments(tmp_path / "reduced"), search_fragments(tmp_path / "whole")
    assert len(whole_fragments) == 3
    assert any(anchor["text"] == "" for fragment in whole_fragments.values() for anchor in fragment["anchors"])
    assert reduced_fragments == whole_fragments
    index = {path.name: path.read_bytes() for path in sorted((tmp_path / "whole" / "pagefind" / "index").iterdir())}
    assert {path.name: path.read_bytes() for path in sorted((tmp_path / "reduced" / "pagefind" / "index").iterdir())} == index


def test_indexed_view_keeps_the_ids_inside_excluded_parts_and_drops_their_text():
    html = ('<p id="a">Menerima</p><div id="bagan" data-search-exclude><table><tr><td id="s1">Mulai</td>'
            '<td><img id="i" src="x.svg"></td></tr></table></div><pre class="mermaid" id="m"><code>flowchart TD'
            '</code></pre><p>arsip</p>')
    assert indexed_view(html) == ('<p id="a">Menerima</p><div id="bagan" data-search-exclude><td id="s1"></td>'
                                  '<img id="i" src="x.svg"></div><pre class="mermaid" id="m"></pre><p>arsip</p>')
