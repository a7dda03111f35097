"""Learning paths: the order in which to read a set of SOPs.

An SOP's ``keterkaitan`` with ``hubungan: prasyarat`` names an SOP to read (and
know) first. A path puts every prerequisite before the SOPs that need it, and
otherwise follows the SOP numbers (natural order: SOP-2 before SOP-10): a stable
topological order. Prerequisites from outside the set (another unit's SOP, an
SOP the role has no step in) are part of the path, marked as such: a reader
cannot skip them. Where prerequisites form a cycle, no order satisfies them all:
``prerequisite_cycles`` warns, naming every file and line of the cycle, and the
path still lists every SOP (the cycle is broken at its lowest number).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .diagnostics import Diagnostic, Severity
from .manual import sort_key
from .model import Reference, Sop

PREREQUISITE = "prasyarat"


@dataclass(frozen=True)
class PathItem:
    sop: Sop
    prerequisites: tuple[Sop, ...]
    """Its own prerequisites (each earlier in the path)."""
    outside: bool
    """Not in the set itself: on the path only as a prerequisite of an SOP that is."""


class Prerequisites:
    """The prerequisite graph of a manual, built once and asked for many paths."""

    def __init__(self, sops: Iterable[Sop]) -> None:
        self.sops = list(sops)
        by_nomor: dict[str, Sop] = {}
        for sop in self.sops:
            by_nomor.setdefault(sop.nomor, sop)
        self._prerequisites: dict[int, tuple[Sop, ...]] = {}
        self.needs: dict[int, list[tuple[Sop, Reference]]] = {}
        """id(SOP) -> (its prerequisite, the keterkaitan naming it), in the order written."""
        for sop in self.sops:
            for reference in sop.keterkaitan:
                target = by_nomor.get(reference.nomor) if reference.nomor else None
                if target is not None and reference.hubungan == PREREQUISITE:
                    self.needs.setdefault(id(sop), []).append((target, reference))

    def prerequisites(self, sop: Sop) -> tuple[Sop, ...]:
        known = self._prerequisites.get(id(sop))
        if known is None:  # asked for again and again: by every path an SOP is on (its units, its roles)
            known = self._prerequisites[id(sop)] = tuple(
                {id(target): target for target, _ in self.needs.get(id(sop), ())}.values())
        return known

    def path(self, sops: Iterable[Sop]) -> list[PathItem]:
        """``sops`` and all their prerequisites, each prerequisite before the SOPs that need it."""
        chosen = {id(sop): sop for sop in sops if sop.status != "dicabut"}
        members = dict(chosen)
        queue = list(members.values())
        while queue:
            for target in self.prerequisites(queue.pop()):
                if id(target) not in members:
                    members[id(target)] = target
                    queue.append(target)
        waiting = {key: {id(target) for target in self.prerequisites(sop)} - {key} for key, sop in members.items()}
        followers: dict[int, list[int]] = {}
        for key, before in waiting.items():
            for other in before:
                followers.setdefault(other, []).append(key)
        rank = {id(sop): position for position, sop in enumerate(sorted(members.values(), key=sort_key))}
        ready = [(rank[key], key) for key, before in waiting.items() if not before]
        heapq.heapify(ready)
        order: list[int] = []
        placed: set[int] = set()
        while len(order) < len(members):
            if not ready:  # a cycle: the lowest number of what is left goes first
                key = min((key for key in members if key not in placed), key=rank.__getitem__)
                waiting[key].clear()
                ready.append((rank[key], key))
            _, key = heapq.heappop(ready)
            if key in placed:
                continue
            placed.add(key)
            order.append(key)
            for follower in followers.get(key, ()):
                waiting[follower].discard(key)
                if not waiting[follower] and follower not in placed:
                    heapq.heappush(ready, (rank[follower], follower))
        return [PathItem(members[key], self.prerequisites(members[key]), key not in chosen) for key in order]


def prerequisite_cycles(loaded: Sequence[tuple[Sop, str]]) -> list[Diagnostic]:
    """A warning for every cycle of prerequisites, at its first SOP, naming each file and line of it."""
    shown = {id(sop): file for sop, file in loaded}
    graph = Prerequisites(sop for sop, _ in loaded)
    diagnostics = []
    for component in _cycles(graph):
        start = min(component, key=sort_key)
        cycle = _shortest_cycle(graph, start, {id(sop) for sop in component})
        links = [f"{sop.nomor} ({shown[id(sop)]}:{reference.line}) needs {target.nomor}" for sop, target, reference in cycle]
        first_sop, _, first_reference = cycle[0]
        index = first_sop.keterkaitan.index(first_reference)
        diagnostics.append(Diagnostic(
            shown[id(first_sop)], first_reference.line, f"keterkaitan[{index + 1}]",
            "prerequisites form a cycle: " + ", ".join(links) + "; no reading order puts each before the other"
            " (make one of them 'terkait')", Severity.WARNING))
    return diagnostics


def _cycles(graph: Prerequisites) -> list[list[Sop]]:
    """Strongly connected components with a cycle (Tarjan, iterative), in manual order."""
    index_of: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[Sop] = []
    found: list[list[Sop]] = []
    counter = 0
    for root in graph.sops:
        if id(root) in index_of:
            continue
        work = [(root, iter(graph.prerequisites(root)))]
        index_of[id(root)] = low[id(root)] = counter
        counter += 1
        stack.append(root)
        on_stack.add(id(root))
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if id(child) not in index_of:
                    index_of[id(child)] = low[id(child)] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(id(child))
                    work.append((child, iter(graph.prerequisites(child))))
                elif id(child) in on_stack:
                    low[id(node)] = min(low[id(node)], index_of[id(child)])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[id(parent)] = min(low[id(parent)], low[id(node)])
            if low[id(node)] == index_of[id(node)]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(id(member))
                    component.append(member)
                    if member is node:
                        break
                if len(component) > 1 or any(target is node for target in graph.prerequisites(node)):
                    found.append(component)
    return sorted(found, key=lambda component: sort_key(min(component, key=sort_key)))


def _shortest_cycle(graph: Prerequisites, start: Sop, within: set[int]) -> list[tuple[Sop, Sop, Reference]]:
    """The shortest cycle through ``start`` inside its component: (SOP, its prerequisite, the reference) links."""
    came: dict[int, tuple[Sop, Sop, Reference]] = {}
    frontier = [start]
    while frontier:
        following = []
        for sop in frontier:
            for target, reference in graph.needs.get(id(sop), ()):
                if id(target) not in within or id(target) in came:
                    continue
                came[id(target)] = (sop, target, reference)
                if target is start:
                    return _walk_back(came, start)
                following.append(target)
        frontier = following
    return []  # unreachable: ``start`` lies on a cycle of its component


def _walk_back(came: dict[int, tuple[Sop, Sop, Reference]], start: Sop) -> list[tuple[Sop, Sop, Reference]]:
    links = [came[id(start)]]
    while links[-1][0] is not start:
        links.append(came[id(links[-1][0])])
    return links[::-1]
