"""Mermaid flowchart text for the interactive web view, generated from the flow.

Every editor text goes through ``mermaid_label``: Mermaid's own entity codes
(``#35;``) replace each character that could end a label or start syntax, so
quotes, brackets, ``-->``, ``;``, ``#``, ``|`` and ``<script>`` stay text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .flow import Flow
from .model import Sop

MAX_LABEL = 90

_SPECIAL = re.compile(r"""[#&"'<>|;`\[\]{}()\\%:=*~^$@!?-]""")


def mermaid_label(text: str) -> str:
    """Text made safe inside a double-quoted Mermaid label; never empty (Mermaid refuses ``""``)."""
    flat = " ".join(str(text).split())
    return _SPECIAL.sub(lambda match: f"#{ord(match.group())};", flat) or "#32;"


def shorten(text: str, limit: int = MAX_LABEL) -> str:
    flat = " ".join(str(text).split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0] or flat[:limit]
    return cut.rstrip(",.;:") + "…"


def branch_label(label: str, labels: Mapping[str, str]) -> str:
    """``ya``/``tidak`` show as the language's Yes/No; other labels as written."""
    return labels.get(f"branch.{label.lower()}", label) if label.lower() in ("ya", "tidak") else label


def flowchart(sop: Sop, labels: Mapping[str, str]) -> str:
    flow = Flow(sop)
    lines = ["flowchart TD"]
    lines.append(f'  mulai(["{mermaid_label(labels["flow.start"])}"])')
    lanes: dict[str, list[int]] = {executor.key: [] for executor in sop.pelaksana}
    unlaned: list[int] = []
    for index, step in enumerate(sop.langkah):
        primary = step.pelaksana[0] if step.pelaksana else None
        (lanes[primary] if primary in lanes else unlaned).append(index)
    for lane_number, executor in enumerate(sop.pelaksana, start=1):
        if not lanes[executor.key]:
            continue
        lines.append(f'  subgraph lane{lane_number}["{mermaid_label(executor.name)}"]')
        lines.extend(f"    {_node(sop, index)}" for index in lanes[executor.key])
        lines.append("  end")
    lines.extend(f"  {_node(sop, index)}" for index in unlaned)
    lines.append(f'  selesai(["{mermaid_label(labels["flow.end"])}"])')
    lines.append("  mulai --> s1")
    for edge in flow.edges:
        if edge.target is None:
            continue
        target = "selesai" if edge.target == flow.end else f"s{edge.target + 1}"
        arrow = f'-->|"{mermaid_label(branch_label(edge.label, labels))}"|' if edge.label is not None else "-->"
        lines.append(f"  s{edge.source + 1} {arrow} {target}")
    return "\n".join(lines) + "\n"


def _node(sop: Sop, index: int) -> str:
    step = sop.langkah[index]
    text = f"{step.number}. {shorten(step.kegiatan)}"
    if len(step.pelaksana) > 1:
        others = ", ".join(sop.executor_name(key) for key in step.pelaksana[1:])
        text += f" (+ {others})"
    label = mermaid_label(text)
    return f's{step.number}{{"{label}"}}' if step.is_decision else f's{step.number}["{label}"]'
