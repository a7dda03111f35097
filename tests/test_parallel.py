"""Work in a forked child (``parallel``): results and errors come back, with and without fork."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import MINIMAL_SOP, ROOT, make_project
from sop_manual import parallel
from sop_manual.parallel import ChildFailed, FinishedJob, ForkedJob, SharedWork, start_forked

from test_completeness import pages, search_files

needs_fork = pytest.mark.skipif(not parallel.can_fork(), reason="no os.fork here")


class Unrebuildable(Exception):
    """An exception pickle can write but not read back (its __init__ wants two arguments)."""

    def __init__(self, a, b):
        super().__init__(f"{a}/{b}")


def pid_and_sum(numbers):
    return os.getpid(), sum(numbers)


def fail(message):
    raise ValueError(message)


def fail_unrebuildably():
    raise Unrebuildable("x", "y")


def die():
    os._exit(7)


def unpicklable():
    return lambda: None


@needs_fork
def test_the_function_runs_in_another_process_and_its_result_comes_back():
    job = start_forked(pid_and_sum, [1, 2, 3])
    assert isinstance(job, ForkedJob)
    pid, total = job.wait()
    assert total == 6
    assert pid != os.getpid()


def test_without_fork_the_function_runs_at_once_in_the_caller():
    job = start_forked(pid_and_sum, [1, 2, 3], fork=False)
    assert isinstance(job, FinishedJob)
    assert job.wait() == (os.getpid(), 6)


def test_where_fork_is_unavailable_the_caller_runs_it(monkeypatch):
    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    assert start_forked(pid_and_sum, [4]).wait() == (os.getpid(), 4)


@pytest.mark.parametrize("fork", [pytest.param(True, marks=needs_fork), False])
def test_the_exception_of_the_function_is_raised_by_wait(fork):
    job = start_forked(fail, "Pagefind failed (exit 2):\nError: cannot write", fork=fork)
    with pytest.raises(ValueError, match=r"Pagefind failed \(exit 2\):\nError: cannot write"):
        job.wait()


@needs_fork
def test_an_exception_that_cannot_travel_still_says_what_it_was():
    with pytest.raises(ChildFailed, match=r"Unrebuildable: x/y"):
        start_forked(fail_unrebuildably).wait()


@needs_fork
def test_a_result_that_cannot_travel_fails_the_wait():
    with pytest.raises(Exception, match="pickle|lambda"):
        start_forked(unpicklable).wait()


@needs_fork
def test_a_child_that_dies_fails_the_wait():
    with pytest.raises(ChildFailed, match="exit status 7"):
        start_forked(die).wait()


@needs_fork
def test_a_job_is_waited_for_once():
    job = start_forked(pid_and_sum, [1])
    job.wait()
    with pytest.raises(ChildFailed, match="already"):
        job.wait()


def start_sleeper(pid_file):
    """Start a program (as the indexer starts Pagefind) and wait for it."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    pid_file.write_text(str(process.pid))
    process.wait()


@needs_fork
def test_cancel_stops_the_child_and_the_programs_it_started(tmp_path):
    pid_file = tmp_path / "pid"
    job = start_forked(start_sleeper, pid_file)
    for _ in range(500):
        if pid_file.exists() and pid_file.read_text():
            break
        time.sleep(0.01)
    grandchild = int(pid_file.read_text())
    job.cancel()
    for _ in range(500):  # the grandchild is not ours to reap: poll until it is gone or a zombie
        try:
            with open(f"/proc/{grandchild}/stat") as stat:
                if stat.read().split()[2] == "Z":
                    break
        except FileNotFoundError:
            break
        time.sleep(0.01)
    else:
        pytest.fail("the program the child started is still running")


def square_and_pid(number):
    return number * number, os.getpid()


def square_unless_seven(number):
    if number == 7:
        raise ValueError("seven")
    return number * number


@needs_fork
def test_shared_work_gives_the_child_the_last_items_and_the_caller_the_first():
    work = SharedWork(square_and_pid, list(range(10)), child_share=0.4)
    assert [work.take(number) for number in range(6)] == [None] * 6
    results = [work.take(number) for number in range(6, 10)]
    assert [square for square, _ in results] == [36, 49, 64, 81]
    assert {pid for _, pid in results} != {os.getpid()}
    assert work.take(9) is None  # taken once


@pytest.mark.parametrize("fork", [pytest.param(True, marks=needs_fork), False])
def test_shared_work_leaves_everything_to_the_caller_when_the_child_fails_or_cannot_fork(fork):
    work = SharedWork(square_unless_seven, list(range(10)), child_share=0.5, fork=fork)
    assert [work.take(number) for number in range(10)] == [None] * 10
    assert (str(work.error) == "seven") if fork else work.error is None


@needs_fork
def test_shared_work_can_be_given_up():
    work = SharedWork(square_and_pid, list(range(10)), child_share=0.5)
    work.cancel()
    assert work.take(9) is None



# -- loading the manual: part of the files in a child ------------------------------------------------

def test_a_parallel_load_gives_the_same_manual_and_the_same_problems(tmp_path):
    """The example's SOPs and the hostile corpus (broken files of every kind) loaded by two processes."""
    import datetime as dt

    from sop_manual.manual import load_manual

    sops = tmp_path / "sops"
    shutil.copytree(ROOT / "sops", sops / "contoh")
    shutil.copytree(ROOT / "tests" / "hostile" / "rusak", sops / "rusak")
    alone = load_manual(sops, "sops", dt.date(2026, 1, 1))
    shared = load_manual(sops, "sops", dt.date(2026, 1, 1), parallel=True)
    assert len(alone.sops) >= 10 and len(alone.diagnostics) >= 50
    assert shared.sops == alone.sops
    assert [str(d) for d in shared.diagnostics] == [str(d) for d in alone.diagnostics]
    assert (shared.digests, shared.attachments, shared.role_aliases) == (alone.digests, alone.attachments,
                                                                          alone.role_aliases)


# -- the build: the search index made in a child while MkDocs writes the pages ----------------------

FAILING_PAGEFIND = """#!/bin/sh
echo "Error: Pagefind could not write its index (disk full)"
exit 3
"""


def test_a_failing_pagefind_fails_the_build_with_its_output(project, tmp_path, monkeypatch):
    project.add_sop("uji.md", MINIMAL_SOP)
    binary = tmp_path / "pagefind"
    binary.write_text(FAILING_PAGEFIND, encoding="utf-8")
    binary.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(binary))
    result = project.build()
    assert result.returncode != 0
    assert "search: Pagefind failed (exit 3):" in result.stderr
    assert "Error: Pagefind could not write its index (disk full)" in result.stderr


def build_in_process(config_file: Path, site: Path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(config_file), site_dir=str(site))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()


@pytest.mark.slow
def test_without_fork_the_build_writes_the_same_site(tmp_path, monkeypatch):
    """The example's SOPs, built as usual (index and pages in child processes) and where fork is missing."""
    project = make_project(tmp_path / "manual")
    shutil.rmtree(project.sops)
    shutil.copytree(ROOT / "sops", project.sops)
    result = project.build(strict=False)  # its records dated after the project's "today" warn
    assert result.returncode == 0, result.stderr
    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    monkeypatch.chdir(project.root)
    build_in_process(project.root / "mkdocs.yml", tmp_path / "no-fork")

    forked, unforked = pages(project.site), pages(tmp_path / "no-fork")
    assert len([name for name in forked if name.startswith("sop/")]) >= 10
    assert forked.keys() == unforked.keys()
    assert [name for name in forked if forked[name] != unforked[name]] == []
    assert search_files(project.site) == search_files(tmp_path / "no-fork")
