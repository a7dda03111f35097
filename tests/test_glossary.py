"""The glossary and the referenced-by lists: merging, order, the differing-definitions warning, real builds."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest
from bs4 import BeautifulSoup

from conftest import MINIMAL_SOP, ROOT, load, make_project
from sop_manual.glossary import alphabetical_key, by_letter, glossary
from sop_manual.manual import Manual, load_manual
from sop_manual.pages import SiteOptions, glossary_pages
from sop_manual.labels import labels_for

LABELS = labels_for("id")


def sop_text(nomor: str, *, definisi: str = "", keterkaitan: str = "", status: str = "berlaku") -> str:
    """MINIMAL_SOP with another nomor, a status, and ``definisi`` / ``keterkaitan`` blocks (YAML lines)."""
    text = MINIMAL_SOP.replace("SOP-UJI-001", nomor).replace("status: berlaku", f"status: {status}")
    extra = ""
    if definisi:
        extra += "definisi:\n" + textwrap.indent(textwrap.dedent(definisi).strip("\n"), "  ") + "\n"
    if keterkaitan:
        extra += "keterkaitan:\n" + textwrap.indent(textwrap.dedent(keterkaitan).strip("\n"), "  ") + "\n"
    return text.replace("pelaksana:\n", extra + "pelaksana:\n", 1)


def sops(**texts: str):
    return [load(text, f"sops/{name}.md").sop for name, text in texts.items()]


# -- merging and order ---------------------------------------------------------------------------

def test_terms_differing_only_in_case_and_spacing_are_one_term_linking_every_sop_that_defines_it():
    terms = glossary(sops(
        a=sop_text("SOP-A", definisi="Sistem Informasi: Aplikasi pengolah data."),
        b=sop_text("SOP-B", definisi="sistem   informasi: Aplikasi  pengolah data"),
        c=sop_text("SOP-C", definisi="Sistem Informasi: aplikasi pengolah data."),
    ))
    assert [term.name for term in terms] == ["Sistem Informasi"]  # the spelling most SOPs use
    (term,) = terms
    assert [sop.nomor for sop in term.sops] == ["SOP-A", "SOP-B", "SOP-C"]
    assert not term.differs  # case, spacing and a final full stop do not make a different definition
    assert term.anchor == "istilah-sistem-informasi"


def test_differing_definitions_are_kept_side_by_side_each_with_its_sops():
    (term,) = glossary(sops(
        a=sop_text("SOP-A", definisi="Pemohon: Mahasiswa yang mengajukan surat."),
        b=sop_text("SOP-B", definisi="Pemohon: Pegawai yang mengajukan cuti."),
        c=sop_text("SOP-C", definisi="pemohon: Mahasiswa yang mengajukan surat."),
    ))
    assert term.differs
    assert [(meaning.text, [sop.nomor for sop in meaning.sops]) for meaning in term.meanings] == [
        ("Mahasiswa yang mengajukan surat.", ["SOP-A", "SOP-C"]),
        ("Pegawai yang mengajukan cuti.", ["SOP-B"]),
    ]


def test_revoked_sops_are_left_out_of_the_glossary():
    terms = glossary(sops(
        a=sop_text("SOP-A", definisi="Cuti: Izin tidak masuk kerja."),
        b=sop_text("SOP-B", definisi="Cuti: Definisi lama yang sudah tidak berlaku.", status="dicabut"),
        c=sop_text("SOP-C", definisi="Arsip: Dokumen yang disimpan.", status="dicabut"),
    ))
    assert [(term.name, term.differs, [s.nomor for s in term.sops]) for term in terms] == [("Cuti", False, ["SOP-A"])]


def test_terms_are_in_dictionary_order_ignoring_case_accents_and_punctuation_with_numbers_by_value():
    names = ["SOP", "akun", "Évaluasi", "e-KTP", "email", "Tahap 10", "tahap 2", "Zona", "2FA", "Bagan"]
    assert sorted(names, key=alphabetical_key) == [
        "2FA", "akun", "Bagan", "e-KTP", "email", "Évaluasi", "SOP", "tahap 2", "Tahap 10", "Zona"]


def test_terms_are_grouped_by_initial_letter_and_non_letters_come_first_under_one_heading():
    definisi = "\n".join(f"{name}: Arti {name}." for name in ("2FA", "akun", "Évaluasi", "email", "Bagan"))
    letters = by_letter(glossary(sops(a=sop_text("SOP-A", definisi=definisi))))
    assert [(group.letter, [term.name for term in group.terms]) for group in letters] == [
        ("#", ["2FA"]), ("A", ["akun"]), ("B", ["Bagan"]), ("E", ["email", "Évaluasi"])]


def test_no_glossary_page_while_no_sop_defines_a_term():
    manual = Manual(sops=sops(a=sop_text("SOP-A")))
    assert list(glossary_pages(manual, LABELS, SiteOptions())) == []
    manual = Manual(sops=sops(a=sop_text("SOP-A", definisi="Arsip: Dokumen yang disimpan.")))
    (page,) = glossary_pages(manual, LABELS, SiteOptions())
    assert (page.uri, page.title, page.template, page.nav) == ("glosarium.md", "Glosarium", "glosarium.html",
                                                                 ("Glosarium",))


# -- the differing-definitions warning -----------------------------------------------------------

def test_a_term_defined_differently_is_a_warning_at_each_definition_naming_the_other_sop(tmp_path):
    folder = tmp_path / "sops"
    folder.mkdir()
    (folder / "a.md").write_text(sop_text("SOP-A", definisi="""\
        Arsip: Dokumen yang disimpan.
        Pemohon: Mahasiswa yang mengajukan surat."""), encoding="utf-8")
    (folder / "b.md").write_text(sop_text("SOP-B", definisi="""\
        Arsip: dokumen yang  disimpan
        PEMOHON: Pegawai yang mengajukan cuti."""), encoding="utf-8")
    manual = load_manual(folder, "sops", dt.date(2026, 1, 1))
    assert [d for d in manual.diagnostics if d.is_error] == []
    a_line = (folder / "a.md").read_text(encoding="utf-8").splitlines().index("  Pemohon: Mahasiswa yang mengajukan surat.") + 1
    b_line = (folder / "b.md").read_text(encoding="utf-8").splitlines().index("  PEMOHON: Pegawai yang mengajukan cuti.") + 1
    assert [str(d) for d in manual.warnings] == [
        f"sops/a.md:{a_line}: definisi.Pemohon: defined differently in SOP-B (sops/b.md:{b_line}:"
        " 'Pegawai yang mengajukan cuti.'); the glossary shows both: use one wording, or a different term"
        " for a different meaning",
        f"sops/b.md:{b_line}: definisi.PEMOHON: defined differently in SOP-A (sops/a.md:{a_line}:"
        " 'Mahasiswa yang mengajukan surat.'); the glossary shows both: use one wording, or a different term"
        " for a different meaning",
    ]


def test_the_warning_shortens_a_long_definition_of_the_other_sop(tmp_path):
    folder = tmp_path / "sops"
    folder.mkdir()
    (folder / "a.md").write_text(sop_text("SOP-A", definisi="Arsip: " + "panjang " * 30), encoding="utf-8")
    (folder / "b.md").write_text(sop_text("SOP-B", definisi="Arsip: pendek"), encoding="utf-8")
    warning = next(str(d) for d in load_manual(folder, "sops", dt.date(2026, 1, 1)).warnings
                   if d.file == "sops/b.md")
    assert "'panjang panjang" in warning and "\u2026'" in warning and len(warning) < 300


def test_the_example_manual_defines_no_term_two_ways():
    manual = load_manual(ROOT / "sops", "sops", dt.date(2026, 1, 1))
    assert [str(d) for d in manual.diagnostics if d.location.startswith("definisi")] == []
    shared = [term for term in glossary(manual.select()) if len(term.sops) > 1]
    assert shared, "the example manual shows a term that several SOPs define"


# -- real builds ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def training_build(tmp_path_factory):
    """A manual where SOP-A and SOP-B name SOP-C, SOP-B twice, and two SOPs define 'Pemohon' differently."""
    project = make_project(tmp_path_factory.mktemp("training") / "manual", sops={
        "a.md": sop_text("SOP-A", definisi="Pemohon: Mahasiswa yang mengajukan surat.", keterkaitan="""\
            - nomor: SOP-C
              hubungan: prasyarat
            - SOP di luar manual ini"""),
        "b.md": sop_text("SOP-B", definisi="pemohon: Pegawai yang mengajukan cuti.\nArsip: Dokumen tersimpan.",
                         keterkaitan="""\
            - nomor: SOP-C
              hubungan: lanjutan
            - nomor: SOP-C
            - nomor: SOP-B"""),
        "c.md": sop_text("SOP-C", definisi="Arsip: Dokumen tersimpan."),
        "d.md": sop_text("SOP-D", keterkaitan="- nomor: SOP-C\n  hubungan: terkait", status="dicabut"),
    })
    result = project.build("-v")
    return project, result


def soup_of(project, url: str) -> BeautifulSoup:
    return BeautifulSoup(project.page(url), "html.parser")


def test_the_warning_fails_a_strict_build_and_names_file_line_and_term(training_build):
    project, result = training_build
    assert result.returncode != 0
    assert "sops/b.md:" in result.stderr and "definisi.pemohon: defined differently in SOP-A (sops/a.md:" in result.stderr
    assert "definisi.Pemohon: defined differently in SOP-B (sops/b.md:" in result.stderr


def test_glossary_page_shows_each_term_once_with_differing_definitions_side_by_side(training_build):
    project, _ = training_build
    soup = soup_of(project, "glosarium")
    glosarium = soup.select_one(".sop-glosarium")
    entries = glosarium.select("[data-istilah]")
    assert [entry["data-istilah"] for entry in entries] == ["Arsip", "Pemohon"]
    arsip, pemohon = entries
    assert not arsip.has_attr("data-berbeda")
    assert [a["data-sop-nomor"] for a in arsip.select("a[data-sop-nomor]")] == ["SOP-B", "SOP-C"]
    assert pemohon["data-berbeda"] == "true"
    sides = pemohon.select(".sop-glosarium-definisi")
    assert [(side.p.get_text(), [a["data-sop-nomor"] for a in side.select("a[data-sop-nomor]")]) for side in sides] == [
        ("Mahasiswa yang mengajukan surat.", ["SOP-A"]), ("Pegawai yang mengajukan cuti.", ["SOP-B"])]
    for link in glosarium.select("a[data-sop-nomor]"):  # each link opens the SOP page at its definitions
        target = link["href"].split("#")
        assert target[1] == "definisi"
        assert (project.site / "glosarium" / target[0] / "index.html").resolve().is_file()
    nav = [a.get_text(strip=True) for a in soup.select("nav.md-nav--primary a.md-nav__link")]
    assert "Glosarium" in nav


def test_an_sop_page_lists_the_sops_that_refer_to_it_with_the_relation_seen_from_it(training_build):
    project, _ = training_build
    listing = soup_of(project, "sop/c").select_one("ul.sop-dirujuk")
    items = listing.select("[data-sop-nomor]")
    assert [item["data-sop-nomor"] for item in items] == ["SOP-A", "SOP-B", "SOP-D"]
    assert [" ".join(item.select_one(".sop-hubungan").get_text().split()) for item in items] == [
        "Prasyarat bagi", "Lanjutan dari, Terkait dengan", "Terkait dengan"]
    assert "(Dicabut)" in items[2].get_text()
    links = [item.a["href"] for item in items]
    assert all((project.site / "sop" / "c" / link / "index.html").resolve().is_file() for link in links)
    toc = [a.get_text(strip=True) for a in soup_of(project, "sop/c").select("nav.md-nav--secondary a")]
    assert "Dirujuk oleh" in toc


def test_an_sop_nothing_refers_to_has_no_referenced_by_section(training_build):
    project, _ = training_build
    assert soup_of(project, "sop/a").select(".sop-dirujuk") == []
    # SOP-B names itself: not "referenced by" itself
    assert soup_of(project, "sop/b").select(".sop-dirujuk") == []


def test_example_manual_has_referenced_by_lists_and_a_glossary(example_site):
    def soup(url):
        return BeautifulSoup((example_site / url / "index.html").read_text(encoding="utf-8"), "html.parser")

    listing = soup("sop/sistem-informasi/pengelolaan-website").select_one(".sop-dirujuk")
    assert [item["data-sop-nomor"] for item in listing.select("li[data-sop-nomor]")] == [
        "SOP-DSI-001", "SOP-DSI-002", "SOP-DSI-004"]
    entry = soup("glosarium").select_one('[data-istilah="Tiket layanan"]')
    assert [a["data-sop-nomor"] for a in entry.select("a[data-sop-nomor]")] == ["SOP-DSI-002", "SOP-DSI-003"]
