"""Roles (jabatan) across the manual: every step one role performs, in every SOP.

A role is a pelaksana name, the same across SOPs when it differs only in case or
spacing ("Staf Tata Usaha", "staf tata  usaha"). ``sops/_peran.yml`` joins names
that differ more (``Staf Tata Usaha: [Staf TU, Staf TU Umum]``); its key is then
the role's name as the manual shows it. Without an entry, a role is shown under
the spelling most SOPs use.

For each step a role performs, the flow says from whom the work comes (the
steps that lead to it, with a decision's branch) and to whom it goes next.
Revoked SOPs (``dicabut``) give no duties: a new hire reads what holds today.
"""

from __future__ import annotations

import difflib
import weakref
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from .diagnostics import Diagnostic, format_location
from .flow import Flow
from .model import Sop, Step
from .schema import type_name
from .yaml_source import SourceError, parse_yaml

ALIASES_FILE = "_peran.yml"
"""The manual-wide file of role names, in the SOP folder."""
MAX_ALIASES_BYTES = 1_000_000

EXAMPLE = "Staf Tata Usaha: [Staf TU, Staf TU Umum]"


def role_key(name: str) -> str:
    """Names that differ only in case or spacing are one role."""
    return " ".join(name.split()).casefold()


def _clean(name: str) -> str:
    return " ".join(name.split())


# -- sops/_peran.yml ------------------------------------------------------------


def read_aliases(path: Path, shown: str, sops: Sequence[Sop]) -> tuple[dict[str, str], list[Diagnostic]]:
    """``role_key(name) -> role name`` from ``path`` (absent: no aliases), and every problem in it.

    ``shown`` is the file name messages show; ``sops`` give the names known in the manual.
    """
    if not path.is_file():
        return {}, []
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return {}, [Diagnostic(shown, 1, "", f"cannot read the file: {exc.strerror}")]
    if len(raw) > MAX_ALIASES_BYTES:
        return {}, [Diagnostic(shown, 1, "", f"the file is larger than {MAX_ALIASES_BYTES // 1_000_000} MB")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return {}, [Diagnostic(shown, raw.count(b"\n", 0, exc.start) + 1, "", "the file is not UTF-8 text; save it as UTF-8")]
    try:
        document = parse_yaml(text.replace("\r\n", "\n"))
    except SourceError as exc:
        return {}, [Diagnostic(shown, exc.line, exc.location, exc.message)]
    if document is None:
        return {}, []
    return _aliases(document, shown, {role_key(e.name): _clean(e.name) for sop in sops for e in sop.pelaksana})


def _aliases(document, shown: str, known: dict[str, str]) -> tuple[dict[str, str], list[Diagnostic]]:
    if not isinstance(document.data, dict):
        return {}, [Diagnostic(shown, document.line_of(()), "", "the file must list roles, each with the other names"
                               f" it appears under in the SOPs, e.g. '{EXAMPLE}'")]
    problems: list[Diagnostic] = []
    owner: dict[str, tuple[str, int]] = {}
    """role_key(name) -> (its role, the line naming it)"""
    result: dict[str, str] = {}

    def problem(path: tuple, message: str) -> None:
        problems.append(Diagnostic(shown, document.line_of(path), format_location(path), message))

    def claim(name: str, role: str, path: tuple) -> bool:
        key = role_key(name)
        if not key:
            problem(path, "a role name is empty")
            return False
        if key in owner and owner[key][0] != role:
            problem(path, f"'{_clean(name)}' is already a name of the role '{owner[key][0]}' (line {owner[key][1]});"
                          " a name can belong to one role only")
            return False
        owner.setdefault(key, (role, document.line_of(path)))
        return True

    for role_text, value in document.data.items():
        role = _clean(str(role_text))
        if not claim(role, role, (role_text,)):
            continue
        if value is None:
            names: list = []
        elif isinstance(value, str):
            names = [value]
        elif isinstance(value, list):
            names = value
        else:
            problem((role_text,), f"must be a name or a list of names, not {type_name(value)}")
            continue
        joined = [role]
        for index, name in enumerate(names):
            path = (role_text, index) if isinstance(value, list) else (role_text,)
            if not isinstance(name, str):
                problem(path, f"must be a name (text), not {type_name(name)}")
            elif claim(name, role, path):
                if role_key(name) not in known:
                    problem(path, _unknown(name, known))
                else:
                    joined.append(name)
        if len(joined) == 1 and role_key(role) not in known and not names:
            problem((role_text,), _unknown(role, known))
        for name in joined:
            result[role_key(name)] = role
    return result, problems


def _unknown(name: str, known: dict[str, str]) -> str:
    message = f"no SOP has a pelaksana named '{_clean(name)}'"
    close = difflib.get_close_matches(role_key(name), list(known), n=1, cutoff=0.75)
    return message + (f" (did you mean '{known[close[0]]}'?)" if close else "")


# -- roles and their duties -------------------------------------------------------


class Person(NamedTuple):
    """Who performs a step, as the SOP names them, and the role that is."""

    name: str
    role: str
    """The role's slug (its page)."""


class Handoff(NamedTuple):
    """Where a step's work comes from, or where it goes next."""

    kind: str
    """``step`` (another step), ``start`` (the procedure starts here) or ``end`` (it ends here)."""
    number: int | None = None
    """The other step's number."""
    people: tuple[Person, ...] = ()
    """Who performs the other step."""
    label: str | None = None
    """The decision branch that leads there, as written."""


class Duty(NamedTuple):
    """One step a role performs. (Tuples: a big manual has tens of thousands, made once per build.)"""

    step: Step
    together: tuple[Person, ...]
    """Others who perform the same step."""
    comes_from: tuple[Handoff, ...]
    goes_to: tuple[Handoff, ...]


@dataclass(frozen=True)
class RoleSop:
    """One SOP's share of a role."""

    sop: Sop
    names: tuple[str, ...]
    """The names the SOP gives the role."""
    duties: tuple[Duty, ...]


@dataclass(frozen=True)
class Role:
    name: str
    slug: str
    """URL-safe, unique in the manual."""
    names: tuple[str, ...]
    """Every other name the SOPs give this role."""
    sops: tuple[RoleSop, ...]
    """In catalogue order."""

    @property
    def step_count(self) -> int:
        return sum(len(share.duties) for share in self.sops)

    @property
    def sop_list(self) -> list[Sop]:
        return [share.sop for share in self.sops]


def manual_roles(sops: Iterable[Sop], aliases: dict[str, str] | None = None) -> list[Role]:
    """Every role that performs a step in an SOP in force or in preparation, by name.

    ``sops`` in catalogue order; ``aliases`` as ``read_aliases`` gives them.
    """
    from .manual import slugify

    aliases = aliases or {}
    sops = [sop for sop in sops if sop.status != "dicabut"]

    def group(name: str) -> str:
        joined = aliases.get(role_key(name))
        return role_key(joined) if joined else role_key(name)

    spellings: dict[str, Counter] = {}
    for sop in sops:
        for executor in sop.pelaksana:
            spellings.setdefault(group(executor.name), Counter())[_clean(executor.name)] += 1
    names = {key: aliases.get(key) or counter.most_common(1)[0][0] for key, counter in spellings.items()}
    order = sorted(names, key=lambda key: (key, names[key]))
    slugs, taken = {}, {"index"}  # peran/index: the role index's own page
    for key in order:
        base = slugify(names[key])
        slug, copy = base, 1
        while slug in taken:
            copy += 1
            slug = f"{base}-{copy}"
        taken.add(slug)
        slugs[key] = slug

    shares: dict[str, list[RoleSop]] = {}
    made: dict[int, tuple[weakref.ref, tuple, list[tuple[str, RoleSop]]]] = {}
    for sop in sops:
        people = {e.key: Person(_clean(e.name), slugs[group(e.name)]) for e in sop.pelaksana}
        known = _SHARES.get(id(sop))
        if known is not None and known[0]() is sop and known[1] == tuple(people.items()):
            made[id(sop)] = known
        else:
            made[id(sop)] = (weakref.ref(sop), tuple(people.items()), _sop_shares(sop, people))
        for role, share in made[id(sop)][2]:
            shares.setdefault(role, []).append(share)
    _SHARES.clear()
    _SHARES.update(made)

    roles = []
    for key in (key for key in order if slugs[key] in shares):
        others = tuple(sorted({role_key(name): name for name in spellings[key] if role_key(name) != key}.values(),
                              key=role_key))
        roles.append(Role(names[key], slugs[key], others, tuple(shares[slugs[key]])))
    return roles


_SHARES: dict[int, tuple[weakref.ref, tuple, list[tuple[str, RoleSop]]]] = {}
"""id(SOP) -> (the SOP, its people, its shares of roles) as the last ``manual_roles`` made them: a preview
server asks again after every save, and an SOP object that was not read again has not changed (the
SOPs' step objects are part of the shares, so only the very same SOP object is reused)."""


def _sop_shares(sop: Sop, people: dict[str, Person]) -> list[tuple[str, RoleSop]]:
    """Each role's share of one SOP: the steps its people perform, with where the work comes from and goes."""
    performers = [tuple(people[key] for key in dict.fromkeys(step.pelaksana) if key in people)
                  for step in sop.langkah]
    coming, going = _handoffs(Flow(sop), performers)
    duties: dict[str, list[Duty]] = {}
    used: dict[str, list[str]] = {}
    for index, step in enumerate(sop.langkah):
        for person in performers[index]:
            role = person.role
            role_duties = duties.setdefault(role, [])
            if role_duties and role_duties[-1].step is step:
                continue  # two names of one role on one step: one duty
            if person.name not in used.setdefault(role, []):
                used[role].append(person.name)
            together = tuple(other for other in performers[index] if other.role != role)
            role_duties.append(Duty(step, together, coming[index], going[index]))
    return [(role, RoleSop(sop, tuple(used[role]), tuple(role_duties))) for role, role_duties in duties.items()]


def _handoffs(flow: Flow, performers: list[tuple[Person, ...]]) -> tuple[list[tuple[Handoff, ...]], list[tuple[Handoff, ...]]]:
    """For each step: the steps (or the start) its work comes from, and where it goes next."""
    coming: list[list[Handoff]] = [[] for _ in flow.steps]
    going: list[tuple[Handoff, ...]] = []
    if flow.steps:
        coming[0].append(Handoff("start"))
    for index, edges in enumerate(flow.edges_from):
        onward = []
        for edge in edges:
            if edge.target == flow.end:
                onward.append(Handoff("end", label=edge.label))
            elif edge.target is not None:
                onward.append(Handoff("step", edge.target + 1, performers[edge.target], edge.label))
                coming[edge.target].append(Handoff("step", index + 1, performers[index], edge.label))
        going.append(tuple(onward))
    return [tuple(items) for items in coming], going
