"""The official flowchart matrix (Permenpan RB 35/2012), laid out as data.

The matrix is a table: No | Kegiatan | one lane per pelaksana | routing gutter |
Mutu Baku (Kelengkapan, Waktu, Output) | Keterangan, one row per step. This
module decides where every symbol and line goes; ``overrides/sop/bagan.html``
turns the result into HTML and CSS draws it. No HTML is built here.

Geometry. Every lane cell (and the gutter cell) of a row is a drawing area.
``x`` is a percentage of the cell's width (a lane's symbol sits at 50); ``y``
is one of five named levels, mapped to CSS offsets by the stylesheet:

* ``top`` / ``bottom``: the cell's edges, where vertical lines pass to the
  next row;
* ``upper``: a few pixels below the top, where long edges arrive from the
  gutter before dropping into the target symbol;
* ``middle``: the symbol's centre, where long edges leave to the right;
* ``lower``: a few pixels above the bottom, where an edge to the next row
  runs sideways to the next step's lane.

Because positions are relative to the cell, lines meet across cells whatever
height the text gives each row. Every line enters a symbol from the top
(``Symbol.arrow_in``), except a decision's branch to the end, which runs into a
small end capsule in the gutter.

Edges: a step's edge to the very next row leaves downward (the "bottom
port"); any other edge (a jump, a decision branch further away, a loop back
up) leaves to the right into the gutter, where each gets its own vertical
track, shorter edges nearer the lanes so nested edges never cross. When the
steps are split into pages, each edge between two pages is cut into a pair of
lettered off-page connectors: one in a row at the bottom of the source page,
one in a row at the top of the target page.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .flow import Edge, Flow
from .mermaid import branch_label
from .model import Sop, Step

TOP, UPPER, MIDDLE, LOWER, BOTTOM = "top", "upper", "middle", "lower", "bottom"
_LEVEL_ORDER = {TOP: 0, UPPER: 1, MIDDLE: 2, LOWER: 3, BOTTOM: 4}

TERMINATOR, PROCESS, DECISION, CONNECTOR = "terminator", "proses", "keputusan", "penghubung"
STEP_ROW, CONNECTOR_ROW = "langkah", "penghubung"
OUTGOING, INCOMING = "keluar", "masuk"

TRACK_PX = 10
"""Width of one vertical routing track in the gutter."""
END_PX = 58
"""Width of the gutter zone holding the end capsules of decision branches."""
GUTTER_PAD_PX = 4

LABEL_WIDTH = 18
"""Characters per line of a branch label."""

LANES_MAX_PERCENT = 36.0
LANE_MAX_PERCENT = 11.0


# -- the layout, as the template reads it ------------------------------------


@dataclass(frozen=True)
class Lane:
    key: str
    name: str
    declared: bool = True
    """False for a pelaksana a step names but the SOP does not declare (only after a validation error)."""


@dataclass(frozen=True)
class Line:
    """A straight segment in one cell: vertical at ``x`` from level ``start`` down to ``end``,
    or horizontal at level ``start`` (== ``end``) from ``x`` to ``x2``."""

    vertical: bool
    x: float
    start: str
    end: str
    x2: float = 0.0

    @property
    def right(self) -> float:
        """CSS ``right`` of a horizontal segment, in percent."""
        return round(100 - self.x2, 3)


@dataclass(frozen=True)
class Symbol:
    kind: str
    """``terminator``, ``proses``, ``keputusan`` or ``penghubung``."""
    step: int
    """The step's number; for a connector, the step on this page it is attached to."""
    lane: str
    x: float = 50.0
    arrow_in: bool = False
    """An arrowhead on top: a line enters the symbol from above."""
    secondary: bool = False
    """Drawn again in another lane of a step with several pelaksana."""
    letter: str = ""
    direction: str = ""
    """For a connector: ``keluar`` (bottom of the source page) or ``masuk`` (top of the target page)."""
    other_page: int = 0
    """For a connector: the page of its partner."""


@dataclass(frozen=True)
class EndMark:
    """The small end capsule a decision branch to ``selesai`` runs into."""

    step: int
    x: float
    text: str


@dataclass(frozen=True)
class BranchLabel:
    """Branch label(s) where branches leave a decision: ``below`` the symbol or at its ``right``."""

    lines: tuple[str, ...]
    x: float
    side: str


@dataclass
class Cell:
    lines: list[Line] = field(default_factory=list)
    symbols: list[Symbol] = field(default_factory=list)
    ends: list[EndMark] = field(default_factory=list)
    labels: list[BranchLabel] = field(default_factory=list)

    def add_line(self, line: Line) -> None:
        if line not in self.lines:
            self.lines.append(line)

    @property
    def empty(self) -> bool:
        return not (self.lines or self.symbols or self.ends or self.labels)


@dataclass
class Row:
    key: str
    """Unique in the SOP's matrix (used to match print measurements)."""
    kind: str
    """``langkah`` (a step) or ``penghubung`` (an off-page connector)."""
    symbol: str
    """Kind of the row's main symbol (rows of decisions are drawn taller)."""
    lanes: list[Cell]
    gutter: Cell
    step: Step | None = None


@dataclass
class Page:
    number: int
    rows: list[Row]

    @property
    def step_rows(self) -> list[Row]:
        return [row for row in self.rows if row.kind == STEP_ROW]


@dataclass(frozen=True)
class ConnectorPair:
    letter: str
    source_step: int
    target_step: int
    source_page: int
    target_page: int
    label: str = ""


@dataclass
class Bagan:
    id: str
    lanes: tuple[Lane, ...]
    pages: list[Page]
    gutter_width: int
    """Width of the routing gutter column in CSS px; 0 when no edge needs it."""
    lane_width: float
    """Width of one lane column in percent of the table width (print layout)."""
    connectors: list[ConnectorPair]

    def symbols(self) -> list[Symbol]:
        return [symbol for page in self.pages for row in page.rows
                for cell in [*row.lanes, row.gutter] for symbol in cell.symbols]


# -- planning: rows, edges, ports, tracks ------------------------------------


@dataclass
class _Node:
    """One row of a page: a step, or an off-page connector."""

    key: str
    kind: str
    lanes: list[int]
    """Lane indexes the symbol is drawn in, the primary (where lines enter and leave downward) first."""
    symbol: str
    step_index: int | None = None
    connector: ConnectorPair | None = None
    direction: str = ""
    has_incoming: bool = False
    bottom_used: bool = False

    @property
    def primary(self) -> int:
        return self.lanes[0]

    @property
    def rightmost(self) -> int:
        return max(self.lanes)


@dataclass
class _Route:
    source: int
    """Row (node index) on the page."""
    target: int | None
    """Row on the page; None for the end of the procedure."""
    label: str | None
    target_number: int | None
    """The real target step's number (for labels), None for the end."""
    exit: str = ""
    """``bottom`` (to the next row), ``lower`` (down then to the gutter) or ``right``."""
    track: int = -1


@dataclass
class _PagePlan:
    number: int
    nodes: list[_Node]
    routes: list[_Route]


def layout_bagan(sop: Sop, labels: Mapping[str, str], steps_per_page: int = 10, *,
                 breaks: Sequence[int] | None = None) -> Bagan:
    """Lay out the flowchart matrix of ``sop``, ``steps_per_page`` steps per page (0: one page).

    ``breaks`` (indexes of the steps that start a new page, e.g. from ``fit_pages``)
    replaces the fixed count.
    """
    flow = Flow(sop)
    lanes = _lanes(sop)
    lane_index = {lane.key: index for index, lane in enumerate(lanes)}
    step_lanes = [_step_lanes(step, lane_index) for step in sop.langkah]
    if breaks is None:
        chunks = _chunks(len(sop.langkah), steps_per_page)
    else:
        chunks = _split(len(sop.langkah), breaks)
    page_of = {index: number for number, chunk in enumerate(chunks, start=1) for index in chunk}

    connectors = _connectors(flow, page_of, labels)
    plans = [_plan_page(number, chunk, flow, step_lanes, connectors)
             for number, chunk in enumerate(chunks, start=1)]
    tracks = max((route.track + 1 for plan in plans for route in plan.routes), default=0)
    has_end = any(route.target is None for plan in plans for route in plan.routes)
    gutter = _Gutter(tracks, has_end)
    pages = [_draw_page(plan, sop, lanes, gutter, labels) for plan in plans]
    lane_width = round(min(LANE_MAX_PERCENT, LANES_MAX_PERCENT / max(len(lanes), 1)), 3)
    return Bagan(_bagan_id(sop.nomor), tuple(lanes), pages, gutter.width, lane_width,
                 [pair for pair, _edge in connectors.values()])


def _bagan_id(nomor: str) -> str:
    return "bagan-" + (re.sub(r"[^0-9a-z]+", "-", nomor.lower()).strip("-") or "sop")


def _lanes(sop: Sop) -> list[Lane]:
    lanes = [Lane(executor.key, executor.name) for executor in sop.pelaksana]
    known = {lane.key for lane in lanes}
    for step in sop.langkah:
        for key in step.pelaksana:
            if key not in known:
                known.add(key)
                lanes.append(Lane(key, key, declared=False))
    if not lanes:
        lanes.append(Lane("", "", declared=False))
    return lanes


def _step_lanes(step: Step, lane_index: Mapping[str, int]) -> list[int]:
    """The lanes of a step, primary (first named) first, then the others left to right."""
    named = list(dict.fromkeys(lane_index[key] for key in step.pelaksana if key in lane_index))
    if not named:
        return [0]
    return [named[0], *sorted(named[1:])]


def _chunks(count: int, size: int) -> list[range]:
    if size < 1 or count <= size:
        return [range(count)] if count else []
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


def _split(count: int, breaks: Sequence[int]) -> list[range]:
    starts = [0, *sorted({index for index in breaks if 0 < index < count})]
    return [range(start, end) for start, end in zip(starts, [*starts[1:], count])] if count else []


def fit_pages(sop: Sop, row_heights: Sequence[float], available: float, connector_height: float,
              steps_per_page: int = 10) -> list[int]:
    """Where to start new pages so that each page's rows fit ``available`` (all in the same unit).

    ``row_heights`` are the heights of the steps' rows; every edge leaving or
    entering a page adds a connector row. A page holds at least one step and at
    most ``steps_per_page`` (0: no maximum). Returns ``breaks`` for ``layout_bagan``.
    """
    flow = Flow(sop)
    edges = [(edge.source, edge.target) for edge in _drawn_edges(flow) if edge.target != flow.end]
    count = len(sop.langkah)
    limit = steps_per_page if steps_per_page >= 1 else count

    def height(start: int, end: int) -> float:
        connectors = sum(1 for source, target in edges if (start <= source < end) != (start <= target < end))
        return sum(row_heights[start:end]) + connectors * connector_height

    breaks = []
    start = 0
    while start < count:
        end = start + 1
        while end < count and end - start < limit and height(start, end + 1) <= available:
            end += 1
        if end < count:
            breaks.append(end)
        start = end
    return breaks


def _letters(number: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA, ..."""
    text = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        text = chr(ord("A") + rest) + text
    return text


def _drawn_edges(flow: Flow) -> list[Edge]:
    """Edges drawn as lines: between steps, and a decision's branches to the end."""
    result = []
    for edge in flow.edges:
        if edge.target is None:
            continue
        if edge.target == flow.end and not flow.steps[edge.source].is_decision:
            continue  # the step itself is drawn as a terminator
        result.append(edge)
    return result


def _connectors(flow: Flow, page_of: Mapping[int, int],
                labels: Mapping[str, str]) -> dict[int, tuple[ConnectorPair, Edge]]:
    """Every edge between two pages, by position in ``_drawn_edges``, with its letters."""
    result: dict[int, tuple[ConnectorPair, Edge]] = {}
    for position, edge in enumerate(_drawn_edges(flow)):
        if edge.target == flow.end or page_of[edge.source] == page_of[edge.target]:
            continue
        label = branch_label(edge.label, labels) if edge.label is not None else ""
        pair = ConnectorPair(_letters(len(result)), edge.source + 1, edge.target + 1,
                             page_of[edge.source], page_of[edge.target], label)
        result[position] = (pair, edge)
    return result


def _symbol_kind(flow: Flow, index: int) -> str:
    if flow.steps[index].is_decision:
        return DECISION
    if index == 0 or flow.is_ending(index):
        return TERMINATOR
    return PROCESS


def _plan_page(number: int, chunk: range, flow: Flow, step_lanes: list[list[int]],
               connectors: Mapping[int, tuple[ConnectorPair, Edge]]) -> _PagePlan:
    first, last = chunk[0], chunk[-1]
    incoming = [(pair, edge) for pair, edge in connectors.values() if pair.target_page == number]
    outgoing = [(pair, edge) for pair, edge in connectors.values() if pair.source_page == number]
    # The connector continuing straight down (into the first step / out of the last) sits next to it.
    incoming.sort(key=lambda item: (item[1].target == first, item[1].source == first - 1))
    outgoing.sort(key=lambda item: (item[1].source != last, item[1].target != last + 1))

    nodes: list[_Node] = []
    row_of_in: dict[str, int] = {}
    for pair, edge in incoming:
        row_of_in[pair.letter] = len(nodes)
        nodes.append(_Node(f"p{number}-in-{pair.letter}", CONNECTOR_ROW, [step_lanes[edge.target][0]], CONNECTOR,
                           connector=pair, direction=INCOMING))
    row_of_step: dict[int, int] = {}
    for index in chunk:
        row_of_step[index] = len(nodes)
        nodes.append(_Node(f"p{number}-s{index + 1}", STEP_ROW, step_lanes[index], _symbol_kind(flow, index),
                           step_index=index))
    row_of_out: dict[str, int] = {}
    for pair, edge in outgoing:
        row_of_out[pair.letter] = len(nodes)
        nodes.append(_Node(f"p{number}-out-{pair.letter}", CONNECTOR_ROW, [step_lanes[edge.source][0]], CONNECTOR,
                           connector=pair, direction=OUTGOING))

    routes: list[_Route] = []
    for position, edge in enumerate(_drawn_edges(flow)):
        pair = connectors[position][0] if position in connectors else None
        if edge.target == flow.end:
            if edge.source in row_of_step:
                routes.append(_Route(row_of_step[edge.source], None, edge.label, None))
        elif pair is None:
            if edge.source in row_of_step:
                routes.append(_Route(row_of_step[edge.source], row_of_step[edge.target], edge.label, edge.target + 1))
        elif pair.source_page == number:
            routes.append(_Route(row_of_step[edge.source], row_of_out[pair.letter], edge.label, edge.target + 1))
        elif pair.target_page == number:
            routes.append(_Route(row_of_in[pair.letter], row_of_step[edge.target], None, edge.target + 1))
    _assign_ports(nodes, routes)
    _assign_tracks(routes)
    return _PagePlan(number, nodes, routes)


def _assign_ports(nodes: list[_Node], routes: list[_Route]) -> None:
    for route in routes:
        if route.target is not None:
            nodes[route.target].has_incoming = True
        if route.target == route.source + 1 and not nodes[route.source].bottom_used:
            route.exit = "bottom"
            nodes[route.source].bottom_used = True
    by_source: dict[int, list[_Route]] = {}
    for route in routes:
        if not route.exit:
            by_source.setdefault(route.source, []).append(route)
    for source, pending in by_source.items():
        for route in pending:
            route.exit = "right"
        # Several branches leaving to the right would share one line: send one down instead.
        if len(pending) > 1 and not nodes[source].bottom_used:
            for route in pending:
                if route.target is not None:
                    route.exit = "lower"
                    nodes[source].bottom_used = True
                    break


def _position(row: int, level: str) -> int:
    return row * 5 + _LEVEL_ORDER[level]


def _span(route: _Route) -> tuple[int, int]:
    assert route.target is not None
    start = _position(route.source, LOWER if route.exit == "lower" else MIDDLE)
    end = _position(route.target, UPPER)
    return min(start, end), max(start, end)


def _assign_tracks(routes: list[_Route]) -> None:
    """Interval colouring: shorter edges first, each on the innermost free track."""
    long_routes = [route for route in routes if route.exit in ("right", "lower") and route.target is not None]
    long_routes.sort(key=lambda route: (_span(route)[1] - _span(route)[0], _span(route)))
    taken: list[list[tuple[int, int]]] = []
    for route in long_routes:
        low, high = _span(route)
        for track, spans in enumerate(taken):
            if all(high < other_low or low > other_high for other_low, other_high in spans):
                spans.append((low, high))
                route.track = track
                break
        else:
            taken.append([(low, high)])
            route.track = len(taken) - 1


# -- drawing: lines and symbols per cell ---------------------------------------


@dataclass(frozen=True)
class _Gutter:
    tracks: int
    has_end: bool

    @property
    def width(self) -> int:
        if not self.tracks and not self.has_end:
            return 0
        return 2 * GUTTER_PAD_PX + self.tracks * TRACK_PX + (END_PX if self.has_end else 0)

    def track_x(self, track: int) -> float:
        return round((GUTTER_PAD_PX + (track + 0.5) * TRACK_PX) * 100 / self.width, 3)

    @property
    def end_x(self) -> float:
        return round((GUTTER_PAD_PX + self.tracks * TRACK_PX + END_PX / 2) * 100 / self.width, 3)


class _Canvas:
    """The cells of one page, with helpers that draw runs across them."""

    def __init__(self, rows: int, lanes: int) -> None:
        self.lanes = lanes
        self.cells = [[Cell() for _ in range(lanes)] for _ in range(rows)]
        self.gutter = [Cell() for _ in range(rows)]

    def vertical(self, row: int, lane: int, start: str, end: str, x: float = 50.0) -> None:
        self.cells[row][lane].add_line(Line(True, x, start, end))

    def gutter_vertical(self, row: int, x: float, start: str, end: str) -> None:
        self.gutter[row].add_line(Line(True, x, start, end))

    def across(self, row: int, level: str, lane_a: int, lane_b: int) -> None:
        """Horizontal run at ``level`` between the centres of two lanes."""
        low, high = sorted((lane_a, lane_b))
        if low == high:
            return
        self.cells[row][low].add_line(Line(False, 50.0, level, level, 100.0))
        for lane in range(low + 1, high):
            self.cells[row][lane].add_line(Line(False, 0.0, level, level, 100.0))
        self.cells[row][high].add_line(Line(False, 0.0, level, level, 50.0))

    def to_gutter(self, row: int, level: str, lane: int, x: float) -> None:
        """Horizontal run at ``level`` from a lane's centre to ``x`` in the gutter."""
        self.cells[row][lane].add_line(Line(False, 50.0, level, level, 100.0))
        for other in range(lane + 1, self.lanes):
            self.cells[row][other].add_line(Line(False, 0.0, level, level, 100.0))
        self.gutter[row].add_line(Line(False, 0.0, level, level, x))

    def track(self, x: float, row_from: int, level_from: str, row_to: int, level_to: str) -> None:
        """Vertical run in the gutter between two (row, level) points, either direction."""
        (row_a, level_a), (row_b, level_b) = sorted(
            [(row_from, level_from), (row_to, level_to)], key=lambda point: _position(*point))
        if row_a == row_b:
            self.gutter_vertical(row_a, x, level_a, level_b)
            return
        self.gutter_vertical(row_a, x, level_a, BOTTOM)
        for row in range(row_a + 1, row_b):
            self.gutter_vertical(row, x, TOP, BOTTOM)
        self.gutter_vertical(row_b, x, TOP, level_b)


def _draw_page(plan: _PagePlan, sop: Sop, lanes: list[Lane], gutter: _Gutter,
               labels: Mapping[str, str]) -> Page:
    canvas = _Canvas(len(plan.nodes), len(lanes))
    nodes = plan.nodes
    right_labels: dict[int, list[_Route]] = {}
    drawn_ends: set[int] = set()

    for route in plan.routes:
        source = nodes[route.source]
        if route.target is None:
            if route.source not in drawn_ends:
                drawn_ends.add(route.source)
                canvas.to_gutter(route.source, MIDDLE, source.rightmost, gutter.end_x)
                number = source.step_index + 1 if source.step_index is not None else 0
                canvas.gutter[route.source].ends.append(EndMark(number, gutter.end_x, labels["flow.end"]))
            right_labels.setdefault(route.source, []).append(route)
            continue
        target = nodes[route.target]
        if route.exit == "bottom":
            _draw_down(canvas, route.source, source.primary, target.primary)
        else:
            x = gutter.track_x(route.track)
            if route.exit == "lower":
                canvas.vertical(route.source, source.primary, MIDDLE, LOWER)
                canvas.to_gutter(route.source, LOWER, source.primary, x)
                canvas.track(x, route.source, LOWER, route.target, UPPER)
            else:
                canvas.to_gutter(route.source, MIDDLE, source.rightmost, x)
                canvas.track(x, route.source, MIDDLE, route.target, UPPER)
            canvas.to_gutter(route.target, UPPER, target.primary, x)
            canvas.vertical(route.target, target.primary, UPPER, MIDDLE)
        if route.label is not None and route.exit in ("bottom", "lower"):
            lines = _wrap(branch_label(route.label, labels))
            canvas.cells[route.source][source.primary].labels.append(BranchLabel(lines, 50.0, "below"))
        elif route.label is not None:
            right_labels.setdefault(route.source, []).append(route)

    for row, routes in right_labels.items():
        lane = nodes[row].rightmost
        canvas.cells[row][lane].labels.append(BranchLabel(_right_label_lines(routes, labels), 50.0, "right"))

    rows = []
    for row, node in enumerate(nodes):
        _draw_node(canvas, row, node, lanes)
        step = sop.langkah[node.step_index] if node.step_index is not None else None
        rows.append(Row(node.key, node.kind, node.symbol, canvas.cells[row], canvas.gutter[row], step))
    return Page(plan.number, rows)


def _draw_down(canvas: _Canvas, row: int, lane: int, target_lane: int) -> None:
    """From a symbol down into the symbol of the next row."""
    if lane == target_lane:
        canvas.vertical(row, lane, MIDDLE, BOTTOM)
    else:
        canvas.vertical(row, lane, MIDDLE, LOWER)
        canvas.across(row, LOWER, lane, target_lane)
        canvas.vertical(row, target_lane, LOWER, BOTTOM)
    canvas.vertical(row + 1, target_lane, TOP, MIDDLE)


def _right_label_lines(routes: list[_Route], labels: Mapping[str, str]) -> tuple[str, ...]:
    texts = []
    for route in routes:
        text = branch_label(route.label or "", labels)
        if len(routes) > 1:  # they share one line: say where each goes
            if route.target_number is None:
                text = labels["bagan.branch_end"].format(label=text, end=labels["flow.end"])
            else:
                text = labels["bagan.branch_to"].format(label=text, number=route.target_number)
        for line in _wrap(text):
            if line not in texts:
                texts.append(line)
    return tuple(texts)


def _wrap(text: str) -> tuple[str, ...]:
    """A long branch label on several short lines (labels sit in narrow lanes)."""
    return tuple(textwrap.wrap(text, LABEL_WIDTH, break_long_words=False)) or (text,)


def _draw_node(canvas: _Canvas, row: int, node: _Node, lanes: list[Lane]) -> None:
    if node.connector is not None:
        pair = node.connector
        outgoing = node.direction == OUTGOING
        symbol = Symbol(CONNECTOR, pair.source_step if outgoing else pair.target_step, lanes[node.primary].key,
                        arrow_in=node.has_incoming, letter=pair.letter, direction=node.direction,
                        other_page=pair.target_page if outgoing else pair.source_page)
        canvas.cells[row][node.primary].symbols.append(symbol)
        return
    number = (node.step_index or 0) + 1
    if len(node.lanes) > 1:
        canvas.across(row, MIDDLE, min(node.lanes), max(node.lanes))
    for position, lane in enumerate(node.lanes):
        primary = position == 0
        canvas.cells[row][lane].symbols.append(
            Symbol(node.symbol, number, lanes[lane].key, arrow_in=primary and node.has_incoming, secondary=not primary))
