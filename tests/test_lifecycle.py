"""After signing (spec section 5): sosialisasi and monev on SOP pages, the changelog, the Atom feed,
the quality dashboard, and each version's changes from the git history (with its fallbacks)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import MINIMAL_SOP, ROOT, load, make_project
from sop_manual.feed import atom_feed
from sop_manual.history import BEFORE_REPOSITORY, FIRST, GIT, NO_REPOSITORY, SHALLOW, TEXT, UNTRACKED, GitHistory
from sop_manual.labels import labels_for
from sop_manual.lifecycle import dashboard, revision_entries
from sop_manual.manual import Manual, load_manual
from sop_manual.pages import SiteOptions, manual_pages
from sop_manual.rendering import Renderer

ATOM = "{http://www.w3.org/2005/Atom}"
LABELS = labels_for("id")
RENDERER = Renderer([ROOT / "overrides"])
TODAY = dt.date(2026, 1, 1)
ALL_YES = "{kinerja: ya, dipahami: ya, dilaksanakan: ya, peran: ya, masalah: ya, kebutuhan: ya, sinergi: ya}"


def sop_text(nomor: str = "SOP-UJI-001", status: str = "berlaku", extra: str = "", unit: str = "[Org, Bagian Uji]") -> str:
    return (MINIMAL_SOP.removesuffix("---\n").replace("SOP-UJI-001", nomor).replace("status: berlaku", f"status: {status}")
            .replace("[Organisasi Uji, Bagian Uji]", unit) + extra + "---\n")


def sop_of(text: str, name: str = "sops/uji.md"):
    result = load(text, name)
    assert not [d for d in result.diagnostics if d.is_error], result.diagnostics
    return result.sop


def render_page(text: str, **options) -> BeautifulSoup:
    sop = sop_of(text)
    html = RENDERER.sop_page(sop, body_html="", find=lambda nomor: None, href=lambda other: "#", **options)
    return BeautifulSoup(html, "html.parser")


def words(element) -> str:
    return " ".join(element.get_text(" ").split())


MONEV = f"""\
revisi:
  - {{versi: "1.0", tanggal: 2025-01-10, perubahan: Penerbitan awal}}
  - {{versi: "1.1", tanggal: 2025-03-01, perubahan: Menambah langkah}}
sosialisasi:
  - {{tanggal: 2025-01-20, versi: "1.0", metode: Rapat}}
tinjauan: {{siklus: 6 bulan}}
monev:
  - tanggal: 2025-04-14
    jenis: monitoring
    penilai: Kepala Bagian
    hasil: tidak-baik
    catatan: Langkah 2 tertunda
    tindakan: Menambah petugas
  - tanggal: 2025-06-10
    jenis: evaluasi
    penilai: Tim Monev
    kriteria: {ALL_YES.replace("dipahami: ya", "dipahami: tidak")}
    catatan: Istilah sulit dipahami
    tindakan: Revisi istilah
"""


# -- on each SOP page ------------------------------------------------------------------------


def test_sosialisasi_badge_is_about_the_current_version():
    page = render_page(sop_text(extra=MONEV))
    [badge] = page.select('.sop-kepala .sop-badge[data-axis="sosialisasi"]')
    assert (badge["data-value"], words(badge)) == ("belum", "Belum disosialisasikan")  # 1.0 was, 1.1 not
    done = render_page(sop_text(extra=MONEV.replace('versi: "1.0", metode', 'versi: "1.1", metode')))
    assert done.select_one('.sop-badge[data-axis="sosialisasi"]')["data-value"] == "sudah"
    unversioned = render_page(sop_text(extra="sosialisasi:\n  - {tanggal: 2025-01-20, metode: Rapat}\n"))
    assert unversioned.select_one('.sop-badge[data-axis="sosialisasi"]')["data-value"] == "sudah"


def test_monev_history_shows_every_record_with_its_result_or_the_seven_criteria():
    page = render_page(sop_text(extra=MONEV), today=TODAY)
    rows = page.select(".sop-monev [data-jenis]")
    assert [(row["data-jenis"], row["data-tanggal"]) for row in rows] == [
        ("monitoring", "2025-04-14"), ("evaluasi", "2025-06-10")]
    assert [words(td) for td in rows[0].select("td")] == [
        "14 April 2025", "Monitoring", "Kepala Bagian", "Tidak berjalan dengan baik", "Langkah 2 tertunda",
        "Menambah petugas"]
    criteria = rows[1].select("[data-kriteria]")
    assert [(li["data-kriteria"], li["data-jawaban"]) for li in criteria] == [
        ("kinerja", "ya"), ("dipahami", "tidak"), ("dilaksanakan", "ya"), ("peran", "ya"), ("masalah", "ya"),
        ("kebutuhan", "ya"), ("sinergi", "ya")]
    assert words(criteria[1]) == "Tidak Mudah dipahami"
    assert [words(td) for td in rows[1].select("td")][4:] == ["Istilah sulit dipahami", "Revisi istilah"]
    assert page.select_one("#monev") is not None


def test_without_records_the_monev_section_says_so():
    page = render_page(MINIMAL_SOP)
    assert page.select(".sop-monev") == []
    assert "Belum ada catatan monitoring dan evaluasi." in words(page.select_one(".sop-monev-section"))


def test_a_failed_evaluation_marks_the_page_until_a_later_revision():
    page = render_page(sop_text(extra=MONEV))
    [marker] = page.select(".sop-kepala .sop-perlu-revisi")
    assert marker["data-tanggal-evaluasi"] == "2025-06-10"
    assert words(marker) == ("Perlu revisi Evaluasi tanggal 10 Juni 2025 menjawab “tidak” pada: Mudah dipahami."
                             " Belum ada revisi sesudahnya.")
    revised = MONEV.replace("perubahan: Menambah langkah}", "perubahan: Menambah langkah}\n"
                            '  - {versi: "1.2", tanggal: 2025-07-01, perubahan: Istilah}')
    assert render_page(sop_text(extra=revised)).select(".sop-perlu-revisi") == []
    assert render_page(sop_text(extra=MONEV, status="dicabut")).select(".sop-perlu-revisi") == []


def test_next_review_from_the_latest_record_and_the_overdue_marker():
    # no tinjauan.terakhir: the latest monev record (2025-06-10) + 6 bulan = 2025-12-10
    overdue = render_page(sop_text(extra=MONEV), today=TODAY)
    assert words(overdue.select_one('[data-field="tinjauan.berikutnya"]')) == \
        "Tinjauan berikutnya: 10 Desember 2025 (6 bulan) Terlambat"
    assert "Tinjauan terakhir: 10 Juni 2025. Tinjauan berikutnya: 10 Desember 2025. Terlambat" in \
        words(overdue.select_one(".sop-tinjauan"))
    on_time = render_page(sop_text(extra=MONEV), today=dt.date(2025, 12, 10))
    assert on_time.select(".sop-terlambat") == []
    assert render_page(sop_text(extra=MONEV, status="dicabut"), today=TODAY).select(".sop-terlambat") == []


def test_version_rows_show_git_details_or_say_why_not():
    from sop_manual.history import VersionChanges

    versions = {"1.0": VersionChanges("1.0", TEXT, reason=FIRST),
                "1.1": VersionChanges("1.1", GIT, ("Langkah 3 ditambahkan: Mengarsipkan",), "0123456789abcdef")}
    page = render_page(sop_text(extra=MONEV), versions=versions)
    first, second = page.select("table.sop-revisi tr[data-versi]")
    assert (first["data-sumber"], first.select(".sop-revisi-rincian")) == ("teks", [])
    [details] = second.select("details.sop-revisi-rincian")
    assert (second["data-sumber"], details["data-commit"]) == ("git", "0123456789abcdef")
    assert words(details) == "Rincian dari riwayat git (commit 0123456): Langkah 3 ditambahkan: Mengarsipkan"
    shallow = {"1.1": VersionChanges("1.1", TEXT, reason=SHALLOW)}
    [note] = render_page(sop_text(extra=MONEV), versions=shallow).select('tr[data-versi="1.1"] .sop-revisi-rincian')
    assert (note["data-sumber"], note["data-alasan"]) == ("teks", "dangkal")
    assert "shallow clone" in words(note)
    off = render_page(sop_text(extra=MONEV))  # history switched off: the editor's text only
    assert off.select(".sop-revisi-rincian") == [] and not off.select("tr[data-sumber]")


# -- changelog ------------------------------------------------------------------------------


def manual_of(*texts: str, today: dt.date = TODAY) -> Manual:
    return Manual(sops=[sop_of(text, f"sops/s{index}.md") for index, text in enumerate(texts)], today=today)


def revisions(*entries: str) -> str:
    return "revisi:\n" + "".join(f"  - {entry}\n" for entry in entries)


CHANGELOG_MANUAL = (
    sop_text("SOP-B-002", extra=revisions('{versi: "1.0", tanggal: 2024-01-10}', '{versi: "2.0", tanggal: 2025-05-01, perubahan: Besar}')),
    sop_text("SOP-A-010", extra=revisions('{versi: "1.0", tanggal: 2025-05-01}', '{versi: "1.1", tanggal: 2025-05-01, perubahan: Ralat}')),
    sop_text("SOP-A-009", extra=revisions('{versi: "1.0"}', '{versi: "1.1", tanggal: 2024-06-01}')),
)


def test_changelog_lists_every_revision_newest_first():
    manual = manual_of(*CHANGELOG_MANUAL)
    [page] = [p for p in manual_pages(manual, LABELS, SiteOptions()) if p.template == "perubahan.html"]
    assert (page.uri, page.title, page.nav) == ("perubahan.md", "Riwayat Perubahan SOP", ("Riwayat Perubahan SOP",))
    html = BeautifulSoup(RENDERER.manual_page(page, lambda sop: f"../{sop.nomor}/", lambda uri: uri), "html.parser")
    rows = html.select(".sop-perubahan .sop-perubahan-entri")
    assert [(r["data-sop-nomor"], r["data-versi"], r["data-tanggal"]) for r in rows] == [
        ("SOP-A-010", "1.1", "2025-05-01"),  # one day: by SOP number, the later version first
        ("SOP-A-010", "1.0", "2025-05-01"),
        ("SOP-B-002", "2.0", "2025-05-01"),
        ("SOP-A-009", "1.1", "2024-06-01"),
        ("SOP-B-002", "1.0", "2024-01-10"),
        ("SOP-A-009", "1.0", ""),  # undated: last
    ]
    assert words(rows[2]) == "1 Mei 2025 SOP-B-002 Prosedur Uji 2.0 Besar"
    assert rows[2].select_one("a")["href"] == "../SOP-B-002/#riwayat-revisi"
    assert html.select_one(".sop-feed-link")["href"] == "perubahan.xml"


def test_changelog_and_dashboard_can_be_switched_off():
    templates = [p.template for p in manual_pages(manual_of(*CHANGELOG_MANUAL), LABELS,
                                                  SiteOptions(changelog=False, dashboard=False))]
    assert "perubahan.html" not in templates and "dasbor.html" not in templates


# -- feed -----------------------------------------------------------------------------------


def feed_of(manual: Manual, site_url: str = "", versions=None) -> ET.Element:
    xml = atom_feed(manual, RENDERER.render, LABELS, name="Organisasi Uji", feed_uri="perubahan.xml",
                    page_path=lambda sop: f"sop/{sop.nomor.lower()}/", site_url=site_url, versions=versions)
    return ET.fromstring(xml.encode("utf-8"))


def test_feed_is_atom_with_one_entry_per_revision_newest_first():
    feed = feed_of(manual_of(*CHANGELOG_MANUAL), "https://sop.example.ac.id/manual/")
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}title") == "Organisasi Uji: perubahan SOP"
    assert feed.findtext(f"{ATOM}updated") == "2025-05-01T00:00:00Z"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "https://sop.example.ac.id/manual/perubahan.xml"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "SOP-A-010 Prosedur Uji, versi 1.1", "SOP-A-010 Prosedur Uji, versi 1.0", "SOP-B-002 Prosedur Uji, versi 2.0",
        "SOP-A-009 Prosedur Uji, versi 1.1", "SOP-B-002 Prosedur Uji, versi 1.0", "SOP-A-009 Prosedur Uji, versi 1.0"]
    assert [e.findtext(f"{ATOM}updated") for e in entries][:3] == ["2025-05-01T00:00:00Z"] * 3
    first = entries[0]
    assert first.find(f"{ATOM}link").get("href") == "https://sop.example.ac.id/manual/sop/sop-a-010/"
    assert first.findtext(f"{ATOM}summary") == "Ralat"
    content = first.find(f"{ATOM}content")
    assert content.get("type") == "html"
    assert '<a href="https://sop.example.ac.id/manual/sop/sop-a-010/">SOP-A-010 Prosedur Uji</a>' in content.text
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids) and all(i.startswith("urn:uuid:") for i in ids)


def test_feed_ids_stay_the_same_when_the_site_moves_or_more_revisions_come():
    before = {e.findtext(f"{ATOM}title"): e.findtext(f"{ATOM}id")
              for e in feed_of(manual_of(*CHANGELOG_MANUAL[:2])).findall(f"{ATOM}entry")}
    after = {e.findtext(f"{ATOM}title"): e.findtext(f"{ATOM}id")
             for e in feed_of(manual_of(*CHANGELOG_MANUAL), "https://elsewhere.example/").findall(f"{ATOM}entry")}
    assert before.items() <= after.items()


def test_a_feed_made_again_with_the_entries_of_the_previous_one_is_what_a_fresh_one_gives(tmp_path):
    """A preview server keeps the rendered entries (``memo``): an entry whose SOP changed is rendered again."""
    def feed(memo=None, **texts):
        for name, text in texts.items():
            (tmp_path / name).write_text(text, encoding="utf-8")
        return atom_feed(load_manual(tmp_path, "sops", TODAY), RENDERER.render, LABELS, name="Organisasi Uji",
                         feed_uri="perubahan.xml", page_path=lambda sop: f"sop/{sop.nomor.lower()}/", memo=memo)

    memo: dict = {}
    first = feed(memo, **{"a.md": CHANGELOG_MANUAL[0], "b.md": CHANGELOG_MANUAL[1]})
    assert first == feed() and len(memo) == 4
    revoked = CHANGELOG_MANUAL[0].replace("status: berlaku", "status: dicabut")  # shown in the entries, not their titles
    assert feed(memo, **{"a.md": revoked}) == feed() != first
    assert "dicabut" in feed(memo)


def test_without_site_url_the_feed_links_relative_to_itself():
    feed = feed_of(manual_of(*CHANGELOG_MANUAL))
    assert feed.find(f"{ATOM}link[@rel='self']") is None
    assert feed.find(f"{ATOM}link[@rel='alternate']").get("href") == "./"
    assert feed.find(f"{ATOM}entry/{ATOM}link").get("href") == "sop/sop-a-010/"


def test_feed_escapes_editor_text_and_carries_the_git_details():
    from sop_manual.history import VersionChanges

    text = sop_text("SOP-<X>&1", extra=revisions('{versi: "1.0", tanggal: 2025-01-01, perubahan: "a < b & <script>"}'))
    manual = manual_of(text)
    versions = {"s0.md": {"1.0": VersionChanges("1.0", GIT, ("Langkah 1 — waktu: 1 jam → 2 jam",), "abc")}}
    [entry] = feed_of(manual, versions=versions).findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "SOP-<X>&1 Prosedur Uji, versi 1.0"
    assert entry.findtext(f"{ATOM}summary") == "a < b & <script>"
    html = entry.findtext(f"{ATOM}content")
    assert "<p>a &lt; b &amp; &lt;script&gt;</p>" in html and "<li>Langkah 1 — waktu: 1 jam → 2 jam</li>" in html


# -- dashboard ------------------------------------------------------------------------------


def test_dashboard_lists_what_needs_doing_and_leaves_drafts_and_revoked_sops_out():
    overdue = "tinjauan: {siklus: 6 bulan, terakhir: 2025-03-01}\n"
    monitored = "monev:\n  - {tanggal: 2025-11-01, jenis: monitoring, hasil: baik}\n"
    failed = ("revisi:\n  - {versi: '1.0', tanggal: 2025-01-01}\nsosialisasi:\n  - {versi: '1.0'}\n"
              f"monev:\n  - {{tanggal: 2025-09-01, jenis: evaluasi, kriteria: {ALL_YES.replace('peran: ya', 'peran: tidak')}}}\n")
    manual = manual_of(
        sop_text("SOP-1", extra=overdue + "sosialisasi:\n  - {tanggal: 2025-03-05}\n"),  # overdue, never monitored
        sop_text("SOP-2", extra=revisions('{versi: "1.0", tanggal: 2025-01-01}') + monitored),  # not disseminated
        sop_text("SOP-3", extra=failed),  # needs revision; its evaluation is no monitoring
        sop_text("SOP-4", status="dicabut", extra=overdue + failed.replace("sosialisasi:\n  - {versi: '1.0'}\n", "")),
        sop_text("SOP-5", status="draf", extra=overdue),
        sop_text("SOP-6", status="tinjauan", unit="[Org, Bagian Lain]", extra=overdue + monitored),
    )
    board = dashboard(manual)
    assert [(sop.nomor, due) for sop, due in board.overdue] == [("SOP-1", dt.date(2025, 9, 1)), ("SOP-6", dt.date(2025, 9, 1))]
    assert [sop.nomor for sop in board.not_disseminated] == ["SOP-2"]
    assert [sop.nomor for sop, _ in board.needs_revision] == ["SOP-3"]
    assert [(sop.nomor, latest) for sop, latest in board.unmonitored] == [("SOP-1", None), ("SOP-3", None)]
    assert board.monitoring_since == dt.date(2025, 7, 1)
    assert board.units == [(("Org", "Bagian Lain"), {"draf": 0, "tinjauan": 1, "berlaku": 0, "dicabut": 0}),
                           (("Org", "Bagian Uji"), {"draf": 1, "tinjauan": 0, "berlaku": 3, "dicabut": 1})]

    [page] = [p for p in manual_pages(manual, LABELS, SiteOptions()) if p.template == "dasbor.html"]
    assert (page.uri, page.nav) == ("dasbor-mutu.md", ("Dasbor Mutu",))
    html = BeautifulSoup(RENDERER.manual_page(page, lambda sop: f"#{sop.nomor}", lambda uri: uri), "html.parser")
    root = html.select_one(".sop-dasbor")
    lists = {name: [li["data-sop-nomor"] for li in root.select(f"ul.sop-dasbor-{name} > li")]
             for name in ("terlambat", "belum-sosialisasi", "perlu-revisi", "tanpa-monitoring")}
    assert lists == {"terlambat": ["SOP-1", "SOP-6"], "belum-sosialisasi": ["SOP-2"], "perlu-revisi": ["SOP-3"],
                     "tanpa-monitoring": ["SOP-1", "SOP-3"]}
    assert words(root.select_one("ul.sop-dasbor-terlambat li")) == "SOP-1 Prosedur Uji Bagian Uji — jatuh tempo 1 September 2025"
    assert words(root.select_one("ul.sop-dasbor-perlu-revisi li")).endswith(
        "evaluasi 1 September 2025, menjawab “tidak” pada: Semua orang dapat menjalankan perannya masing-masing")
    total = root.select_one("table.sop-dasbor-unit tfoot tr")
    assert [(td["data-status"], words(td)) for td in total.select("td")] == [
        ("draf", "1"), ("tinjauan", "1"), ("berlaku", "3"), ("dicabut", "1"), ("semua", "6")]


def test_an_empty_dashboard_list_says_so():
    html = BeautifulSoup(RENDERER.manual_page(
        [p for p in manual_pages(manual_of(MINIMAL_SOP), LABELS, SiteOptions()) if p.template == "dasbor.html"][0],
        lambda sop: "#", lambda uri: uri), "html.parser")
    assert html.select("ul.sop-dasbor-terlambat li") == []
    assert "Tidak ada SOP yang terlambat ditinjau." in words(html)


# -- versions from the git history --------------------------------------------------------------

GIT_ENV = {"GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@example.org", "GIT_COMMITTER_NAME": "Editor",
           "GIT_COMMITTER_EMAIL": "editor@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(root: Path, *args: str) -> str:
    result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                            env={**os.environ, **GIT_ENV}, check=True)
    return result.stdout


STEP_3 = """  - kegiatan: Mengarsipkan berkas
    pelaksana: petugas
    waktu: 5 menit
    output: Berkas diarsipkan
"""


def versioned(*versions: tuple[str, str]) -> str:
    return "revisi:\n" + "".join(f'  - {{versi: "{v}", tanggal: {d}}}\n' for v, d in versions)


@pytest.fixture(scope="module")
def history_repo(tmp_path_factory) -> Path:
    """A manual in git: v1.0; v1.1 adds a step; the file moves; a typo fix; v1.2 changes a time; then a
    second SOP added with two versions at once (written before it entered the repository)."""
    root = tmp_path_factory.mktemp("sejarah") / "manual"
    project = make_project(root)
    git(root, "init", "-q", "-b", "main")
    v10 = sop_text(extra=versioned(("1.0", "2025-01-10")))
    project.add_sop("lama/uji.md", v10)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "v1.0")
    v11 = sop_text(extra=versioned(("1.0", "2025-01-10"), ("1.1", "2025-03-01")) +
                   "monev:\n  - {tanggal: 2025-02-01, jenis: monitoring, hasil: baik}\n")
    v11 = v11.replace("    output: Berkas disetujui\n", "    output: Berkas disetujui\n" + STEP_3, 1)
    project.add_sop("lama/uji.md", v11)
    git(root, "commit", "-qam", "v1.1")
    (root / "sops" / "baru").mkdir()
    git(root, "mv", "sops/lama/uji.md", "sops/baru/uji.md")
    git(root, "commit", "-qm", "move")
    project.add_sop("baru/uji.md", v11.replace("Menerima berkas", "Menerima berkas permohonan"))
    git(root, "commit", "-qam", "typo")
    v12 = v11.replace("Menerima berkas", "Menerima berkas permohonan").replace("waktu: 1 jam", "waktu: 2 jam").replace(
        '  - {versi: "1.1", tanggal: 2025-03-01}\n', '  - {versi: "1.1", tanggal: 2025-03-01}\n  - {versi: "1.2", tanggal: 2025-06-01}\n')
    project.add_sop("baru/uji.md", v12)
    git(root, "commit", "-qam", "v1.2")
    project.add_sop("lain.md", sop_text("SOP-UJI-002", extra=versioned(("1.0", "2024-01-01"), ("2.0", "2024-06-01"))))
    git(root, "add", "-A")
    git(root, "commit", "-qm", "another SOP with its past")
    return root


def versions_of(root: Path) -> dict:
    manual = load_manual(root / "sops", "sops", TODAY)
    assert not manual.errors, manual.errors
    return GitHistory(root / "sops", LABELS).versions(manual.sops)


def test_each_version_is_compared_with_the_one_before_across_a_move(history_repo):
    commits = git(history_repo, "log", "--format=%H %s").splitlines()
    commit_of = {line.split(" ", 1)[1]: line.split(" ", 1)[0] for line in commits}
    versions = versions_of(history_repo)["baru/uji.md"]
    assert versions["1.0"].source == TEXT and versions["1.0"].reason == FIRST
    assert versions["1.0"].commit == commit_of["v1.0"]
    assert (versions["1.1"].source, versions["1.1"].commit) == (GIT, commit_of["v1.1"])
    assert versions["1.1"].changes == ("Langkah 3 ditambahkan: Mengarsipkan berkas",)  # the monev record is no change
    # 1.2 is compared with the file as 1.1 first stood: the typo fix made after it belongs to 1.2
    assert (versions["1.2"].source, versions["1.2"].commit) == (GIT, commit_of["v1.2"])
    assert versions["1.2"].changes == ("Langkah 1 — kegiatan: Menerima berkas → Menerima berkas permohonan",
                                       "Langkah 2 — waktu: 1 jam → 2 jam")


def test_versions_written_before_the_file_entered_git_fall_back_to_the_text(history_repo):
    versions = versions_of(history_repo)["lain.md"]
    assert [(v.source, v.reason) for v in versions.values()] == [(TEXT, FIRST), (TEXT, BEFORE_REPOSITORY)]


def test_an_uncommitted_version_is_compared_with_the_working_tree(history_repo, tmp_path):
    copy = tmp_path / "salinan"
    shutil.copytree(history_repo, copy)
    path = copy / "sops" / "baru" / "uji.md"
    text = path.read_text(encoding="utf-8").replace('{versi: "1.2", tanggal: 2025-06-01}\n',
                                                   '{versi: "1.2", tanggal: 2025-06-01}\n  - {versi: "1.3", tanggal: 2025-09-01}\n')
    path.write_text(text.replace("output: Berkas diarsipkan", "output: Arsip"), encoding="utf-8")
    version = versions_of(copy)["baru/uji.md"]["1.3"]
    assert (version.source, version.commit, version.changes) == (GIT, "", ("Langkah 3 — output: Berkas diarsipkan → Arsip",))
    (copy / "sops" / "baru" / "tambahan.md").write_text(sop_text("SOP-UJI-003", extra=versioned(("1.0", "2025-01-01"), ("1.1", "2025-02-01"))))
    assert [v.reason for v in versions_of(copy)["baru/tambahan.md"].values()] == [FIRST, UNTRACKED]


def test_a_shallow_clone_falls_back_to_the_text_and_says_so(history_repo, tmp_path):
    clone = tmp_path / "dangkal"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{history_repo}", str(clone)], check=True,
                   capture_output=True, env={**os.environ, **GIT_ENV})
    assert git(clone, "rev-parse", "--is-shallow-repository").strip() == "true"
    versions = versions_of(clone)["baru/uji.md"]
    assert [(v.source, v.reason) for v in versions.values()] == [(TEXT, FIRST), (TEXT, SHALLOW), (TEXT, SHALLOW)]


def test_outside_git_every_later_version_says_there_is_no_repository(history_repo, tmp_path):
    plain = tmp_path / "tanpa-git"
    shutil.copytree(history_repo / "sops", plain / "sops")
    versions = versions_of(plain)["baru/uji.md"]
    assert [(v.source, v.reason) for v in versions.values()] == [(TEXT, FIRST), (TEXT, NO_REPOSITORY), (TEXT, NO_REPOSITORY)]


def test_the_history_is_read_with_one_git_log_whatever_the_number_of_sops(history_repo, monkeypatch):
    calls = []
    real_run = subprocess.run

    def counting_run(command, *args, **kwargs):
        if command[0] == "git":
            calls.append(command[3] if command[3] != "-c" else command[5])
        return real_run(command, *args, **kwargs)

    monkeypatch.setattr(subprocess, "run", counting_run)
    versions_of(history_repo)
    assert sorted(calls) == ["cat-file", "log", "rev-parse", "rev-parse"]


# -- a real build of the manual in git ------------------------------------------------------------


@pytest.fixture(scope="module")
def built_history(history_repo, tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("situs") / "site"
    config = history_repo / "mkdocs.yml"
    config.write_text("site_url: https://sop.example.ac.id/\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    result = subprocess.run([os.sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config), "-d", str(site)],
                            capture_output=True, text=True, cwd=history_repo)
    assert result.returncode == 0, result.stderr
    return site


def test_the_built_page_shows_each_versions_changes(built_history):
    page = BeautifulSoup((built_history / "sop" / "baru" / "uji" / "index.html").read_text(encoding="utf-8"), "html.parser")
    rows = {row["data-versi"]: row for row in page.select("table.sop-revisi tr[data-versi]")}
    assert [rows[v]["data-sumber"] for v in ("1.0", "1.1", "1.2")] == ["teks", "git", "git"]
    assert [words(li) for li in rows["1.1"].select(".sop-revisi-rincian li")] == ["Langkah 3 ditambahkan: Mengarsipkan berkas"]
    other = BeautifulSoup((built_history / "sop" / "lain" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert other.select_one('tr[data-versi="2.0"] .sop-revisi-rincian')["data-alasan"] == "sebelum-git"


def test_every_page_links_the_feed_and_the_feed_parses(built_history):
    for page in ("index.html", "sop/baru/uji/index.html", "perubahan/index.html", "dasbor-mutu/index.html"):
        head = BeautifulSoup((built_history / page).read_text(encoding="utf-8"), "html.parser").head
        [link] = head.select('link[rel~="alternate"][type="application/atom+xml"]')  # rel: a list of words
        assert (built_history / Path(page).parent / link["href"]).resolve() == (built_history / "perubahan.xml").resolve()
    feed = ET.parse(built_history / "perubahan.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "SOP-UJI-001 Prosedur Uji, versi 1.2", "SOP-UJI-001 Prosedur Uji, versi 1.1", "SOP-UJI-001 Prosedur Uji, versi 1.0",
        "SOP-UJI-002 Prosedur Uji, versi 2.0", "SOP-UJI-002 Prosedur Uji, versi 1.0"]
    assert entries[0].find(f"{ATOM}link").get("href") == "https://sop.example.ac.id/sop/baru/uji/"
    assert "<li>Langkah 2 — waktu: 1 jam → 2 jam</li>" in entries[0].findtext(f"{ATOM}content")


def test_switches_leave_out_history_changelog_feed_and_dashboard(tmp_path):
    project = make_project(tmp_path / "manual", plugin_extra="git_history: false\nchangelog: false\nfeed: false\ndashboard: false\n",
                           sops={"uji.md": sop_text(extra=versioned(("1.0", "2025-01-10"), ("1.1", "2025-03-01")))})
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert not (project.site / "perubahan.xml").exists()
    assert not (project.site / "perubahan").exists() and not (project.site / "dasbor-mutu").exists()
    page = project.page("sop/uji")
    assert 'application/atom+xml' not in page and "sop-revisi-rincian" not in page and "data-sumber" not in page


def test_the_example_manual_shows_the_life_cycle(example_site):
    page = BeautifulSoup((example_site / "sop/sistem-informasi/website-baru/index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.select_one('.sop-badge[data-axis="sosialisasi"]')["data-value"] == "sudah"
    assert page.select(".sop-perlu-revisi") and len(page.select(".sop-monev [data-jenis]")) == 2
    board = BeautifulSoup((example_site / "dasbor-mutu/index.html").read_text(encoding="utf-8"), "html.parser")
    assert [li["data-sop-nomor"] for li in board.select(".sop-dasbor-belum-sosialisasi li")] == ["SOP-DSI-002"]
    assert [li["data-sop-nomor"] for li in board.select(".sop-dasbor-perlu-revisi li")] == ["SOP-DSI-001"]
    changelog = BeautifulSoup((example_site / "perubahan/index.html").read_text(encoding="utf-8"), "html.parser")
    dates = [row["data-tanggal"] for row in changelog.select(".sop-perubahan-entri")]
    assert dates == sorted(dates, reverse=True) and len(dates) == sum(
        len(sop.revisi) for sop in load_manual(ROOT / "sops", "sops").sops)
    assert ET.parse(example_site / "perubahan.xml").getroot().tag == f"{ATOM}feed"


def test_listing_text_marked_out_of_the_search_index_gives_no_roots_either():
    from sop_manual.search_index import page_text

    content = ('<p>Dasbor</p><div class="sop-table-wrap" data-search-exclude><div><table><tr><td>Permohonan</td>'
               '</tr></table></div></div><ul class="x" data-search-exclude><li>SOP-DSI-004</li></ul><p>mutu</p>')
    assert page_text(content).split() == ["Dasbor", "mutu"]
