"""The SOP model: what one SOP says, independent of how it is read or shown."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from .durations import Duration

END = "selesai"
"""The target word for the end of the procedure."""

AXES = ("jenis", "sifat", "skala", "kelengkapan")
STATUSES = ("draf", "tinjauan", "berlaku", "dicabut")
IN_FORCE = ("berlaku", "tinjauan")
"""Statuses of an SOP that is applied (under review, the signed version still applies)."""
ROLES = ("dibuat", "diperiksa", "disahkan")
MONEV_KINDS = ("monitoring", "evaluasi")
MONITORING_RESULTS = ("baik", "tidak-baik")
CRITERIA = ("kinerja", "dipahami", "dilaksanakan", "peran", "masalah", "kebutuhan", "sinergi")
"""The seven evaluation criteria of Permenpan RB 35/2012, in the order of the evaluation form."""


@dataclass(frozen=True)
class Executor:
    """A pelaksana: one lane of the flowchart."""

    key: str
    name: str


@dataclass(frozen=True)
class Branch:
    """One outcome of a decision: its label as written and its target (a step id or ``selesai``)."""

    label: str
    target: str
    line: int = 0


@dataclass
class Step:
    number: int
    kegiatan: str
    pelaksana: tuple[str, ...]
    id: str | None = None
    kelengkapan: tuple[str, ...] = ()
    waktu: Duration | None = None
    output: str = ""
    keterangan: str = ""
    keputusan: tuple[Branch, ...] = ()
    lanjut: str | None = None
    selesai: bool = False
    line: int = 0

    @property
    def is_decision(self) -> bool:
        return bool(self.keputusan)


@dataclass(frozen=True)
class Reference:
    """A keterkaitan item: a link to another SOP by ``nomor``, or free text."""

    text: str
    nomor: str | None = None
    hubungan: str = "terkait"
    line: int = 0


@dataclass(frozen=True)
class Signature:
    role: str
    jabatan: str = ""
    nama: str = ""
    nip: str = ""
    pangkat: str = ""
    tanggal: dt.date | None = None


@dataclass(frozen=True)
class Revision:
    versi: str
    tanggal: dt.date | None = None
    perubahan: str = ""
    oleh: str = ""
    line: int = 0


@dataclass(frozen=True)
class Dissemination:
    tanggal: dt.date | None = None
    versi: str = ""
    metode: str = ""
    peserta: tuple[str, ...] = ()


@dataclass(frozen=True)
class MonevRecord:
    """One monitoring or evaluation of an SOP's implementation (``monev`` in the source)."""

    tanggal: dt.date | None = None
    jenis: str = ""
    """``monitoring`` or ``evaluasi``."""
    penilai: str = ""
    hasil: str = ""
    """Monitoring only: ``baik`` (berjalan dengan baik) or ``tidak-baik``."""
    kriteria: dict[str, str] = field(default_factory=dict)
    """Evaluation only: each of ``CRITERIA`` answered ``ya`` or ``tidak``."""
    catatan: str = ""
    tindakan: str = ""
    line: int = 0

    @property
    def failed_criteria(self) -> tuple[str, ...]:
        return tuple(name for name in CRITERIA if self.kriteria.get(name) == "tidak")


@dataclass(frozen=True)
class Review:
    """Monitoring and evaluation (tinjauan / Monev)."""

    siklus: Duration | None = None
    terakhir: dt.date | None = None
    berikutnya: dt.date | None = None


@dataclass
class Sop:
    source: str
    """Path of the source file relative to the SOP folder, with ``/``."""
    nomor: str
    judul: str
    unit: tuple[str, ...]
    pelaksana: tuple[Executor, ...]
    langkah: tuple[Step, ...]
    status: str = "draf"
    klasifikasi: dict[str, str] = field(default_factory=dict)
    tanggal: dict[str, dt.date] = field(default_factory=dict)
    tinjauan: Review = field(default_factory=Review)
    tujuan: str = ""
    ruang_lingkup: str = ""
    definisi: dict[str, str] = field(default_factory=dict)
    dasar_hukum: tuple[str, ...] = ()
    kualifikasi_pelaksana: tuple[str, ...] = ()
    keterkaitan: tuple[Reference, ...] = ()
    peralatan: tuple[str, ...] = ()
    peringatan: tuple[str, ...] = ()
    pencatatan: tuple[str, ...] = ()
    pengesahan: dict[str, Signature] = field(default_factory=dict)
    revisi: tuple[Revision, ...] = ()
    sosialisasi: tuple[Dissemination, ...] = ()
    monev: tuple[MonevRecord, ...] = ()
    tags: tuple[str, ...] = ()
    body: str = ""
    body_line: int = 1
    lines: dict = field(default_factory=dict, repr=False)
    """Line of every field path, for messages about this SOP."""

    def line_of(self, *path: str | int) -> int:
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path, 1)

    @property
    def executor_keys(self) -> tuple[str, ...]:
        return tuple(executor.key for executor in self.pelaksana)

    def executor_name(self, key: str) -> str:
        for executor in self.pelaksana:
            if executor.key == key:
                return executor.name
        return key

    @property
    def unit_path(self) -> str:
        return " / ".join(self.unit)

    @property
    def in_force(self) -> bool:
        return self.status in IN_FORCE

    @property
    def current_version(self) -> str:
        return self.revisi[-1].versi if self.revisi else ""

    @property
    def is_disseminated(self) -> bool:
        """Whether a sosialisasi record names the current version (without revisi: any record)."""
        if not self.revisi:
            return bool(self.sosialisasi)
        return any(entry.versi == self.current_version for entry in self.sosialisasi)

    def latest_monev(self, jenis: str | None = None) -> MonevRecord | None:
        """The latest dated monev record (of one ``jenis`` if given)."""
        dated = [record for record in self.monev if record.tanggal and (jenis is None or record.jenis == jenis)]
        return max(dated, key=lambda record: record.tanggal) if dated else None

    @property
    def last_review(self) -> dt.date | None:
        """``tinjauan.terakhir``, else the date of the latest monev record."""
        if self.tinjauan.terakhir:
            return self.tinjauan.terakhir
        latest = self.latest_monev()
        return latest.tanggal if latest else None

    @property
    def needs_revision(self) -> bool:
        """The latest evaluation answers ``tidak`` to a criterion and no revisi is dated after it."""
        evaluation = self.latest_monev("evaluasi")
        if evaluation is None or not evaluation.failed_criteria:
            return False
        return not any(revision.tanggal and revision.tanggal > evaluation.tanggal for revision in self.revisi)

    def next_review(self) -> dt.date | None:
        """``tinjauan.berikutnya``, or the last review (or effective date) plus the cycle."""
        if self.tinjauan.berikutnya:
            return self.tinjauan.berikutnya
        start = self.last_review or self.tanggal.get("efektif")
        if start is None or self.tinjauan.siklus is None:
            return None
        return add_period(start, self.tinjauan.siklus)


def add_period(start: dt.date, period: Duration) -> dt.date:
    """Calendar date ``period`` after ``start`` (months and weeks as on a calendar)."""
    amount = int(period.high)
    if period.unit == "bulan":
        month_index = start.month - 1 + amount
        year, month = start.year + month_index // 12, month_index % 12 + 1
        return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
    if period.unit == "minggu":
        return start + dt.timedelta(weeks=amount)
    if period.unit in ("hari", "hari kerja"):
        return start + dt.timedelta(days=amount)
    return start
