"""Roles across the manual (sops/_peran.yml, role pages, task cards) and learning paths."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import make_project
from sop_manual.diagnostics import Severity
from sop_manual.learning import Prerequisites
from sop_manual.manual import LoadCache, load_manual
from sop_manual.roles import manual_roles

TODAY = dt.date(2026, 1, 1)


def sop(nomor: str, pelaksana: dict[str, str], steps: list[str], *, unit: str = "Bagian Umum",
        status: str = "berlaku", prasyarat: tuple[str, ...] = (), extra: str = "") -> str:
    """An SOP whose steps are ``key`` (a plain step) or ``key?a:b`` (a decision: ya -> step a, tidak -> step b)."""
    lines = [f"nomor: {nomor}", f"judul: Prosedur {nomor}", f"unit: [Organisasi Uji, {unit}]", f"status: {status}"]
    if prasyarat:
        lines.append("keterkaitan:")
        lines += [f"  - {{nomor: {target}, hubungan: prasyarat}}" for target in prasyarat]
    lines.append("pelaksana:")
    lines += [f"  {key}: {name}" for key, name in pelaksana.items()]
    lines.append("langkah:")
    for number, step in enumerate(steps, start=1):
        key, _, branches = step.partition("?")
        lines += [f"  - id: s{number}", f"    kegiatan: Kegiatan {number} {nomor}", f"    pelaksana: [{key}]",
                  "    waktu: 1 jam", f"    output: Hasil {number}", "    kelengkapan: [Berkas A, Berkas B]"]
        if branches:
            yes, no = branches.split(":")
            lines += ["    keputusan:", f"      ya: {yes}", f"      tidak: {no}"]
    return "---\n" + "\n".join(lines) + "\n" + extra + "---\n"


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text) if name.endswith(".yml") else text, encoding="utf-8")
    return root


def manual_of(tmp_path: Path, files: dict[str, str]):
    manual = load_manual(write(tmp_path / "sops", files), "sops", TODAY)
    return manual


def roles_of(manual):
    return {role.name: role for role in manual_roles(manual.select(), manual.role_aliases)}


# -- roles --------------------------------------------------------------------------


def test_same_name_in_any_case_or_spacing_is_one_role_shown_as_most_sops_write_it(tmp_path):
    manual = manual_of(tmp_path, {
        "a.md": sop("SOP-1", {"tu": "Staf Tata Usaha", "kabag": "Kepala Bagian"}, ["tu", "kabag"]),
        "b.md": sop("SOP-2", {"tu": "staf  tata usaha", "kabag": "Kepala Bagian"}, ["kabag", "tu"]),
        "c.md": sop("SOP-3", {"tu": "Staf Tata Usaha "}, ["tu"]),
        "d.md": sop("SOP-4", {"tu": "Staf TU"}, ["tu"]),
    })
    assert not manual.diagnostics
    roles = roles_of(manual)
    assert sorted(roles) == ["Kepala Bagian", "Staf TU", "Staf Tata Usaha"]
    staf = roles["Staf Tata Usaha"]
    assert (staf.slug, staf.names) == ("staf-tata-usaha", ())
    assert [(share.sop.nomor, share.names, [duty.step.number for duty in share.duties]) for share in staf.sops] == [
        ("SOP-1", ("Staf Tata Usaha",), [1]), ("SOP-2", ("staf tata usaha",), [2]), ("SOP-3", ("Staf Tata Usaha",), [1])]


def test_a_role_named_index_does_not_take_the_role_index_page(tmp_path):
    roles = roles_of(manual_of(tmp_path, {"a.md": sop("SOP-A-1", {"i": "Index", "p": "Petugas"}, ["i", "p"])}))
    assert (roles["Index"].slug, roles["Petugas"].slug) == ("index-2", "petugas")


def test_peran_yml_joins_differing_names_under_its_role_name(tmp_path):
    manual = manual_of(tmp_path, {
        "_peran.yml": """\
            Staf Tata Usaha: [Staf TU, staf tu  umum]
            Kepala Bagian Umum: Kabag Umum
            """,
        "a.md": sop("SOP-1", {"tu": "Staf TU", "kabag": "Kabag Umum"}, ["tu", "kabag"]),
        "b.md": sop("SOP-2", {"tu": "Staf TU Umum", "kabag": "Kepala Bagian Umum"}, ["kabag", "tu"]),
        "c.md": sop("SOP-10", {"tu": "Staf Tata Usaha"}, ["tu"]),
    })
    assert not manual.diagnostics
    roles = roles_of(manual)
    assert sorted(roles) == ["Kepala Bagian Umum", "Staf Tata Usaha"]
    assert roles["Staf Tata Usaha"].names == ("Staf TU", "Staf TU Umum")
    assert [(share.sop.nomor, share.names) for share in roles["Staf Tata Usaha"].sops] == [
        ("SOP-1", ("Staf TU",)), ("SOP-2", ("Staf TU Umum",)), ("SOP-10", ("Staf Tata Usaha",))]
    assert roles["Staf Tata Usaha"].step_count == 3
    assert roles["Kepala Bagian Umum"].names == ("Kabag Umum",)


def test_without_peran_yml_differing_names_stay_different_roles(tmp_path):
    manual = manual_of(tmp_path, {
        "a.md": sop("SOP-1", {"tu": "Staf TU"}, ["tu"]),
        "b.md": sop("SOP-2", {"tu": "Staf TU Umum"}, ["tu"]),
    })
    assert sorted(roles_of(manual)) == ["Staf TU", "Staf TU Umum"]


def test_each_duty_says_from_whom_the_work_comes_and_to_whom_it_goes(tmp_path):
    manual = manual_of(tmp_path, {"a.md": sop(
        "SOP-1", {"tu": "Staf TU", "kabag": "Kepala Bagian", "unit": "Unit Tujuan"},
        ["tu", "kabag?s3:s4", "tu", "unit", "tu"])})
    staf = roles_of(manual)["Staf TU"]
    flow = {duty.step.number: ([(h.kind, h.number, [p.name for p in h.people], h.label) for h in duty.comes_from],
                               [(h.kind, h.number, [p.name for p in h.people], h.label) for h in duty.goes_to])
            for duty in staf.sops[0].duties}
    assert flow == {
        1: ([("start", None, [], None)], [("step", 2, ["Kepala Bagian"], None)]),
        3: ([("step", 2, ["Kepala Bagian"], "ya")], [("step", 4, ["Unit Tujuan"], None)]),
        5: ([("step", 4, ["Unit Tujuan"], None)], [("end", None, [], None)]),
    }
    kabag = roles_of(manual)["Kepala Bagian"].sops[0].duties[0]
    assert [(h.number, h.label) for h in kabag.goes_to] == [(3, "ya"), (4, "tidak")]
    assert {p.role for p in kabag.goes_to[0].people} == {"staf-tu"}


def test_a_step_shared_by_two_roles_names_the_other_and_revoked_sops_give_no_duties(tmp_path):
    manual = manual_of(tmp_path, {
        "a.md": sop("SOP-1", {"tu": "Staf TU", "kabag": "Kepala Bagian"}, ["tu, kabag"]),
        "b.md": sop("SOP-2", {"tu": "Staf TU", "arsip": "Arsiparis"}, ["tu", "arsip"], status="dicabut"),
    })
    roles = roles_of(manual)
    assert sorted(roles) == ["Kepala Bagian", "Staf TU"]
    duty = roles["Staf TU"].sops[0].duties[0]
    assert [p.name for p in duty.together] == ["Kepala Bagian"]
    assert [share.sop.nomor for share in roles["Staf TU"].sops] == ["SOP-1"]


def test_peran_yml_problems_are_all_reported_with_file_line_and_entry(tmp_path):
    manual = manual_of(tmp_path, {
        "_peran.yml": """\
            Staf Tata Usaha: [Staf TU, Staf TUU, 12]
            Arsiparis: {nama: Petugas Arsip}
            Kepala Bagian: [staf  tu]
            Bendahara:
            """,
        "a.md": sop("SOP-1", {"tu": "Staf TU", "kabag": "Kepala Bagian", "arsip": "Petugas Arsip"}, ["tu", "kabag", "arsip"]),
    })
    assert [str(d) for d in manual.diagnostics] == [
        "sops/_peran.yml:1: Staf Tata Usaha[2]: no SOP has a pelaksana named 'Staf TUU' (did you mean 'Staf TU'?)",
        "sops/_peran.yml:1: Staf Tata Usaha[3]: must be a name (text), not a number",
        "sops/_peran.yml:2: Arsiparis: must be a name or a list of names, not a mapping",
        "sops/_peran.yml:3: Kepala Bagian[1]: 'staf tu' is already a name of the role 'Staf Tata Usaha' (line 1);"
        " a name can belong to one role only",
        "sops/_peran.yml:4: Bendahara: no SOP has a pelaksana named 'Bendahara'",
    ]
    assert all(d.severity is Severity.ERROR for d in manual.diagnostics)


@pytest.mark.parametrize(("text", "message"), [
    ("- Staf TU\n", "sops/_peran.yml:1: the file must list roles, each with the other names it appears under in the"
                    " SOPs, e.g. 'Staf Tata Usaha: [Staf TU, Staf TU Umum]'"),
    ("Staf TU: [Staf\n", "sops/_peran.yml:1: invalid YAML: the file ended while parsing a flow sequence that starts"
                         " on this line; is a quote or bracket not closed?"),
    ("Staf TU: []\nStaf TU: []\n", "sops/_peran.yml:2: duplicate key 'Staf TU'"),
])
def test_an_unreadable_peran_yml_is_one_error_on_its_line(tmp_path, text, message):
    root = tmp_path / "sops"
    root.mkdir()
    (root / "_peran.yml").write_text(text, encoding="utf-8")
    write(root, {"a.md": sop("SOP-1", {"tu": "Staf TU"}, ["tu"])})
    assert [str(d) for d in load_manual(root, "sops", TODAY).diagnostics] == [message]


def test_an_empty_peran_yml_changes_nothing(tmp_path):
    manual = manual_of(tmp_path, {"_peran.yml": "# nothing yet\n", "a.md": sop("SOP-1", {"tu": "Staf TU"}, ["tu"])})
    assert not manual.diagnostics and list(roles_of(manual)) == ["Staf TU"]


# -- learning paths -------------------------------------------------------------------


def path_of(manual, *nomor: str) -> list[tuple[str, bool]]:
    chosen = [manual.by_nomor(n) for n in nomor]
    return [(item.sop.nomor, item.outside) for item in Prerequisites(manual.sops).path(chosen)]


def test_path_puts_every_prerequisite_first_then_follows_the_numbers(tmp_path):
    one = {"p": "Petugas"}
    manual = manual_of(tmp_path, {
        "a.md": sop("SOP-1", one, ["p"], prasyarat=("SOP-10",)),
        "b.md": sop("SOP-2", one, ["p"]),
        "c.md": sop("SOP-10", one, ["p"], prasyarat=("SOP-3",)),
        "d.md": sop("SOP-3", one, ["p"]),
        "e.md": sop("SOP-9", one, ["p"], prasyarat=("SOP-2", "SOP-1")),
    })
    assert not manual.diagnostics
    assert path_of(manual, "SOP-1", "SOP-2", "SOP-3", "SOP-9", "SOP-10") == [
        ("SOP-2", False), ("SOP-3", False), ("SOP-10", False), ("SOP-1", False), ("SOP-9", False)]
    # the same set given in another order: the same path
    assert path_of(manual, "SOP-10", "SOP-9", "SOP-3", "SOP-2", "SOP-1") == path_of(manual, "SOP-1", "SOP-2", "SOP-3",
                                                                                     "SOP-9", "SOP-10")


def test_prerequisites_outside_the_set_are_on_the_path_and_marked(tmp_path):
    one = {"p": "Petugas"}
    manual = manual_of(tmp_path, {
        "a.md": sop("SOP-A-1", one, ["p"], unit="Bagian A", prasyarat=("SOP-B-1",)),
        "b.md": sop("SOP-B-1", one, ["p"], unit="Bagian B", prasyarat=("SOP-B-2",)),
        "c.md": sop("SOP-B-2", one, ["p"], unit="Bagian B"),
        "d.md": sop("SOP-A-2", one, ["p"], unit="Bagian A", status="dicabut"),
    })
    assert path_of(manual, "SOP-A-1", "SOP-A-2") == [("SOP-B-2", True), ("SOP-B-1", True), ("SOP-A-1", False)]


def test_a_cycle_of_prerequisites_is_a_warning_naming_files_and_lines_and_the_path_stays_whole(tmp_path):
    one = {"p": "Petugas"}
    manual = manual_of(tmp_path, {
        "a.md": sop("SOP-1", one, ["p"], prasyarat=("SOP-2",)),
        "b.md": sop("SOP-2", one, ["p"], prasyarat=("SOP-3",)),
        "c.md": sop("SOP-3", one, ["p"], prasyarat=("SOP-1",)),
        "d.md": sop("SOP-4", one, ["p"], prasyarat=("SOP-4",)),
    })
    assert [(str(d), d.severity) for d in manual.diagnostics] == [
        ("sops/a.md:7: keterkaitan[1]: prerequisites form a cycle: SOP-1 (sops/a.md:7) needs SOP-2, SOP-2"
         " (sops/b.md:7) needs SOP-3, SOP-3 (sops/c.md:7) needs SOP-1; no reading order puts each before the other"
         " (make one of them 'terkait')", Severity.WARNING),
        ("sops/d.md:7: keterkaitan[1]: prerequisites form a cycle: SOP-4 (sops/d.md:7) needs SOP-4; no reading order"
         " puts each before the other (make one of them 'terkait')", Severity.WARNING),
    ]
    # SOP-4 waits for nothing but itself; the cycle is broken at its lowest number, SOP-1, the rest follow it
    assert path_of(manual, "SOP-3", "SOP-4") == [("SOP-4", False), ("SOP-1", True), ("SOP-3", False), ("SOP-2", True)]


# -- real builds ----------------------------------------------------------------------


def soup_of(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_example_role_page_lists_every_step_of_the_role_in_every_sop(example_site):
    manual = load_manual(Path(__file__).resolve().parents[1] / "sops", "sops")
    expected = sorted((sop.nomor, step.number) for sop in manual.sops if sop.status != "dicabut"
                      for step in sop.langkah
                      if any(sop.executor_name(key) in ("Staf Tata Usaha", "Staf TU", "Staf TU Umum") for key in step.pelaksana))
    page = soup_of(example_site, "peran/staf-tata-usaha")
    role = page.select_one('.sop-peran[data-peran="Staf Tata Usaha"]')
    steps = sorted((el["data-sop-nomor"], int(el["data-step"])) for el in role.select("[data-sop-nomor][data-step]"))
    assert steps == expected and len({nomor for nomor, _ in steps}) >= 3
    first = role.select_one('tr[data-sop-nomor="SOP-BUH-002"][data-step="1"]')
    cells = {td["data-col"]: " ".join(td.get_text(" ", strip=True).split()) for td in first.select("td")}
    assert cells == {"no": "1", "kegiatan": "Menerima surat, memeriksa alamat tujuan, lalu mencatatnya dalam agenda surat.",
                     "dari": "Awal prosedur", "kelengkapan": "Surat masuk Agenda surat", "waktu": "15 menit",
                     "output": "Surat tercatat dengan nomor agenda", "ke": "Langkah 2: Kepala Bagian Umum"}
    assert first.select_one('[data-col="ke"] a')["href"] == "../kepala-bagian-umum/"
    assert first.select_one('[data-col="no"] a')["href"] == "../../sop/umum-humas/surat-masuk/#langkah-1"
    assert "Juga disebut: Staf TU, Staf TU Umum" in role.get_text(" ", strip=True)
    path = [li["data-sop-nomor"] for li in role.select(".sop-jalur-belajar li")]
    assert path == ["SOP-BUH-002", "SOP-BUH-003", "SOP-LPM-001", "SOP-LPM-002"]
    assert [li["data-sop-nomor"] for li in role.select(".sop-jalur-belajar li[data-luar]")] == ["SOP-LPM-001"]


def test_example_role_index_is_in_the_navigation_and_links_every_role(example_site):
    index = soup_of(example_site, "peran")
    rows = {row["data-peran"]: row for row in index.select(".sop-peran-indeks tr[data-peran]")}
    assert rows["Staf Tata Usaha"].a["href"] == "staf-tata-usaha/"
    assert [td.get_text(strip=True) for td in rows["Staf Tata Usaha"].select("td")] == [
        "Staf Tata Usaha", "Staf TU, Staf TU Umum", "3", "9"]
    assert "Administrator Website (Direktorat Sistem Informasi)" not in rows
    for url in ("peran/" + row.a["href"] for row in rows.values()):
        assert soup_of(example_site, url).select_one(".sop-peran[data-peran]") is not None
    home = soup_of(example_site, "")
    assert [a.get_text(strip=True) for a in home.select('.md-nav a[href="peran/"]')] == ["Peran"]


def test_example_unit_page_has_its_learning_path(example_site):
    unit = soup_of(example_site, "unit/universitas-nusantara/biro-umum-dan-hubungan-masyarakat")
    items = unit.select(".sop-jalur-belajar li")
    assert [li["data-sop-nomor"] for li in items] == ["SOP-BUH-001", "SOP-BUH-002", "SOP-BUH-003"]
    assert "Prasyarat: SOP-BUH-002" in items[2].get_text(" ", strip=True)


def test_peran_yml_errors_stop_the_build_and_a_prerequisite_cycle_fails_strict(tmp_path):
    project = make_project(tmp_path / "manual", sops={
        "a.md": sop("SOP-1", {"tu": "Staf TU"}, ["tu"], prasyarat=("SOP-2",)),
        "b.md": sop("SOP-2", {"tu": "Staf TU"}, ["tu"], prasyarat=("SOP-1",)),
    })
    strict = project.build("-v")
    assert strict.returncode != 0
    assert "WARNING -  sop_manual: sops/a.md:7: keterkaitan[1]: prerequisites form a cycle" in strict.stderr
    assert project.build(strict=False).returncode == 0
    (project.sops / "_peran.yml").write_text("Staf Tata Usaha: [Staf T.U.]\n", encoding="utf-8")
    broken = project.build(strict=False)
    assert broken.returncode != 0
    assert ("ERROR   -  sop_manual: sops/_peran.yml:1: Staf Tata Usaha[1]: no SOP has a pelaksana named 'Staf T.U.'"
            " (did you mean 'Staf TU'?)") in broken.stderr


@pytest.mark.slow
def test_task_card_pdf_when_pdf_is_on(tmp_path):
    pypdf = pytest.importorskip("pypdf")
    pytest.importorskip("weasyprint")
    project = make_project(tmp_path / "manual", plugin_extra="pdf: true\n", sops={
        "_peran.yml": "Staf Tata Usaha: [Staf TU]\n",
        "a.md": sop("SOP-1", {"tu": "Staf TU", "kabag": "Kepala Bagian"}, ["tu", "kabag?s3:s1", "tu"]),
        "b.md": sop("SOP-2", {"tu": "Staf Tata Usaha"}, ["tu"]),
    })
    result = project.build()
    assert result.returncode == 0, result.stderr
    page = soup_of(project.site, "peran/staf-tata-usaha")
    assert page.select_one('a[href="../../pdf/peran/staf-tata-usaha.pdf"]') is not None
    reader = pypdf.PdfReader(project.site / "pdf" / "peran" / "staf-tata-usaha.pdf")
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    for expected in ("ORGANISASI UJI", "Kartu Tugas: Staf Tata Usaha", "Juga disebut: Staf TU", "SOP-1", "SOP-2",
                     "Kegiatan 1 SOP-1", "Kegiatan 3 SOP-1", "Awal prosedur", "Langkah 2: Kepala Bagian (Ya)",
                     "Prosedur selesai", "Per 1 Januari 2026"):
        assert expected in text
    assert "Kegiatan 2 SOP-1" not in text
    assert (project.site / "pdf" / "peran" / "kepala-bagian.pdf").is_file()


@pytest.mark.browser
def test_a_printed_role_page_is_its_one_page_task_card(example_site, output_dir):
    sync_api = pytest.importorskip("playwright.sync_api")
    pypdf = pytest.importorskip("pypdf")
    from conftest import chromium_path
    from test_browser import CHROMIUM_ARGS, serve

    with serve(example_site) as url, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(url + "peran/staf-tata-usaha/")
            page.screenshot(path=str(output_dir / "peran-layar.png"), full_page=True)
            assert page.locator(".sop-jalur-belajar").is_visible()
            page.emulate_media(media="print")
            page.screenshot(path=str(output_dir / "peran-cetak.png"), full_page=True)
            assert not page.locator(".md-header").is_visible()
            assert not page.locator(".sop-jalur-belajar").is_visible()
            steps = page.locator(".sop-peran tr[data-step]")
            assert steps.count() == 9 and all(steps.nth(n).is_visible() for n in range(9))
            printed = output_dir / "peran-cetak.pdf"
            printed.write_bytes(page.pdf(format="A4", print_background=True))
        finally:
            browser.close()
    reader = pypdf.PdfReader(printed)
    assert len(reader.pages) == 1
    assert "Menyimpan salinan surat dan tanda terimanya" in " ".join(reader.pages[0].extract_text().split())


def test_roles_asked_again_after_an_edit_are_what_a_fresh_reading_gives(tmp_path):
    """A preview server asks for the roles after every save, reusing the shares of SOPs it did not read
    again: a renamed pelaksana must move every duty of it, in its own SOP and in the others' handoffs."""
    files = {"a.md": sop("SOP-A", {"staf": "Staf", "kepala": "Kepala"}, ["staf", "kepala"]),
             "b.md": sop("SOP-B", {"staf": "Staf", "kepala": "Kepala"}, ["kepala", "staf"])}
    cache = LoadCache()
    load_manual(write(tmp_path / "sops", files), "sops", TODAY, cache=cache)
    roles_of(load_manual(tmp_path / "sops", "sops", TODAY, cache=cache))
    files["a.md"] = files["a.md"].replace("kepala: Kepala", "kepala: Kepala Bagian")
    again = load_manual(write(tmp_path / "sops", files), "sops", TODAY, cache=cache)
    assert roles_of(again) == roles_of(load_manual(tmp_path / "sops", "sops", TODAY))
    assert [share.sop.nomor for share in roles_of(again)["Kepala Bagian"].sops] == ["SOP-A"]
