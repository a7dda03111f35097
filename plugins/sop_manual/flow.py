"""The flow of an SOP as a graph: who follows whom, what is reachable, how long it takes.

Nodes are step indexes ``0..n-1`` plus ``end`` (== n). Every renderer (steps
table, Mermaid, the Permenpan matrix) and every rule reads the flow from here,
so they cannot disagree.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from dataclasses import dataclass
from fractions import Fraction

from .durations import WorkingTime
from .model import END, Sop


@dataclass(frozen=True)
class Edge:
    source: int
    target: int | None
    """Index of the target step, ``flow.end`` for the end, None for an unknown target."""
    label: str | None = None
    """The decision branch label as written (None for a plain transition)."""
    target_name: str = ""
    """The target as written by the editor (a step id or ``selesai``)."""


@dataclass(frozen=True)
class TotalTime:
    """Working time from the first step to an end, in minutes."""

    min_minutes: Fraction
    max_minutes: Fraction
    complete: bool
    """False when the longest path search hit its budget (the maximum is then a lower bound)."""

    @property
    def min_whole_minutes(self) -> int:
        return math.floor(self.min_minutes)

    @property
    def max_whole_minutes(self) -> int:
        return math.floor(self.max_minutes)


class Flow:
    LONGEST_PATH_BUDGET = 200_000

    def __init__(self, sop: Sop) -> None:
        self.sop = sop
        self.steps = sop.langkah
        self.end = len(self.steps)
        self.index_by_id = {}
        for index, step in enumerate(self.steps):
            if step.id and step.id not in self.index_by_id:
                self.index_by_id[step.id] = index
        self.edges_from: list[list[Edge]] = [self._edges(index) for index in range(len(self.steps))]

    def resolve(self, target: str) -> int | None:
        if target == END:
            return self.end
        return self.index_by_id.get(target)

    def _edges(self, index: int) -> list[Edge]:
        step = self.steps[index]
        if step.keputusan:
            return [Edge(index, self.resolve(branch.target), branch.label, branch.target) for branch in step.keputusan]
        if step.lanjut:
            return [Edge(index, self.resolve(step.lanjut), None, step.lanjut)]
        if step.selesai or index == self.end - 1:
            return [Edge(index, self.end, None, END)]
        return [Edge(index, index + 1, None, "")]

    @property
    def edges(self) -> list[Edge]:
        return [edge for edges in self.edges_from for edge in edges]

    def successors(self, index: int) -> list[int]:
        return [edge.target for edge in self.edges_from[index] if edge.target is not None]

    def is_ending(self, index: int) -> bool:
        """A step after which the procedure may end (drawn as a terminator)."""
        return any(edge.target == self.end for edge in self.edges_from[index])

    def reachable_from_start(self) -> set[int]:
        if not self.steps:
            return set()
        seen = {0}
        queue = deque([0])
        while queue:
            node = queue.popleft()
            if node == self.end:
                continue
            for nxt in self.successors(node):
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        return seen

    def can_reach_end(self) -> set[int]:
        predecessors: dict[int, list[int]] = {}
        for index in range(len(self.steps)):
            for nxt in self.successors(index):
                predecessors.setdefault(nxt, []).append(index)
        seen = {self.end}
        queue = deque([self.end])
        while queue:
            node = queue.popleft()
            for prev in predecessors.get(node, []):
                if prev not in seen:
                    seen.add(prev)
                    queue.append(prev)
        return seen

    def total_time(self, working_time: WorkingTime) -> TotalTime | None:
        """Shortest and longest (simple path) working time from step 1 to an end."""
        if not self.steps or 0 not in self.can_reach_end():
            return None
        low = [Fraction(0)] * len(self.steps)
        high = [Fraction(0)] * len(self.steps)
        for index, step in enumerate(self.steps):
            if step.waktu:
                low[index], high[index] = step.waktu.minutes(working_time)
        return TotalTime(self._shortest(low), *self._longest(high))

    def _shortest(self, cost: list[Fraction]) -> Fraction:
        best: dict[int, Fraction] = {0: cost[0]}
        heap: list[tuple[Fraction, int]] = [(cost[0], 0)]
        while heap:
            so_far, node = heapq.heappop(heap)
            if node == self.end:
                return so_far
            if so_far > best.get(node, so_far):
                continue
            for nxt in self.successors(node):
                total = so_far + (cost[nxt] if nxt != self.end else 0)
                if nxt not in best or total < best[nxt]:
                    best[nxt] = total
                    heapq.heappush(heap, (total, nxt))
        return Fraction(0)  # unreachable: total_time checked that the end is reachable

    def _longest(self, cost: list[Fraction]) -> tuple[Fraction, bool]:
        """Depth-first over simple paths, bounded by a work budget."""
        best = Fraction(-1)
        budget = self.LONGEST_PATH_BUDGET
        visited = [False] * len(self.steps)
        stack: list[tuple[int, Fraction, int]] = [(0, cost[0], 0)]  # node, total, next successor
        visited[0] = True
        successors = [self.successors(i) for i in range(len(self.steps))]
        while stack:
            budget -= 1
            if budget < 0:
                return best, False
            node, total, position = stack[-1]
            if position >= len(successors[node]):
                stack.pop()
                visited[node] = False
                continue
            stack[-1] = (node, total, position + 1)
            nxt = successors[node][position]
            if nxt == self.end:
                best = max(best, total)
            elif not visited[nxt]:
                visited[nxt] = True
                stack.append((nxt, total + cost[nxt], 0))
        return best, True
