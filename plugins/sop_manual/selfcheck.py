"""Self-checks (latihan): multiple-choice questions generated from an SOP's own data.

For an SOP of at least ``MIN_STEPS`` steps: what comes after a step, who performs
a step, where a decision's branch leads, what a step needs, what it produces and
how long it takes. Every question has one right answer, taken from the SOP, and
wrong answers (distractors) taken from the SOP's other steps, or, when those are
too few, from the rest of the manual (``Distractors``). A distractor never says
the same as the right answer (same text ignoring case and spacing; for times, the
same working time: "1 hari" is "8 jam"), never holds it or is held in it word for
word ("Naskah berita" beside "Naskah berita yang disetujui", "Administrator Website"
beside "Administrator Website (DSI)": partly right), and no two options read the same.

The questions are the same in every build of the same SOP: every choice (which
step to ask about, which wrong answers, where the right one stands) is taken from a
SHA-256 digest of the SOP's nomor and content (never ``hash()``, which changes per
process, nor the clock or ``random``). At thousands of SOPs this runs once per page,
so a choice costs one digest (a starting point and a stride through the candidates,
not a digest per candidate) and a question's words are written only once it is picked.

The manual-wide candidates stand in a ring, each at the place a digest of its own text
gives it; a question reads them one after the other from the place its own digest gives.
So adding or removing a candidate changes only the questions that read that part of the
ring, and ``SelfCheck.looked`` says which parts a self-check read: a preview server
renders an SOP page again only when ``Distractors.read`` gives another answer for them.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from .durations import Duration, WorkingTime
from .flow import Flow
from .mermaid import branch_label
from .model import Sop, Step
from .roles import role_key

MIN_STEPS = 3
MAX_QUESTIONS = 6
MAX_OPTIONS = 4
MIN_OPTIONS = 3
KINDS = ("urutan", "pelaksana", "keputusan", "kelengkapan", "output", "waktu")
"""Question kinds, in the order the first question of each kind is picked."""
POOL_LOOKS = 64
"""How many manual-wide candidates to try for a question before giving up on it."""


@dataclass(frozen=True)
class Option:
    text: str
    correct: bool = False


@dataclass(frozen=True)
class Question:
    kind: str
    """One of ``KINDS``."""
    step: int
    """The step the question asks about (0: the procedure as a whole, "what comes first")."""
    prompt: str
    options: tuple[Option, ...]
    explanation: str
    """The right answer in a sentence."""
    answer_step: int
    """The step that shows the right answer (the explanation links to it)."""

    @property
    def answer(self) -> str:
        return next(option.text for option in self.options if option.correct)


Looked = tuple[str, str, tuple[str, ...], int]
"""Which manual-wide candidates a question read: the pool, the place it started from in the ring, the
candidates read in turn, and the pool's size when it read the whole pool (else -1)."""


@dataclass(frozen=True)
class SelfCheck:
    nomor: str
    key: str
    """A short digest of the questions: answers a browser kept for other questions are not restored."""
    questions: tuple[Question, ...]
    looked: tuple[Looked, ...] = ()
    """The manual-wide candidates the questions were drawn from (see ``Distractors.read``)."""


@dataclass(frozen=True)
class Distractors:
    """Wrong answers from the whole manual, each pool in ring order (``ring_key``): independent of the
    order SOPs were read, and a new candidate takes a place of its own without moving the others."""

    executors: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    kelengkapan: tuple[str, ...] = ()
    durations: tuple[Duration, ...] = ()
    roles: tuple[tuple[str, str], ...] = ()
    """``sops/_peran.yml``: role_key(name) -> role; two names of one role are never right and wrong."""

    @classmethod
    def of(cls, sops: Iterable[Sop], role_aliases: Mapping[str, str] | None = None) -> Distractors:
        executors: dict[str, str] = {}
        outputs: dict[str, str] = {}
        items: dict[str, str] = {}
        durations: dict[str, Duration] = {}
        for sop in sops:
            for executor in sop.pelaksana:
                executors.setdefault(_same(executor.name), executor.name)
            for step in sop.langkah:
                if step.output:
                    outputs.setdefault(_same(step.output), step.output)
                for item in step.kelengkapan:
                    items.setdefault(_same(item), item)
                if step.waktu:
                    durations.setdefault(_same(step.waktu.text), step.waktu)
        return cls(tuple(sorted(executors.values(), key=ring_key)), tuple(sorted(outputs.values(), key=ring_key)),
                   tuple(sorted(items.values(), key=ring_key)),
                   tuple(sorted(durations.values(), key=lambda duration: ring_key(duration.text))),
                   tuple(sorted((role_aliases or {}).items())))

    def texts(self, pool: str) -> tuple[str, ...]:
        """The candidates of one pool (``pelaksana``, ``output``, ``kelengkapan``, ``waktu``) in ring order."""
        if pool == "waktu":
            return tuple(duration.text for duration in self.durations)
        return {"pelaksana": self.executors, "output": self.outputs, "kelengkapan": self.kelengkapan}[pool]

    @functools.cached_property
    def _rings(self) -> dict[str, tuple[tuple[str, ...], list[str]]]:
        """Pool -> its candidates and their places in the ring (made once)."""
        return {pool: (texts, [ring_key(text) for text in texts])
                for pool in ("pelaksana", "output", "kelengkapan", "waktu") for texts in [self.texts(pool)]}

    def start(self, pool: str, place: str) -> int:
        """Index of the first candidate of ``pool`` at or after ``place`` in the ring."""
        index = bisect.bisect_left(self._rings[pool][1], place)
        return index if index < len(self._rings[pool][1]) else 0

    def read(self, looked: Iterable[Looked]) -> tuple[tuple[str, ...], ...]:
        """What reading the ring as a self-check did (``SelfCheck.looked``) gives now: the same as then
        exactly when its questions would be the same (for the same SOP)."""
        return tuple(self._read(pool, start, len(texts), size) for pool, start, texts, size in looked)

    def _read(self, pool: str, place: str, count: int, size: int) -> tuple[str, ...]:
        texts = self._rings[pool][0]
        if size >= 0:  # the whole pool was read: a candidate added anywhere would have been read too
            count = len(texts)
        first = self.start(pool, place) if texts else 0
        return tuple(texts[(first + step) % len(texts)] for step in range(min(count, len(texts))))


def ring_key(text: str) -> str:
    """A candidate's place in the ring: a digest of its text, compared as the questions compare texts."""
    return _ring_key(_same(text))


@functools.lru_cache(maxsize=1 << 16)
def _ring_key(same: str) -> str:
    return hashlib.sha256(same.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class _Draft:
    """A question before its wrong answers are chosen."""

    kind: str
    step: Step | None
    """The step asked about (None: the procedure as a whole)."""
    answer: str
    answer_value: object
    own: Sequence[tuple[str, object]]
    """(text, value) candidates from the SOP; a value equal to ``answer_value`` is never offered."""
    pool: str | None
    """The pool of candidates from the whole manual (``Distractors.texts``), read only when the SOP's own
    are too few."""
    prompt: str
    """Label keys of the question and of its explanation; ``words`` fills their blanks."""
    explanation: str
    words: Mapping[str, object]
    answer_step: int
    excluded: frozenset = frozenset()
    """Values never offered besides ``answer_value`` (the other kelengkapan a step needs)."""


@functools.lru_cache(maxsize=1 << 16)  # the same activities, outputs and names come up again and again
def _same(text: str) -> str:
    return " ".join(text.split()).casefold()


@functools.lru_cache(maxsize=1 << 16)
def _words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\w+", text.casefold()))


def _overlaps(text: str, other: str) -> bool:
    """Whether the words of one text appear, in a row, in the other."""
    a, b = _words(text), _words(other)
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return bool(short) and any(long[start:start + len(short)] == short for start in range(len(long) - len(short) + 1))


def _digest(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(part) for part in parts).encode("utf-8")).hexdigest()


def _walk(count: int, *salt: object) -> Iterator[int]:
    """Every index below ``count`` once, in an order drawn from one digest: a start and a stride."""
    if count <= 0:
        return
    number = int(_digest(*salt), 16)
    start, stride = number % count, 1 + (number >> 32) % max(count - 1, 1)
    if math.gcd(stride, count) != 1:
        stride = 1
    for step in range(count):
        yield (start + step * stride) % count


def self_check(sop: Sop, labels: Mapping[str, str], distractors: Distractors | None = None,
               working_time: WorkingTime | None = None) -> SelfCheck | None:
    """The self-check of ``sop``, or None when it has fewer than ``MIN_STEPS`` steps, is revoked (nobody
    learns a procedure no longer in force), or its data supports no question (every step alike)."""
    quiz, _ = self_check_reading(sop, labels, distractors, working_time)
    return quiz


def self_check_reading(sop: Sop, labels: Mapping[str, str], distractors: Distractors | None = None,
                       working_time: WorkingTime | None = None) -> tuple[SelfCheck | None, tuple[Looked, ...]]:
    """``self_check``, and which manual-wide candidates it read (even when it has no question)."""
    if len(sop.langkah) < MIN_STEPS or sop.status == "dicabut":
        return None, ()
    seed = _digest(sop.nomor, _content(sop))
    generator = _Generator(sop, labels, distractors or Distractors(), working_time or WorkingTime(), seed)
    drafts = {kind: getattr(generator, kind)() for kind in KINDS}
    questions = _select(drafts, generator, seed)
    looked = tuple(generator.looked)
    if not questions:
        return None, looked
    key = _digest(*(part for q in questions for part in (q.prompt, *(o.text for o in q.options))))[:12]
    return SelfCheck(sop.nomor, key, tuple(questions), looked), looked


def _content(sop: Sop) -> tuple:
    """What the questions are made of: a change to it may change them, nothing else does."""
    return (tuple((e.key, e.name) for e in sop.pelaksana),
            tuple((s.kegiatan, s.pelaksana, s.kelengkapan, s.waktu.text if s.waktu else "", s.output, s.id,
                   tuple((b.label, b.target) for b in s.keputusan), s.lanjut, s.selesai) for s in sop.langkah))


def _select(drafts: dict[str, list[_Draft]], generator: _Generator, seed: str) -> list[Question]:
    """One question of each kind first, then more of each kind in turn, up to ``MAX_QUESTIONS``;
    shown in the order of the steps they ask about."""
    queues = {kind: [candidates[index] for index in _walk(len(candidates), seed, "pick", kind)]
              for kind, candidates in drafts.items()}
    chosen: list[Question] = []
    while len(chosen) < MAX_QUESTIONS and any(queues.values()):
        for kind in KINDS:
            while queues[kind] and len(chosen) < MAX_QUESTIONS:
                question = generator.finish(queues[kind].pop(0))
                if question is not None:
                    chosen.append(question)
                    break
    return sorted(chosen, key=lambda q: (q.step, KINDS.index(q.kind), q.prompt))


class _Generator:
    """The candidate questions of one SOP, kind by kind."""

    def __init__(self, sop: Sop, labels: Mapping[str, str], distractors: Distractors, working_time: WorkingTime,
                 seed: str) -> None:
        self.sop, self.L, self.pool, self.working_time, self.seed = sop, labels, distractors, working_time, seed
        self.flow = Flow(sop)
        self.steps = sop.langkah
        self.activities = [(step.kegiatan, _same(step.kegiatan)) for step in self.steps if step.kegiatan]
        self._pools: dict[str, list[tuple[str, object]]] = {}
        self._makers: dict[str, Callable[[], list[tuple[str, object]]]] = {}
        self.looked: list[Looked] = []
        """The parts of the manual-wide pools the questions read (``SelfCheck.looked``)."""

    def _draft(self, kind: str, step: Step | None, answer: str, answer_value: object, own, pool, prompt: str,
               explanation: str, answer_step: int, /, excluded: frozenset = frozenset(), **words: object) -> _Draft:
        asked = step or self.steps[0]
        return _Draft(kind, step, answer, answer_value, own, pool, prompt, explanation,
                      {"number": asked.number, "kegiatan": asked.kegiatan, **words}, answer_step, excluded)

    def _pool(self, name: str, make: Callable[[], list[tuple[str, object]]]) -> str:
        """The pool ``name`` (``Distractors.texts``) as (text, value) pairs in ring order, made when first read."""
        self._makers[name] = make
        return name

    def _pairs(self, name: str) -> list[tuple[str, object]]:
        if name not in self._pools:
            self._pools[name] = self._makers[name]()
        return self._pools[name]

    # kinds ----------------------------------------------------------------

    def urutan(self) -> list[_Draft]:
        """What is done first, and what comes after a step with one way on."""
        drafts = []
        first = self.steps[0]
        if first.kegiatan:
            drafts.append(self._draft("urutan", None, first.kegiatan, _same(first.kegiatan), self.activities, None,
                                      "latihan.q.first", "latihan.e.first", 1))
        for index, step in enumerate(self.steps):
            edges = self.flow.edges_from[index]
            if len(edges) != 1 or edges[0].target is None or edges[0].target == self.flow.end:
                continue
            target = self.steps[edges[0].target]
            if target.kegiatan:
                drafts.append(self._draft("urutan", step, target.kegiatan, _same(target.kegiatan), self.activities,
                                          None, "latihan.q.next", "latihan.e.next", target.number,
                                          target=target.number, answer=target.kegiatan))
        return drafts

    def pelaksana(self) -> list[_Draft]:
        """Who performs a step carried out by one pelaksana (of several, "who" would be half right);
        names are compared as roles, so an alias of the answer's role is never a wrong answer."""
        roles = dict(self.pool.roles)

        def role(name: str) -> str:
            return roles.get(role_key(name), role_key(name))

        names = [(executor.name, role(executor.name)) for executor in self.sop.pelaksana]
        pool = self._pool("pelaksana", lambda: [(name, role(name)) for name in self.pool.executors])
        drafts = []
        for step in self.steps:
            if len(step.pelaksana) != 1 or step.pelaksana[0] not in self.sop.executor_keys:
                continue
            name = self.sop.executor_name(step.pelaksana[0])
            drafts.append(self._draft("pelaksana", step, name, role(name), names, pool, "latihan.q.pelaksana",
                                      "latihan.e.pelaksana", step.number, answer=name))
        return drafts

    def keputusan(self) -> list[_Draft]:
        """Where each branch of a decision leads: a step's activity, or the end."""
        end = self.L["latihan.end"]
        choices = [*self.activities, (end, "\0end")]
        drafts = []
        for index, step in enumerate(self.steps):
            for edge in self.flow.edges_from[index] if step.is_decision else ():
                if edge.target is None or edge.label is None:
                    continue
                label = branch_label(edge.label, self.L)
                if edge.target == self.flow.end:
                    drafts.append(self._draft("keputusan", step, end, "\0end", choices, None, "latihan.q.branch",
                                              "latihan.e.branch_end", step.number, label=label))
                    continue
                target = self.steps[edge.target]
                if target.kegiatan:
                    drafts.append(self._draft("keputusan", step, target.kegiatan, _same(target.kegiatan), choices,
                                              None, "latihan.q.branch", "latihan.e.branch", target.number,
                                              label=label, target=target.number, answer=target.kegiatan))
        return drafts

    def kelengkapan(self) -> list[_Draft]:
        """Which of the options a step needs: one of its kelengkapan against items of other steps."""
        own = [(item, _same(item)) for step in self.steps for item in step.kelengkapan]
        pool = self._pool("kelengkapan", lambda: [(item, _same(item)) for item in self.pool.kelengkapan])
        drafts = []
        for step in self.steps:
            if not step.kelengkapan:
                continue
            needed = {_same(item) for item in step.kelengkapan}
            answer = step.kelengkapan[next(_walk(len(step.kelengkapan), self.seed, "item", step.number))]
            others = [(text, value) for text, value in own if value not in needed]
            drafts.append(self._draft("kelengkapan", step, answer, _same(answer), others, pool,
                                      "latihan.q.kelengkapan", "latihan.e.kelengkapan", step.number,
                                      excluded=frozenset(needed), answer=", ".join(step.kelengkapan)))
        return drafts

    def output(self) -> list[_Draft]:
        own = [(step.output, _same(step.output)) for step in self.steps if step.output]
        pool = self._pool("output", lambda: [(text, _same(text)) for text in self.pool.outputs])
        return [self._draft("output", step, step.output, _same(step.output), own, pool, "latihan.q.output",
                            "latihan.e.output", step.number, answer=step.output)
                for step in self.steps if step.output]

    def waktu(self) -> list[_Draft]:
        """How long a step takes; another text for the same working time ("1 hari", "8 jam") is no distractor."""
        own = [(step.waktu.text, self._minutes(step.waktu)) for step in self.steps if step.waktu]
        pool = self._pool("waktu", lambda: [(duration.text, self._minutes(duration)) for duration in self.pool.durations])
        return [self._draft("waktu", step, step.waktu.text, own[position][1], own, pool, "latihan.q.waktu",
                            "latihan.e.waktu", step.number, answer=step.waktu.text)
                for position, step in enumerate(step for step in self.steps if step.waktu)]

    def _minutes(self, duration: Duration) -> tuple:
        return duration.minutes(self.working_time)

    # options --------------------------------------------------------------

    def finish(self, draft: _Draft) -> Question | None:
        """The question with its wrong answers, or None when fewer than two distinct ones exist."""
        number = draft.step.number if draft.step else 0
        salt = (draft.kind, number, draft.words.get("label", ""))
        texts, values = {_same(draft.answer)}, {draft.answer_value, *draft.excluded}
        wrong: list[str] = []
        worded = draft.kind != "waktu"  # a time's text may share words with another ("1 hari", "1 hari kerja")

        def offer(text: str, value: object) -> None:
            if len(wrong) < MAX_OPTIONS - 1 and _same(text) not in texts and value not in values \
                    and not (worded and _overlaps(text, draft.answer)):
                wrong.append(text)
                texts.add(_same(text))
                values.add(value)

        for index in _walk(len(draft.own), self.seed, *salt, "own"):
            offer(*draft.own[index])
            if len(wrong) == MAX_OPTIONS - 1:
                break
        if draft.pool and len(wrong) < MAX_OPTIONS - 1:
            self._read_pool(draft.pool, _digest(self.seed, *salt, "pool"), offer, lambda: len(wrong) == MAX_OPTIONS - 1)
        if len(wrong) + 1 < MIN_OPTIONS:
            return None
        options = [Option(text) for text in wrong]
        options.insert(int(_digest(self.seed, *salt, "order"), 16) % (len(wrong) + 1), Option(draft.answer, True))
        return Question(draft.kind, number, self.L[draft.prompt].format(**draft.words), tuple(options),
                        self.L[draft.explanation].format(**draft.words), draft.answer_step)

    def _read_pool(self, name: str, start: str, offer: Callable[[str, object], None], enough: Callable[[], bool]) -> None:
        """Offer the candidates of pool ``name`` one after the other from the place ``start`` in the ring,
        at most ``POOL_LOOKS``, until ``enough``; note what was read."""
        pairs = self._pairs(name)
        first = self.pool.start(name, start) if pairs else 0
        read: list[str] = []
        for step in range(min(len(pairs), POOL_LOOKS)):
            if enough():
                break
            text, value = pairs[(first + step) % len(pairs)]
            read.append(text)
            offer(text, value)
        self.looked.append((name, start, tuple(read), len(pairs) if len(read) == len(pairs) else -1))
