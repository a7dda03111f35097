"""``mkdocs serve`` as an editor uses it: save an SOP, read the pages the browser would show.

One real server on a small manual for the whole module; each test edits files and polls the
pages until the change shows (or fails after a generous timeout: never a timed test).
"""

from __future__ import annotations

import re

import pytest

from conftest import MINIMAL_SOP, make_project
from serving import Server

pytestmark = pytest.mark.slow

TIMEOUT = 300  # generous: a loaded CI machine rebuilds slowly; the benchmark measures speed

LINKED = MINIMAL_SOP.replace("SOP-UJI-001", "SOP-UJI-002").replace("judul: Prosedur Uji", "judul: Prosedur Lanjutan") \
    .replace("status: berlaku", "status: berlaku\nketerkaitan:\n  - nomor: SOP-UJI-001\n    hubungan: prasyarat")
OTHER = MINIMAL_SOP.replace("SOP-UJI-001", "SOP-LAIN-001").replace("judul: Prosedur Uji", "judul: Prosedur Lain") \
    .replace("Bagian Uji", "Bagian Lain")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("serve") / "manual",
                           sops={"uji/pertama.md": MINIMAL_SOP, "uji/kedua.md": LINKED, "lain/lain.md": OTHER})
    config = project.root / "mkdocs.yml"
    config.write_text("strict: true\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    with Server(project.root) as running:
        running.project = project
        yield running


def _save(server, relative: str, text: str) -> None:
    server.project.add_sop(relative, text)


def _shows(text: str):
    return lambda status, page: status == 200 and text in page


def test_a_saved_sop_shows_on_its_page_and_every_page_that_depends_on_it(server):
    _save(server, "uji/pertama.md", MINIMAL_SOP.replace("judul: Prosedur Uji", "judul: Prosedur Uji Diperbarui"))
    server.wait_for("sop/uji/pertama/", _shows("Prosedur Uji Diperbarui"), TIMEOUT)
    for page in ("katalog/", "sop/uji/kedua/"):  # the catalogue, and the SOP that references it
        assert "Prosedur Uji Diperbarui" in server.get(page)[1], page
    unit = re.search(r'href="([^"]*unit/[^"]*bagian-uji/)"', server.get("sop/uji/pertama/")[1]).group(1)
    assert "Prosedur Uji Diperbarui" in server.get(f"unit/{unit.split('unit/')[1]}")[1]
    assert re.search(r"preview: [1-9]\d* unchanged page\(s\) kept", server.log), "the unrelated SOP page was rendered again"


def test_pages_kept_from_the_previous_build_follow_a_renamed_pelaksana_and_a_new_judul(server):
    """Role pages and the per-SOP forms are kept between rebuilds while unchanged: an edit must reach them."""
    edited = MINIMAL_SOP.replace("kepala: Kepala Bagian", "kepala: Kepala Seksi").replace(
        "judul: Prosedur Uji", "judul: Prosedur Uji Berganti")
    _save(server, "uji/pertama.md", edited)
    try:
        server.wait_for("sop/uji/pertama/", _shows("Prosedur Uji Berganti"), TIMEOUT)
        assert "Kepala Seksi" in server.get("peran/kepala-seksi/")[1]
        handing_over = server.get("peran/petugas/")[1]  # its step goes to the renamed one
        assert "Kepala Seksi" in handing_over and "Prosedur Uji Berganti" in handing_over
        assert "Prosedur Uji Berganti" in server.get("formulir/sop/uji/pertama.html")[1]
    finally:
        _save(server, "uji/pertama.md", MINIMAL_SOP)
        server.wait_for("peran/petugas/", lambda status, text: "Kepala Seksi" not in text and "Kepala Bagian" in text,
                        TIMEOUT)
    assert server.get("peran/kepala-seksi/")[0] == 404
    assert "Prosedur Uji Berganti" not in server.get("formulir/sop/uji/pertama.html")[1]


def test_an_sop_with_errors_shows_them_in_the_browser_and_the_server_keeps_running(server):
    broken = MINIMAL_SOP.replace("pelaksana: kepala", "pelaksana: kepalaa")
    _save(server, "uji/pertama.md", broken)
    server.wait_for("sop/uji/pertama/", _shows("sop-masalah"), TIMEOUT)
    page = server.get("sop/uji/pertama/")[1]
    line = broken.splitlines().index("    pelaksana: kepalaa") + 1
    assert (f"sops/uji/pertama.md:{line}: langkah[2].pelaksana: &#39;kepalaa&#39; is not declared in pelaksana"
            in page)
    assert '<article class="sop ' not in page  # no stale SOP page under the errors
    _save(server, "uji/pertama.md", MINIMAL_SOP)
    server.wait_for("sop/uji/pertama/", lambda status, text: '<article class="sop ' in text and "sop-masalah" not in text,
                    TIMEOUT)


def test_a_file_that_is_not_yaml_gets_a_page_with_its_error(server):
    _save(server, "uji/rusak.md", "---\nnomor: [SOP-UJI-009\n---\n")
    server.wait_for("sop/uji/rusak/", _shows("sop-masalah"), TIMEOUT)
    assert "sops/uji/rusak.md:2: invalid YAML" in server.get("sop/uji/rusak/")[1]
    (server.project.sops / "uji" / "rusak.md").unlink()
    server.wait_for("sop/uji/rusak/", lambda status, text: status == 404, TIMEOUT)


def test_warnings_show_above_the_page_without_failing_a_strict_server(server):
    _save(server, "lain/lain.md", OTHER.replace("    output: Berkas diterima\n", ""))
    server.wait_for("sop/lain/lain/", lambda status, text: 'data-severity="warning"' in text and '<article class="sop ' in text,
                    TIMEOUT)
    _save(server, "lain/lain.md", OTHER)
    server.wait_for("sop/lain/lain/", lambda status, text: "sop-masalah" not in text and '<article class="sop ' in text, TIMEOUT)


def test_adding_renaming_and_deleting_an_sop_file(server):
    added = MINIMAL_SOP.replace("SOP-UJI-001", "SOP-UJI-003").replace("judul: Prosedur Uji", "judul: Prosedur Baru")
    _save(server, "uji/baru.md", added)
    server.wait_for("sop/uji/baru/", _shows("Prosedur Baru"), TIMEOUT)
    assert "Prosedur Baru" in server.get("katalog/")[1]
    (server.project.sops / "uji" / "baru.md").rename(server.project.sops / "uji" / "dipindah.md")
    server.wait_for("sop/uji/dipindah/", _shows("Prosedur Baru"), TIMEOUT)
    assert server.get("sop/uji/baru/")[0] == 404
    (server.project.sops / "uji" / "dipindah.md").unlink()
    server.wait_for("sop/uji/dipindah/", lambda status, text: status == 404, TIMEOUT)
    assert "Prosedur Baru" not in server.get("katalog/")[1]


def test_renaming_a_referenced_sop_moves_the_links_to_it(server):
    (server.project.sops / "uji" / "pertama.md").rename(server.project.sops / "uji" / "utama.md")
    try:
        server.wait_for("sop/uji/utama/", _shows("Prosedur Uji"), TIMEOUT)
        assert "utama/" in re.search(r'<a href="([^"]*)" data-hubungan="prasyarat"',
                                     server.get("sop/uji/kedua/")[1]).group(1)
    finally:
        (server.project.sops / "uji" / "utama.md").rename(server.project.sops / "uji" / "pertama.md")
        server.wait_for("sop/uji/pertama/", _shows("Prosedur Uji"), TIMEOUT)


def test_the_search_index_follows_the_preview(server):
    """Staged beside the browser's reload (a newer save abandons it): once the editor pauses, it is there."""
    _save(server, "lain/lain.md", OTHER.replace("judul: Prosedur Lain", "judul: Prosedur Lain Dicari"))
    server.wait_for("sop/lain/lain/", _shows("Prosedur Lain Dicari"), TIMEOUT)
    server.wait_for("pagefind/pagefind.js", lambda status, text: status == 200, TIMEOUT)
