"""The official flowchart matrix: layout (sop_manual.bagan) and its template (sop/bagan.html)."""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "plugins") not in sys.path:
    sys.path.insert(0, str(ROOT / "plugins"))

from sop_manual.bagan import (  # noqa: E402
    BOTTOM, CONNECTOR, DECISION, LOWER, MIDDLE, PROCESS, TERMINATOR, TOP, UPPER, Bagan, fit_pages, layout_bagan,
)
from sop_manual.flow import Flow  # noqa: E402
from sop_manual.labels import labels_for  # noqa: E402
from sop_manual.loading import load_bytes  # noqa: E402
from sop_manual.rendering import Renderer, Settings  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
TEMPLATE_DIRS = [ROOT / "overrides", FIXTURES / "templates"]
L = labels_for("id")
LEVELS = {TOP, UPPER, MIDDLE, LOWER, BOTTOM}


def load(text: str, *, allow_errors: bool = False):
    result = load_bytes(text.encode(), "x.md")
    assert result.sop is not None, result.diagnostics
    if not allow_errors:
        errors = [d for d in result.diagnostics if d.severity.name == "ERROR"]
        assert not errors, errors
    return result.sop


def fixture_sop(name: str):
    return load((FIXTURES / "sops" / name).read_text(encoding="utf-8"))


def sop_text(pelaksana: dict[str, str], steps: list[str], nomor: str = "SOP-T-001") -> str:
    """Front matter with ``steps`` already written as YAML list items (indented by two)."""
    lanes = "\n".join(f"  {key}: {name}" for key, name in pelaksana.items())
    return (f"---\nnomor: {nomor}\njudul: Uji bagan\nunit: Unit Uji\npelaksana:\n{lanes}\nlangkah:\n"
            + "\n".join(steps) + "\n---\n")


def step(id_: str, pelaksana: str, extra: str = "", kegiatan: str = "") -> str:
    text = f"  - id: {id_}\n    kegiatan: {kegiatan or 'Kegiatan ' + id_}\n    pelaksana: {pelaksana}\n"
    return text + "".join(f"    {line}\n" for line in extra.splitlines() if line)


BASIC = sop_text(
    {"a": "Pemohon", "b": "Petugas", "c": "Pimpinan"},
    [
        step("s1", "a", "waktu: 1 jam"),
        step("s2", "b", "keputusan:\n  ya: s4\n  tidak: s3"),
        step("s3", "b", "selesai: true"),
        step("s4", "[a, c]"),
        step("s5", "c", "keputusan:\n  setuju: s6\n  ulang: s4"),
        step("s6", "a"),
    ],
)


def symbols_by_step(bagan: Bagan) -> dict[int, list]:
    result: dict[int, list] = {}
    for symbol in bagan.symbols():
        if symbol.kind != CONNECTOR:
            result.setdefault(symbol.step, []).append(symbol)
    return result


def all_labels(bagan: Bagan) -> list:
    return [label for page in bagan.pages for row in page.rows for cell in [*row.lanes, row.gutter]
            for label in cell.labels]


# -- layout ----------------------------------------------------------------


def test_symbols_sit_in_their_lanes_with_the_right_kind():
    bagan = layout_bagan(load(BASIC), L)
    assert [lane.key for lane in bagan.lanes] == ["a", "b", "c"]
    symbols = symbols_by_step(bagan)
    kinds = {number: [(s.kind, s.lane, s.secondary) for s in found] for number, found in symbols.items()}
    assert kinds == {
        1: [(TERMINATOR, "a", False)],        # first step
        2: [(DECISION, "b", False)],
        3: [(TERMINATOR, "b", False)],        # selesai: true
        4: [(PROCESS, "a", False), (PROCESS, "c", True)],  # two pelaksana: drawn in both lanes
        5: [(DECISION, "c", False)],
        6: [(TERMINATOR, "a", False)],        # last step
    }


def test_multi_executor_step_is_joined_by_a_line_through_the_lanes_between():
    bagan = layout_bagan(load(BASIC), L)
    row = next(row for row in bagan.pages[0].rows if row.step and row.step.number == 4)
    joins = [[line for line in cell.lines if not line.vertical and line.start == MIDDLE] for cell in row.lanes]
    assert [(line.x, line.x2) for line in joins[0]] == [(50.0, 100.0)]
    assert [(line.x, line.x2) for line in joins[1]] == [(0.0, 100.0)]
    assert [(line.x, line.x2) for line in joins[2]] == [(0.0, 50.0)]


def test_branch_labels_are_shown_where_branches_leave():
    bagan = layout_bagan(load(BASIC), L)
    labels = {(label.lines, label.side) for label in all_labels(bagan)}
    # step 2: "tidak" goes to the next row (down), "ya" jumps (right, into the gutter)
    assert (("Tidak",), "below") in labels
    assert (("Ya",), "right") in labels
    # editor's own labels are shown as written
    assert (("setuju",), "below") in labels
    assert (("ulang",), "right") in labels


def test_branch_labels_follow_the_language():
    bagan = layout_bagan(load(BASIC), labels_for("en"))
    texts = {text for label in all_labels(bagan) for text in label.lines}
    assert {"Yes", "No", "setuju", "ulang"} <= texts


def test_arrows_enter_every_step_that_has_a_predecessor():
    bagan = layout_bagan(load(BASIC), L)
    arrows = {s.step: s.arrow_in for s in bagan.symbols() if not s.secondary}
    assert arrows == {1: False, 2: True, 3: True, 4: True, 5: True, 6: True}


def test_lines_use_known_levels_and_stay_inside_cells():
    bagan = layout_bagan(fixture_sop("uji-30-langkah.md"), L)
    for page in bagan.pages:
        for row in page.rows:
            for cell in [*row.lanes, row.gutter]:
                for line in cell.lines:
                    assert line.start in LEVELS and line.end in LEVELS
                    assert 0 <= line.x <= 100
                    if line.vertical:
                        assert ["top", "upper", "middle", "lower", "bottom"].index(line.start) < \
                            ["top", "upper", "middle", "lower", "bottom"].index(line.end)
                    else:
                        assert line.start == line.end and line.x < line.x2 <= 100


def test_long_edges_get_separate_gutter_tracks_where_they_overlap():
    bagan = layout_bagan(load(BASIC), L)
    assert bagan.gutter_width > 0
    # ya 2->4 (rows 2..4) and ulang 5->4 (rows 4..5) both pass row 4: two different tracks there
    row4 = next(row for row in bagan.pages[0].rows if row.step and row.step.number == 4)
    xs = {line.x for line in row4.gutter.lines if line.vertical}
    assert len(xs) == 2


def test_one_step_sop():
    sop = load(sop_text({"a": "Satu"}, [step("s1", "a")]))
    bagan = layout_bagan(sop, L)
    assert len(bagan.pages) == 1 and bagan.gutter_width == 0 and bagan.connectors == []
    [symbol] = bagan.symbols()
    assert (symbol.kind, symbol.step, symbol.lane, symbol.arrow_in) == (TERMINATOR, 1, "a", False)
    assert all(not cell.lines for row in bagan.pages[0].rows for cell in row.lanes)


def test_decision_with_three_branches_and_an_end():
    sop = load(sop_text(
        {"a": "A", "b": "B"},
        [step("s1", "a"), step("s2", "b", "keputusan:\n  lengkap: s3\n  kurang: s1\n  batal: selesai"),
         step("s3", "a")],
    ))
    bagan = layout_bagan(sop, L)
    labels = {label.lines: label.side for label in all_labels(bagan)}
    assert labels[("lengkap",)] == "below"
    # two branches share the line to the right: each label says where it goes
    assert labels[("kurang \u2192 1", "batal \u2192 Selesai")] == "right"
    ends = [end for page in bagan.pages for row in page.rows for end in row.gutter.ends]
    assert [(end.step, end.text) for end in ends] == [(2, "Selesai")]
    assert [s.kind for s in bagan.symbols()] == [TERMINATOR, DECISION, TERMINATOR]


def test_page_breaks_become_lettered_connector_pairs():
    # 8 steps, 4 a page; step 7 loops back to step 2 on the first page
    steps = [step(f"s{n}", "ab"[n % 2]) for n in range(1, 7)]
    steps.append(step("s7", "a", "keputusan:\n  ya: s8\n  tidak: s2"))
    steps.append(step("s8", "b"))
    bagan = layout_bagan(load(sop_text({"a": "A", "b": "B"}, steps)), L, steps_per_page=4)
    assert len(bagan.pages) == 2
    assert [(c.letter, c.source_step, c.target_step, c.source_page, c.target_page) for c in bagan.connectors] == [
        ("A", 4, 5, 1, 2), ("B", 7, 2, 2, 1)]

    def connectors(page):
        return [(row_index, s.letter, s.direction, s.step, s.lane)
                for row_index, row in enumerate(page.rows) for cell in row.lanes for s in cell.symbols
                if s.kind == CONNECTOR]

    first, second = bagan.pages
    # incoming connectors at the top of a page, outgoing at the bottom, in the lane of the step they touch
    assert connectors(first) == [(0, "B", "masuk", 2, "a"), (5, "A", "keluar", 4, "a")]
    assert connectors(second) == [(0, "A", "masuk", 5, "b"), (5, "B", "keluar", 7, "a")]
    assert [row.step.number for row in first.step_rows] == [1, 2, 3, 4]
    assert [row.step.number for row in second.step_rows] == [5, 6, 7, 8]
    # every letter once out, once in
    pairs = {}
    for symbol in bagan.symbols():
        if symbol.kind == CONNECTOR:
            pairs.setdefault(symbol.letter, []).append(symbol.direction)
    assert {letter: sorted(directions) for letter, directions in pairs.items()} == {
        "A": ["keluar", "masuk"], "B": ["keluar", "masuk"]}


def test_thirty_steps_six_lanes_with_loops():
    sop = fixture_sop("uji-30-langkah.md")
    bagan = layout_bagan(sop, L, steps_per_page=10)
    assert len(bagan.lanes) == 6 and len(bagan.pages) == 3
    primaries = [s.step for s in bagan.symbols() if s.kind != CONNECTOR and not s.secondary]
    assert primaries == list(range(1, 31))
    flow = Flow(sop)
    crossing = [e for e in flow.edges if e.target not in (None, flow.end) and e.source // 10 != e.target // 10]
    assert len(bagan.connectors) == len(crossing) >= 4
    letters = [c.letter for c in bagan.connectors]
    assert len(set(letters)) == len(letters)
    assert any(c.target_page < c.source_page for c in bagan.connectors)  # a loop back to an earlier page
    directions = sorted((s.letter, s.direction) for s in bagan.symbols() if s.kind == CONNECTOR)
    assert directions == sorted([(letter, "keluar") for letter in letters] + [(letter, "masuk") for letter in letters])


def test_undeclared_executor_does_not_crash():
    text = sop_text({"a": "A"}, [step("s1", "a"), step("s2", "hantu"), step("s3", "[a, hantu]")])
    bagan = layout_bagan(load(text, allow_errors=True), L)
    assert [(lane.key, lane.declared) for lane in bagan.lanes] == [("a", True), ("hantu", False)]
    assert [s.lane for s in bagan.symbols()] == ["a", "hantu", "a", "hantu"]


def test_blank_optional_fields_and_long_texts():
    long_text = "Memeriksa " + "dokumen yang sangat panjang " * 40
    bagan = layout_bagan(load(sop_text({"a": "A"}, [step("s1", "a", kegiatan=long_text), step("s2", "a")])), L)
    html = render(load(sop_text({"a": "A"}, [step("s1", "a", kegiatan=long_text), step("s2", "a")])))
    assert len(bagan.symbols()) == 2
    assert long_text.strip()[:60] in html


def test_fit_pages_keeps_each_page_within_the_room():
    steps = [step(f"s{n}", "a") for n in range(1, 8)]
    sop = load(sop_text({"a": "A"}, steps))
    # rows of 100, room for 350; each page break adds one connector row (20) on each side
    assert fit_pages(sop, [100] * 7, 350, 20, steps_per_page=10) == [3, 6]
    # the count stays a maximum
    assert fit_pages(sop, [10] * 7, 10_000, 20, steps_per_page=2) == [2, 4, 6]
    # a step taller than a page still gets a page
    assert fit_pages(sop, [500, 10, 10, 10, 10, 10, 10], 300, 20, steps_per_page=10) == [1]
    bagan = layout_bagan(sop, L, breaks=[3, 6])
    assert [[row.step.number for row in page.step_rows] for page in bagan.pages] == [[1, 2, 3], [4, 5, 6], [7]]


# -- template ----------------------------------------------------------------


class Element:
    def __init__(self, tag: str, attrs: dict[str, str], parent: Element | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Element | str] = []

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, predicate) -> list[Element]:
        return [element for element in self.iter() if predicate(element)]

    def all_text(self) -> str:
        return "".join(child if isinstance(child, str) else child.all_text() for child in self.children)


class TreeBuilder(HTMLParser):
    VOID = {"br", "col", "img", "input", "meta", "link", "hr", "polygon", "rect"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {key: value or "" for key, value in attrs}, self.current)
        self.current.children.append(element)
        if tag not in self.VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, {key: value or "" for key, value in attrs}, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str) -> Element:
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def render(sop, settings: Settings | None = None, steps_per_page: int | None = None) -> str:
    renderer = Renderer(TEMPLATE_DIRS, settings or Settings())
    flow = Flow(sop)
    per_page = renderer.settings.steps_per_page if steps_per_page is None else steps_per_page
    context = {"sop": sop, "bagan": layout_bagan(sop, renderer.labels, per_page),
               "total": renderer.total_time(flow)}
    return renderer.env.get_template("sop/bagan.html").render(context)


def test_template_contract():
    sop = load(BASIC)
    root = parse(render(sop))
    [bagan] = root.find_all(lambda e: "sop-bagan" in e.classes)
    assert bagan.tag == "div"
    tables = bagan.find_all(lambda e: e.tag == "table")
    assert len(tables) == 1
    heads = tables[0].find_all(lambda e: e.tag == "th" and "data-lane" in e.attrs)
    assert [(th.attrs["data-lane"], th.all_text().strip()) for th in heads] == [
        ("a", "Pemohon"), ("b", "Petugas"), ("c", "Pimpinan")]
    header_text = [th.all_text().strip() for th in tables[0].find_all(lambda e: e.tag == "th")]
    for label in ("No", "Kegiatan", "Mutu Baku", "Kelengkapan", "Waktu", "Output", "Keterangan"):
        assert label in header_text
    assert tables[0].find_all(lambda e: e.tag == "thead")
    symbols = bagan.find_all(lambda e: "data-symbol" in e.attrs)
    assert [(s.attrs["data-step"], s.attrs["data-symbol"], s.attrs["data-lane"]) for s in symbols] == [
        ("1", "terminator", "a"), ("2", "keputusan", "b"), ("3", "terminator", "b"),
        ("4", "proses", "a"), ("4", "proses", "c"), ("5", "keputusan", "c"), ("6", "terminator", "a")]
    rows = bagan.find_all(lambda e: e.tag == "tr" and "data-bagan-row" in e.attrs)
    assert [row.find_all(lambda e: "sop-bagan__no" in e.classes)[0].all_text() for row in rows] == [
        "1", "2", "3", "4", "5", "6"]
    labels = [e.all_text() for e in bagan.find_all(lambda e: "sop-bagan__label" in e.classes)]
    assert sorted(labels) == ["Tidak", "Ya", "setuju", "ulang"]


def test_template_connectors_and_pages():
    sop = fixture_sop("uji-12-langkah.md")
    root = parse(render(sop, steps_per_page=5))
    tables = root.find_all(lambda e: e.tag == "table")
    assert len(tables) == 3
    for table in tables:  # every page repeats the header
        assert [th.attrs["data-lane"] for th in table.find_all(lambda e: "data-lane" in e.attrs and e.tag == "th")] \
            == ["mahasiswa", "loket", "kasubbag", "wakil_dekan"]
    connectors = root.find_all(lambda e: e.attrs.get("data-symbol") == "penghubung")
    letters: dict[str, set[str]] = {}
    for connector in connectors:
        assert connector.attrs["data-lane"] and connector.attrs["data-step"]
        letters.setdefault(connector.attrs["data-connector"], set()).add(connector.attrs["data-direction"])
        assert connector.all_text().strip() == connector.attrs["data-connector"]
    assert letters and all(directions == {"keluar", "masuk"} for directions in letters.values())


def test_editor_text_is_escaped():
    text = sop_text({"a": "<b>Petugas</b> & Co"},
                    [step("s1", "a", "output: <img src=x onerror=alert(1)>",
                          kegiatan="'<script>alert(1)</script>'")])
    html = render(load(text))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>Petugas" not in html and "&lt;b&gt;Petugas&lt;/b&gt; &amp; Co" in html
    assert "<img" not in html


# -- total time ----------------------------------------------------------------

TIMED = sop_text(
    {"a": "A", "b": "B"},
    [
        step("s1", "a", "waktu: 1 jam"),
        step("s2", "b", "waktu: 2 hari"),
        step("s3", "b", "waktu: 30 menit\nkeputusan:\n  ya: s5\n  tidak: s4"),
        step("s4", "a", "waktu: 90 detik"),
        step("s5", "a", "waktu: 5-10 menit"),
        step("s6", "b", "waktu: 1 jam\nkeputusan:\n  ulang: s2\n  beres: selesai"),
    ],
)


def total_paragraph(html: str) -> Element:
    [paragraph] = parse(html).find_all(lambda e: "sop-total-waktu" in e.classes)
    return paragraph


def test_total_time_against_a_hand_count():
    # hand count, 8-hour days, in minutes:
    #   shortest 1-2-3-5-6-end: 60 + 960 + 30 + 5 (range low) + 60            = 1115
    #   longest simple path 1-2-3-4-5-6-end (the loop 6->2 would revisit 2):
    #           60 + 960 + 30 + 1.5 (90 detik) + 10 (range high) + 60          = 1121.5 -> 1121
    paragraph = total_paragraph(render(load(TIMED)))
    assert paragraph.tag == "p"
    assert paragraph.attrs["data-min-menit"] == "1115"
    assert paragraph.attrs["data-max-menit"] == "1121"
    text = " ".join(paragraph.all_text().split())
    assert text == "Total waktu penyelesaian: 2 hari 2 jam 35 menit sampai 2 hari 2 jam 41 menit 30 detik"


def test_total_time_with_shorter_days():
    # 7-hour days: shortest = 60 + 2*420 + 30 + 5 + 60 = 995; longest = 60 + 840 + 30 + 1.5 + 10 + 60 = 1001.5
    paragraph = total_paragraph(render(load(TIMED), Settings(hours_per_day=7)))
    assert (paragraph.attrs["data-min-menit"], paragraph.attrs["data-max-menit"]) == ("995", "1001")


def test_total_time_single_value_in_english():
    text = sop_text({"a": "A"}, [step("s1", "a", "waktu: 45 detik"), step("s2", "a", "waktu: 2 menit")])
    paragraph = total_paragraph(render(load(text), Settings(language="en")))
    assert (paragraph.attrs["data-min-menit"], paragraph.attrs["data-max-menit"]) == ("2", "2")
    assert " ".join(paragraph.all_text().split()) == "Total completion time: 2 minutes 45 seconds"


@pytest.mark.parametrize("language", ["id", "en"])
def test_new_labels_exist_in_both_languages(language):
    labels = labels_for(language)
    for key in ("bagan.branch_to", "bagan.branch_end", "bagan.connector_out", "bagan.connector_in",
                "bagan.symbol.terminator", "bagan.symbol.proses", "bagan.symbol.keputusan",
                "bagan.symbol.penghubung", "cetak.title", "cetak.year", "cetak.toc", "cetak.toc.page"):
        assert labels[key]
