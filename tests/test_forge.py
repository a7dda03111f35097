"""Reviews on the forge: the files an organisation copies parse, and the commands they run work.

Each test makes a throw-away manual repository with a base commit and a "pull request"
commit (an SOP changed, one added, one moved, one deleted, one broken), then runs the
commands of the GitHub workflow, the GitLab job and the pre-commit hook there, as the
forge would, with the `sop` command of this environment on the PATH.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import MINIMAL_SOP, ROOT, make_project
from test_cli import CACHE_HOME
from test_comparison import commit, git, init_repository

GITHUB_WORKFLOW = ROOT / ".github" / "workflows" / "sop-review.yml"
GITLAB_JOB = ROOT / ".gitlab-ci.yml"
PRE_COMMIT_HOOKS = ROOT / ".pre-commit-hooks.yaml"
REVIEW_SCRIPT = ROOT / ".ci" / "sop-review.sh"

NOT_RUN_HERE = ("pip install .", "gh pr comment")
"""Steps that install from or post to the internet: the forge runs them, the test cannot."""


def sop_text(nomor: str, extra_step: str = "") -> str:
    text = MINIMAL_SOP.replace("SOP-UJI-001", nomor)
    return text.replace("  - kegiatan: Menyetujui berkas", extra_step + "  - kegiatan: Menyetujui berkas")


@pytest.fixture
def pull_request(tmp_path) -> tuple[Path, str]:
    """(repository, base commit) with a pull request's changes committed on top of the base."""
    root = init_repository(tmp_path / "manual")
    make_project(root, sops={"umum/a.md": sop_text("SOP-UJI-001"), "umum/b.md": sop_text("SOP-UJI-002"),
                             "umum/c.md": sop_text("SOP-UJI-003") + "".join(f"Catatan {n} tentang arsip lama.\n"
                                                                            for n in range(40))})
    (root / ".ci").mkdir()
    shutil.copy(REVIEW_SCRIPT, root / ".ci" / "sop-review.sh")
    commit(root, "Base")
    base = git(root, "rev-parse", "HEAD").strip()
    (root / "sops" / "umum" / "a.md").write_text(sop_text("SOP-UJI-001", (
        "  - kegiatan: Memeriksa kelengkapan berkas\n    pelaksana: petugas\n    waktu: 15 menit\n"
        "    output: Berkas lengkap\n")), encoding="utf-8")
    (root / "sops" / "arsip").mkdir()
    git(root, "mv", "sops/umum/b.md", "sops/arsip/b.md")
    git(root, "rm", "-q", "sops/umum/c.md")
    (root / "sops" / "umum" / "d.md").write_text(sop_text("SOP-UJI-004").replace("pelaksana: kepala", "pelaksana: kepal"),
                                                 encoding="utf-8")
    commit(root, "Change the SOPs")
    return root, base


def environment(**extra: str) -> dict:
    return {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
            "XDG_CACHE_HOME": str(CACHE_HOME), **extra}


EXPECTED_SUMMARY = """\
### Perubahan SOP

- SOP dipindahkan: `sops/umum/b.md` → `sops/arsip/b.md`
- SOP dihapus: `sops/umum/c.md`
- SOP baru: `sops/umum/d.md`

#### SOP-UJI-002 · Prosedur Uji (`sops/arsip/b.md`)

Tidak ada perubahan.

#### SOP-UJI-001 · Prosedur Uji (`sops/umum/a.md`)

- Langkah 2 ditambahkan: Memeriksa kelengkapan berkas

"""

UNUSED = "::warning file=sops/umum/d.md,line=8,title=pelaksana.kepala::declared but no step uses this pelaksana"
ANNOTATION = ("::error file=sops/umum/d.md,line=15,title=langkah[2].pelaksana::'kepal' is not declared in pelaksana"
              " (declared: petugas, kepala); did you mean 'kepala'?")


def test_the_forge_files_parse():
    workflow = yaml.safe_load(GITHUB_WORKFLOW.read_text(encoding="utf-8"))
    assert workflow[True]["pull_request"]["paths"] == ["sops/**", "mkdocs.yml"]  # YAML 1.1 reads `on` as true
    assert workflow["permissions"]["pull-requests"] == "write"
    job = yaml.safe_load(GITLAB_JOB.read_text(encoding="utf-8"))["sop-review"]
    assert job["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    [hook] = yaml.safe_load(PRE_COMMIT_HOOKS.read_text(encoding="utf-8"))
    assert (hook["id"], hook["entry"], hook["language"]) == ("sop-check", "sop check --strict", "python")


def test_the_github_workflow_summarises_and_annotates_a_pull_request(pull_request, tmp_path):
    root, base = pull_request
    summary = tmp_path / "summary.md"
    steps = yaml.safe_load(GITHUB_WORKFLOW.read_text(encoding="utf-8"))["jobs"]["review"]["steps"]
    results = {}
    for step in steps:
        if "run" not in step or any(command in step["run"] for command in NOT_RUN_HERE):
            continue
        env = environment(BASE=base, GITHUB_STEP_SUMMARY=str(summary))
        results[step["name"]] = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                                               capture_output=True, text=True, cwd=root, env=env)
    assert list(results) == ["Summarise what changed in each SOP", "Check the SOPs (annotations on the changed lines)"]
    summarised, checked = results.values()
    assert summarised.returncode == 0, summarised.stderr
    assert summary.read_text(encoding="utf-8") == (root / "sop-review.md").read_text(encoding="utf-8") == EXPECTED_SUMMARY
    assert checked.returncode == 1  # the job fails: an error in the pull request
    assert checked.stdout.splitlines() == [UNUSED, ANNOTATION]


def test_the_gitlab_job_writes_a_code_quality_report_and_the_summary(pull_request):
    root, base = pull_request
    script = [line for line in yaml.safe_load(GITLAB_JOB.read_text(encoding="utf-8"))["sop-review"]["script"]
              if not any(command in line for command in NOT_RUN_HERE)]
    env = environment(CI_MERGE_REQUEST_DIFF_BASE_SHA=base)
    env.pop("SOP_REVIEW_TOKEN", None)
    result = subprocess.run(["sh", "-e", "-c", "\n".join(script)], capture_output=True, text=True, cwd=root, env=env)
    assert result.returncode == 1  # the job fails on the error, after writing its report
    assert result.stdout == EXPECTED_SUMMARY
    report = json.loads((root / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    assert [(issue["location"], issue["severity"]) for issue in report] == [
        ({"path": "sops/umum/d.md", "lines": {"begin": 8}}, "minor"),
        ({"path": "sops/umum/d.md", "lines": {"begin": 15}}, "major")]


def test_the_pre_commit_hook_checks_the_files_of_a_commit(pull_request):
    root, _ = pull_request
    [hook] = yaml.safe_load(PRE_COMMIT_HOOKS.read_text(encoding="utf-8"))

    changed = [name for name in git(root, "diff", "--name-only", "--no-renames", "--diff-filter=AM", "HEAD~1").split()
               if re.search(hook["files"], name)]
    assert changed == ["sops/arsip/b.md", "sops/umum/a.md", "sops/umum/d.md"]
    result = subprocess.run([*hook["entry"].split(), *changed], capture_output=True, text=True, cwd=root,
                            env=environment())
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "sops/umum/d.md:8: pelaksana.kepala: declared but no step uses this pelaksana",
        "sops/umum/d.md:15: langkah[2].pelaksana: 'kepal' is not declared in pelaksana (declared: petugas, kepala);"
        " did you mean 'kepala'?"]
    clean = subprocess.run([*hook["entry"].split(), "sops/umum/a.md"], capture_output=True, text=True, cwd=root,
                           env=environment())
    assert (clean.returncode, clean.stdout) == (0, "")
