"""The official forms: which pages exist, their hooks (spec section 5), blank vs filled, links to them."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from bs4 import BeautifulSoup

from conftest import MINIMAL_SOP, ROOT, load, make_project
from sop_manual import forms
from sop_manual.labels import labels_for
from sop_manual.manual import Manual, load_manual
from sop_manual.model import CRITERIA, MonevRecord
from sop_manual.pages import SiteOptions, manual_pages
from sop_manual.rendering import Renderer, Settings

LABELS = labels_for("id", {})
TABEL_7 = ["no", "prosedur", "penilaian", "penilaian", "catatan", "tindakan", "paraf"]


def sop(nomor: str, status: str = "berlaku", unit: str = "[Organisasi Uji, Bagian Uji]", source: str = ""):
    text = (MINIMAL_SOP.replace("SOP-UJI-001", nomor).replace("status: berlaku", f"status: {status}")
            .replace("[Organisasi Uji, Bagian Uji]", unit))
    return load(text, f"sops/{source or nomor.lower()}.md").sop


def monitoring(day: str, hasil: str, catatan: str, tindakan: str = "") -> MonevRecord:
    return MonevRecord(tanggal=dt.date.fromisoformat(day), jenis="monitoring", penilai="Kepala Subbagian Umum",
                       hasil=hasil, catatan=catatan, tindakan=tindakan)


def render(page, link=lambda uri: "/" + uri) -> BeautifulSoup:
    renderer = Renderer([ROOT / "overrides"], Settings(organisation="Organisasi Uji", logo="assets/logo.svg"))
    return BeautifulSoup(renderer.manual_page(page, href=lambda s: "sop/", link=link), "html.parser")


def texts(cells) -> list[str]:
    return [" ".join(cell.get_text(" ").split()) for cell in cells]


def test_forms_exist_for_sops_in_force_only_and_only_the_index_is_in_the_navigation():
    manual = Manual(sops=[sop("SOP-1"), sop("SOP-2", "tinjauan"), sop("SOP-3", "draf"), sop("SOP-4", "dicabut"),
                          sop("SOP-5", "draf", unit="[Organisasi Uji, Bagian Draf]")])
    planned = [page for page in manual_pages(manual, LABELS, SiteOptions()) if page.uri.startswith("formulir/")]
    assert [(page.uri, page.template, page.nav) for page in planned] == [
        ("formulir/index.md", "formulir.html", ("Formulir Monev",)),
        ("formulir/monitoring/organisasi-uji/bagian-uji.md", "formulir-monitoring-halaman.html", ()),
        ("formulir/monitoring/organisasi-uji/bagian-uji-hasil.md", "formulir-monitoring-halaman.html", ()),
    ]
    # per SOP in force, a standalone document (thousands of them: not themed site pages)
    assert [(doc.uri, doc.template) for doc in forms.sop_form_documents(manual, LABELS, SiteOptions())] == [
        ("formulir/sop/sop-1.html", "formulir-sop-dokumen.html"), ("formulir/sop/sop-2.html", "formulir-sop-dokumen.html")]
    assert [row.sop.nomor for row in planned[1].context["form"].rows] == ["SOP-1", "SOP-2"]
    assert [page.uri for page in manual_pages(manual, LABELS, SiteOptions(forms=False))
            if page.uri.startswith("formulir/")] == []
    assert list(forms.sop_form_documents(manual, LABELS, SiteOptions(forms=False))) == []


def test_monitoring_form_has_the_six_columns_of_tabel_7_and_a_row_per_sop():
    unit = Manual(sops=[sop("SOP-2"), sop("SOP-1")]).units()[0]
    page = next(p for p in forms.monitoring_form_pages(Manual(sops=list(unit.sops)), LABELS, SiteOptions())
                if not p.context["form"].filled)
    soup = render(page)
    form = soup.select_one(".sop-formulir-monitoring")
    assert form["data-unit"] == "Organisasi Uji / Bagian Uji"
    headers = texts(form.select("thead th"))
    for heading in ("No", "Prosedur", "Penilaian terhadap Penerapan", "Berjalan dengan baik",
                    "Tidak berjalan dengan baik", "Catatan Hasil Penilaian", "Tindakan yang Harus Diambil",
                    "Paraf Penilai"):
        assert heading in headers
    rows = form.select("tbody tr[data-sop-nomor]")
    assert [row["data-sop-nomor"] for row in rows] == ["SOP-1", "SOP-2"]
    for number, row in enumerate(rows, start=1):
        assert [cell["data-col"] for cell in row.select("td")] == TABEL_7
        assert texts(row.select('td[data-col="no"]')) == [str(number)]
        assert f"SOP-{number} Prosedur Uji" in texts(row.select('td[data-col="prosedur"]'))[0]
        # blank: nothing assessed, nothing to read
        assert texts(row.select('td[data-col="penilaian"], td[data-col="catatan"], td[data-col="tindakan"]')) == [""] * 4
    # the page links the other variant and prints without the site
    assert soup.select_one(".sop-formulir-alat.sop-web-only a[href='/formulir/monitoring/organisasi-uji/bagian-uji-hasil.md']")


def test_filled_monitoring_form_shows_each_sops_latest_monitoring_record():
    first = dataclasses.replace(sop("SOP-1"), monev=(
        monitoring("2025-01-15", "tidak-baik", "Langkah 2 sering tertunda", "Menambah petugas"),
        monitoring("2025-07-10", "baik", "Berjalan lancar"),
        MonevRecord(tanggal=dt.date(2025, 9, 1), jenis="evaluasi", kriteria={name: "ya" for name in CRITERIA}),
    ))
    second = dataclasses.replace(sop("SOP-2"), monev=(monitoring("2025-03-03", "tidak-baik", "Formulir tidak tersedia",
                                                                 "Mencetak formulir"),))
    third = sop("SOP-3")
    manual = Manual(sops=[first, second, third])
    filled = next(p for p in forms.monitoring_form_pages(manual, LABELS, SiteOptions()) if p.context["form"].filled)
    form = render(filled).select_one(".sop-formulir-monitoring")
    assert form["data-varian"] == "terisi"
    rows = {row["data-sop-nomor"]: row for row in form.select("tbody tr")}

    def cells(nomor: str, col: str) -> list[str]:
        return texts(rows[nomor].select(f'td[data-col="{col}"]'))

    assert rows["SOP-1"]["data-tanggal"] == "2025-07-10"  # the latest monitoring, not the later evaluation
    assert cells("SOP-1", "penilaian") == ["\u2713", ""]
    assert cells("SOP-1", "catatan") == ["Berjalan lancar"] and cells("SOP-1", "tindakan") == [""]
    assert "10 Juli 2025" in cells("SOP-1", "prosedur")[0] and "Kepala Subbagian Umum" in cells("SOP-1", "prosedur")[0]
    assert cells("SOP-2", "penilaian") == ["", "\u2713"]
    assert cells("SOP-2", "catatan") == ["Formulir tidak tersedia"] and cells("SOP-2", "tindakan") == ["Mencetak formulir"]
    assert cells("SOP-3", "penilaian") == ["", ""] and cells("SOP-3", "catatan") == ["Belum ada catatan monitoring."]
    assert not rows["SOP-3"].has_attr("data-tanggal")
    assert "terbaru 10 Juli 2025" in form.get_text(" ")
    assert cells("SOP-1", "paraf") == [""]  # initials are written by hand


def test_sop_forms_page_holds_the_evaluation_form_and_both_dissemination_forms():
    source = MINIMAL_SOP.replace("langkah:", 'revisi:\n  - {versi: "1.0", tanggal: 2025-01-01}\n'
                                 '  - {versi: "2.1", tanggal: 2025-06-01}\nlangkah:')
    manual = Manual(sops=[load(source, "sops/uji.md").sop])
    page = next(forms.sop_form_documents(manual, LABELS, SiteOptions(pdf=True)))
    soup = render(page)
    assert soup.select_one("html > head > link[rel=stylesheet]")["href"] == "/assets/stylesheets/sop-formulir.css"
    evaluation = soup.select_one(".sop-formulir-evaluasi")
    assert evaluation["data-sop-nomor"] == "SOP-UJI-001"
    rows = evaluation.select("tbody tr")
    assert [row["data-kriteria"] for row in rows] == list(CRITERIA)
    assert texts(row.select_one('td[data-col="kriteria"]') for row in rows) == [
        "Mampu mendorong peningkatan kinerja", "Mudah dipahami", "Mudah dilaksanakan",
        "Semua orang dapat menjalankan perannya masing-masing",
        "Mampu mengatasi permasalahan yang berkaitan dengan proses",
        "Mampu menjawab kebutuhan peningkatan kinerja organisasi", "Sinergi satu dengan lainnya"]
    assert texts(evaluation.select("thead th")) == ["No", "Kriteria Evaluasi", "Ya", "Tidak", "Catatan"]
    assert {box["data-field"] for box in evaluation.select(".sop-formulir__isian")} == {"catatan", "tindakan"}
    dissemination = soup.select(".sop-formulir-sosialisasi")
    assert [(form["data-formulir"], form["data-sop-nomor"], form["data-versi"]) for form in dissemination] == [
        ("daftar-hadir", "SOP-UJI-001", "2.1"), ("berita-acara", "SOP-UJI-001", "2.1")]
    attendance = dissemination[0]
    assert texts(attendance.select("thead th")) == ["No", "Nama", "NIP", "Jabatan/Unit Kerja", "Tanda Tangan"]
    assert len(attendance.select("tbody tr")) == forms.ATTENDANCE_ROWS
    assert "Prosedur Uji" in dissemination[1].get_text(" ") and "2 langkah" in dissemination[1].get_text(" ")
    assert soup.select_one("a[href='/pdf/formulir/sop/uji.pdf'][download]")
    assert soup.select_one("a[href='/sop/uji.md']")  # back to the SOP page


def test_forms_speak_english_with_the_language_switch():
    manual = Manual(sops=[sop("SOP-1")])
    page = next(p for p in forms.monitoring_form_pages(manual, LABELS, SiteOptions()))
    renderer = Renderer([ROOT / "overrides"], Settings(language="en"))
    soup = BeautifulSoup(renderer.manual_page(page, href=lambda s: "", link=lambda uri: uri), "html.parser")
    assert "Working well" in soup.get_text() and "Assessor's Initials" in soup.get_text()


# -- in a built site ------------------------------------------------------------------


def page_of(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def resolve(base: str, href: str) -> str:
    import posixpath

    folder = base if base.endswith("/") else posixpath.dirname(base) + "/"
    return posixpath.normpath(posixpath.join(folder, href)) + ("/" if href.endswith("/") else "")


def test_example_sop_page_and_unit_page_link_the_forms(example_site):
    url = "sop/sistem-informasi/website-baru/"
    link = page_of(example_site, url).select_one("a.sop-formulir-tautan")
    target = resolve(url, link["href"])
    assert target == "formulir/sop/sistem-informasi/website-baru.html"
    document = BeautifulSoup((example_site / target).read_text(encoding="utf-8"), "html.parser")
    assert document.select_one('.sop-formulir-evaluasi[data-sop-nomor="SOP-DSI-001"]')
    stylesheet = document.select_one("link[rel=stylesheet]")["href"]
    assert (example_site / resolve(target, stylesheet)).is_file()
    back = document.select_one(".sop-formulir-alat a[href$='/']")["href"]
    assert resolve(target, back) == url
    # a revoked SOP gets no forms
    assert page_of(example_site, "sop/sistem-informasi/permohonan-akun-email/").select_one("a.sop-formulir-tautan") is None
    unit_url = "unit/universitas-nusantara/direktorat-sistem-informasi/"
    unit = page_of(example_site, unit_url)
    monitoring = [resolve(unit_url, a["href"]) for a in unit.select(".sop-unit-dokumen a[data-varian]")]
    assert monitoring == ["formulir/monitoring/universitas-nusantara/direktorat-sistem-informasi/",
                          "formulir/monitoring/universitas-nusantara/direktorat-sistem-informasi-hasil/"]
    form = page_of(example_site, monitoring[0]).select_one(".sop-formulir-monitoring")
    assert form["data-unit"] == "Universitas Nusantara / Direktorat Sistem Informasi"
    assert [li["data-sop-nomor"] for li in unit.select(".sop-unit-formulir li")] == [
        row["data-sop-nomor"] for row in form.select("tbody tr")] == ["SOP-DSI-001", "SOP-DSI-002", "SOP-DSI-003",
                                                                      "SOP-DSI-004"]
    # without pdf: true no PDF is linked
    assert unit.select(".sop-unit-dokumen a[download]") == []
    # the quality team finds every unit's forms under "Formulir Monev" in the navigation
    index = page_of(example_site, "formulir/")
    assert "Formulir Monev" in [" ".join(a.get_text().split()) for a in index.select("nav.md-nav--primary a")]
    example = load_manual(ROOT / "sops")
    assert [row["data-unit"] for row in index.select(".sop-formulir-indeks tr[data-unit]")] == [
        " / ".join(unit.path) for unit in example.units() if any(sop.in_force for sop in unit.sops)]


def test_forms_false_leaves_the_forms_out(tmp_path):
    project = make_project(tmp_path / "manual", plugin_extra="forms: false\n", sops={"uji.md": MINIMAL_SOP})
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert not (project.site / "formulir").exists()
    soup = BeautifulSoup(project.page("sop/uji"), "html.parser")
    assert soup.select_one("a.sop-formulir-tautan") is None
