"""The manual-wide pages the core plans: where each goes, its template, its place in the navigation."""

from __future__ import annotations

import pytest

from conftest import MINIMAL_SOP, load
from sop_manual import pages
from sop_manual.labels import labels_for
from sop_manual.manual import Manual
from sop_manual.pages import ManualPage, SiteOptions, manual_pages

LABELS = labels_for("id", {})


def manual_of(*units: str) -> Manual:
    sops = []
    for index, unit in enumerate(units):
        text = MINIMAL_SOP.replace("SOP-UJI-001", f"SOP-UJI-{index:03d}").replace("[Organisasi Uji, Bagian Uji]", unit)
        sops.append(load(text, f"sops/s{index}.md").sop)
    return Manual(sops=sops)


def test_catalogue_then_one_page_per_unit_nested_below_the_shared_level():
    manual = manual_of("[Org, Fakultas Teknik, Prodi Sipil]", "[Org, Fakultas Teknik]", "[Org, Rektorat]")
    planned = manual_pages(manual, LABELS, SiteOptions(forms=False))
    assert [(p.uri, p.template, p.nav, p.listed) for p in planned] == [
        ("katalog.md", "katalog.html", (), True),
        ("unit/org/fakultas-teknik.md", "unit.html", ("SOP per Unit", "Fakultas Teknik"), False),
        ("unit/org/fakultas-teknik/prodi-sipil.md", "unit.html", ("SOP per Unit", "Fakultas Teknik", "Prodi Sipil"), False),
        ("unit/org/rektorat.md", "unit.html", ("SOP per Unit", "Rektorat"), False),
        ("peran/index.md", "peran-indeks.html", ("Peran",), False),
        ("peran/kepala-bagian.md", "peran.html", (), False),
        ("peran/petugas.md", "peran.html", (), False),
        ("perubahan.md", "perubahan.html", ("Riwayat Perubahan SOP",), False),
        ("dasbor-mutu.md", "dasbor.html", ("Dasbor Mutu",), False),
    ]
    assert [sop.nomor for sop in planned[0].context["sops"]] == ["SOP-UJI-000", "SOP-UJI-001", "SOP-UJI-002"]
    assert planned[0].context["pdf_uri"] == ""


def test_site_options_move_the_pages_and_link_the_manual_pdf():
    planned = manual_pages(manual_of("[Org, Rektorat]"), LABELS,
                           SiteOptions(units_prefix="bagian", catalogue="daftar-sop.md", pdf=True, forms=False))
    assert [p.uri for p in planned][:2] == ["daftar-sop.md", "bagian/org/rektorat.md"]
    assert planned[0].context["pdf_uri"] == "pdf/manual-sop.pdf"
    assert planned[-3].context["pdf_uri"] == "pdf/peran/petugas.pdf"
    assert [p.uri for p in manual_pages(manual_of("[Org, Rektorat]"), LABELS,
                                        SiteOptions(catalogue="", roles_prefix="jabatan", forms=False,
                                                    dashboard=False))] == [
        "unit/org/rektorat.md", "jabatan/index.md", "jabatan/kepala-bagian.md", "jabatan/petugas.md", "perubahan.md"]


def test_two_builders_claiming_one_uri_is_a_programming_error(monkeypatch):
    def clash(manual, labels, options):
        yield ManualPage("katalog.md", "Lain", "lain.html")

    monkeypatch.setattr(pages, "BUILDERS", [*pages.BUILDERS, clash])
    with pytest.raises(ValueError, match="two manual-wide pages at katalog.md: katalog.html and lain.html"):
        manual_pages(manual_of("[Org, Rektorat]"), LABELS, SiteOptions())


def test_a_large_catalogue_is_paged_and_no_page_is_megabytes(tmp_path):
    """10,000 SOPs: the catalogue's pages stay small; every SOP is on exactly one of them."""
    from sop_manual.labels import labels_for
    from sop_manual.manual import Manual
    from sop_manual.model import Executor, Sop, Step
    from sop_manual.pages import SiteOptions, catalogue_pages
    from sop_manual.paging import PAGE_SIZE as CATALOGUE_PAGE_SIZE
    from sop_manual.rendering import Renderer

    from conftest import ROOT

    sops = [Sop(source=f"u{n % 20}/sop-{n}.md", nomor=f"SOP-{n:05d}", judul=f"Prosedur Layanan Nomor {n} yang Cukup Panjang",
                unit=("Universitas", f"Unit {n % 20}"), status="berlaku", pelaksana=(Executor("a", "A"),),
                langkah=(Step(number=1, kegiatan="x", pelaksana=("a",)),))
            for n in range(10_000)]
    manual = Manual(sops=sops)
    labels = labels_for("id")
    pages = list(catalogue_pages(manual, labels, SiteOptions()))
    assert len(pages) == 10_000 // CATALOGUE_PAGE_SIZE
    assert [page.uri for page in pages[:3]] == ["katalog.md", "katalog/2.md", "katalog/3.md"]
    assert [page.listed for page in pages[:2]] == [True, False]
    assert sorted(sop.nomor for page in pages for sop in page.context["sops"]) == sorted(sop.nomor for sop in sops)
    renderer = Renderer([ROOT / "overrides"])
    html = renderer.manual_page(pages[1], lambda sop: f"../{sop.source}", lambda uri: f"/{uri}")
    assert len(html.encode()) < 1_000_000
    assert html.count("<tr data-sop-nomor=") == CATALOGUE_PAGE_SIZE
    assert 'href="/katalog/3.md" title="SOP-01000 – SOP-01499">3</a>' in html and 'aria-current="page">2</strong>' in html
    assert "SOP 501–1000 dari 10000" in html
