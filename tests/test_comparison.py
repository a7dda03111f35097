"""Structural comparison of two versions of an SOP (``sop diff``'s engine) and git history reading."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import load
from sop_manual import git_source
from sop_manual.comparison import compare, describe


def sop(steps: str, executors: str = "  a: Staf\n  b: Kasubbag\n  c: Staf TU\n", extra: str = "") -> str:
    return f"---\nnomor: X-1\njudul: Uji\nunit: U\n{extra}pelaksana:\n{executors}langkah:\n{steps}---\n"


def step(kegiatan: str, pelaksana: str = "a", more: str = "") -> str:
    return f"  - kegiatan: {kegiatan}\n    pelaksana: {pelaksana}\n{more}"


SIX = [step(f"Kegiatan nomor {word}") for word in ("satu", "dua", "tiga", "empat", "lima", "enam")]


def diff(old: str, new: str, language: str = "id") -> tuple[list[dict], list[str]]:
    before, after = load(old).sop, load(new).sop
    changes = compare(before, after)
    return [c.as_json() for c in changes], describe(changes, before, after, language)


def test_the_same_sop_has_no_changes():
    assert diff(sop("".join(SIX)), sop("".join(SIX))) == ([], [])


def test_an_inserted_step_is_one_addition_and_later_steps_are_untouched():
    new = SIX[:2] + [step("Mencatat berkas", "b", "    waktu: 5 menit\n")] + SIX[2:]
    changes, sentences = diff(sop("".join(SIX)), sop("".join(new)))
    assert changes == [{"path": "langkah[3]", "change": "added", "old": None,
                        "new": {"kegiatan": "Mencatat berkas", "pelaksana": ["b"], "waktu": "5 menit"}}]
    assert sentences == ["Langkah 3 ditambahkan: Mencatat berkas"]


def test_a_deleted_step_is_one_removal_numbered_as_in_old():
    changes, sentences = diff(sop("".join(SIX)), sop("".join(SIX[:3] + SIX[4:])))
    assert [(c["path"], c["change"]) for c in changes] == [("langkah[4]", "removed")]
    assert sentences == ["Langkah 4 dihapus: Kegiatan nomor empat"]


def test_a_moved_step_is_one_change():
    changes, sentences = diff(sop("".join(SIX)), sop("".join([SIX[0]] + SIX[2:] + [SIX[1]])))
    assert changes == [{"path": "langkah[6].no", "change": "changed", "old": 2, "new": 6}]
    assert sentences == ["Langkah 6 dipindahkan (sebelumnya langkah 2): Kegiatan nomor dua"]


def test_an_edited_step_without_id_is_matched_by_content():
    new = SIX[:3] + [step("Kegiatan nomor empat yang diperbarui"), step("Kegiatan nomor lima", "b")] + SIX[5:]
    changes, sentences = diff(sop("".join(SIX)), sop("".join(new)))
    assert changes == [
        {"path": "langkah[4].kegiatan", "change": "changed", "old": "Kegiatan nomor empat",
         "new": "Kegiatan nomor empat yang diperbarui"},
        {"path": "langkah[5].pelaksana", "change": "changed", "old": ["a"], "new": ["b"]},
    ]
    assert sentences == ["Langkah 4 — kegiatan: Kegiatan nomor empat → Kegiatan nomor empat yang diperbarui",
                         "Langkah 5 — pelaksana: Staf → Kasubbag"]


def test_english_sentences():
    new = SIX[:2] + [step("Mencatat berkas")] + SIX[2:4] + [step("Kegiatan nomor lima", "c")] + SIX[5:]
    _, sentences = diff(sop("".join(SIX)), sop("".join(new)), language="en")
    assert sentences == ["Step 3 added: Mencatat berkas", "Step 6 — executor: Staf → Staf TU"]


DECIDING = [
    step("Terima", "a", "    id: terima\n"),
    step("Periksa", "b", "    id: periksa\n    keputusan:\n      ya: setuju\n      tidak: tolak\n"),
    step("Tolak", "a", "    id: tolak\n    selesai: true\n"),
    step("Setujui", "b", "    id: setuju\n"),
]


def test_decisions_compare_the_step_they_point_at_not_its_id_or_number():
    new = [DECIDING[0], step("Catat", "a"),
           step("Periksa", "b", "    id: periksa\n    keputusan:\n      ya: setujui\n      tidak: tolak\n"),
           DECIDING[2], step("Setujui", "b", "    id: setujui\n")]
    changes, sentences = diff(sop("".join(DECIDING)), sop("".join(new)))
    # the target was renamed with its step and moved by the insertion: the decision is unchanged
    assert [(c["path"], c["change"], c["old"], c["new"]) for c in changes] == [
        ("langkah[2]", "added", None, {"kegiatan": "Catat", "pelaksana": ["a"]}),
        ("langkah[5].id", "changed", "setuju", "setujui"),
    ]
    assert sentences == ["Langkah 2 ditambahkan: Catat", "Langkah 5 — id: setuju → setujui"]


def test_a_decision_that_now_goes_elsewhere_is_a_change_in_step_numbers():
    new = [DECIDING[0], step("Periksa", "b", "    id: periksa\n    keputusan:\n      ya: setuju\n      tidak: selesai\n"),
           *DECIDING[2:]]
    changes, sentences = diff(sop("".join(DECIDING)), sop("".join(new)))
    assert changes == [{"path": "langkah[2].keputusan.tidak", "change": "changed", "old": "tolak", "new": "selesai"}]
    assert sentences == ["Langkah 2 — keputusan “Tidak”: langkah 3 → Selesai"]


def test_steps_with_ids_are_matched_by_id_even_when_rewritten():
    new = [step("Menerima berkas permohonan dan mencatatnya", "a", "    id: terima\n"), *DECIDING[1:]]
    changes, _ = diff(sop("".join(DECIDING)), sop("".join(new)))
    assert [(c["path"], c["change"]) for c in changes] == [("langkah[1].kegiatan", "changed")]


def test_a_renamed_pelaksana_key_is_one_change_and_steps_using_it_are_unchanged():
    old = sop(step("Satu", "a") + step("Dua", "kasubbag"), "  a: Staf\n  kasubbag: Kepala Subbagian\n")
    new = sop(step("Satu", "a") + step("Dua", "kepala"), "  a: Staf\n  kepala: Kepala Subbagian\n")
    changes, sentences = diff(old, new)
    assert changes == [{"path": "pelaksana.kepala", "change": "changed",
                        "old": {"key": "kasubbag", "nama": "Kepala Subbagian"},
                        "new": {"key": "kepala", "nama": "Kepala Subbagian"}}]
    assert sentences == ["Kunci pelaksana “kasubbag” diganti menjadi “kepala” (Kepala Subbagian)"]


def test_lists_are_compared_item_by_item():
    old = sop(step("Satu", "a", "    kelengkapan: [Formulir, KTP]\n"), "  a: Staf\n",
              "peralatan: [Komputer, Printer, Pemindai]\ndasar_hukum: PP 1\n")
    new = sop(step("Satu", "a", "    kelengkapan: [Formulir, KTP, KK]\n"), "  a: Staf\n",
              "peralatan: [Komputer, Pemindai]\ndasar_hukum: [PP 1, PP 2 Tahun 2020]\n")
    changes, sentences = diff(old, new)
    assert [(c["path"], c["change"], c["old"], c["new"]) for c in changes] == [
        ("dasar_hukum[2]", "added", None, "PP 2 Tahun 2020"),
        ("peralatan[2]", "removed", "Printer", None),
        ("langkah[1].kelengkapan[3]", "added", None, "KK"),
    ]
    assert sentences == ["Dasar Hukum 2 ditambahkan: PP 2 Tahun 2020", "Peralatan/Perlengkapan 2 dihapus: Printer",
                         "Langkah 1 — kelengkapan 3 ditambahkan: KK"]


def test_fields_and_revisions():
    old = sop(step("Satu"), "  a: Staf\n", 'status: draf\nklasifikasi: {sifat: teknis}\n'
              'revisi:\n  - {versi: "1.0", perubahan: Awal}\n')
    new = sop(step("Satu"), "  a: Staf\n", 'status: berlaku\nklasifikasi: {sifat: administratif}\n'
              'revisi:\n  - {versi: "1.0", perubahan: Awal}\n  - {versi: "1.1", perubahan: Langkah baru}\n')
    changes, sentences = diff(old, new)
    assert [c["path"] for c in changes] == ["status", "klasifikasi.sifat", "revisi[2]"]
    assert sentences == ["Status: Draf → Berlaku", "Sifat: Teknis → Administratif",
                         "Riwayat Revisi 2 ditambahkan: 1.1, Langkah baru"]


# -- git -----------------------------------------------------------------------------


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout


def init_repository(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "editor@example.org")
    git(root, "config", "user.name", "Editor")
    return root


def commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def test_git_history_follows_a_moved_file(tmp_path):
    root = init_repository(tmp_path / "repo")
    (root / "sops" / "lama").mkdir(parents=True)
    (root / "sops" / "lama" / "uji.md").write_text(sop("".join(SIX)), encoding="utf-8")
    commit(root, "Add the SOP")
    git(root, "tag", "v1.0")
    (root / "sops" / "baru").mkdir()
    git(root, "mv", "sops/lama/uji.md", "sops/baru/uji.md")
    commit(root, "Move the SOP")
    (root / "sops" / "baru" / "uji.md").write_text(sop("".join(SIX[:5])), encoding="utf-8")
    commit(root, "Drop step 6")
    git(root, "mv", "sops/baru/uji.md", "sops/baru/uji-2.md")  # moved again, not committed yet

    current = root / "sops" / "baru" / "uji-2.md"
    versions = git_source.history(current)
    assert [(v.subject, v.path, v.status) for v in versions] == [
        ("Drop step 6", "sops/baru/uji.md", "M"), ("Move the SOP", "sops/baru/uji.md", "R"),
        ("Add the SOP", "sops/lama/uji.md", "A")]
    assert git_source.path_at(current, "v1.0") == "sops/lama/uji.md"
    shown, raw = git_source.read_at(current, "v1.0")
    assert shown == "v1.0:sops/lama/uji.md" and raw.decode() == sop("".join(SIX))
    assert git_source.read_at(current, None)[1].decode() == sop("".join(SIX[:5]))
    with pytest.raises(git_source.GitError, match="unknown revision 'v9'"):
        git_source.read_at(current, "v9")
    (root / "sops" / "baru" / "lain.md").write_text("x", encoding="utf-8")
    commit(root, "Another file")
    with pytest.raises(git_source.GitError, match="did not exist at revision 'v1.0'"):
        git_source.path_at(root / "sops" / "baru" / "lain.md", "v1.0")


def test_an_old_target_is_named_by_the_number_its_step_has_now():
    new = [DECIDING[0],
           step("Periksa", "b", "    id: periksa\n    keputusan:\n      ya: verifikasi\n      tidak: tolak\n"),
           step("Verifikasi", "b", "    id: verifikasi\n"), *DECIDING[2:]]
    changes, sentences = diff(sop("".join(DECIDING)), sop("".join(new)))
    assert sentences == ["Langkah 2 — keputusan “Ya”: langkah 5 → langkah 3", "Langkah 3 ditambahkan: Verifikasi"]
    gone = [DECIDING[0], step("Periksa", "b", "    id: periksa\n    keputusan:\n      ya: setuju\n      tidak: selesai\n"),
            DECIDING[3]]
    _, sentences = diff(sop("".join(DECIDING)), sop("".join(gone)))
    assert sentences == ["Langkah 2 — keputusan “Tidak”: langkah 3 (dihapus) → Selesai", "Langkah 3 dihapus: Tolak"]
