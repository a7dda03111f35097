"""Load one SOP file: bytes -> front matter -> schema check -> model.

Loading never raises for bad input: it returns the problems found, each with
file, line and field. The model is built tolerantly (a field of the wrong
type is left empty) so that the flow rules can still report their problems
in the same run.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic
from .durations import Duration, DurationError, parse_duration
from .model import (AXES, CRITERIA, MONEV_KINDS, MONITORING_RESULTS, ROLES, Branch, Dissemination, Executor,
                    MonevRecord, Reference, Review, Revision, Signature, Sop, Step)
from .schema import cleaned, validate_document
from .yaml_source import Document, SourceError, parse_document

MAX_FILE_BYTES = 1_000_000

_INVISIBLE = re.compile("[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029]")
"""Characters YAML refuses or reads as line breaks where editors show none."""


@dataclass
class LoadResult:
    source: str
    sop: Sop | None
    diagnostics: list[Diagnostic] = field(default_factory=list)


def load_file(path: Path, source: str, display_path: str | None = None) -> LoadResult:
    """Load ``path``; ``source`` is its path inside the SOP folder, ``display_path`` what messages show."""
    shown = display_path or source
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return LoadResult(source, None, [Diagnostic(shown, 1, "", f"cannot read the file: {exc.strerror}")])
    return load_bytes(raw, source, shown)


def load_bytes(raw: bytes, source: str, shown: str | None = None, *, validate: bool = True) -> LoadResult:
    """``validate=False``: the model only, without the schema check (an old version of a file, read
    to compare it; its problems were reported when it was current)."""
    shown = shown or source
    if len(raw) > MAX_FILE_BYTES:
        return _fail(source, shown, 1, f"the file is {len(raw) / 1_000_000:.1f} MB; an SOP file may be at most"
                     f" {MAX_FILE_BYTES / 1_000_000:.0f} MB (move attachments out of the SOP)")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _fail(source, shown, 1, "the file is UTF-16 text; save it as UTF-8")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return _fail(source, shown, line, f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8")
    if "\x00" in text:
        return _fail(source, shown, text.count("\n", 0, text.index("\x00")) + 1, "the file contains a NUL character")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if invisible := _INVISIBLE.search(text):
        # YAML refuses control characters, and counts U+2028, U+2029 and U+0085 as line breaks
        # (editors do not): either way the message would be cryptic or on the wrong line.
        char = invisible.group()
        name = unicodedata.name(char, "")
        return _fail(source, shown, text.count("\n", 0, invisible.start()) + 1,
                     f"the file contains the invisible character U+{ord(char):04X}{f' ({name})' if name else ''};"
                     " delete it (it often comes with text pasted from another program)")
    if not text.strip():
        return _fail(source, shown, 1, "the file is empty: an SOP needs front matter with nomor, judul, unit,"
                     " pelaksana and langkah")
    try:
        document = parse_document(text)
    except SourceError as exc:
        return _fail(source, shown, exc.line, exc.message, exc.location)
    data = cleaned(document)
    diagnostics = list(validate_document(document, shown, data)) if validate else []
    sop = _build(document, data, source)
    return LoadResult(source, sop, diagnostics)


def _fail(source: str, shown: str, line: int, message: str, location: str = "") -> LoadResult:
    return LoadResult(source, None, [Diagnostic(shown, line, location, message)])


class _Reader:
    """Tolerant accessors over the cleaned front matter; invalid values read as empty."""

    def __init__(self, document: Document) -> None:
        self.document = document

    def text(self, value: object, path: tuple) -> str:
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return self.document.text_at(path, value).strip()
        return ""

    def texts(self, value: object, path: tuple) -> tuple[str, ...]:
        if isinstance(value, list):
            return tuple(t for index, item in enumerate(value) if (t := self.text(item, path + (index,))))
        single = self.text(value, path)
        return (single,) if single else ()

    @staticmethod
    def date(value: object) -> dt.date | None:
        try:
            return dt.date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            return None

    def duration(self, value: object, path: tuple) -> Duration | None:
        text = self.text(value, path)
        try:
            return parse_duration(text) if text else None
        except DurationError:
            return None

    @staticmethod
    def mapping(value: object) -> dict:
        return value if isinstance(value, dict) else {}


def _build(document: Document, data: dict, source: str) -> Sop:
    read = _Reader(document)
    lines = document.lines

    executors = tuple(
        Executor(str(key), read.text(name, ("pelaksana", key)) or str(key))
        for key, name in read.mapping(data.get("pelaksana")).items()
    )
    steps = []
    for index, raw_step in enumerate(data.get("langkah") if isinstance(data.get("langkah"), list) else []):
        path = ("langkah", index)
        step_data = read.mapping(raw_step)
        steps.append(
            Step(
                number=index + 1,
                id=read.text(step_data.get("id"), path + ("id",)) or None,
                kegiatan=read.text(step_data.get("kegiatan"), path + ("kegiatan",)),
                pelaksana=read.texts(step_data.get("pelaksana"), path + ("pelaksana",)),
                kelengkapan=read.texts(step_data.get("kelengkapan"), path + ("kelengkapan",)),
                waktu=read.duration(step_data.get("waktu"), path + ("waktu",)),
                output=read.text(step_data.get("output"), path + ("output",)),
                keterangan=read.text(step_data.get("keterangan"), path + ("keterangan",)),
                keputusan=tuple(
                    Branch(str(label), read.text(target, path + ("keputusan", label)),
                           document.line_of(path + ("keputusan", label)))
                    for label, target in read.mapping(step_data.get("keputusan")).items()
                ),
                lanjut=read.text(step_data.get("lanjut"), path + ("lanjut",)) or None,
                selesai=step_data.get("selesai") is True,
                line=document.line_of(path),
            )
        )

    references = []
    raw_refs = data.get("keterkaitan")
    for index, item in enumerate(raw_refs if isinstance(raw_refs, list) else ([raw_refs] if raw_refs else [])):
        path = ("keterkaitan", index) if isinstance(raw_refs, list) else ("keterkaitan",)
        if isinstance(item, dict):
            nomor = read.text(item.get("nomor"), path + ("nomor",))
            hubungan = item.get("hubungan") if item.get("hubungan") in ("prasyarat", "lanjutan", "terkait") else "terkait"
            references.append(Reference(text=nomor, nomor=nomor or None, hubungan=hubungan, line=document.line_of(path)))
        elif text := read.text(item, path):
            references.append(Reference(text=text, line=document.line_of(path)))

    review = read.mapping(data.get("tinjauan"))
    approvals = read.mapping(data.get("pengesahan"))
    klasifikasi = read.mapping(data.get("klasifikasi"))
    tanggal = read.mapping(data.get("tanggal"))
    unit = data.get("unit")
    status = data.get("status")
    return Sop(
        source=source,
        nomor=read.text(data.get("nomor"), ("nomor",)),
        judul=read.text(data.get("judul"), ("judul",)),
        unit=read.texts(unit, ("unit",)),
        status=status if status in ("draf", "tinjauan", "berlaku", "dicabut") else "draf",
        klasifikasi={axis: klasifikasi[axis] for axis in AXES if isinstance(klasifikasi.get(axis), str)},
        tanggal={key: date for key in ("pembuatan", "revisi", "efektif") if (date := read.date(tanggal.get(key)))},
        tinjauan=Review(
            siklus=read.duration(review.get("siklus"), ("tinjauan", "siklus")),
            terakhir=read.date(review.get("terakhir")),
            berikutnya=read.date(review.get("berikutnya")),
        ),
        tujuan=read.text(data.get("tujuan"), ("tujuan",)),
        ruang_lingkup=read.text(data.get("ruang_lingkup"), ("ruang_lingkup",)),
        definisi={str(term): read.text(meaning, ("definisi", term))
                  for term, meaning in read.mapping(data.get("definisi")).items()},
        dasar_hukum=read.texts(data.get("dasar_hukum"), ("dasar_hukum",)),
        kualifikasi_pelaksana=read.texts(data.get("kualifikasi_pelaksana"), ("kualifikasi_pelaksana",)),
        keterkaitan=tuple(references),
        peralatan=read.texts(data.get("peralatan"), ("peralatan",)),
        peringatan=read.texts(data.get("peringatan"), ("peringatan",)),
        pencatatan=read.texts(data.get("pencatatan"), ("pencatatan",)),
        pelaksana=executors,
        langkah=tuple(steps),
        pengesahan={
            role: Signature(
                role=role,
                jabatan=read.text(signer.get("jabatan"), ("pengesahan", role, "jabatan")),
                nama=read.text(signer.get("nama"), ("pengesahan", role, "nama")),
                nip=read.text(signer.get("nip"), ("pengesahan", role, "nip")),
                pangkat=read.text(signer.get("pangkat"), ("pengesahan", role, "pangkat")),
                tanggal=read.date(signer.get("tanggal")),
            )
            for role in ROLES
            if (signer := read.mapping(approvals.get(role)))
        },
        revisi=tuple(
            Revision(
                versi=read.text(entry.get("versi"), ("revisi", index, "versi")),
                tanggal=read.date(entry.get("tanggal")),
                perubahan=read.text(entry.get("perubahan"), ("revisi", index, "perubahan")),
                oleh=read.text(entry.get("oleh"), ("revisi", index, "oleh")),
                line=document.line_of(("revisi", index)),
            )
            for index, entry in enumerate(data.get("revisi") if isinstance(data.get("revisi"), list) else [])
            if isinstance(entry, dict)
        ),
        sosialisasi=tuple(
            Dissemination(
                tanggal=read.date(entry.get("tanggal")),
                versi=read.text(entry.get("versi"), ("sosialisasi", index, "versi")),
                metode=read.text(entry.get("metode"), ("sosialisasi", index, "metode")),
                peserta=read.texts(entry.get("peserta"), ("sosialisasi", index, "peserta")),
            )
            for index, entry in enumerate(data.get("sosialisasi") if isinstance(data.get("sosialisasi"), list) else [])
            if isinstance(entry, dict)
        ),
        monev=_monev_records(read, data.get("monev"), document),
        tags=read.texts(data.get("tags"), ("tags",)),
        body=document.body,
        body_line=document.body_line,
        lines=dict(lines),
    )


def _monev_records(read: _Reader, raw: object, document: Document) -> tuple[MonevRecord, ...]:
    """Monev records as written; a value outside its closed set reads as absent (the schema reports it).
    ``kriteria`` keeps every known criterion with a text answer, so a missing criterion is told apart
    from a mistyped answer."""
    records = []
    for index, entry in enumerate(raw if isinstance(raw, list) else []):
        if not isinstance(entry, dict):
            continue
        path = ("monev", index)
        jenis, hasil = entry.get("jenis"), entry.get("hasil")
        records.append(MonevRecord(
            tanggal=read.date(entry.get("tanggal")),
            jenis=jenis if jenis in MONEV_KINDS else "",
            penilai=read.text(entry.get("penilai"), path + ("penilai",)),
            hasil=hasil if hasil in MONITORING_RESULTS else "",
            kriteria={name: answer for name, answer in read.mapping(entry.get("kriteria")).items()
                      if name in CRITERIA and isinstance(answer, str)},
            catatan=read.text(entry.get("catatan"), path + ("catatan",)),
            tindakan=read.text(entry.get("tindakan"), path + ("tindakan",)),
            line=document.line_of(path),
        ))
    return tuple(records)
