"""End to end: real ``mkdocs build`` runs of the example manual and of throw-away manuals.

Assertions read the built HTML (BeautifulSoup) and the build log, the way an editor
sees a build: the log lines (``file:line: location: message``) are the interface.

Note: ``mkdocs build -q`` drops warnings before ``--strict`` can count them
(MkDocs 1.6 behaviour), so the tests about warnings build without ``-q``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import MINIMAL_SOP, ROOT, Project, make_project
from sop_manual.manual import load_manual
from sop_manual.schema import schema_text

BULAN = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
         "November", "Desember"]
EXAMPLE_SOPS = load_manual(ROOT / "sops", "sops", dt.date(2026, 1, 1)).sops


def html(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def page(site: Path, url: str) -> BeautifulSoup:
    return html(site / url / "index.html")


def text(element) -> str:
    return " ".join(element.get_text(" ").split())


def resolve(from_url: str, href: str) -> str:
    """The site folder a relative link on the page at ``from_url`` points to."""
    parts = [p for p in from_url.strip("/").split("/") if p]
    for piece in href.split("#")[0].split("/"):
        if piece == "..":
            parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts) + "/"


def url_of(source: str) -> str:
    return "sop/" + source.removesuffix(".md") + "/"


def nav_links(soup: BeautifulSoup) -> list[tuple[str, str]]:
    nav = soup.select_one("nav.md-nav--primary")
    return [(a["href"], text(a)) for a in nav.select("a.md-nav__link") if not a["href"].startswith("#")]


# -- the example manual ----------------------------------------------------------


def test_example_manual_builds_strictly(example_site):
    assert (example_site / "index.html").is_file()
    assert len(EXAMPLE_SOPS) == len(list((ROOT / "sops").rglob("[!_]*.md"))) > 0


def test_example_manual_builds_strictly_without_a_single_warning(tmp_path):
    """The ``example_site`` fixture builds with ``-q``, which hides warnings from ``--strict``; this one does not."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(tmp_path / "site")],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "SOP_PDF": "false"},
    )
    assert result.returncode == 0, result.stderr
    assert [line for line in result.stderr.splitlines() if line.startswith(("WARNING", "ERROR"))] == []


@pytest.mark.parametrize("sop", EXAMPLE_SOPS, ids=[s.source for s in EXAMPLE_SOPS])
def test_every_example_sop_has_its_page_at_the_url_of_its_file(example_site, sop):
    soup = page(example_site, url_of(sop.source))
    [article] = soup.select("article.sop")
    assert article["data-sop-nomor"] == sop.nomor
    assert [row["data-step"] for row in soup.select("table.sop-langkah tr[data-step]")] == [
        str(n) for n in range(1, len(sop.langkah) + 1)]
    assert len(soup.select("pre.mermaid")) == 1
    assert soup.title.get_text().startswith(sop.judul)


def test_catalogue_lists_every_sop(example_site):
    soup = page(example_site, "katalog")
    rows = soup.select("table.sop-katalog tbody tr")
    assert sorted(r["data-sop-nomor"] for r in rows) == sorted(s.nomor for s in EXAMPLE_SOPS)
    headers = [text(th) for th in soup.select("table.sop-katalog thead th")]
    for row in rows:
        sop = next(s for s in EXAMPLE_SOPS if s.nomor == row["data-sop-nomor"])
        cells = dict(zip(headers, row.select("td")))
        assert text(cells["Nomor"]) == sop.nomor
        assert text(cells["Judul"]) == sop.judul
        assert text(cells["Unit"]) == sop.unit[-1]
        assert row["data-status"] == sop.status
        assert cells["Status"].select_one(".sop-badge")["data-value"] == sop.status
        assert {(b["data-axis"], b["data-value"]) for b in cells["Klasifikasi"].select(".sop-badge")} == set(
            sop.klasifikasi.items())
        efektif = sop.tanggal.get("efektif")
        assert text(cells["Tanggal Efektif"]) == (f"{efektif.day} {BULAN[efektif.month - 1]} {efektif.year}"
                                                  if efektif else "")
        assert resolve("katalog/", cells["Judul"].a["href"]) == url_of(sop.source)


def test_catalogue_dates_are_shown_in_indonesian(example_site):
    soup = page(example_site, "katalog")
    row = soup.select_one('tr[data-sop-nomor="SOP-DSI-001"]')
    assert "1 September 2025" in text(row)


def test_navigation_groups_unit_pages_not_sop_pages(example_site):
    links = nav_links(page(example_site, "katalog"))
    hrefs = [resolve("katalog/", href) for href, _ in links]
    assert not [h for h in hrefs if h.startswith("sop/")], "SOP pages must stay out of the navigation"
    units = [(resolve("katalog/", href), title) for href, title in links if resolve("katalog/", href).startswith("unit/")]
    assert units == [
        ("unit/universitas-nusantara/biro-umum-dan-hubungan-masyarakat/", "Biro Umum dan Hubungan Masyarakat"),
        ("unit/universitas-nusantara/direktorat-sistem-informasi/", "Direktorat Sistem Informasi"),
        ("unit/universitas-nusantara/lembaga-penjaminan-mutu/", "Lembaga Penjaminan Mutu"),
    ]
    # the unit section comes right after the catalogue
    assert hrefs.index("katalog/") + 1 == hrefs.index(units[0][0])
    section_titles = [text(label) for label in page(example_site, "katalog").select("nav.md-nav--primary label.md-nav__link")]
    assert "SOP per Unit" in section_titles


def test_unit_page_lists_its_sops(example_site):
    url = "unit/universitas-nusantara/direktorat-sistem-informasi/"
    soup = page(example_site, url)
    items = soup.select(".sop-daftar li")
    expected = sorted((s for s in EXAMPLE_SOPS if s.unit[-1] == "Direktorat Sistem Informasi"), key=lambda s: s.nomor)
    assert [li["data-sop-nomor"] for li in items] == [s.nomor for s in expected]
    assert [resolve(url, li.a["href"]) for li in items] == [url_of(s.source) for s in expected]


def test_an_sop_page_links_back_to_its_unit(example_site):
    url = url_of("sistem-informasi/website-baru.md")
    link = page(example_site, url).select_one(".sop-breadcrumb a")
    assert resolve(url, link["href"]) == "unit/universitas-nusantara/direktorat-sistem-informasi/"


@pytest.mark.parametrize(("source", "status"), [("umum-humas/publikasi-berita.md", "draf"),
                                                ("sistem-informasi/pengelolaan-website.md", "tinjauan"),
                                                ("sistem-informasi/permohonan-akun-email.md", "dicabut")])
def test_draf_and_dicabut_are_visibly_marked(example_site, source, status):
    soup = page(example_site, url_of(source))
    assert f"sop--{status}" in soup.select_one("article.sop")["class"]
    assert soup.select_one(".sop-notice")["data-status"] == status
    assert soup.select_one('.sop-kepala .sop-badge[data-axis="status"]')["data-value"] == status
    row = page(example_site, "katalog").select_one(f'tr[data-sop-nomor="{soup.select_one("article.sop")["data-sop-nomor"]}"]')
    assert row["data-status"] == status


def test_berlaku_is_not_marked(example_site):
    assert page(example_site, url_of("sistem-informasi/website-baru.md")).select(".sop-notice") == []


def test_keterkaitan_links_resolve_to_the_other_sop(example_site):
    url = url_of("sistem-informasi/website-baru.md")
    links = page(example_site, url).select('[data-field="keterkaitan"] a')
    assert [(resolve(url, a["href"]), a["data-hubungan"]) for a in links] == [
        (url_of("sistem-informasi/perbaikan-fitur.md"), "terkait"),
        (url_of("sistem-informasi/pengelolaan-website.md"), "lanjutan"),
    ]
    for a in links:
        assert (example_site / resolve(url, a["href"]) / "index.html").is_file()


def test_json_schema_is_published(example_site):
    published = (example_site / "schema" / "sop.schema.json").read_text(encoding="utf-8")
    assert published == schema_text()
    assert json.loads(published)["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_mermaid_is_served_from_the_site_itself(example_site):
    served = example_site / "assets" / "javascripts" / "mermaid.min.js"
    assert served.read_bytes() == (ROOT / "node_modules" / "mermaid" / "dist" / "mermaid.min.js").read_bytes()
    url = url_of("sistem-informasi/website-baru.md")
    scripts = [resolve(url, s["src"]).rstrip("/") for s in page(example_site, url).select("script[src]")
               if not s["src"].startswith(("http:", "https:"))]
    assert "assets/javascripts/mermaid.min.js" in scripts
    assert "mermaid" not in " ".join(s["src"] for s in page(example_site, url).select("script[src]")
                                     if s["src"].startswith(("http:", "https:")))


def test_mermaid_is_loaded_only_on_pages_that_draw_a_diagram(example_site):
    def loads_mermaid(url: str) -> bool:
        return any(s["src"].endswith("mermaid.min.js") for s in page(example_site, url).select("script[src]"))

    assert loads_mermaid(url_of("sistem-informasi/website-baru.md"))
    assert not loads_mermaid("")
    assert not loads_mermaid("katalog/")


def test_a_manual_without_local_mermaid_is_warned_about_the_cdn(project):
    config = project.root / "mkdocs.yml"
    config.write_text("\n".join(line for line in config.read_text().splitlines() if "mermaid_js" not in line))
    project.add_sop("uji.md", MINIMAL_SOP)
    result = project.build("-v")
    assert result.returncode != 0
    assert ("WARNING -  sop_manual: mermaid_js is not set: Material will load Mermaid from unpkg.com, which an"
            " intranet without internet cannot reach") in result.stderr


def test_sop_link_macro_renders_a_link(example_site):
    link = page(example_site, "").select_one('a.sop-tautan[data-sop-nomor="SOP-LPM-001"]')
    assert resolve("", link["href"]) == url_of("penjaminan-mutu/penyusunan-sop.md")
    assert text(link) == "SOP-LPM-001 Penyusunan dan Penetapan Standar Operasional Prosedur"
    # the same macro from a page one folder deeper still points at the right page
    deeper = page(example_site, "pengantar-sop").select_one('a.sop-tautan[data-sop-nomor="SOP-LPM-001"]')
    assert resolve("pengantar-sop/", deeper["href"]) == url_of("penjaminan-mutu/penyusunan-sop.md")


def test_sop_list_macro_on_the_home_page_lists_sops_in_force(example_site):
    items = page(example_site, "").select(".sop-daftar li")
    assert sorted(li["data-sop-nomor"] for li in items) == sorted(s.nomor for s in EXAMPLE_SOPS if s.status == "berlaku")


def test_sop_body_is_rendered_after_the_generated_sections(example_site):
    soup = page(example_site, url_of("sistem-informasi/website-baru.md"))
    body = soup.select_one("article.sop .sop-catatan")
    assert [h.get_text(strip=True).rstrip("¶") for h in body.select("h2")] == ["Formulir terkait", "Catatan"]
    assert body.find_previous(class_="sop-sosialisasi") is not None
    assert len(body.select("ul li")) == 3
    # the body's headings join the generated ones in the table of contents
    toc = [text(a) for a in soup.select("nav.md-nav--secondary a.md-nav__link")]
    assert toc[:2] == ["Identitas SOP", "Tujuan"] and toc[-2:] == ["Formulir terkait", "Catatan"]


# -- throw-away manuals -------------------------------------------------------------


def sop_text(nomor: str, judul: str = "Prosedur", unit: str = "[Organisasi Uji, Bagian Uji]", extra: str = "") -> str:
    return (MINIMAL_SOP.replace("SOP-UJI-001", nomor).replace("Prosedur Uji", judul)
            .replace("[Organisasi Uji, Bagian Uji]", unit).replace("status: berlaku\n", "status: berlaku\n" + extra))


def built(project: Project, *args: str, strict: bool = True):
    result = project.build(*args, strict=strict)
    assert result.returncode == 0, result.stderr
    return result


def test_invalid_sop_fails_the_build_listing_every_error(project):
    project.add_sop("a/uji.md", MINIMAL_SOP.replace("status: berlaku", "status: aktif").replace("waktu: 1 jam", "waktu: lama"))
    project.add_sop("b/kedua.md", sop_text("SOP-UJI-002").replace("    pelaksana: kepala\n", "    pelaksana: kepal\n"))
    project.add_sop("c/ketiga.md", "tanpa front matter\n")
    result = project.build()
    assert result.returncode != 0
    log = result.stderr
    expected = [
        "sops/a/uji.md:5: status: 'aktif' is not one of: draf, tinjauan, berlaku, dicabut",
        "sops/a/uji.md:16: langkah[2].waktu: 'lama' is not a duration: write '<number> <unit>' or a range"
        " '<number>-<number> <unit>', with unit one of: detik, menit, jam, hari, hari kerja, minggu, bulan",
        "sops/b/kedua.md:15: langkah[2].pelaksana: 'kepal' is not declared in pelaksana (declared: petugas, kepala);"
        " did you mean 'kepala'?",
        "sops/c/ketiga.md:1: no front matter: an SOP file starts with a line '---', its YAML fields, then '---'",
    ]
    error_lines = [line.split("sop_manual: ", 1)[1] for line in log.splitlines() if line.startswith("ERROR")
                   and "sop_manual: sops/" in line]
    assert error_lines == expected
    assert "4 error(s) in the SOP sources" in log
    assert not (project.site / "sop" / "a" / "uji" / "index.html").exists()


def test_an_invalid_sop_fails_the_build_even_without_strict(project):
    project.add_sop("uji.md", MINIMAL_SOP.replace("pelaksana: kepala\n", "pelaksana: kepal\n"))
    result = project.build(strict=False)
    assert result.returncode != 0
    assert "ERROR   -  sop_manual: sops/uji.md:15: langkah[2].pelaksana: 'kepal' is not declared in pelaksana" in result.stderr


def test_a_warning_fails_strict_but_builds_without_it(project):
    project.add_sop("uji.md", MINIMAL_SOP.replace("    output: Berkas disetujui\n", ""))
    strict = project.build("-v")
    assert strict.returncode != 0
    assert "WARNING -  sop_manual: sops/uji.md:14: langkah[2].output: step has no output" in strict.stderr
    assert "Aborted with 1 warnings in strict mode!" in strict.stdout + strict.stderr
    relaxed = project.build("-v", strict=False)
    assert relaxed.returncode == 0, relaxed.stderr
    assert "WARNING -  sop_manual: sops/uji.md:14: langkah[2].output: step has no output" in relaxed.stderr
    assert "article" in project.page("sop/uji") and 'data-sop-nomor="SOP-UJI-001"' in project.page("sop/uji")


def test_a_clean_manual_builds_strictly_with_no_warning(project):
    project.add_sop("uji.md", MINIMAL_SOP)
    result = built(project, "-v")
    assert "WARNING" not in result.stderr


def test_sop_link_to_an_unknown_number_fails_the_build_naming_it(project):
    project.add_sop("uji.md", MINIMAL_SOP)
    project.add_doc("index.md", "# Beranda\n\nLihat {{ sop_link('SOP-TIDAK-ADA') }}.\n")
    result = project.build()
    assert result.returncode != 0
    assert "sop_link: no SOP has nomor 'SOP-TIDAK-ADA' (page index.md; known: SOP-UJI-001)" in result.stderr


def test_sop_link_to_an_unknown_number_lists_only_the_nearest_known_numbers(project):
    for number in range(1, 26):
        project.add_sop(f"uji-{number}.md", MINIMAL_SOP.replace("SOP-UJI-001", f"SOP-UJI-{number:03d}"))
    project.add_doc("index.md", "# Beranda\n\nLihat {{ sop_link('SOP-UJI-0O7') }}.\n")
    result = project.build()
    assert result.returncode != 0
    assert ("sop_link: no SOP has nomor 'SOP-UJI-0O7' (page index.md; known: SOP-UJI-007, SOP-UJI-017, SOP-UJI-001,"
            " SOP-UJI-002, SOP-UJI-003, SOP-UJI-004, SOP-UJI-005, SOP-UJI-006, SOP-UJI-008, SOP-UJI-009 and 15 more);"
            " did you mean 'SOP-UJI-007'?") in result.stderr


def test_sop_link_renders_a_link_from_any_page(project):
    project.add_sop("bagian/uji.md", MINIMAL_SOP)
    project.add_doc("panduan/cara.md", "# Cara\n\nLihat {{ sop_link('SOP-UJI-001') }}.\n")
    built(project)
    link = BeautifulSoup(project.page("panduan/cara"), "html.parser").select_one("a.sop-tautan")
    assert resolve("panduan/cara/", link["href"]) == "sop/bagian/uji/"
    assert text(link) == "SOP-UJI-001 Prosedur Uji"


def test_sop_list_filters(project):
    project.add_sop("a/satu.md", sop_text("SOP-A-1", unit="[Organisasi Uji, Bagian A]", extra="klasifikasi: {sifat: administratif}\n"))
    project.add_sop("a/dua.md", sop_text("SOP-A-2", unit="[Organisasi Uji, Bagian A]", extra="klasifikasi: {sifat: teknis}\n")
                    .replace("  kepala: Kepala Bagian\n", "").replace("    pelaksana: kepala\n", "    pelaksana: petugas\n"))
    project.add_sop("b/tiga.md", sop_text("SOP-B-3", unit="[Organisasi Uji, Bagian B]", extra="klasifikasi: {sifat: teknis}\n")
                    .replace("  kepala: Kepala Bagian\n", "").replace("    pelaksana: kepala\n", "    pelaksana: petugas\n"))
    project.add_doc("index.md", textwrap.dedent("""\
        # Beranda

        ## A

        {{ sop_list(unit="Bagian A") }}

        ## Teknis di A

        {{ sop_list(unit="Bagian A", sifat="teknis") }}

        ## Teknis

        {{ sop_list(sifat="teknis") }}

        ## Kosong

        {{ sop_list(unit="Bagian C") }}
        """))
    built(project)
    soup = BeautifulSoup(project.page(""), "html.parser")
    lists = [[li["data-sop-nomor"] for li in ul.select("li")] for ul in soup.select("ul.sop-daftar")]
    assert lists == [["SOP-A-1", "SOP-A-2"], ["SOP-A-2"], ["SOP-A-2", "SOP-B-3"]]
    assert text(soup.select_one(".sop-daftar-kosong")) == "Tidak ada SOP yang sesuai."
    first = soup.select_one("ul.sop-daftar li a")
    assert resolve("", first["href"]) == "sop/a/satu/"


def test_sop_list_with_an_unknown_criterion_fails_the_build(project):
    project.add_sop("uji.md", MINIMAL_SOP)
    project.add_doc("index.md", "# Beranda\n\n{{ sop_list(bagian='x') }}\n")
    result = project.build()
    assert result.returncode != 0
    assert "sop_list: unknown criterion bagian (use: unit, status, tag, jenis, sifat, skala, kelengkapan)" in result.stderr


def test_language_en_switches_labels(tmp_path):
    project = make_project(tmp_path / "en", language="en", sops={
        "uji.md": MINIMAL_SOP.replace("status: berlaku\n", "status: draf\ntanggal: {efektif: 2025-07-01}\n")})
    built(project)
    soup = BeautifulSoup(project.page("sop/uji"), "html.parser")
    assert [text(th) for th in soup.select("table.sop-langkah thead th")] == [
        "No", "Activity", "Executor", "Requirements", "Time", "Output", "Remarks"]
    assert text(soup.select_one('.sop-badge[data-axis="status"]')) == "Draft"
    assert text(soup.select_one('[data-field="tanggal.efektif"]')) == "1 July 2025"
    catalogue = BeautifulSoup(project.page("katalog"), "html.parser")
    assert catalogue.title.get_text().startswith("SOP Catalogue")
    assert "SOPs by Unit" in [text(label) for label in catalogue.select("nav.md-nav--primary label.md-nav__link")]


def test_plugin_options_labels_and_working_day(project):
    project.root.joinpath("mkdocs.yml").write_text(
        project.root.joinpath("mkdocs.yml").read_text(encoding="utf-8").replace(
            '      today: "2026-01-01"\n',
            '      today: "2026-01-01"\n      hours_per_day: 7\n      labels:\n        tanggal.efektif: Tgl Pengesahan\n'),
        encoding="utf-8")
    project.add_sop("uji.md", MINIMAL_SOP.replace("waktu: 1 jam", "waktu: 1 hari"))
    built(project)
    soup = BeautifulSoup(project.page("sop/uji"), "html.parser")
    assert text(soup.select_one('[data-field="tanggal.efektif"]').find_parent("tr").th) == "Tgl Pengesahan"
    total = soup.select_one(".sop-total-waktu")
    assert (total["data-min-menit"], total["data-max-menit"]) == ("430", "430")  # 10 + 7 * 60


def test_plugin_today_option_drives_the_overdue_warning(project):
    project.add_sop("uji.md", MINIMAL_SOP.replace("status: berlaku\n", "status: berlaku\ntinjauan: {berikutnya: 2025-12-31}\n"))
    result = project.build("-v", strict=False)
    assert "WARNING -  sop_manual: sops/uji.md:6: tinjauan.berikutnya: the review was due on 2025-12-31 and is overdue" \
        in result.stderr


def test_sop_page_url_follows_the_file_path_not_the_number(project):
    project.add_sop("dinas/bidang-industri/izin-usaha.md", sop_text("530/ /01-IND/IV/2019", judul="Izin Usaha"))
    built(project)
    soup = BeautifulSoup(project.page("sop/dinas/bidang-industri/izin-usaha"), "html.parser")
    assert soup.select_one("article.sop")["data-sop-nomor"] == "530/ /01-IND/IV/2019"
    row = BeautifulSoup(project.page("katalog"), "html.parser").select_one("table.sop-katalog tbody tr")
    assert resolve("katalog/", row.a["href"]) == "sop/dinas/bidang-industri/izin-usaha/"


def test_files_starting_with_underscore_are_not_sops(project):
    project.add_sop("uji.md", MINIMAL_SOP)
    project.add_sop("_unit.md", "nama: Bagian Uji\n")
    built(project)
    assert not (project.site / "sop" / "_unit").exists()
    assert len(BeautifulSoup(project.page("katalog"), "html.parser").select("table.sop-katalog tbody tr")) == 1


def test_markdown_body_is_rendered_after_the_generated_sections(project):
    project.add_sop("uji.md", MINIMAL_SOP + "## Lampiran\n\nLihat **formulir** [F-1](#lampiran).\n\n!!! note \"Catatan\"\n    Isi.\n")
    built(project)
    soup = BeautifulSoup(project.page("sop/uji"), "html.parser")
    body = soup.select_one("article.sop > .sop-catatan")
    assert body.select_one("h2#lampiran") is not None
    assert text(body.select_one("strong")) == "formulir"
    assert body.select_one(".admonition.note") is not None
    everything = soup.find_all(True)
    assert everything.index(body) > everything.index(soup.select_one(".sop-sosialisasi"))
    assert everything.index(body) > everything.index(soup.select_one("table.sop-langkah"))


def test_units_with_a_deeper_hierarchy_nest_in_the_navigation(project):
    project.add_sop("a.md", sop_text("SOP-1", unit="[Organisasi Uji, Fakultas Teknik, Prodi Informatika]"))
    project.add_sop("b.md", sop_text("SOP-2", unit="[Organisasi Uji, Fakultas Teknik, Prodi Sipil]"))
    project.add_sop("c.md", sop_text("SOP-3", unit="[Organisasi Uji, Rektorat]"))
    built(project)
    soup = BeautifulSoup(project.page("katalog"), "html.parser")
    units = [resolve("katalog/", href) for href, _ in nav_links(soup) if resolve("katalog/", href).startswith("unit/")]
    assert units == ["unit/organisasi-uji/fakultas-teknik/prodi-informatika/",
                     "unit/organisasi-uji/fakultas-teknik/prodi-sipil/", "unit/organisasi-uji/rektorat/"]
    labels = [text(label) for label in soup.select("nav.md-nav--primary label.md-nav__link")]
    assert "Fakultas Teknik" in labels
    for url in units:
        assert (project.site / url / "index.html").is_file()


def test_a_catalogue_page_written_by_hand_is_kept(project):
    project.add_sop("uji.md", MINIMAL_SOP)
    project.add_doc("katalog.md", "# Katalog kami\n\n{{ sop_list() }}\n")
    built(project)
    soup = BeautifulSoup(project.page("katalog"), "html.parser")
    assert soup.select("table.sop-katalog") == []
    assert [li["data-sop-nomor"] for li in soup.select(".sop-daftar li")] == ["SOP-UJI-001"]


def test_sop_and_unit_pages_are_in_the_sitemap(project):
    config = project.root / "mkdocs.yml"
    config.write_text("site_url: https://sop.example.ac.id/\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    project.add_sop("bagian/uji.md", MINIMAL_SOP)
    built(project)
    locations = re.findall(r"<loc>(.*?)</loc>", (project.site / "sitemap.xml").read_text(encoding="utf-8"))
    assert sorted(locations) == sorted(f"https://sop.example.ac.id/{url}" for url in (
        "", "katalog/", "sop/bagian/uji/", "unit/organisasi-uji/bagian-uji/", "peran/", "peran/kepala-bagian/",
        "peran/petugas/", "formulir/", "formulir/monitoring/organisasi-uji/bagian-uji/",
        "formulir/monitoring/organisasi-uji/bagian-uji-hasil/", "perubahan/", "dasbor-mutu/"))


def test_units_whose_names_differ_only_in_case_each_keep_their_sops(project):
    """Both units slug to ``bagian-umum``; neither may silently lose its unit page."""
    project.add_sop("a.md", sop_text("SOP-1", unit="[Organisasi Uji, Bagian Umum]"))
    project.add_sop("b.md", sop_text("SOP-2", unit="[Organisasi Uji, bagian umum]"))
    built(project)
    listed = {}
    for index in (project.site / "unit").rglob("index.html"):
        url = index.parent.relative_to(project.site).as_posix() + "/"
        listed[url] = [li["data-sop-nomor"] for li in html(index).select(".sop-daftar li")]
    assert sorted(listed.values()) == [["SOP-1"], ["SOP-2"]]
    for source in ("a.md", "b.md"):
        url = url_of(source)
        soup = page(project.site, url)
        unit_url = resolve(url, soup.select_one(".sop-breadcrumb a")["href"])
        assert listed[unit_url] == [soup.select_one("article.sop")["data-sop-nomor"]]


def test_two_sop_files_with_the_same_page_url_fail_the_build(project):
    """``sops/ti.md`` and ``sops/ti/index.md`` would both be ``sop/ti/``: one SOP would silently vanish."""
    project.add_sop("ti.md", sop_text("SOP-1"))
    project.add_sop("ti/index.md", sop_text("SOP-2"))
    project.add_sop("umum/README.md", sop_text("SOP-3"))
    project.add_sop("umum.md", sop_text("SOP-4"))
    result = project.build()
    assert result.returncode != 0
    assert [line.split("sop_manual: ", 1)[1] for line in result.stderr.splitlines() if "sop_manual: sops/" in line] == [
        "sops/ti.md:1: its page would be sop/ti/, the page of sops/ti/index.md too: rename one of the two files",
        "sops/umum.md:1: its page would be sop/umum/, the page of sops/umum/README.md too: rename one of the two files",
    ]
