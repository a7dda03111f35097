"""Nothing lost, nothing random.

* Every file in ``sops/`` ends up as an SOP page, as a published attachment, or as
  an error, unless the editor guide documents it as ignored (a name starting with
  ``_``; hidden files such as ``.gitkeep``). Checked by comparing the set of files
  with what the loader and a real build account for.
* Two builds of the same sources give byte-identical pages, even with a different
  hash seed (set iteration order) in each.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import MINIMAL_SOP, ROOT, make_project
from sop_manual.manual import load_manual

TODAY = dt.date(2026, 1, 1)
MISNAMED = "not an SOP file: SOP files end in '.md' (rename it, or start its name with '_' if it is not an SOP)"


def sop(nomor: str, judul: str) -> str:
    return MINIMAL_SOP.replace("SOP-UJI-001", nomor).replace("Prosedur Uji", judul)


SOPS = {
    "umum/surat-masuk.md": sop("SOP-U-001", "Surat Masuk"),
    "umum/arsip/pemusnahan.md": sop("SOP-U-002", "Pemusnahan Arsip"),
    "keuangan/spj.md": sop("SOP-K-001", "Surat Pertanggungjawaban"),
    "tanpa-folder.md": sop("SOP-X-001", "Tanpa Folder"),
}
ATTACHMENTS = {
    "umum/alur.png": b"\x89PNG\r\n\x1a\n" + bytes(32),
    "keuangan/formulir-spj.pdf": b"%PDF-1.4\n%%EOF\n",
    "umum/arsip/daftar.csv": b"no,nama\n1,arsip\n",
}
MISNAMED_FILES = {
    "keuangan/SPPD.MD": sop("SOP-K-004", "Perjalanan Dinas"),  # MkDocs would publish it as a file, not a page
    "umum/notulen.mkdn": "# Notulen\n",
    "umum/surat-keluar.markdown": sop("SOP-U-003", "Surat Keluar"),
    "keuangan/pembayaran.yaml": "nomor: SOP-K-002\njudul: Pembayaran\n",
    "keuangan/pajak.yml": "nomor: SOP-K-003\n",
    "catatan.txt": "Catatan rapat penyusunan SOP\n",
}
IGNORED = {
    "_unit.yml": "nama: Bagian Umum\nurutan: 1\n",
    "umum/_draf-surat-dinas.md": sop("SOP-U-004", "Surat Dinas (draf)"),
    "_arsip-lama/cuti.md": sop("SOP-L-001", "Cuti"),
    "umum/.gitkeep": "",
    ".DS_Store": "\x00\x00\x00\x01Bud1",
}


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def every_file(root: Path) -> set[str]:
    return {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}


def documented_as_ignored(relative: str) -> bool:
    """The editor guide's rule: a name (of the file or a folder) starting with '_'; hidden files."""
    return any(part.startswith(("_", ".")) for part in relative.split("/"))


def test_the_editor_guide_documents_what_is_ignored():
    guide = (ROOT / "docs" / "panduan-editor.md").read_text(encoding="utf-8")
    assert "diawali garis bawah (`_`) **bukan SOP** dan diabaikan" in guide
    assert "diawali titik" in guide and "diabaikan" in guide


def test_every_file_is_a_page_an_attachment_an_error_or_documented_as_ignored(tmp_path):
    root = tmp_path / "sops"
    write(root, SOPS | ATTACHMENTS | MISNAMED_FILES | IGNORED)

    manual = load_manual(root, "sops", today=TODAY)

    pages = {sop.source for sop in manual.sops}
    errors = {d.file.removeprefix("sops/") for d in manual.errors}
    attachments = set(manual.attachments)
    ignored = {relative for relative in every_file(root) if documented_as_ignored(relative)}
    assert pages == set(SOPS)
    assert errors == set(MISNAMED_FILES)
    assert attachments == set(ATTACHMENTS)
    assert ignored == set(IGNORED)
    # nothing falls through, nothing is counted twice
    assert pages | errors | attachments | ignored == every_file(root)
    assert len(pages) + len(errors) + len(attachments) + len(ignored) == len(every_file(root))
    assert [str(d) for d in manual.diagnostics] == [f"sops/{name}:1: {MISNAMED}" for name in sorted(MISNAMED_FILES)]


def test_a_misnamed_file_stops_the_build_with_one_error_each(tmp_path):
    project = make_project(tmp_path / "manual", sops=SOPS | MISNAMED_FILES)

    result = project.build()

    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
    for name in MISNAMED_FILES:
        assert sum(line.endswith(f": sops/{name}:1: {MISNAMED}") for line in errors) == 1, result.stderr
    assert f"sop: {len(MISNAMED_FILES)} error(s) in the SOP sources" in result.stderr
    assert not (project.site / "sop").exists()


@pytest.mark.slow
def test_a_build_publishes_every_sop_and_attachment_and_nothing_it_ignores(tmp_path):
    project = make_project(tmp_path / "manual")
    write(project.sops, SOPS | ATTACHMENTS | IGNORED)

    result = project.build()
    assert result.returncode == 0, result.stderr

    site = project.site / "sop"
    published = every_file(site)
    pages = {relative.removesuffix("/index.html") for relative in published if relative.endswith("/index.html")}
    assert pages == {relative.rsplit(".", 1)[0] for relative in SOPS}
    for relative, content in ATTACHMENTS.items():
        assert (site / relative).read_bytes() == content
    assert published == {f"{page}/index.html" for page in pages} | set(ATTACHMENTS)
    for relative in SOPS:
        nomor = sop_nomor(SOPS[relative])
        assert f'data-sop-nomor="{nomor}"' in (site / relative.rsplit(".", 1)[0] / "index.html").read_text("utf-8")


def sop_nomor(text: str) -> str:
    return next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("nomor:"))


# -- nothing random ------------------------------------------------------------------------------

def build_example(site: Path, hash_seed: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "SOP_PDF": "false", "PYTHONHASHSEED": hash_seed},
    )
    assert result.returncode == 0, result.stderr


def pages(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*.html"))}


@pytest.mark.slow
def test_two_builds_of_the_same_sources_give_byte_identical_pages(tmp_path):
    first, second = tmp_path / "satu", tmp_path / "dua"
    build_example(first, "1")
    build_example(second, "2")

    one, two = pages(first), pages(second)
    sop_pages = [name for name in one if name.startswith("sop/") and name.endswith("/index.html")]
    assert len(sop_pages) == len(list((ROOT / "sops").rglob("[!_]*.md")))
    assert one.keys() == two.keys()
    assert [name for name in one if one[name] != two[name]] == []
    assert search_files(first) == search_files(second)


def search_files(site: Path) -> dict[str, bytes]:
    """The roots file and Pagefind's word index and page fragments, by name (chunks are named by their hash).

    Not Pagefind's filter chunks (nor the entry file naming them): Pagefind 1.5 writes the pages of a filter
    value in the order its threads finish.
    """
    files = {path.relative_to(site).as_posix(): path.read_bytes()
             for folder in ("search", "pagefind/index", "pagefind/fragment")
             for path in sorted((site / folder).rglob("*")) if path.is_file()}
    assert "search/akar.json" in files and len(files) > 10
    return files
