"""The ``sop`` command as editors and CI run it (spec section 6): a real process, its output and exit code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml

from conftest import MINIMAL_SOP, make_project
from test_comparison import DECIDING, SIX, commit, git, init_repository, sop, step

SOP_COMMAND = Path(sys.executable).parent / "sop"


CACHE_HOME = Path(tempfile.mkdtemp(prefix="sop-cache-"))
"""The check cache of these tests: never the user's own ~/.cache."""


def run(cwd: Path, *args: str, module: bool = False, cache_home: Path = CACHE_HOME) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "sop_manual"] if module else [str(SOP_COMMAND)]
    return subprocess.run([*command, *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "XDG_CACHE_HOME": str(cache_home)})


BROKEN = MINIMAL_SOP.replace("status: berlaku", "status: berlau").replace("pelaksana: kepala", "pelaksana: kepal")
"""Two errors: line 5 (status) and line 15 (an undeclared pelaksana)."""
NO_OUTPUT = MINIMAL_SOP.replace("SOP-UJI-001", "SOP-UJI-002").replace("    output: Berkas diterima\n", "")
"""One warning: line 10's step has no output."""


@pytest.fixture
def manual(tmp_path):
    """A manual whose mkdocs.yml has MkDocs-only tags (!ENV, !!python/name) and a custom sops_dir."""
    project = make_project(tmp_path / "manual", plugin_extra="sops_dir: prosedur\npdf: !ENV [SOP_PDF, false]")
    (project.root / "sops").rmdir()
    folder = project.root / "prosedur"
    (folder / "a").mkdir(parents=True)
    (folder / "b").mkdir()
    (folder / "a" / "uji.md").write_text(BROKEN, encoding="utf-8")
    (folder / "b" / "kedua.md").write_text(NO_OUTPUT, encoding="utf-8")
    return project.root


# -- check ------------------------------------------------------------------------------------


def test_check_reports_a_malformed_manual_file_by_file_and_exits_1(manual):
    result = run(manual, "check")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines == [
        "prosedur/a/uji.md:5: status: 'berlau' is not one of: draf, tinjauan, berlaku, dicabut;"
        " did you mean 'berlaku'?",
        "prosedur/a/uji.md:8: pelaksana.kepala: declared but no step uses this pelaksana",
        "prosedur/a/uji.md:15: langkah[2].pelaksana: 'kepal' is not declared in pelaksana (declared: petugas,"
        " kepala); did you mean 'kepala'?",
        "prosedur/b/kedua.md:10: langkah[1].output: step has no output",
    ]
    assert result.stderr == "sop check: 2 errors, 2 warnings in 2 of 2 SOP files\n"


def test_check_gives_the_messages_the_build_gives(manual):
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(manual / "site")],
                           capture_output=True, text=True, cwd=manual, env=os.environ.copy())
    assert built.returncode != 0
    from_build = [line.split("sop_manual: ", 1)[1] for line in built.stderr.splitlines() if "sop_manual: prosedur/" in line]
    assert from_build == run(manual, "check").stdout.splitlines()


def test_check_warnings_pass_but_fail_with_strict(manual):
    (manual / "prosedur" / "a" / "uji.md").unlink()
    plain = run(manual, "check")
    assert (plain.returncode, plain.stdout) == (0, "prosedur/b/kedua.md:10: langkah[1].output: step has no output\n")
    strict = run(manual, "check", "--strict")
    assert (strict.returncode, strict.stdout) == (1, plain.stdout)
    (manual / "prosedur" / "b" / "kedua.md").write_text(MINIMAL_SOP, encoding="utf-8")
    clean = run(manual, "check", "--strict")
    assert (clean.returncode, clean.stdout, clean.stderr) == (0, "", "sop check: no problems in 1 SOP file\n")


def test_check_reads_the_review_date_from_an_env_tag_as_the_build_does(tmp_path):
    """``today: !ENV [SOP_TODAY, null]``: the variable when set, else the real date, for check and build alike."""
    reviewed = MINIMAL_SOP.replace("status: berlaku\n", "status: berlaku\ntinjauan:\n  berikutnya: 2030-06-01\n")
    root = make_project(tmp_path / "manual", sops={"uji.md": reviewed}).root
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace('today: "2026-01-01"', "today: !ENV [SOP_TODAY, null]"),
                      encoding="utf-8")
    overdue = "sops/uji.md:7: tinjauan.berikutnya: the review was due on 2030-06-01 and is overdue"

    def check(today: str | None) -> subprocess.CompletedProcess:
        env = {key: value for key, value in os.environ.items() if key != "SOP_TODAY"}
        if today:
            env["SOP_TODAY"] = today
        return subprocess.run([str(SOP_COMMAND), "check"], capture_output=True, text=True, cwd=root,
                              env={**env, "XDG_CACHE_HOME": str(CACHE_HOME)})

    assert check("2030-06-02").stdout.startswith(overdue)
    assert check("2030-05-31").stdout == ""
    assert check(None).stdout == ""  # the real date: long before 2030
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(root / "site")], capture_output=True,
                           text=True, cwd=root, env={**os.environ, "SOP_TODAY": "2030-06-02"})
    assert overdue in built.stderr
    wrong = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(root / "site")], capture_output=True,
                           text=True, cwd=root, env={**os.environ, "SOP_TODAY": "besok"})
    assert wrong.returncode != 0 and "sop: today: 'besok' is not a date (YYYY-MM-DD)" in wrong.stderr
    assert check("besok").stderr.endswith("plugins: sop: today: 'besok' is not a date (YYYY-MM-DD)\n")


def test_check_github_annotations(manual):
    result = run(manual, "check", "--format", "github")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "::error file=prosedur/a/uji.md,line=5,title=status::'berlau' is not one of: draf, tinjauan, berlaku,"
        " dicabut; did you mean 'berlaku'?",
        "::warning file=prosedur/a/uji.md,line=8,title=pelaksana.kepala::declared but no step uses this pelaksana",
        "::error file=prosedur/a/uji.md,line=15,title=langkah[2].pelaksana::'kepal' is not declared in pelaksana"
        " (declared: petugas, kepala); did you mean 'kepala'?",
        "::warning file=prosedur/b/kedua.md,line=10,title=langkah[1].output::step has no output",
    ]


def test_check_gitlab_code_quality_report(manual):
    result = run(manual, "check", "--format", "gitlab")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert [(i["location"]["path"], i["location"]["lines"]["begin"], i["severity"], i["description"])
            for i in report][:2] == [
        ("prosedur/a/uji.md", 5, "major", "status: 'berlau' is not one of: draf, tinjauan, berlaku, dicabut;"
                                          " did you mean 'berlaku'?"),
        ("prosedur/a/uji.md", 8, "minor", "pelaksana.kepala: declared but no step uses this pelaksana"),
    ]
    assert len({i["fingerprint"] for i in report}) == len(report) == 4
    assert all(set(i) == {"description", "check_name", "fingerprint", "severity", "location"} for i in report)


def test_check_json(manual):
    result = run(manual, "check", "--format", "json")
    assert result.returncode == 1
    assert json.loads(result.stdout)[-1] == {"file": "prosedur/b/kedua.md", "line": 10, "location": "langkah[1].output",
                                             "message": "step has no output", "severity": "warning"}


def test_check_given_paths_reports_only_them_judged_within_the_whole_manual(manual):
    (manual / "prosedur" / "b" / "kedua.md").write_text(
        NO_OUTPUT.replace("status: berlaku\n", "status: berlaku\nketerkaitan: [{nomor: SOP-UJI-001}]\n"), encoding="utf-8")
    result = run(manual, "check", "--format", "json", "prosedur/b/kedua.md")
    # the reference resolves: SOP-UJI-001 is in the manual, though not among the paths
    assert [(d["file"], d["line"]) for d in json.loads(result.stdout)] == [("prosedur/b/kedua.md", 11)]
    assert result.returncode == 0
    folder = run(manual / "prosedur", "check", "a")  # a folder, from inside the SOP folder
    assert folder.returncode == 1 and {line.split(":")[0] for line in folder.stdout.splitlines()} == {"a/uji.md"}


def test_check_reuses_the_last_check_only_for_unchanged_files(manual, tmp_path):
    cache_home = tmp_path / "cache"
    first = run(manual, "check", cache_home=cache_home)
    [stored] = (cache_home / "sop-manual").iterdir()  # in the user's cache folder, not in the repository
    assert not (manual / ".cache").exists()
    again = run(manual, "check", cache_home=cache_home)
    assert (again.returncode, again.stdout) == (first.returncode, first.stdout)
    (manual / "prosedur" / "a" / "uji.md").write_text(MINIMAL_SOP, encoding="utf-8")  # fixed: seen at once
    fixed = run(manual, "check", cache_home=cache_home)
    assert fixed.stdout == "prosedur/b/kedua.md:10: langkah[1].output: step has no output\n"
    stored.write_bytes(b"not a pickle")  # a damaged cache is ignored
    assert run(manual, "check", cache_home=cache_home).stdout == fixed.stdout
    assert run(manual, "check", "--no-cache", cache_home=cache_home).stdout == fixed.stdout


def test_check_runs_as_a_python_module_too(manual):
    result = run(manual, "check", "--format", "json", module=True)
    assert result.returncode == 1 and len(json.loads(result.stdout)) == 4


@pytest.mark.parametrize("args", [("check", "tidak-ada.md"), ("check", "--format", "xml"), ("tidak-ada",), ()])
def test_check_that_cannot_run_exits_2(manual, args):
    result = run(manual, *args)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr


def test_check_without_sop_folder_says_where_it_looked(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: X\nplugins:\n  - sop:\n      sops_dir: hilang\n", encoding="utf-8")
    result = run(tmp_path, "check")
    assert result.returncode == 2
    assert result.stderr.startswith("sop check: the SOP folder hilang does not exist (sops_dir of ")


# -- new -----------------------------------------------------------------------------------


def test_new_proposes_the_next_number_of_the_unit_and_checks_clean(manual):
    (manual / "prosedur" / "a" / "uji.md").write_text(MINIMAL_SOP.replace("SOP-UJI-001", "SOP-UJI-009"), encoding="utf-8")
    result = run(manual, "new", "prosedur/a/baru.md", "--judul", "Peminjaman Ruang: Aula", "--unit", "Bagian Uji")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "prosedur/a/baru.md: SOP-UJI-010 · Peminjaman Ruang: Aula · Organisasi Uji / Bagian Uji\n"
    text = (manual / "prosedur" / "a" / "baru.md").read_text(encoding="utf-8")
    assert yaml.safe_load(text.split("---")[1])["judul"] == "Peminjaman Ruang: Aula"
    assert "unit: [Organisasi Uji, Bagian Uji]" in text
    (manual / "prosedur" / "b" / "kedua.md").unlink()
    assert run(manual, "check", "--strict").returncode == 0


def test_new_with_a_number_and_a_new_unit(manual):
    result = run(manual, "new", "prosedur/c/satu.md", "--judul", "Satu", "--unit", "Organisasi Uji / Bagian Baru",
                 "--nomor", "530/01-BB/2026")
    assert result.returncode == 0, result.stderr
    second = run(manual, "new", "prosedur/c/dua.md", "--judul", "Dua", "--unit", "bagian baru")
    assert second.stdout == "prosedur/c/dua.md: 530/02-BB/2026 · Dua · Organisasi Uji / Bagian Baru\n"
    checked = run(manual, "check", "--strict", "prosedur/c")
    assert (checked.returncode, checked.stdout) == (0, "")


def test_new_never_overwrites_and_refuses_a_taken_number(manual):
    target = manual / "prosedur" / "a" / "uji.md"
    before = target.read_text(encoding="utf-8")
    result = run(manual, "new", "prosedur/a/uji.md", "--judul", "X", "--unit", "Bagian Uji")
    assert result.returncode == 2
    assert result.stderr == "sop new: prosedur/a/uji.md already exists; sop new never overwrites a file\n"
    assert target.read_text(encoding="utf-8") == before
    taken = run(manual, "new", "prosedur/a/lain.md", "--judul", "X", "--unit", "Bagian Uji", "--nomor", "SOP-UJI-002")
    assert (taken.returncode, taken.stderr) == (2, "sop new: nomor 'SOP-UJI-002' is already the nomor of"
                                                   " prosedur/b/kedua.md\n")
    unknown = run(manual, "new", "prosedur/a/lain.md", "--judul", "X", "--unit", "Bagian Lain")
    assert unknown.returncode == 2 and "give the number with --nomor" in unknown.stderr
    assert not (manual / "prosedur" / "a" / "lain.md").exists()


# -- diff ----------------------------------------------------------------------------------


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_diff_of_two_files_in_every_format(tmp_path):
    old = write(tmp_path / "lama.md", sop("".join(DECIDING)))
    new = write(tmp_path / "baru.md", sop("".join([DECIDING[0], step("Mencatat berkas", "c"), *DECIDING[1:3],
                                                    step("Setujui", "c", "    id: setuju\n")])))
    text = run(tmp_path, "diff", "lama.md", "baru.md")
    assert (text.returncode, text.stdout) == (1, '+ langkah[2]: {"kegiatan": "Mencatat berkas", "pelaksana": ["c"]}\n'
                                                 '~ langkah[5].pelaksana: ["b"] → ["c"]\n')
    as_json = run(tmp_path, "diff", "lama.md", "baru.md", "--format", "json")
    assert json.loads(as_json.stdout) == [
        {"path": "langkah[2]", "change": "added", "old": None, "new": {"kegiatan": "Mencatat berkas", "pelaksana": ["c"]}},
        {"path": "langkah[5].pelaksana", "change": "changed", "old": ["b"], "new": ["c"]},
    ]
    markdown = run(tmp_path, "diff", "lama.md", "baru.md", "--format", "markdown")
    assert markdown.stdout == ("#### X-1 · Uji (`baru.md`)\n\n- Langkah 2 ditambahkan: Mencatat berkas\n"
                               "- Langkah 5 — pelaksana: Kasubbag → Staf TU\n\n")
    same = run(tmp_path, "diff", "lama.md", "lama.md", "--format", "markdown")
    assert (same.returncode, same.stdout) == (0, "#### X-1 · Uji (`lama.md`)\n\nTidak ada perubahan.\n\n")


def test_diff_speaks_english_when_the_manual_does(tmp_path):
    write(tmp_path / "mkdocs.yml", "site_name: X\ntheme: {name: material, language: en}\nplugins: [search, sop]\n")
    write(tmp_path / "a.md", sop("".join(SIX)))
    write(tmp_path / "b.md", sop("".join(SIX[:3] + SIX[4:])))
    result = run(tmp_path, "diff", "a.md", "b.md", "--format", "markdown")
    assert result.stdout.splitlines()[2] == "- Step 4 removed: Kegiatan nomor empat"


def test_diff_at_git_revisions_follows_a_moved_file(tmp_path):
    root = init_repository(tmp_path / "repo")
    write(root / "sops" / "lama" / "uji.md", sop("".join(SIX)))
    commit(root, "Add the SOP")
    git(root, "tag", "v1.0")
    (root / "sops" / "baru").mkdir()
    git(root, "mv", "sops/lama/uji.md", "sops/baru/uji.md")
    write(root / "sops" / "baru" / "uji.md", sop("".join(SIX[:2] + [step("Kegiatan baru di tengah")] + SIX[2:])))
    commit(root, "Move the SOP and add a step")
    write(root / "sops" / "baru" / "uji.md", sop("".join(SIX[:2] + [step("Kegiatan baru di tengah")] + SIX[2:5])))

    committed = run(root, "diff", "sops/baru/uji.md", "--from", "v1.0", "--to", "HEAD", "--format", "json")
    assert (committed.returncode, [(c["path"], c["change"]) for c in json.loads(committed.stdout)]) == (
        1, [("langkah[3]", "added")])
    working = run(root / "sops", "diff", "baru/uji.md", "--from", "v1.0", "--format", "markdown")
    # added steps are numbered as in NEW, removed ones as in OLD (v1.0 had six steps)
    assert working.stdout.splitlines()[2:] == ["- Langkah 3 ditambahkan: Kegiatan baru di tengah",
                                               "- Langkah 6 dihapus: Kegiatan nomor enam", ""]
    unchanged = run(root, "diff", "sops/baru/uji.md", "--from", "HEAD~1", "--to", "v1.0")
    assert (unchanged.returncode, unchanged.stdout) == (0, "")
    unknown = run(root, "diff", "sops/baru/uji.md", "--from", "v9")
    assert (unknown.returncode, unknown.stderr) == (2, "sop diff: unknown revision 'v9'\n")


def test_diff_that_cannot_run_exits_2(tmp_path):
    write(tmp_path / "rusak.md", "tanpa front matter\n")
    write(tmp_path / "baik.md", sop("".join(SIX)))
    broken = run(tmp_path, "diff", "rusak.md", "baik.md")
    assert broken.returncode == 2 and broken.stderr.startswith("sop diff: cannot compare: rusak.md:1: no front matter")
    assert run(tmp_path, "diff", "baik.md").returncode == 2
    assert run(tmp_path, "diff", "baik.md", "hilang.md").returncode == 2
    outside = run(tmp_path, "diff", "baik.md", "--from", "HEAD")
    assert outside.returncode == 2 and "is not inside a git repository" in outside.stderr
