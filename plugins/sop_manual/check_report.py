"""Validation problems written for a person or a forge: ``sop check --format``.

- ``text``: section 2's ``file:line: location: message``, one a line;
- ``github``: GitHub Actions workflow commands, shown on the lines of a pull request
  (``::error file=F,line=L,title=LOCATION::MESSAGE``);
- ``gitlab``: a GitLab Code Quality report (JSON), shown in merge requests;
- ``json``: a list of ``{"file", "line", "location", "message", "severity"}``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence

from .diagnostics import Diagnostic

FORMATS = ("text", "github", "gitlab", "json")


def text(diagnostics: Sequence[Diagnostic]) -> str:
    return "".join(f"{diagnostic}\n" for diagnostic in diagnostics)


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(diagnostics: Sequence[Diagnostic]) -> str:
    lines = []
    for d in diagnostics:
        title = f",title={_escape_property(d.location)}" if d.location else ""
        lines.append(f"::{d.severity.value} file={_escape_property(d.file)},line={d.line}{title}::"
                     f"{_escape_data(d.message)}\n")
    return "".join(lines)


def gitlab(diagnostics: Sequence[Diagnostic]) -> str:
    """Code Quality report; the fingerprint leaves the line out, so a problem that only moved stays the same."""
    issues = []
    for d in diagnostics:
        where = f"{d.location}: " if d.location else ""
        fingerprint = hashlib.sha256(f"{d.file}\0{d.location}\0{d.message}".encode()).hexdigest()
        issues.append({
            "description": f"{where}{d.message}",
            "check_name": f"sop-{d.severity.value}",
            "fingerprint": fingerprint,
            "severity": "major" if d.is_error else "minor",
            "location": {"path": d.file, "lines": {"begin": d.line}},
        })
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"


def as_json(diagnostics: Sequence[Diagnostic]) -> str:
    items = [{"file": d.file, "line": d.line, "location": d.location, "message": d.message,
              "severity": d.severity.value} for d in diagnostics]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


WRITERS: dict[str, Callable[[Sequence[Diagnostic]], str]] = {
    "text": text, "github": github, "gitlab": gitlab, "json": as_json,
}


def summary(diagnostics: Sequence[Diagnostic], files: int) -> str:
    """``2 errors, 1 warning in 1 of 7 SOP files`` (for people; printed on stderr)."""
    errors = sum(1 for d in diagnostics if d.is_error)
    warnings = len(diagnostics) - errors
    with_problems = len({d.file for d in diagnostics})
    if not diagnostics:
        return f"no problems in {files} SOP file{'s' if files != 1 else ''}"
    return (f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"
            f" in {with_problems} of {files} SOP file{'s' if files != 1 else ''}")
