"""A ``pdf: true`` build: the Dokumen SOP books, the forms and the SOP sheets as PDFs, read back.

One small manual is built once for the module (PDF builds are slow); PNGs of some pages
go to tests/output/ for people to look at.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from conftest import MINIMAL_SOP, OUTPUT, make_project

pypdf = pytest.importorskip("pypdf")
Image = pytest.importorskip("PIL.Image")  # WeasyPrint's own dependency
pytest.importorskip("weasyprint")

pytestmark = pytest.mark.slow

SIGNED_SOP = MINIMAL_SOP.replace("nomor: SOP-UJI-001", "nomor: SOP-KEU-001").replace(
    "judul: Prosedur Uji", "judul: Pembayaran Honorarium").replace(
    "[Organisasi Uji, Bagian Uji]", "[Organisasi Uji, Bagian Keuangan]").replace("langkah:", """\
definisi:
  Honorarium: Imbalan atas jasa yang diberikan di luar gaji.
  SPJ: Surat pertanggungjawaban penggunaan anggaran.
pengesahan:
  disahkan: {jabatan: Kepala Bagian Keuangan, nama: Dra. Sri Lestari, pangkat: "Pembina Tingkat I, IV/b", nip: "196504121990032001"}
revisi:
  - {versi: "1.2", tanggal: 2025-05-01, perubahan: Penerbitan}
langkah:""")
SECOND_SOP = MINIMAL_SOP.replace("langkah:", """\
definisi:
  SPJ: Surat pertanggungjawaban penggunaan anggaran.
langkah:""")
DRAFT_SOP = MINIMAL_SOP.replace("nomor: SOP-UJI-001", "nomor: SOP-UJI-009").replace("status: berlaku", "status: draf")

FRONT_PAGE = """\
# Keputusan Kepala Organisasi Uji

Menetapkan Standar Operasional Prosedur di lingkungan Organisasi Uji.
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("pdf") / "manual", plugin_extra=(
        "pdf: true\nlogo: logo.png\nbook:\n  front: [keputusan.md]\n"), sops={
        "keuangan/honor.md": SIGNED_SOP, "uji/uji.md": SECOND_SOP, "uji/draf.md": DRAFT_SOP})
    Image.new("RGB", (60, 60), (30, 50, 120)).save(project.root / "docs" / "logo.png")  # a raster logo: a PDF image
    project.add_doc("keputusan.md", FRONT_PAGE)
    result = project.build()
    assert result.returncode == 0, result.stderr
    return project


def read(path):
    return pypdf.PdfReader(path)


def pages(path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in read(path).pages]


def is_landscape(page) -> bool:
    return float(page.mediabox.width) > float(page.mediabox.height)


def png(path, prefix: str, last: int = 3) -> None:
    if shutil.which("pdftoppm"):
        OUTPUT.mkdir(exist_ok=True)
        subprocess.run(["pdftoppm", "-png", "-r", "70", "-l", str(last), str(path), str(OUTPUT / prefix)], check=True)


def test_a_pdf_build_writes_every_document(built):
    written = sorted(path.relative_to(built.site / "pdf").as_posix() for path in (built.site / "pdf").rglob("*.pdf")
                     if not path.parent.name == "peran")  # the roles' task cards are tested with the roles
    assert written == sorted([
        "formulir/monitoring/organisasi-uji/bagian-keuangan-hasil.pdf",
        "formulir/monitoring/organisasi-uji/bagian-keuangan.pdf",
        "formulir/monitoring/organisasi-uji/bagian-uji-hasil.pdf",
        "formulir/monitoring/organisasi-uji/bagian-uji.pdf",
        "formulir/sop/keuangan/honor.pdf",
        "formulir/sop/uji/uji.pdf",
        "keuangan/honor.pdf",
        "manual-sop.pdf",
        "unit/organisasi-uji/bagian-keuangan.pdf",
        "unit/organisasi-uji/bagian-uji.pdf",
        "uji/draf.pdf",
        "uji/uji.pdf",
    ])
    # and the pages link them
    unit = (built.site / "unit" / "organisasi-uji" / "bagian-uji" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../../pdf/unit/organisasi-uji/bagian-uji.pdf"' in unit
    forms = (built.site / "formulir" / "index.html").read_text(encoding="utf-8")
    assert 'href="../pdf/formulir/monitoring/organisasi-uji/bagian-uji-hasil.pdf"' in forms


def test_the_book_has_cover_front_pages_contents_guide_list_then_the_sops(built):
    path = built.site / "pdf" / "manual-sop.pdf"
    text = pages(path)
    cover = text[0]
    assert "DOKUMEN STANDAR OPERASIONAL PROSEDUR" in cover and "ORGANISASI UJI" in cover and "Tahun 2026" in cover
    assert read(path).pages[0].images, "the cover shows the logo"
    assert "Keputusan Kepala Organisasi Uji".upper() in text[1] and "Menetapkan Standar Operasional" in text[1]
    contents = next(number for number, page in enumerate(text) if page.startswith("Daftar Isi"))
    toc = text[contents]

    def starts(marker: str) -> int:
        return next(number for number, page in enumerate(text, start=1) if marker in page and number > contents + 1)

    guide, listing = starts("Penjelasan Singkat Penggunaan Ruang Lingkup"), starts("Daftar SOP No Nomor")
    first_sop = starts("Nomor SOP SOP-KEU-001")
    assert f"Keputusan Kepala Organisasi Uji 2" in toc
    assert f"Penjelasan Singkat Penggunaan {guide}" in toc and f"Daftar SOP {listing}" in toc
    assert re.search(rf"SOP-KEU-001 Pembayaran Honorarium {first_sop}\b", toc)
    # only SOPs in force: the draft is left out
    assert "SOP-UJI-009" not in " ".join(text)
    guide_text = text[guide - 1]
    assert "2 SOP yang berlaku di lingkungan Organisasi Uji" in guide_text
    # definitions from every SOP: one entry for the same term and meaning, naming both SOPs
    assert "Honorarium Imbalan atas jasa yang diberikan di luar gaji. SOP-KEU-001" in guide_text
    assert "SPJ Surat pertanggungjawaban penggunaan anggaran. SOP-KEU-001, SOP-UJI-001" in guide_text
    png(path, "buku", last=6)


def test_a_unit_book_holds_that_unit_only(built):
    text = pages(built.site / "pdf" / "unit" / "organisasi-uji" / "bagian-keuangan.pdf")
    assert "Organisasi Uji / Bagian Keuangan" in text[0]
    whole = " ".join(text)
    assert "SOP-KEU-001" in whole and "SOP-UJI-001" not in whole
    assert "1 SOP yang berlaku di lingkungan Organisasi Uji / Bagian Keuangan" in whole


def test_identity_sheet_prints_rank_and_nip_on_their_own_lines_with_room_to_sign(built):
    path = built.site / "pdf" / "keuangan" / "honor.pdf"
    lines = [line.strip() for line in read(path).pages[0].extract_text().splitlines()]
    assert "Pembina Tingkat I, IV/b" in lines
    assert "NIP. 196504121990032001" in lines
    assert read(path).pages[0].images, "the identity sheet shows the logo"
    # the office is printed above the room to sign, the name below it
    office, name = lines.index("Kepala Bagian Keuangan"), lines.index("Dra. Sri Lestari")
    assert office < name
    png(path, "lembar-identitas", last=1)


def test_monitoring_forms_print_on_a4_landscape(built):
    folder = built.site / "pdf" / "formulir" / "monitoring" / "organisasi-uji"
    for name in ("bagian-uji.pdf", "bagian-uji-hasil.pdf"):
        reader = read(folder / name)
        assert all(is_landscape(page) for page in reader.pages)
        width, height = sorted((float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)))
        assert (round(width), round(height)) == (595, 842)  # A4 in points
        text = " ".join(pages(folder / name))
        assert "FORMULIR MONITORING PELAKSANAAN SOP" in text and "SOP-UJI-001 Prosedur Uji" in text
        assert "Paraf" in text and "Tindakan yang Harus Diambil" in text and "Catatan Hasil Penilaian" in text
    assert "Belum ada catatan monitoring" in " ".join(pages(folder / "bagian-uji-hasil.pdf"))
    assert "Belum ada catatan monitoring" not in " ".join(pages(folder / "bagian-uji.pdf"))
    png(folder / "bagian-uji-hasil.pdf", "formulir-monitoring", last=1)


def test_sop_forms_print_one_portrait_sheet_each(built):
    path = built.site / "pdf" / "formulir" / "sop" / "keuangan" / "honor.pdf"
    reader = read(path)
    text = pages(path)
    assert len(reader.pages) == 3 and not any(is_landscape(page) for page in reader.pages)
    assert "FORMULIR EVALUASI PENERAPAN SOP" in text[0] and "Sinergi satu dengan lainnya" in text[0]
    assert "DAFTAR HADIR SOSIALISASI SOP" in text[1] and "Versi : 1.2" in text[1]
    assert "BERITA ACARA SOSIALISASI SOP" in text[2] and "SOP-KEU-001" in text[2]
    png(path, "formulir-sop")
