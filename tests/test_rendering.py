"""The page contract (spec section 4): stable hooks in the HTML of an SOP page.

Pages are rendered by the core renderer with the project's own templates and read
back with BeautifulSoup, the way a theme's CSS or a user's test would find them.
"""

from __future__ import annotations

import re
import textwrap

import pytest
from bs4 import BeautifulSoup

from conftest import MINIMAL_SOP, ROOT, load
from sop_manual.bagan import layout_bagan
from sop_manual.manual import Unit
from sop_manual.mermaid import flowchart
from sop_manual.model import Sop
from sop_manual.pages import ManualPage
from sop_manual.rendering import Renderer, Settings

FULL = textwrap.dedent("""\
    ---
    nomor: SOP-TI-001
    judul: Permohonan Website Baru
    unit: [Universitas Contoh, Direktorat Sistem Informasi]
    status: berlaku
    klasifikasi:
      jenis: spesifik
      sifat: administratif
      skala: makro
      kelengkapan: final
    tanggal:
      pembuatan: 2024-01-10
      revisi: 2024-06-01
      efektif: 2024-07-01
    tinjauan:
      siklus: 12 bulan
      terakhir: 2024-06-01
    tujuan: Memberi panduan bagi unit yang mengajukan website
    ruang_lingkup: Berlaku untuk seluruh unit kerja
    definisi:
      Sistem Informasi: Aplikasi yang mengolah data
      Pemohon: Unit yang mengajukan
    dasar_hukum:
      - Peraturan Menteri PANRB Nomor 35 Tahun 2012
      - Peraturan Rektor Nomor 1 Tahun 2020
    kualifikasi_pelaksana: Memahami proses bisnis unit
    keterkaitan:
      - nomor: SOP-TI-002
        hubungan: lanjutan
      - SOP Pengarsipan
    peralatan: [Komputer, Formulir permohonan]
    peringatan: Permohonan tidak lengkap dikembalikan
    pencatatan: [Formulir disimpan oleh Tim IT]
    pelaksana:
      pemohon: Unit Pemohon
      tim_it: Tim IT
      pimpinan: Pimpinan
    langkah:
      - id: ajukan
        kegiatan: Mengajukan permohonan
        pelaksana: pemohon
        kelengkapan: [Formulir permohonan, Deskripsi proyek]
        waktu: 1 hari
        output: Formulir terisi
        keterangan: Melalui portal
      - id: evaluasi
        kegiatan: Mengevaluasi permohonan
        pelaksana: tim_it
        kelengkapan: Formulir terisi
        waktu: 3 hari kerja
        output: Hasil evaluasi
        keputusan:
          ya: kebutuhan
          tidak: tolak
      - id: tolak
        kegiatan: Memberitahukan penolakan
        pelaksana: tim_it
        waktu: 1 hari
        output: Surat penolakan
        selesai: true
      - id: kebutuhan
        kegiatan: Merumuskan kebutuhan
        pelaksana: [tim_it, pemohon]
        waktu: 5-10 hari kerja
        output: Dokumen kebutuhan
        lanjut: setuju
      - id: uji
        kegiatan: Menguji aplikasi
        pelaksana: tim_it
        waktu: 2 jam
        output: Laporan uji
      - id: setuju
        kegiatan: Memutuskan
        pelaksana: pimpinan
        waktu: 30 menit
        output: Keputusan
        keputusan:
          Setuju: selesai
          Perlu uji: uji
    pengesahan:
      dibuat: {jabatan: Kepala Subbagian TI, nama: Rina, nip: "198506172010122003", tanggal: 2024-01-10}
      diperiksa: {jabatan: Kepala Bagian Mutu, nama: Hendra}
      disahkan: {jabatan: Direktur Sistem Informasi, nama: Bambang, nip: "197803222005011001", pangkat: Pembina}
    revisi:
      - {versi: "1.0", tanggal: 2024-01-10, perubahan: Penerbitan awal, oleh: Tim Penyusun}
      - {versi: 1.10, tanggal: 2024-06-01, perubahan: Menambah uji keamanan}
    sosialisasi:
      - {tanggal: 2024-07-05, versi: "1.10", metode: Rapat koordinasi, peserta: [Kepala unit, Operator]}
    ---
    ## Formulir terkait

    Formulir F-01.
    """)

OTHER = MINIMAL_SOP.replace("SOP-UJI-001", "SOP-TI-002").replace("Prosedur Uji", "Pengembangan Lanjutan")


def sop_of(text: str, name: str = "sops/ti/website.md") -> Sop:
    result = load(text, name)
    assert result.sop is not None and not [d for d in result.diagnostics if d.is_error], result.diagnostics
    return result.sop


def render(text: str = FULL, *, settings: Settings | None = None, body_html: str = "", others=(OTHER,)) -> BeautifulSoup:
    renderer = Renderer([ROOT / "overrides"], settings or Settings())
    sops = [sop_of(text)] + [sop_of(other, f"sops/lain/{n}.md") for n, other in enumerate(others)]
    by_nomor = {s.nomor: s for s in sops}
    html = renderer.sop_page(sops[0], body_html=body_html, find=by_nomor.get,
                             href=lambda target: f"../../{target.source.removesuffix('.md')}/",
                             bagan=layout_bagan(sops[0], renderer.labels, renderer.settings.steps_per_page))
    return BeautifulSoup(html, "html.parser")


@pytest.fixture(scope="module")
def page() -> BeautifulSoup:
    return render(body_html="<h2 id=\"formulir-terkait\">Formulir terkait</h2>\n<p>Formulir F-01.</p>")


def text(element) -> str:
    return " ".join(element.get_text(" ").split())


def test_the_sop_element_carries_its_number(page):
    [article] = page.select(".sop")
    assert article["data-sop-nomor"] == "SOP-TI-001"
    assert article.name == "article"


def test_odd_numbers_are_kept_as_written():
    page = render(MINIMAL_SOP.replace("SOP-UJI-001", "'530/ /01-IND/IV/2019'"))
    assert page.select_one(".sop")["data-sop-nomor"] == "530/ /01-IND/IV/2019"
    assert text(page.select_one('.sop-identitas [data-field="nomor"]')) == "530/ /01-IND/IV/2019"


@pytest.mark.parametrize(
    ("field", "shown"),
    [
        ("nomor", "SOP-TI-001"),
        ("judul", "Permohonan Website Baru"),
        ("unit", "Universitas Contoh Direktorat Sistem Informasi"),
        ("tanggal.pembuatan", "10 Januari 2024"),
        ("tanggal.revisi", "1 Juni 2024"),
        ("tanggal.efektif", "1 Juli 2024"),
        ("disahkan_oleh", "Disahkan oleh Direktur Sistem Informasi Bambang Pembina NIP. 197803222005011001"),
        ("dasar_hukum", "Peraturan Menteri PANRB Nomor 35 Tahun 2012 Peraturan Rektor Nomor 1 Tahun 2020"),
        ("kualifikasi_pelaksana", "Memahami proses bisnis unit"),
        ("keterkaitan", "SOP-TI-002 Pengembangan Lanjutan (Lanjutan) SOP Pengarsipan"),
        ("peralatan", "Komputer Formulir permohonan"),
        ("peringatan", "Permohonan tidak lengkap dikembalikan"),
        ("pencatatan", "Formulir disimpan oleh Tim IT"),
        ("tinjauan.berikutnya", "Tinjauan berikutnya: 1 Juni 2025 (12 bulan)"),
    ],
)
def test_identity_block_has_a_data_field_per_filled_field(page, field, shown):
    [element] = page.select(f'.sop-identitas [data-field="{field}"]')
    assert text(element) == shown


def test_identity_lists_are_lists(page):
    assert [text(li) for li in page.select('.sop-identitas [data-field="dasar_hukum"] li')] == [
        "Peraturan Menteri PANRB Nomor 35 Tahun 2012", "Peraturan Rektor Nomor 1 Tahun 2020"]
    assert page.select('.sop-identitas [data-field="kualifikasi_pelaksana"] li') == []


def test_blank_identity_fields_stay_blank_boxes():
    page = render(MINIMAL_SOP)
    for field in ("tanggal.pembuatan", "tanggal.efektif", "dasar_hukum", "peralatan"):
        assert text(page.select_one(f'.sop-identitas [data-field="{field}"]')) == ""
    assert page.select('[data-field="tinjauan.berikutnya"]') == []
    assert page.select('[data-field="tujuan"]') == [] and page.select(".sop-definisi") == []


def test_purpose_scope_and_definitions(page):
    assert text(page.select_one('[data-field="tujuan"]')) == "Memberi panduan bagi unit yang mengajukan website"
    assert text(page.select_one('[data-field="ruang_lingkup"]')) == "Berlaku untuk seluruh unit kerja"
    definitions = page.select_one('[data-field="definisi"]')
    assert [text(dt) for dt in definitions.select("dt")] == ["Sistem Informasi", "Pemohon"]
    assert [text(dd) for dd in definitions.select("dd")] == ["Aplikasi yang mengolah data", "Unit yang mengajukan"]


def test_badges_for_status_and_each_axis(page):
    badges = [(b["data-axis"], b["data-value"]) for b in page.select(".sop-kepala .sop-badge")]
    assert badges == [("status", "berlaku"), ("sosialisasi", "sudah"), ("jenis", "spesifik"),
                      ("sifat", "administratif"), ("skala", "makro"), ("kelengkapan", "final")]
    assert text(page.select_one('.sop-badge[data-axis="status"]')) == "Berlaku"
    assert text(page.select_one('.sop-badge[data-axis="sifat"]')) == "Sifat: Administratif"


def test_only_given_axes_have_badges():
    page = render(MINIMAL_SOP.replace("status: berlaku", "status: berlaku\nklasifikasi: {skala: mikro}"))
    assert [(b["data-axis"], b["data-value"]) for b in page.select(".sop-kepala .sop-badge")] == [
        ("status", "berlaku"), ("sosialisasi", "belum"), ("skala", "mikro")]


COLUMNS = ["no", "kegiatan", "pelaksana", "kelengkapan", "waktu", "output", "keterangan"]


def test_steps_table_has_one_row_per_step_in_order_with_the_contract_columns(page):
    [table] = page.select("table.sop-langkah")
    rows = table.select("tr[data-step]")
    assert [row["data-step"] for row in rows] == ["1", "2", "3", "4", "5", "6"]
    for row in rows:
        assert [cell["data-col"] for cell in row.find_all("td", recursive=False)] == COLUMNS
    assert [th["data-col"] for th in table.select("thead th")] == COLUMNS
    assert [text(th) for th in table.select("thead th")] == ["No", "Kegiatan", "Pelaksana", "Kelengkapan", "Waktu",
                                                             "Output", "Keterangan"]


def cell(page, step: int, col: str):
    return page.select_one(f'table.sop-langkah tr[data-step="{step}"] td[data-col="{col}"]')


def test_step_cells_show_what_the_editor_wrote(page):
    assert text(cell(page, 1, "no")) == "1"
    assert text(cell(page, 1, "kegiatan")) == "Mengajukan permohonan"
    assert text(cell(page, 1, "pelaksana")) == "Unit Pemohon"   # the name, not the key
    assert [text(li) for li in cell(page, 1, "kelengkapan").select("li")] == ["Formulir permohonan", "Deskripsi proyek"]
    assert text(cell(page, 2, "kelengkapan")) == "Formulir terisi"
    assert text(cell(page, 2, "waktu")) == "3 hari kerja"
    assert text(cell(page, 4, "waktu")) == "5-10 hari kerja"
    assert text(cell(page, 1, "output")) == "Formulir terisi"
    assert text(cell(page, 1, "keterangan")) == "Melalui portal"
    assert text(cell(page, 2, "keterangan")) == ""
    assert [(s["data-pelaksana"], text(s)) for s in cell(page, 4, "pelaksana").select(".sop-pelaksana")] == [
        ("tim_it", "Tim IT"), ("pemohon", "Unit Pemohon")]


def test_decisions_show_their_branches_and_jump_targets_by_number(page):
    branches = cell(page, 2, "kegiatan").select(".sop-cabang li")
    assert [text(li) for li in branches] == ["Ya: ke langkah 4", "Tidak: ke langkah 3"]
    assert [a["href"] for a in cell(page, 2, "kegiatan").select(".sop-cabang a")] == ["#langkah-4", "#langkah-3"]
    assert page.select_one('tr[data-step="2"]')["data-keputusan"] == "true"
    assert [text(li) for li in cell(page, 6, "kegiatan").select(".sop-cabang li")] == [
        "Setuju: selesai", "Perlu uji: ke langkah 5"]
    assert page.select_one("#langkah-5")["data-step"] == "5"


def test_jumps_and_ends_are_said_and_plain_next_steps_are_not(page):
    assert [text(li) for li in cell(page, 4, "kegiatan").select(".sop-cabang li")] == ["Lanjut ke langkah 6"]
    assert [text(li) for li in cell(page, 3, "kegiatan").select(".sop-cabang li")] == ["Selesai"]
    assert cell(page, 1, "kegiatan").select(".sop-cabang") == []
    # step 5 simply goes on to step 6
    assert cell(page, 5, "kegiatan").select(".sop-cabang") == []


def test_mermaid_block_holds_the_flowchart(page):
    [block] = page.select("pre.mermaid")
    chart = block.get_text()
    assert chart == flowchart(sop_of(FULL), Renderer([ROOT / "overrides"]).labels)
    lines = chart.splitlines()
    step_nodes = [match.group(1) for line in lines if (match := re.match(r'^\s*(s\d+[\[{])"', line))]
    # grouped by lane (a step sits in its first pelaksana's lane): pemohon 1; tim_it 2-5; pimpinan 6
    assert step_nodes == ["s1[", "s2{", "s3[", "s4[", "s5[", "s6{"]
    assert lines.index('  subgraph lane2["Tim IT"]') < lines.index('    s4["4. Merumuskan kebutuhan #40;+ Unit Pemohon#41;"]')
    assert '  s2 -->|"Ya"| s4' in lines and '  s2 -->|"Tidak"| s3' in lines
    assert '  mulai(["Mulai"])' in lines and '  selesai(["Selesai"])' in lines
    assert '  subgraph lane1["Unit Pemohon"]' in lines and '  subgraph lane3["Pimpinan"]' in lines


def test_official_flowchart_matrix_is_there(page):
    [bagan] = page.select(".sop-bagan")
    assert {s["data-step"] for s in bagan.select("[data-symbol][data-step]")} >= {"1", "2", "3", "4", "5", "6"}


def test_total_time(page):
    # shortest: 1 (1 hari) -> 2 (3 hari) -> 3 (1 hari) = 5 hari = 2400 menit = 1 minggu
    # longest: 1, 2, 4 (up to 10 hari), 6 (30 menit), then the end: 480 + 1440 + 4800 + 30 = 6750
    #          (6 -> 5 -> 6 would visit step 6 twice) = 2 minggu 4 hari 30 menit
    [total] = page.select(".sop-total-waktu")
    assert (total["data-min-menit"], total["data-max-menit"]) == ("2400", "6750")
    assert "1 minggu sampai 2 minggu 4 hari 30 menit" in text(total)


def test_version_history_rows(page):
    [table] = page.select("table.sop-revisi")
    rows = table.select("tr[data-versi]")
    assert [row["data-versi"] for row in rows] == ["1.0", "1.10"]
    assert [text(td) for td in rows[0].select("td")] == ["1.0", "10 Januari 2024", "Penerbitan awal", "Tim Penyusun"]
    assert text(page.select_one(".sop-nomor")) == "SOP-TI-001 · Versi 1.10"


def test_no_version_history_section_without_revisions():
    page = render(MINIMAL_SOP)
    assert page.select(".sop-revisi") == [] and page.select("#riwayat-revisi") == []


def test_signatures(page):
    [block] = page.select(".sop-pengesahan")
    entries = block.select("[data-role]")
    assert [e["data-role"] for e in entries] == ["dibuat", "diperiksa", "disahkan"]
    assert text(entries[0]) == "Dibuat oleh Kepala Subbagian TI Rina NIP. 198506172010122003 10 Januari 2024"
    assert text(entries[1]) == "Diperiksa oleh Kepala Bagian Mutu Hendra"
    assert text(entries[2]) == "Disahkan oleh Direktur Sistem Informasi Bambang Pembina NIP. 197803222005011001"


def test_signature_boxes_exist_even_when_unsigned():
    page = render(MINIMAL_SOP)
    assert [e["data-role"] for e in page.select(".sop-pengesahan [data-role]")] == ["dibuat", "diperiksa", "disahkan"]


def test_dissemination(page):
    [section] = page.select(".sop-sosialisasi")
    [row] = section.select("tr[data-versi]")
    assert row["data-versi"] == "1.10"
    assert [text(td) for td in row.select("td")] == ["5 Juli 2024", "1.10", "Rapat koordinasi", "Kepala unit, Operator"]
    assert section.select(".sop-sosialisasi-pending") == []


def test_dissemination_pending_for_the_current_version():
    page = render(FULL.replace('versi: "1.10", metode', 'versi: "1.0", metode'))
    [pending] = page.select(".sop-sosialisasi .sop-sosialisasi-pending")
    assert pending["data-versi"] == "1.10"
    assert text(pending) == "Versi 1.10 belum disosialisasikan."


def test_sections_appear_in_the_contract_order(page):
    order = [".sop-kepala", "table.sop-identitas", '[data-field="tujuan"]', '[data-field="ruang_lingkup"]',
             '[data-field="definisi"]', "table.sop-langkah", "pre.mermaid", ".sop-bagan", ".sop-total-waktu",
             ".sop-pengesahan", "table.sop-revisi", ".sop-sosialisasi", ".sop-monev-section", "#formulir-terkait"]
    everything = page.find_all(True)
    positions = [everything.index(page.select_one(selector)) for selector in order]
    assert positions == sorted(positions)
    headings = [h["id"] for h in page.select(".sop h2[id]")]
    assert headings == ["identitas", "tujuan", "ruang-lingkup", "definisi", "uraian-prosedur", "diagram-alir",
                        "bagan-alir", "pengesahan", "riwayat-revisi", "sosialisasi", "monev", "formulir-terkait"]
    anchors = [anchor for anchor, _ in Renderer([ROOT / "overrides"]).sections(sop_of(FULL))]
    assert anchors == headings[:-1]


def test_body_comes_after_the_generated_sections_inside_the_sop(page):
    body = page.select_one(".sop .sop-catatan")
    assert text(body) == "Formulir terkait Formulir F-01."
    assert body.find_previous_sibling(class_="sop-sosialisasi") is not None


def test_no_body_section_without_a_body():
    assert render(MINIMAL_SOP).select(".sop-catatan") == []


def test_references_link_to_the_other_sop_page(page):
    links = page.select('.sop-identitas [data-field="keterkaitan"] a')
    assert [(a["href"], a["data-hubungan"], text(a)) for a in links] == [
        ("../../lain/0/", "lanjutan", "SOP-TI-002 Pengembangan Lanjutan")]
    items = page.select('.sop-identitas [data-field="keterkaitan"] li')
    assert text(items[1]) == "SOP Pengarsipan" and items[1].find("a") is None


@pytest.mark.parametrize(("status", "kind"), [("draf", "warning"), ("tinjauan", "warning"), ("dicabut", "danger")])
def test_draf_tinjauan_and_dicabut_are_marked(status, kind):
    page = render(MINIMAL_SOP.replace("status: berlaku", f"status: {status}"))
    assert f"sop--{status}" in page.select_one(".sop")["class"]
    [notice] = page.select(".sop-notice")
    assert notice["data-status"] == status and kind in notice["class"]
    assert page.select_one('.sop-badge[data-axis="status"]')["data-value"] == status


def test_draf_is_the_default_status():
    page = render(MINIMAL_SOP.replace("status: berlaku\n", ""))
    assert page.select_one('.sop-badge[data-axis="status"]')["data-value"] == "draf"
    assert text(page.select_one(".sop-notice")) == "Draf SOP ini masih draf: belum disahkan dan belum berlaku."


def test_berlaku_has_no_notice(page):
    assert page.select(".sop-notice") == []
    assert "sop--berlaku" in page.select_one(".sop")["class"]


def test_english_labels():
    page = render(settings=Settings(language="en"))
    assert [text(th) for th in page.select("table.sop-langkah thead th")] == [
        "No", "Activity", "Executor", "Requirements", "Time", "Output", "Remarks"]
    assert [text(li) for li in cell(page, 2, "kegiatan").select(".sop-cabang li")] == ["Yes: to step 4", "No: to step 3"]
    assert text(page.select_one('.sop-identitas [data-field="tanggal.efektif"]')) == "1 July 2024"
    assert text(page.select_one("#uraian-prosedur")) == "Procedure"
    assert text(page.select_one('.sop-badge[data-axis="status"]')) == "In force"
    assert [text(e.select_one(".sop-ttd-peran")) for e in page.select(".sop-pengesahan [data-role]")] == [
        "Prepared by", "Reviewed by", "Approved by"]
    assert '  mulai(["Start"])' in page.select_one("pre.mermaid").get_text().splitlines()
    # hooks never change with the language
    assert page.select_one('[data-field="tanggal.efektif"]') is not None


def test_label_overrides():
    page = render(settings=Settings(labels={"tanggal.efektif": "Tgl Pengesahan", "col.output": "Keluaran"}))
    row = page.select_one('.sop-identitas [data-field="tanggal.efektif"]').find_parent("tr")
    assert text(row.th) == "Tgl Pengesahan"
    assert text(page.select_one('table.sop-langkah th[data-col="output"]')) == "Keluaran"


def test_unknown_label_override_is_refused():
    with pytest.raises(KeyError, match="tanggal.efektip"):
        Renderer([ROOT / "overrides"], Settings(labels={"tanggal.efektip": "x"}))


# -- listings ------------------------------------------------------------------


def listing_sops() -> list[Sop]:
    return [sop_of(FULL), sop_of(OTHER.replace("status: berlaku", "status: dicabut"), "sops/lain/0.md")]


def test_catalogue_lists_every_sop_with_badges_and_date():
    renderer = Renderer([ROOT / "overrides"], Settings())
    catalogue = ManualPage("katalog.md", "Katalog SOP", "katalog.html", {"sops": listing_sops(), "pdf_uri": ""})
    html = renderer.manual_page(catalogue, href=lambda s: s.source.removesuffix(".md") + "/", link=lambda uri: uri)
    page = BeautifulSoup(html, "html.parser")
    rows = page.select("table.sop-katalog tbody tr")
    assert [(r["data-sop-nomor"], r["data-status"]) for r in rows] == [("SOP-TI-001", "berlaku"), ("SOP-TI-002", "dicabut")]
    headers = [text(th) for th in page.select("table.sop-katalog thead th")]
    first = dict(zip(headers, [text(td) for td in rows[0].select("td")]))
    assert {key: first[key] for key in ("Nomor", "Judul", "Unit", "Status", "Tanggal Efektif")} == {
        "Nomor": "SOP-TI-001", "Judul": "Permohonan Website Baru", "Unit": "Direktorat Sistem Informasi",
        "Status": "Berlaku", "Tanggal Efektif": "1 Juli 2024"}
    assert rows[0].select_one("a")["href"] == "ti/website/"
    assert [(b["data-axis"], b["data-value"]) for b in rows[0].select(".sop-badge")] == [
        ("jenis", "spesifik"), ("sifat", "administratif"), ("skala", "makro"), ("kelengkapan", "final"),
        ("status", "berlaku")]
    assert [(b["data-axis"], b["data-value"]) for b in rows[1].select(".sop-badge")] == [("status", "dicabut")]


def test_unit_page_and_sop_list_and_sop_link():
    renderer = Renderer([ROOT / "overrides"], Settings())
    sops = listing_sops()
    unit_page = ManualPage("unit/x.md", "Direktorat Sistem Informasi", "unit.html",
                           {"unit": Unit(("Universitas Contoh", "Direktorat Sistem Informasi"), (sops[0],)), "path": []})
    unit = BeautifulSoup(renderer.manual_page(unit_page, href=lambda s: "x/", link=lambda uri: uri), "html.parser")
    assert [li["data-sop-nomor"] for li in unit.select(".sop-daftar li")] == ["SOP-TI-001"]
    assert "Universitas Contoh / Direktorat Sistem Informasi (1 SOP)" in text(unit)
    empty = BeautifulSoup(renderer.sop_list([], href=lambda s: "x/"), "html.parser")
    assert text(empty.select_one(".sop-daftar-kosong")) == "Tidak ada SOP yang sesuai."
    link = BeautifulSoup(renderer.sop_link(sops[1], href=lambda s: "../lain/0/"), "html.parser").a
    assert (link["href"], link["data-sop-nomor"], link["data-status"], text(link)) == (
        "../lain/0/", "SOP-TI-002", "dicabut", "SOP-TI-002 Pengembangan Lanjutan")
