"""Large units and roles continue on numbered pages: boundaries, every SOP once, pagers, learning paths, labels."""

from __future__ import annotations

import re

import pytest

from conftest import MINIMAL_SOP, ROOT, load, make_project
from sop_manual.labels import labels_for
from sop_manual.learning import Prerequisites
from sop_manual.manual import Manual
from sop_manual.pages import SiteOptions, manual_pages
from sop_manual.paging import continuation_uris, sop_list_pages
from sop_manual.rendering import Renderer, Settings

LABELS = labels_for("id")


def sop_text(number: int, unit: str = "[Org, Besar]", needs: int | None = None, steps: int = 2) -> str:
    """SOP-<number>: its steps alternate between Petugas and Kepala Bagian; ``needs``: a prerequisite."""
    text = MINIMAL_SOP.replace("SOP-UJI-001", f"SOP-{number}").replace("[Organisasi Uji, Bagian Uji]", unit)
    if steps > 2:
        extra = "".join(f"  - kegiatan: Langkah tambahan {n}\n    pelaksana: petugas\n    waktu: 5 menit\n    output: Hasil {n}\n"
                        for n in range(3, steps + 1))
        text = text.replace("    output: Berkas disetujui\n", "    output: Berkas disetujui\n" + extra)
    if needs is not None:
        text = text.replace("status: berlaku\n", f"status: berlaku\nketerkaitan:\n  - nomor: SOP-{needs}\n    hubungan: prasyarat\n")
    return text


def manual_of(texts: list[str]) -> Manual:
    return Manual(sops=[load(text, f"sops/s{index}.md").sop for index, text in enumerate(texts)])


def render(page, labels=LABELS) -> str:
    renderer = Renderer([ROOT / "overrides"], Settings(language="en" if labels is not LABELS else "id"))
    return renderer.manual_page(page, lambda sop: f"/{sop.source}", lambda uri: f"/{uri}")


def nomors(html: str, css_class: str) -> list[str]:
    """The data-sop-nomor of the items of the list with ``css_class``."""
    start = html.index(f'class="{css_class}"')
    end = html.index("</ol>" if "jalur" in css_class else "</ul>", start)
    return re.findall(r'<li data-sop-nomor="([^"]+)"', html[start:end])


# -- unit pages ---------------------------------------------------------------------------------

def test_a_large_unit_continues_on_numbered_pages_out_of_the_nav_with_every_sop_once():
    # 11 SOPs of one unit, 4 per page: pages of 4, 4 and 3; a small unit stays one page
    manual = manual_of([sop_text(n) for n in range(1, 12)] + [sop_text(99, "[Org, Kecil]")])
    planned = [p for p in manual_pages(manual, LABELS, SiteOptions(page_size=4)) if p.template == "unit.html"]
    assert [(p.uri, p.title, p.nav) for p in planned] == [
        ("unit/org/besar.md", "Besar", ("SOP per Unit", "Besar")),
        ("unit/org/besar/2.md", "Besar (halaman 2)", ()),
        ("unit/org/besar/3.md", "Besar (halaman 3)", ()),
        ("unit/org/kecil.md", "Kecil", ("SOP per Unit", "Kecil")),
    ]
    on_pages = [[sop.nomor for sop in p.context["sops"]] for p in planned[:3]]
    assert on_pages == [["SOP-1", "SOP-2", "SOP-3", "SOP-4"], ["SOP-5", "SOP-6", "SOP-7", "SOP-8"],
                        ["SOP-9", "SOP-10", "SOP-11"]]
    html = render(planned[1])
    assert nomors(html, "sop-daftar") == on_pages[1]
    assert 'data-sop-nomor="SOP-4"' not in html and 'data-sop-nomor="SOP-9"' not in html
    assert "SOP per unit" not in html and LABELS["unit.intro"].format(unit="Org / Besar", count=11) in html
    # the pager, above and below: where this page stands, previous, next, every page
    assert html.count('<nav class="sop-halaman"') == 2
    assert "SOP 5–8 dari 11, halaman:" in html
    assert '<a href="/unit/org/besar.md" rel="prev"' in html and '<a href="/unit/org/besar/3.md" rel="next"' in html
    assert ('<a href="/unit/org/besar.md" title="SOP-1 – SOP-4">1</a> <strong aria-current="page">2</strong>'
            ' <a href="/unit/org/besar/3.md" title="SOP-9 – SOP-11">3</a>') in html
    first, last = render(planned[0]), render(planned[2])
    assert 'rel="prev"' not in first and 'rel="next"' in first
    assert 'rel="next"' not in last and "SOP 9–11 dari 11" in last
    assert "sop-halaman" not in render(planned[3])  # one page: no pager


def test_a_page_holding_one_sop_names_it_alone():
    manual = manual_of([sop_text(n) for n in range(1, 6)])  # 2 per page: pages of 2, 2 and 1
    planned = [p for p in manual_pages(manual, LABELS, SiteOptions(page_size=2)) if p.template == "unit.html"]
    assert "SOP 5 dari 5, halaman:" in render(planned[2]) and "5–5" not in render(planned[2])
    assert "SOP 5 of 5, page:" in render(planned[2], labels_for("en"))


def test_a_large_unit_spreads_its_learning_path_and_forms_over_its_pages():
    # SOP-1 needs SOP-6, SOP-2 needs SOP-99 of another unit: the path of Besar has 8 SOPs, 3 pages
    texts = [sop_text(1, needs=6), sop_text(2, needs=99)] + [sop_text(n) for n in range(3, 8)]
    manual = manual_of(texts + [sop_text(99, "[Org, Lain]")])
    planned = [p for p in manual_pages(manual, LABELS, SiteOptions(page_size=3)) if p.uri.startswith("unit/org/besar")]
    assert len(planned) == 3
    whole = [item.sop.nomor for item in Prerequisites(manual.sops).path(manual.units()[0].sops)]
    assert whole.index("SOP-6") < whole.index("SOP-1") and whole.index("SOP-99") < whole.index("SOP-2")
    shown = [nomors(render(page), "sop-jalur-belajar") for page in planned]
    assert [nomor for part in shown for nomor in part] == whole
    assert [len(part) for part in shown] == [3, 3, 2]
    second = render(planned[1])
    assert '<ol class="sop-jalur-belajar" start="4">' in second
    assert "halaman ini memuat urutan ke-4 sampai ke-6 dari 8 SOP" in second
    assert 'data-sop-nomor="SOP-99" data-luar="true"' in render(planned[2])
    # each page lists the forms of its own SOPs; the unit's monitoring forms are on every page
    forms = [re.findall(r'<li data-sop-nomor="([^"]+)"><a href="/formulir/sop/', render(page)) for page in planned]
    assert forms == [[sop.nomor for sop in page.context["sops"]] for page in planned]
    assert all(render(page).count("formulir/monitoring/org/besar.md") == 1 for page in planned)


def test_continuation_pages_never_take_the_address_of_another_page():
    assert continuation_uris("unit/org/a.md", 3) == ["unit/org/a.md", "unit/org/a/2.md", "unit/org/a/3.md"]
    assert continuation_uris("unit/org/a.md", 3, {"unit/org/a/2.md"}) == ["unit/org/a.md", "unit/org/a/2-2.md",
                                                                          "unit/org/a/3.md"]
    # a sub-unit named "2" beside a unit of two pages: both published, no clash
    manual = manual_of([sop_text(n) for n in range(1, 4)] + [sop_text(9, "[Org, Besar, 2]"), sop_text(10, "[Org, Lain]")])
    uris = [p.uri for p in manual_pages(manual, LABELS, SiteOptions(page_size=2)) if p.template == "unit.html"]
    assert uris == ["unit/org/besar.md", "unit/org/besar/2-2.md", "unit/org/besar/2.md", "unit/org/lain.md"]


# -- role pages ---------------------------------------------------------------------------------

def test_a_role_with_many_steps_is_one_page_continued_on_numbered_pages_with_whole_sops():
    # Petugas: 1 step in SOP-1..3 and SOP-5, 4 in SOP-4; 6 rows (heading + steps) per page
    manual = manual_of([sop_text(n) for n in range(1, 4)] + [sop_text(4, steps=5)] + [sop_text(5)])
    planned = manual_pages(manual, LABELS, SiteOptions(role_page_size=6, forms=False))
    petugas = [p for p in planned if p.uri.startswith("peran/petugas")]
    assert [(p.uri, p.title, p.nav) for p in petugas] == [
        ("peran/petugas.md", "Petugas", ()), ("peran/petugas/2.md", "Petugas (halaman 2)", ()),
        ("peran/petugas/3.md", "Petugas (halaman 3)", ())]
    assert [[share.sop.nomor for share in p.context["shares"]] for p in petugas] == [
        ["SOP-1", "SOP-2", "SOP-3"], ["SOP-4"], ["SOP-5"]]
    # every step of the role exactly once, each on the page of its SOP
    shown = []
    for page in petugas:
        html = render(page)
        assert f'class="sop-peran" data-peran="Petugas"' in html
        assert LABELS["role.intro"].format(role="Petugas", steps=8, sops=5) in html
        shown += re.findall(r'<tr data-sop-nomor="([^"]+)" data-step="(\d+)">', html)
    role = petugas[0].context["role"]
    assert sorted(shown) == sorted((share.sop.nomor, str(duty.step.number)) for share in role.sops for duty in share.duties)
    assert len(shown) == len(set(shown)) == 8
    second = render(petugas[1])
    assert "SOP 4 dari 5, halaman:" in second and '<a href="/peran/petugas/3.md" rel="next"' in second
    # the index and other roles' pages link to the first page
    index = render(next(p for p in planned if p.uri == "peran/index.md"))
    assert 'href="/peran/petugas.md"' in index and "petugas/2" not in index
    assert 'href="/peran/petugas.md">Petugas</a>' in render(next(p for p in planned if p.uri == "peran/kepala-bagian.md"))
    # Kepala Bagian: 5 SOPs of 2 rows; a role that fits is one page without a pager
    kepala = [p for p in planned if p.uri.startswith("peran/kepala-bagian")]
    assert [len(p.context["shares"]) for p in kepala] == [3, 2]
    alone = [p for p in manual_pages(manual, LABELS, SiteOptions(forms=False)) if p.uri.startswith("peran/petugas")]
    assert len(alone) == 1 and "sop-halaman" not in render(alone[0])


def test_a_long_role_spreads_its_learning_path_over_its_pages():
    manual = manual_of([sop_text(1, needs=4)] + [sop_text(n) for n in range(2, 7)])
    petugas = [p for p in manual_pages(manual, LABELS, SiteOptions(role_page_size=4, forms=False))
               if p.uri.startswith("peran/petugas")]
    assert len(petugas) == 3
    whole = [item.sop.nomor for item in Prerequisites(manual.sops).path(manual.sops)]
    assert whole[:2] == ["SOP-2", "SOP-3"] and whole.index("SOP-4") < whole.index("SOP-1")
    assert [n for page in petugas for n in nomors(render(page), "sop-jalur-belajar")] == whole


def test_pager_labels_in_english():
    manual = manual_of([sop_text(n) for n in range(1, 6)])
    english = labels_for("en")
    second = next(p for p in manual_pages(manual, english, SiteOptions(page_size=2)) if p.uri == "unit/org/besar/2.md")
    assert second.title == "Besar (page 2)"
    html = render(second, english)
    assert 'aria-label="Pages"' in html and "SOPs 3–4 of 5, page:" in html
    assert "‹ Previous</a>" in html and "Next ›</a>" in html
    assert "this one holds SOPs 3 to 4 of 5 in reading order" in html
    catalogue = next(p for p in manual_pages(manual, english, SiteOptions(page_size=2)) if p.uri == "katalog/3.md")
    assert 'aria-label="Catalogue pages"' in render(catalogue, english)


# -- changelog ----------------------------------------------------------------------------------

def test_a_long_changelog_continues_on_numbered_pages_newest_first_every_revision_once():
    from sop_manual.lifecycle import revision_entries

    texts = [sop_text(n).replace("status: berlaku\n", f"status: berlaku\nrevisi:\n  - {{versi: \"1.0\", tanggal: 2025-01-{n:02d}}}\n"
                                 f"  - {{versi: \"1.1\", tanggal: 2025-02-{n:02d}, perubahan: Ralat}}\n") for n in range(1, 5)]
    manual = manual_of(texts)
    planned = [p for p in manual_pages(manual, LABELS, SiteOptions(page_size=3)) if p.template == "perubahan.html"]
    assert [(p.uri, p.title, p.nav) for p in planned] == [
        ("perubahan.md", "Riwayat Perubahan SOP", ("Riwayat Perubahan SOP",)),
        ("perubahan/2.md", "Riwayat Perubahan SOP (halaman 2)", ()),
        ("perubahan/3.md", "Riwayat Perubahan SOP (halaman 3)", ())]
    shown = [re.findall(r'data-sop-nomor="([^"]+)" data-versi="([^"]+)" data-tanggal="([^"]+)"', render(p)) for p in planned]
    assert [len(rows) for rows in shown] == [3, 3, 2]
    flat = [row for rows in shown for row in rows]
    assert flat == [(e.sop.nomor, e.revision.versi, e.date.isoformat()) for e in revision_entries(manual)]
    assert [row[2] for row in flat] == sorted((row[2] for row in flat), reverse=True)
    second = render(planned[1])
    assert "Perubahan 4–6 dari 8, halaman:" in second and LABELS["changelog.intro"].format(count=8) in second
    assert 'href="/perubahan/3.md" title="2025-01-02 – 2025-01-01">3</a>' in second


# -- dashboard ----------------------------------------------------------------------------------

def test_a_long_dashboard_list_shows_its_first_page_on_the_dashboard_and_continues_on_its_own_pages():
    # 5 SOPs in force, none disseminated nor monitored; one under review, overdue: lists of 5, 5 and 1
    texts = [sop_text(n).replace("status: berlaku\n", "status: berlaku\nrevisi:\n  - {versi: \"1.0\", tanggal: 2024-01-10}\n")
             for n in range(1, 6)]
    texts.append(sop_text(6).replace("status: berlaku", "status: tinjauan\ntinjauan: {siklus: 12 bulan, terakhir: 2024-01-01}"))
    manual = manual_of(texts)
    manual.today = __import__("datetime").date(2026, 1, 1)
    planned = [p for p in manual_pages(manual, LABELS, SiteOptions(page_size=2)) if p.uri.startswith("dasbor-mutu")]
    assert [(p.uri, p.template, p.nav) for p in planned] == [
        ("dasbor-mutu.md", "dasbor.html", ("Dasbor Mutu",)),
        ("dasbor-mutu/belum-sosialisasi/2.md", "dasbor-lanjutan.html", ()),
        ("dasbor-mutu/belum-sosialisasi/3.md", "dasbor-lanjutan.html", ()),
        ("dasbor-mutu/tanpa-monitoring/2.md", "dasbor-lanjutan.html", ()),
        ("dasbor-mutu/tanpa-monitoring/3.md", "dasbor-lanjutan.html", ())]
    assert planned[1].title == "Dasbor Mutu: Versi terakhir belum disosialisasikan (halaman 2)"
    board = render(planned[0])
    # the summary counts every SOP of each list; the dashboard shows each list's first page
    assert 'data-daftar="belum-sosialisasi" data-jumlah="5"' in board
    def listed(html: str, key: str) -> list[str]:
        start = html.index(f'class="sop-dasbor-{key} ')
        return re.findall(r'<li data-sop-nomor="([^"]+)"', html[start:html.index("</ul>", start)])
    assert listed(board, "belum-sosialisasi") == ["SOP-1", "SOP-2"] and listed(board, "terlambat") == ["SOP-6"]
    assert '<a href="/dasbor-mutu/belum-sosialisasi/2.md#belum-sosialisasi" title="SOP-3 – SOP-4">2</a>' in board
    # every SOP of a list exactly once across its pages, each page linking back to the dashboard's list
    pages = [board] + [render(p) for p in planned[1:3]]
    assert [n for html in pages for n in listed(html, "belum-sosialisasi")] == [f"SOP-{n}" for n in range(1, 6)]
    assert '<a href="/dasbor-mutu.md#belum-sosialisasi" title="SOP-1 – SOP-2">1</a>' in pages[1]
    assert "‹ Kembali ke Dasbor Mutu" in pages[1] and "sop-dasbor-terlambat" not in pages[1]
    assert "SOP 5 dari 5" in pages[2]


# -- a real build -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def paged_site(tmp_path_factory):
    """A manual of 7 SOPs in one unit with 3 SOPs per page and 4 rows per role page, built with --strict."""
    project = make_project(tmp_path_factory.mktemp("paged") / "manual", plugin_extra="page_size: 3\nrole_page_size: 4",
                           sops={f"besar/sop-{n}.md": sop_text(n, needs=7 if n == 1 else None) for n in range(1, 8)})
    project.add_doc("daftar/semua.md", "# Semua SOP\n\n{{ sop_list() }}\n\n## Unit Besar\n\n{{ sop_list(unit=\"Besar\") }}\n\n"
                    "## Tag\n\n{{ sop_list(tag=\"tidak-ada\") }}\n")
    result = project.build()
    assert result.returncode == 0, result.stderr
    return project


def test_built_pages_link_each_other_and_sop_pages_link_the_first_unit_page(paged_site):
    first = paged_site.page("unit/org/besar")
    assert '<a href="2/" title="SOP-4 – SOP-6">2</a>' in first and '<a href="3/" title="SOP-7">3</a>' in first
    second = paged_site.page("unit/org/besar/2")
    assert '<a href="../" rel="prev"' in second and '<a href="../3/" rel="next"' in second
    assert nomors(second, "sop-daftar") == ["SOP-4", "SOP-5", "SOP-6"]
    assert 'href="../../../../sop/besar/sop-4/"' in second
    # only the first page is in the navigation; the SOP page's unit link goes to it
    assert "besar/2/" not in paged_site.page("")
    sop = paged_site.page("sop/besar/sop-5")
    assert re.search(r'href="../../../unit/org/besar/"', sop)
    # the role: continuation pages hold the rest of its steps
    assert '<a href="2/" title="SOP-3 – SOP-4">2</a>' in paged_site.page("peran/petugas")
    shown = [re.findall(r'<tr data-sop-nomor="([^"]+)" data-step', paged_site.page(url))
             for url in ("peran/petugas", "peran/petugas/2", "peran/petugas/3", "peran/petugas/4")]
    assert sorted(n for page in shown for n in page) == sorted(f"SOP-{n}" for n in range(1, 8))
    assert not (paged_site.site / "peran" / "petugas" / "5").exists()


def test_a_page_size_below_one_is_a_configuration_error(tmp_path):
    project = make_project(tmp_path / "manual", plugin_extra="page_size: 0", sops={"a.md": sop_text(1)})
    result = project.build()
    assert result.returncode != 0
    assert "sop: page_size: must be 1 or more, not 0" in result.stderr


# -- sop_list -----------------------------------------------------------------------------------

def list_pages(site, folder: str, listing: int) -> list[str]:
    """The HTML of every page of list number ``listing`` on the hand-written page in ``folder``: the page, then its documents."""
    page = (site / folder / "index.html").read_text(encoding="utf-8")
    documents = sorted((site / folder).glob(f"index.daftar-{listing}-*.html"), key=lambda path: int(path.stem.rsplit("-", 1)[1]))
    return [page] + [path.read_text(encoding="utf-8") for path in documents]


def box(html: str, listing: int) -> str:
    start = html.index(f'data-sop-daftar="{listing}"')
    return html[start:html.index("</div>", start)]


def test_a_long_sop_list_shows_its_first_page_and_continues_on_documents_beside_the_page(paged_site):
    site = paged_site.site
    pages = list_pages(site, "daftar/semua", 1)
    assert len(pages) == 3
    shown = [re.findall(r'<li data-sop-nomor="([^"]+)"', box(html, 1)) for html in pages]
    assert shown == [["SOP-1", "SOP-2", "SOP-3"], ["SOP-4", "SOP-5", "SOP-6"], ["SOP-7"]]
    # every link of every page of the list leads to a file of the site, from the page's folder
    for html in pages:
        for href in re.findall(r'href="([^"#]+)"', box(html, 1)):
            target = (site / "daftar" / "semua" / href).resolve()
            assert (target / "index.html" if target.is_dir() else target).is_file(), href
    assert '<a href="index.daftar-1-2.html" title="SOP-4 – SOP-6">2</a>' in pages[0]
    assert '<a href="./" rel="prev"' in pages[1] and "<title>Semua SOP (halaman 2)</title>" in pages[1]
    assert '<a href="./">‹ Kembali ke Semua SOP</a>' in pages[1]
    # the second list of the page has its own pages; an empty list says so, without a pager
    assert [re.findall(r'<li data-sop-nomor="([^"]+)"', box(html, 2)) for html in list_pages(site, "daftar/semua", 2)] \
        == [["SOP-1", "SOP-2", "SOP-3"], ["SOP-4", "SOP-5", "SOP-6"], ["SOP-7"]]
    assert 'data-sop-daftar="3"' not in pages[0] and LABELS["list.empty"] in pages[0]
    assert "sop-daftar.js" in pages[0] and "sop-daftar.js" not in paged_site.page("")


def test_sop_list_documents_are_listed_in_the_order_of_the_pager():
    manual = manual_of([sop_text(n) for n in range(1, 6)])
    parts = sop_list_pages(manual.select(), "index.html", 2, 2)
    assert [(part.file, part.pager.uris) for part in parts][:2] == [
        ("", ("./", "index.daftar-2-2.html", "index.daftar-2-3.html")),
        ("index.daftar-2-2.html", ("./", "index.daftar-2-2.html", "index.daftar-2-3.html"))]
    assert sop_list_pages(manual.select(), "daftar.html", 1, 2)[1].pager.uris[0] == "daftar.html"  # no directory URLs
    assert [part.file for part in sop_list_pages(manual.select(), "index.html", 1, 10)] == [""]


@pytest.mark.browser
def test_the_pager_of_a_sop_list_swaps_its_pages_in_place(paged_site, output_dir):
    from test_browser import browser, offline_context, serve  # noqa: F401 - the browser fixture

    sync_api = pytest.importorskip("playwright.sync_api")
    from conftest import chromium_path

    if chromium_path() is None:
        pytest.skip("no system Chromium")
    with sync_api.sync_playwright() as playwright, serve(paged_site.site) as url:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox", "--disable-gpu"])
        page = chromium.new_page(viewport={"width": 1100, "height": 900})
        page.goto(url + "daftar/semua/")
        first, second = page.locator('[data-sop-daftar="1"]'), page.locator('[data-sop-daftar="2"]')

        def shown(locator) -> list[str]:
            return locator.locator("li[data-sop-nomor]").evaluate_all("items => items.map(i => i.dataset.sopNomor)")

        assert shown(first) == ["SOP-1", "SOP-2", "SOP-3"]
        first.locator(".sop-halaman").first.get_by_role("link", name="2", exact=True).click()
        first.locator('li[data-sop-nomor="SOP-4"]').wait_for()
        assert shown(first) == ["SOP-4", "SOP-5", "SOP-6"] and page.url == url + "daftar/semua/"
        assert shown(second) == ["SOP-1", "SOP-2", "SOP-3"]
        page.screenshot(path=str(output_dir / "sop-list-page-2.png"), full_page=True)
        first.locator(".sop-halaman").first.locator('a[rel="next"]').click()
        first.locator('li[data-sop-nomor="SOP-7"]').wait_for()
        assert shown(first) == ["SOP-7"]
        first.locator(".sop-halaman").first.get_by_role("link", name="1", exact=True).click()
        first.locator('li[data-sop-nomor="SOP-1"]').wait_for()
        assert shown(first) == ["SOP-1", "SOP-2", "SOP-3"]
        # the links of a swapped-in page lead to the SOP pages
        first.locator(".sop-halaman").first.get_by_role("link", name="3", exact=True).click()
        first.locator('li[data-sop-nomor="SOP-7"] a').click()
        page.wait_for_url(url + "sop/besar/sop-7/")
        page.goto(url + "unit/org/besar/2/")
        page.screenshot(path=str(output_dir / "unit-page-2.png"), full_page=True)
        chromium.close()
