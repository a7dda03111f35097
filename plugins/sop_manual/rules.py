"""The rules of an SOP beyond its structure: flow, executors, versions, review.

Each rule is a small function that yields diagnostics; ``RULES`` lists the
rules of one SOP, and ``check_manual`` adds the rules that span files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator

from .diagnostics import Diagnostic, Severity, format_location
from .flow import Flow
from .model import CRITERIA, END, Sop
from .suggestions import did_you_mean, known

Rule = Callable[[Sop, Flow, str, dt.date], Iterator[Diagnostic]]


def _at(sop: Sop, file: str, path: tuple, message: str, severity: Severity = Severity.ERROR) -> Diagnostic:
    return Diagnostic(file, sop.line_of(*path), format_location(path), message, severity)


def duplicate_step_ids(sop: Sop, flow: Flow, file: str, today: dt.date) -> Iterator[Diagnostic]:
    first: dict[str, int] = {}
    for index, step in enumerate(sop.langkah):
        if step.id is None:
            continue
        if step.id in first:
            yield _at(sop, file, ("langkah", index, "id"),
                      f"duplicate step id '{step.id}' (first used at langkah[{first[step.id] + 1}])")
        else:
            first[step.id] = index
        if step.id == END:
            yield _at(sop, file, ("langkah", index, "id"), f"'{END}' is reserved for the end; choose another id")


def undeclared_executors(sop: Sop, flow: Flow, file: str, today: dt.date) -> Iterator[Diagnostic]:
    declared = sop.executor_keys
    for index, step in enumerate(sop.langkah):
        for key in step.pelaksana:
            if key not in declared:
                yield _at(sop, file, ("langkah", index, "pelaksana"),
                          f"'{key}' is not declared in pelaksana (declared: {known(declared, key)})"
                          + did_you_mean(key, declared))


def conflicting_flow_fields(sop: Sop, flow: Flow, file: str, today: dt.date) -> Iterator[Diagnostic]:
    for index, step in enumerate(sop.langkah):
        given = [name for name, present in (("keputusan", step.keputusan), ("lanjut", step.lanjut),
                                            ("selesai", step.selesai)) if present]
        if len(given) > 1:
            yield _at(sop, file, ("langkah", index, given[1]),
                      f"a step takes only one of keputusan, lanjut, selesai; this one has {' and '.join(given)}")


def unknown_targets(sop: Sop, flow: Flow, file: str, today: dt.date) -> Iterator[Diagnostic]:
    ids = [step.id for step in sop.langkah if step.id]
    for index, step in enumerate(sop.langkah):
        targets = [(("langkah", index, "keputusan", branch.label), branch.target) for branch in step.keputusan]
        if step.lanjut:
            targets.append((("langkah", index, "lanjut"), step.lanjut))
        for path, target in targets:
            if target and flow.resolve(target) is None:
                yield _at(sop, file, path, f"target '{target}' is not a step id (ids: {known(ids, target)})"
                          f" nor '{END}'" + did_you_mean(target, ids + [END]))


def unreachable_end(sop: Sop, flow: Flow, file: str, today: dt.date) -> Iterator[Diagnostic]:
    reaches_end = flow.can_reach_end()
    for index in range(len(sop.langkah)):
        if index not in reaches_end:
            yield _at(sop, file, ("langkah", index),
                      "the end can never be reached from this step (a loop with no exit, or a missing target)")


def unreachable_steps(sop: Sop, flow: Flow, file: str, today: dt.date) -> Iterator[Diagnostic]:
    reached = flow.reachable_from_start()
    for index in range(len(sop.langkah)):
        if index not in reached:
            yield _at(sop, file, ("langkah", index), "no path from step 1 reaches this step", Severity.WARNING)


def missing_time_or_output(sop: Sop, flow: Flow, file: str, today: dt.date) -> Iterator[Diagnostic]:
    for index, step in enumerate(sop.langkah):
        # A field the schema already reported as invalid is not repeated here: load_manual drops
        # rule findings at fields with a structural error. A blank field (``output:``) is missing.
        if step.waktu is None:
            yield _at(sop, file, ("langkah", index, "waktu"),
                      "step has no waktu (the total time counts it as 0)", Severity.WARNING)
        if not step.output:
            yield _at(sop, file, ("langkah", index, "output"), "step has no output", Severity.WARNING)


def unused_executors(sop: Sop, flow: Flow, file: str, today: dt.date) -> Iterator[Diagnostic]:
    used = {key for step in sop.langkah for key in step.pelaksana}
    for executor in sop.pelaksana:
        if executor.key not in used:
            yield _at(sop, file, ("pelaksana", executor.key), "declared but no step uses this pelaksana",
                      Severity.WARNING)


def technical_with_many_executors(sop: Sop, flow: Flow, file: str, today: dt.date) -> Iterator[Diagnostic]:
    if sop.klasifikasi.get("sifat") == "teknis" and len(sop.pelaksana) > 1:
        yield _at(sop, file, ("klasifikasi", "sifat"),
                  f"a 'teknis' SOP is carried out by one pelaksana; this one declares {len(sop.pelaksana)}",
                  Severity.WARNING)


def overdue_review(sop: Sop, flow: Flow, file: str, today: dt.date) -> Iterator[Diagnostic]:
    due = sop.next_review()
    if due and due < today and sop.status != "dicabut":
        path = ("tinjauan", "berikutnya") if sop.tinjauan.berikutnya else ("tinjauan",)
        yield _at(sop, file, path, f"the review was due on {due.isoformat()} and is overdue", Severity.WARNING)


def duplicate_versions(sop: Sop, flow: Flow, file: str, today: dt.date) -> Iterator[Diagnostic]:
    first: dict[str, int] = {}
    for index, revision in enumerate(sop.revisi):
        if revision.versi in first:
            yield _at(sop, file, ("revisi", index, "versi"),
                      f"version '{revision.versi}' already appears at revisi[{first[revision.versi] + 1}]")
        else:
            first[revision.versi] = index


def monev_records(sop: Sop, flow: Flow, file: str, today: dt.date) -> Iterator[Diagnostic]:
    """A monitoring gives ``hasil``, an evaluation answers all seven ``kriteria``; neither takes the
    other's field. A record dated after the build date is a warning (a typo in the year, usually)."""
    for index, record in enumerate(sop.monev):
        path = ("monev", index)
        if record.jenis == "monitoring":
            if not record.hasil:
                yield _at(sop, file, path + ("hasil",),
                          "a monitoring record needs hasil: baik (berjalan dengan baik) or tidak-baik")
            if record.kriteria:
                yield _at(sop, file, path + ("kriteria",),
                          "kriteria belong to an evaluasi record; a monitoring record gives hasil")
        elif record.jenis == "evaluasi":
            missing = [name for name in CRITERIA if name not in record.kriteria]
            if missing:
                yield _at(sop, file, path + ("kriteria",),
                          f"an evaluasi record answers all seven kriteria with ya or tidak; missing: {', '.join(missing)}")
            if record.hasil:
                yield _at(sop, file, path + ("hasil",),
                          "hasil belongs to a monitoring record; an evaluasi record answers the seven kriteria")
        if record.tanggal and record.tanggal > today:
            yield _at(sop, file, path + ("tanggal",),
                      f"the record is dated {record.tanggal.isoformat()}, after the build date {today.isoformat()}",
                      Severity.WARNING)


RULES: tuple[Rule, ...] = (
    duplicate_step_ids,
    undeclared_executors,
    conflicting_flow_fields,
    unknown_targets,
    unreachable_end,
    unreachable_steps,
    missing_time_or_output,
    unused_executors,
    technical_with_many_executors,
    overdue_review,
    duplicate_versions,
    monev_records,
)


def check_sop(sop: Sop, file: str, today: dt.date) -> list[Diagnostic]:
    flow = Flow(sop)
    return [diagnostic for rule in RULES for diagnostic in rule(sop, flow, file, today)]


def check_manual(sops: Iterable[tuple[Sop, str]]) -> list[Diagnostic]:
    """Rules across files: unique ``nomor``, resolvable ``keterkaitan`` references."""
    sops = list(sops)
    diagnostics = []
    owner: dict[str, str] = {}
    for sop, file in sops:
        if sop.nomor in owner:
            diagnostics.append(_at(sop, file, ("nomor",), f"'{sop.nomor}' is already the nomor of {owner[sop.nomor]}"))
        elif sop.nomor:
            owner[sop.nomor] = file
    for sop, file in sops:
        for index, reference in enumerate(sop.keterkaitan):
            if reference.nomor and reference.nomor not in owner:
                diagnostics.append(Diagnostic(file, reference.line, f"keterkaitan[{index + 1}].nomor",
                                              f"no SOP in this manual has nomor '{reference.nomor}'"
                                              + did_you_mean(reference.nomor, owner, numbers=True)))
    return diagnostics
