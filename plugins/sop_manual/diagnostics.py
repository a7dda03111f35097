"""Problems found in SOP sources, each pinned to a file, a line and a field."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem: ``<file>:<line>: <location>: <message>``."""

    file: str
    line: int
    location: str
    message: str
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        return f"{self.file}:{self.line}: {where}{self.message}"


def format_location(path: tuple[str | int, ...]) -> str:
    """``("langkah", 2, "pelaksana")`` -> ``langkah[3].pelaksana`` (items count from 1)."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part + 1}]"
        else:
            text += f".{part}" if text else str(part)
    return text
