"""Self-check questions: every right answer is what the SOP says, no wrong answer says it too, the same
questions in every build, and the page carries them through the contract hooks."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, search_fragments
from sop_manual.durations import WorkingTime, parse_duration
from sop_manual.flow import Flow
from sop_manual.labels import labels_for
from sop_manual.manual import load_manual
from sop_manual.mermaid import branch_label
from sop_manual.model import Executor, Sop, Step, Branch
from sop_manual.selfcheck import (KINDS, MAX_OPTIONS, MIN_OPTIONS, MIN_STEPS, Distractors, ring_key, self_check,
                                  self_check_reading)

LABELS = labels_for("id")
WORKING_TIME = WorkingTime()
EXAMPLE = load_manual(ROOT / "sops", "sops", dt.date(2026, 1, 1))
FIXTURES = load_manual(ROOT / "tests" / "fixtures" / "sops", "tests/fixtures/sops", dt.date(2026, 1, 1))
ALL_SOPS = EXAMPLE.sops + FIXTURES.sops
POOL = Distractors.of(ALL_SOPS)


def same(text: str) -> str:
    return " ".join(text.split()).casefold()


def check_question(sop: Sop, question) -> None:
    """The right answer, read from the SOP independently of the generator; and no wrong option is right."""
    steps, flow = sop.langkah, Flow(sop)
    right = [option for option in question.options if option.correct]
    wrong = [option.text for option in question.options if not option.correct]
    assert len(right) == 1
    answer = right[0].text
    assert MIN_OPTIONS <= len(question.options) <= MAX_OPTIONS
    assert len({same(option.text) for option in question.options}) == len(question.options), "two options read alike"
    assert 1 <= question.answer_step <= len(steps)
    step = steps[question.step - 1] if question.step else None
    if question.kind == "urutan" and step is None:
        assert answer == steps[0].kegiatan
        assert same(answer) not in {same(text) for text in wrong}
    elif question.kind == "urutan":
        (edge,) = flow.edges_from[step.number - 1]
        assert answer == steps[edge.target].kegiatan and question.answer_step == edge.target + 1
        assert same(answer) not in {same(text) for text in wrong}
    elif question.kind == "pelaksana":
        assert len(step.pelaksana) == 1 and answer == sop.executor_name(step.pelaksana[0])
        assert same(answer) not in {same(text) for text in wrong}
    elif question.kind == "keputusan":
        (edge,) = [edge for edge in flow.edges_from[step.number - 1]
                   if f"jika {branch_label(edge.label, LABELS)}," in question.prompt]
        expected = LABELS["latihan.end"] if edge.target == flow.end else steps[edge.target].kegiatan
        assert answer == expected
        assert same(answer) not in {same(text) for text in wrong}
    elif question.kind == "kelengkapan":
        needed = {same(item) for item in step.kelengkapan}
        assert same(answer) in needed
        assert not needed & {same(text) for text in wrong}
    elif question.kind == "output":
        assert answer == step.output
        assert same(answer) not in {same(text) for text in wrong}
    elif question.kind == "waktu":
        assert answer == step.waktu.text
        own = step.waktu.minutes(WORKING_TIME)
        assert all(parse_duration(text).minutes(WORKING_TIME) != own for text in wrong), "the same time written otherwise"
    else:
        pytest.fail(f"unknown kind {question.kind}")
    assert f"{question.step}" in question.prompt or question.step == 0


@pytest.mark.parametrize("sop", ALL_SOPS, ids=lambda sop: sop.nomor)
def test_every_right_answer_is_what_the_sop_says(sop):
    quiz = self_check(sop, LABELS, POOL)
    if len(sop.langkah) < MIN_STEPS or sop.status == "dicabut":
        assert quiz is None
        return
    assert len(quiz.questions) >= 3
    assert len({q.kind for q in quiz.questions}) >= 3, "questions of several kinds"
    for question in quiz.questions:
        check_question(sop, question)


def test_the_example_manual_asks_every_kind_of_question():
    kinds = {q.kind for sop in EXAMPLE.sops if (quiz := self_check(sop, LABELS, POOL)) for q in quiz.questions}
    assert kinds == set(KINDS)


def test_a_revoked_sop_has_no_self_check_but_the_same_sop_in_force_has():
    sop = next(sop for sop in EXAMPLE.sops if sop.status == "dicabut")
    assert len(sop.langkah) >= MIN_STEPS and self_check(sop, LABELS, POOL) is None
    sop.status = "berlaku"
    try:
        assert len(self_check(sop, LABELS, POOL).questions) >= 3
    finally:
        sop.status = "dicabut"


def test_explanations_state_the_right_answer_and_the_step_it_comes_from():
    sop = next(sop for sop in FIXTURES.sops if sop.nomor == "SOP-UJI-012")
    for question in self_check(sop, LABELS, POOL).questions:
        if question.kind in ("pelaksana", "output", "waktu"):
            assert question.answer in question.explanation
            assert f"angkah {question.step}" in question.explanation


def test_a_step_with_two_pelaksana_is_never_asked_who_performs_it():
    sop = next(sop for sop in FIXTURES.sops if sop.nomor == "SOP-UJI-012")
    shared = {step.number for step in sop.langkah if len(step.pelaksana) > 1}
    assert shared
    quiz = self_check(sop, LABELS, POOL)
    assert not [q for q in quiz.questions if q.kind == "pelaksana" and q.step in shared]


# -- generated SOPs with few words: many repeats, the ambiguous cases -----------------------------

WORDS = st.sampled_from(["Menerima berkas", "Memeriksa berkas", "menerima  berkas", "Mengirim surat", "Arsip"])
NAMES = st.sampled_from(["Petugas", "Kepala", "petugas", "Staf TU"])
TIMES = st.sampled_from(["1 hari", "8 jam", "1 hari kerja", "30 menit", "5-10 menit", "0,5 jam"])


@st.composite
def small_sops(draw):
    count = draw(st.integers(3, 7))
    executors = tuple(Executor(f"p{index}", name) for index, name in
                      enumerate(draw(st.lists(NAMES, min_size=1, max_size=4))))
    steps = []
    for number in range(1, count + 1):
        decision = number < count - 1 and draw(st.booleans())
        steps.append(Step(
            number=number, id=f"s{number}", kegiatan=draw(WORDS),
            pelaksana=tuple(draw(st.lists(st.sampled_from([e.key for e in executors]), min_size=1, max_size=2,
                                          unique=True))),
            kelengkapan=tuple(draw(st.lists(WORDS, max_size=3))),
            waktu=draw(st.none() | TIMES.map(parse_duration)), output=draw(st.sampled_from(["", "Berkas", "berkas",
                                                                                            "Surat"])),
            keputusan=(Branch("ya", f"s{number + 1}"), Branch("tidak", draw(st.sampled_from(["selesai", f"s{number + 2}"]))))
            if decision else ()))
    return Sop(source="g.md", nomor=draw(st.sampled_from(["SOP-G-1", "SOP-G-2"])), judul="Uji", unit=("Org",),
               pelaksana=executors, langkah=tuple(steps))


@settings(max_examples=300, derandomize=True, deadline=None)
@given(small_sops())
def test_no_generated_question_is_ambiguous_even_when_steps_repeat_each_other(sop):
    quiz = self_check(sop, LABELS, POOL)
    for question in quiz.questions if quiz else ():
        check_question(sop, question)


# -- the same questions in every build ------------------------------------------------------------

DUMP = """
import datetime as dt, json, sys
from pathlib import Path
from sop_manual.labels import labels_for
from sop_manual.manual import load_manual
from sop_manual.selfcheck import Distractors, self_check
manual = load_manual(Path(sys.argv[1]), "sops", dt.date(2026, 1, 1))
pool = Distractors.of(reversed(manual.sops))  # another reading order: the pool must not depend on it
dump = {}
for sop in manual.sops:
    quiz = self_check(sop, labels_for("id"), pool)
    dump[sop.nomor] = [q.__dict__ | {"options": [o.__dict__ for o in q.options]} for q in quiz.questions] if quiz else []
print(json.dumps(dump))
"""


def test_questions_are_the_same_in_every_process_whatever_its_hash_seed():
    runs = [subprocess.run([sys.executable, "-c", DUMP, str(ROOT / "sops")], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")]
    assert runs[0] == runs[1]
    pool = Distractors.of(EXAMPLE.sops)
    here = {sop.nomor: [q.prompt for q in quiz.questions] if (quiz := self_check(sop, LABELS, pool)) else []
            for sop in EXAMPLE.sops}
    assert sum(map(len, here.values())) >= 3 * (len(EXAMPLE.sops) - 1)
    assert {nomor: [q["prompt"] for q in questions] for nomor, questions in json.loads(runs[0]).items()} == here


def test_the_right_answer_is_not_always_in_the_same_place():
    places = [next(i for i, o in enumerate(q.options) if o.correct)
              for sop in ALL_SOPS if (quiz := self_check(sop, LABELS, POOL)) for q in quiz.questions]
    assert len(set(places)) >= 3


# -- the page -------------------------------------------------------------------------------------

def test_every_sop_page_carries_its_self_check_through_the_contract_hooks(example_site):
    pool = Distractors.of(EXAMPLE.sops)
    for sop in EXAMPLE.sops:
        url = "sop/" + sop.source.removesuffix(".md")
        soup = BeautifulSoup((example_site / url / "index.html").read_text(encoding="utf-8"), "html.parser")
        quiz = soup.select_one(".sop-latihan")
        expected = self_check(sop, LABELS, pool)
        if expected is None:  # the revoked SOP
            assert sop.status == "dicabut" and quiz is None
            assert not any("sop-latihan" in s["src"] for s in soup.select("script[src]"))
            continue
        assert quiz["data-sop-nomor"] == sop.nomor
        questions = quiz.select("[data-soal]")
        assert len(questions) == len(expected.questions)
        for element, question in zip(questions, expected.questions):
            assert " ".join(element.legend.get_text().split()) == " ".join(question.prompt.split())
            options = element.select("[data-pilihan]")
            assert [o.get_text() for o in options] == [o.text for o in question.options]
            assert [o.get_text() for o in element.select("[data-pilihan][data-benar]")] == [question.answer]
            assert all(o.name == "button" and o["type"] == "button" for o in options)
            feedback = element.select_one("[data-umpan-balik]")
            assert feedback.has_attr("hidden")
            link = feedback.select_one("a[href]")
            assert link["href"] == f"#langkah-{question.answer_step}"
            assert soup.select_one(f'tr#langkah-{question.answer_step}[data-step="{question.answer_step}"]')
        # out of the search index (Material's search and Pagefind), loaded with its script and stylesheet
        section = quiz.find_parent("section")
        assert section.has_attr("data-search-exclude") and section["data-pagefind-ignore"] == "all"
        sources = [s["src"] for s in soup.select("script[src]")]
        assert any(src.endswith("assets/javascripts/sop-latihan.js") for src in sources)
        # the script's words come from the page
        assert quiz["data-teks-benar"] == LABELS["latihan.right"] and quiz["data-teks-skor"] == LABELS["latihan.score"]


def test_the_self_check_script_is_loaded_only_where_a_self_check_is(example_site):
    for path in (example_site / "index.html", example_site / "katalog" / "index.html"):
        assert "sop-latihan.js" not in path.read_text(encoding="utf-8")
    assert (example_site / "assets" / "javascripts" / "sop-latihan.js").is_file()


def test_the_self_check_is_not_in_the_search_index_but_the_glossary_is(example_site):
    stored = {fragment["url"]: fragment["content"] for fragment in search_fragments(example_site).values()}
    sop_page = stored["/sop/sistem-informasi/website-baru/"]
    assert "Uraian Prosedur" in sop_page and "Dirujuk oleh" in sop_page
    assert [url for url, text in stored.items()
            if "Siapa pelaksana langkah" in text or LABELS["latihan.right"] in text] == []
    assert "Tiket layanan" in stored["/glosarium/"]


def test_the_self_check_script_holds_no_words_of_the_label_table():
    script = (ROOT / "overrides" / "assets" / "javascripts" / "sop-latihan.js").read_text(encoding="utf-8")
    code = re.sub(r"/\*.*?\*/", "", script, flags=re.S)
    for key in ("latihan.right", "latihan.wrong", "latihan.score", "latihan.cleared", "latihan.reset"):
        for language in ("id", "en"):
            fragments = [part.strip(" .") for part in re.split(r"\{\w+\}", labels_for(language)[key])]
            assert [part for part in fragments if len(part) > 5 and part in code] == []
    assert "fetch(" not in code and "XMLHttpRequest" not in code and "sendBeacon" not in code


def test_another_name_of_the_same_role_is_never_a_wrong_answer():
    """sops/_peran.yml joins 'Staf TU' and 'Staf Tata Usaha': asked who performs a step of 'Staf TU', the
    manual-wide pool must not offer 'Staf Tata Usaha' as wrong."""
    executors = (Executor("tu", "Staf TU"), Executor("kepala", "Kepala Bagian"))
    steps = tuple(Step(number=n, kegiatan=f"Kegiatan {n}", pelaksana=("tu",) if n != 2 else ("kepala",))
                  for n in range(1, 4))
    sop = Sop(source="a.md", nomor="SOP-A", judul="A", unit=("Org",), pelaksana=executors, langkah=steps)
    other = Sop(source="b.md", nomor="SOP-B", judul="B", unit=("Org",), langkah=steps[:1],
                pelaksana=(Executor("x", "Staf Tata Usaha"), Executor("y", "Bendahara"), Executor("z", "Rektor")))
    aliases = {"staf tu": "Staf Tata Usaha", "staf tata usaha": "Staf Tata Usaha"}
    asked = [q for q in self_check(sop, LABELS, Distractors.of([sop, other], aliases)).questions
             if q.kind == "pelaksana" and q.answer == "Staf TU"]
    assert asked
    assert all("Staf Tata Usaha" not in [o.text for o in q.options] for q in asked)
    without = [q for q in self_check(sop, LABELS, Distractors.of([sop, other])).questions
               if q.kind == "pelaksana" and q.answer == "Staf TU"]
    assert any("Staf Tata Usaha" in [o.text for o in q.options] for q in without)  # the test can fail


def _with_executors(pool: Distractors, *names: str) -> Distractors:
    return dataclasses.replace(pool, executors=tuple(sorted({*pool.executors, *names}, key=ring_key)))


def test_a_new_wrong_answer_in_the_manual_changes_only_the_self_checks_that_read_its_place():
    """A preview renders an SOP page again only when what its self-check read of the manual-wide wrong
    answers changed: where that stays the same, so do the questions; and one new candidate touches few."""
    pool = _with_executors(POOL, *(f"Petugas Layanan {number}" for number in range(300)))
    before = {sop.source: self_check_reading(sop, LABELS, pool, WORKING_TIME) for sop in ALL_SOPS}
    assert any(looked for _, looked in before.values())  # the pool is read at all
    touched = 0
    for number in range(40):
        grown = _with_executors(pool, f"Staf Baru {number}")
        for sop in ALL_SOPS:
            quiz, looked = before[sop.source]
            if grown.read(looked) == pool.read(looked):
                assert self_check_reading(sop, LABELS, grown, WORKING_TIME) == (quiz, looked), sop.source
            else:
                touched += 1
    assert 0 < touched < 40 * len(ALL_SOPS) / 10
