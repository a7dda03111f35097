"""PDF output (sop_manual.printing): one SOP, the whole manual; PNGs of the pages go to tests/output/."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "plugins") not in sys.path:
    sys.path.insert(0, str(ROOT / "plugins"))

pytest.importorskip("weasyprint")
pypdf = pytest.importorskip("pypdf")

from sop_manual import printing  # noqa: E402
from sop_manual.bagan import layout_bagan  # noqa: E402
from sop_manual.loading import load_bytes  # noqa: E402
from sop_manual.rendering import Renderer, Settings  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
OUTPUT = ROOT / "tests" / "output"
TEMPLATE_DIRS = [ROOT / "overrides", FIXTURES / "templates"]


def load(text: str):
    result = load_bytes(text.encode(), "x.md")
    assert result.sop is not None, result.diagnostics
    assert not [d for d in result.diagnostics if d.severity.name == "ERROR"], result.diagnostics
    return result.sop


def fixture_sop(name: str):
    return load((FIXTURES / "sops" / name).read_text(encoding="utf-8"))


def small_sop(nomor: str, judul: str, unit: str):
    return load(f"""---
nomor: {nomor}
judul: {judul}
unit: [Universitas Contoh, {unit}]
pelaksana:
  pemohon: Pemohon
  petugas: Petugas
langkah:
  - kegiatan: Mengajukan permohonan
    pelaksana: pemohon
    waktu: 1 jam
    output: Permohonan
  - kegiatan: Memeriksa permohonan
    pelaksana: petugas
    waktu: 2 jam
    output: Hasil pemeriksaan
    keputusan:
      ya: selesai
      tidak: perbaiki
  - id: perbaiki
    kegiatan: Memperbaiki permohonan
    pelaksana: pemohon
    waktu: 1 hari
    output: Permohonan baru
---
""")


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(TEMPLATE_DIRS, Settings(organisation="Universitas Contoh", steps_per_page=10))


def read(pdf: bytes):
    assert pdf.startswith(b"%PDF")
    return pypdf.PdfReader(io.BytesIO(pdf))


def is_landscape(page) -> bool:
    return float(page.mediabox.width) > float(page.mediabox.height)


def text_of(page) -> str:
    return " ".join(page.extract_text().split())


def write_pngs(pdf_path: Path, prefix: str, first: int = 1, last: int | None = None) -> list[Path]:
    """Render pages to ``tests/output/<prefix>-N.png`` (for people to look at)."""
    if shutil.which("pdftoppm") is None:
        return []
    OUTPUT.mkdir(exist_ok=True)
    for old in OUTPUT.glob(f"{prefix}-*.png"):
        old.unlink()
    command = ["pdftoppm", "-png", "-r", "90", "-f", str(first)]
    if last is not None:
        command += ["-l", str(last)]
    subprocess.run([*command, str(pdf_path), str(OUTPUT / prefix)], check=True)
    pngs = sorted(OUTPUT.glob(f"{prefix}-*.png"))
    assert pngs and all(png.stat().st_size > 1000 for png in pngs)
    return pngs


def test_sop_pdf(renderer, tmp_path):
    sop = fixture_sop("uji-12-langkah.md")
    path = tmp_path / "sop.pdf"
    path.write_bytes(printing.sop_pdf(renderer, sop))
    reader = pypdf.PdfReader(path)
    text = " ".join(text_of(page) for page in reader.pages)
    assert sop.nomor in text and sop.judul in text
    orientations = [is_landscape(page) for page in reader.pages]
    # identity sheet first (portrait), then the matrix: 12 steps, 10 a page -> 2 landscape sheets
    assert orientations[0] is False
    assert orientations.count(True) == 2 and orientations[-2:] == [True, True]
    landscape = [text_of(page) for page in reader.pages if is_landscape(page)]
    assert "Halaman 1 dari 2" in landscape[0] and "Halaman 2 dari 2" in landscape[1]
    assert "Total waktu penyelesaian" in landscape[-1]
    assert "Mengambil surat di loket" in landscape[1]
    write_pngs(path, "sop-12-langkah")


def test_thirty_steps_six_lanes_fit_one_sheet_per_matrix_page(renderer, tmp_path):
    sop = fixture_sop("uji-30-langkah.md")
    path = tmp_path / "sop-30.pdf"
    path.write_bytes(printing.sop_pdf(renderer, sop))
    reader = pypdf.PdfReader(path)
    landscape = [text_of(page) for page in reader.pages if is_landscape(page)]
    assert len(landscape) >= 3
    # every matrix page on a sheet of its own: sheet k shows the caption "Halaman k dari n"
    for number, text in enumerate(landscape, start=1):
        assert f"Halaman {number} dari {len(landscape)}" in text
        assert "Pemohon Layanan" in text and "Direktur" in text  # header repeated
    steps_seen = [int(n) for n in re.findall(r"Kegiatan nomor (\d+) yaitu", " ".join(landscape))]
    assert steps_seen == list(range(1, 31))
    first = next(index for index, page in enumerate(reader.pages, start=1) if is_landscape(page))
    write_pngs(path, "sop-30-langkah", first=first)


def test_rows_are_measured_for_the_final_pass(renderer):
    """The second pass gives every drawing area the height WeasyPrint gave its row."""
    import weasyprint

    sop = fixture_sop("uji-12-langkah.md")
    entry = printing.printed_sop(renderer, sop)
    html = renderer.env.get_template("sop/cetak-sop.html").render(
        entries=[entry], stylesheets=printing.stylesheet_urls(renderer), bagan_heights={}, page_label={
            "before": "", "between": "/", "after": ""})
    measurement = printing.measure_rows(weasyprint.HTML(string=html).render())
    rows = measurement.rows[entry.bagan.id]
    assert set(rows) == {row.key for page in entry.bagan.pages for row in page.rows}
    assert all(height >= 30 for height in rows.values())


def test_manual_pdf(renderer, tmp_path):
    sops = [small_sop("SOP-A-001", "Permohonan Cuti", "Biro Kepegawaian"),
            small_sop("SOP-A-002", "Permohonan Izin", "Biro Kepegawaian"),
            fixture_sop("uji-12-langkah.md")]
    path = tmp_path / "manual.pdf"
    path.write_bytes(printing.manual_pdf(renderer, sops, "Universitas Contoh", 2025))
    reader = pypdf.PdfReader(path)
    pages = [text_of(page) for page in reader.pages]
    assert "universitas contoh" in pages[0].lower()  # the cover sets it in capitals
    assert "2025" in pages[0] and "DOKUMEN STANDAR OPERASIONAL PROSEDUR" in pages[0]
    assert "Daftar Isi" in pages[1]
    assert "Penjelasan Singkat Penggunaan" in pages[2] and "Daftar SOP" in pages[3]
    # cover + contents + guide + list + each SOP as in its own PDF
    expected = 4 + sum(len(read(printing.sop_pdf(renderer, sop)).pages) for sop in sops)
    assert len(reader.pages) == expected
    landscape = sum(is_landscape(page) for page in reader.pages)
    assert landscape == sum(len(layout_bagan(sop, renderer.labels, 10).pages) for sop in sops)
    # the contents give the sheet where each SOP starts
    for sop in sops:
        start = next(number for number, text in enumerate(pages[4:], start=5) if sop.nomor in text)
        assert re.search(rf"{re.escape(sop.nomor)} {re.escape(sop.judul)} {start}\b", pages[1]), (sop.nomor, pages[1])
    write_pngs(path, "manual", last=3)


def test_english_labels_in_pdf(tmp_path):
    renderer = Renderer(TEMPLATE_DIRS, Settings(language="en"))
    reader = read(printing.manual_pdf(renderer, [small_sop("SOP-E-001", "Leave", "HR")], "Example University", 2026))
    assert "STANDARD OPERATING PROCEDURES DOCUMENT" in text_of(reader.pages[0])
    assert "Contents" in text_of(reader.pages[1])
    assert "Page 3 of" in text_of(reader.pages[2])


def test_pdfs_are_built_offline():
    fetcher = printing.url_fetcher()
    fetch = getattr(fetcher, "fetch", fetcher)
    for url in ("http://example.com/style.css", "https://example.com/font.woff2", "ftp://example.com/x"):
        with pytest.raises(ValueError):
            fetch(url)
    stylesheets = printing.stylesheet_urls(Renderer(TEMPLATE_DIRS))
    assert stylesheets and all(url.startswith("file:") for url in stylesheets)
    assert any(url.endswith("/sop-print.css") for url in stylesheets)
