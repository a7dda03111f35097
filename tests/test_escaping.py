"""Editor text is only ever text: in the page HTML and in the Mermaid flowchart (property tests).

Every editor-written field of an SOP (judul, nomor, unit, kegiatan, output,
keterangan, pelaksana names, branch labels, revisi, sosialisasi, dasar_hukum,
definisi, signatures, ...) gets text drawn by Hypothesis, mixed with fragments
that break HTML, Jinja, Markdown or Mermaid (``tests/hostile_text.py``).

* HTML: the page rendered by ``Renderer.sop_page`` has exactly the tags and
  attribute names of the same page with plain stand-in texts, and every text
  comes back, unchanged, as text (or, for the number, as the attribute value).
* Mermaid: every line of ``mermaid.flowchart`` is one of the statements the
  generator writes, and every label decodes back to the editor's text.

``tests/test_browser.py`` feeds a sample of these charts to the real Mermaid.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, example, given, settings

from conftest import ROOT, make_project, search_fragments
from hostile_text import ALL_NASTY, CHART_FIELDS, HOSTILE_SOP, hostile_texts, nasty, placeholders, sop_with
from sop_manual.bagan import layout_bagan
from sop_manual.mermaid import branch_label, flowchart, shorten
from sop_manual.rendering import Renderer, Settings

RENDERER = Renderer([ROOT / "overrides"], Settings())
LABELS = RENDERER.labels

NOT_SHOWN = {"tag"}
"""Fields the SOP page does not show (tags feed the catalogue and search)."""
TRANSLATED = {"cabang_a", "cabang_b"}
"""Branch labels: ``ya``/``tidak`` show as the language's Yes/No."""


def page_html(texts: dict[str, str]) -> str:
    sop, other = sop_with(texts)
    bagan = layout_bagan(sop, LABELS, RENDERER.settings.steps_per_page)
    return RENDERER.sop_page(sop, body_html="", find={other.nomor: other}.get,
                             href=lambda target: "../../lain/sop/", unit_href="../../unit/uji/", bagan=bagan)


class Markup(HTMLParser):
    """The tags and attribute names of a page, in order, and its text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.structure: list[tuple] = []
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.data: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag != "br":  # the matrix wraps branch labels into lines by their length
            self.structure.append(("<", tag, tuple(name for name, _ in attrs)))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag != "br":
            self.structure.append(("/", tag))

    def handle_data(self, data):
        self.data.append(data)

    def handle_comment(self, data):
        self.structure.append(("<!--", data))

    def handle_decl(self, decl):
        self.structure.append(("<!", decl))

    def unknown_decl(self, data):
        self.structure.append(("<![", data))

    def handle_pi(self, data):
        self.structure.append(("<?", data))

    @property
    def text(self) -> str:
        return "".join(self.data)


def shown(field: str, text: str) -> str:
    return branch_label(text, LABELS) if field in TRANSLATED else text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_texts())
@example(ALL_NASTY)
def test_editor_text_adds_no_tag_or_attribute_and_stays_text(texts):
    html = page_html(texts)
    hostile = Markup(html)
    plain = Markup(page_html(placeholders(texts)))

    assert hostile.structure == plain.structure
    for field, text in texts.items():
        if field not in NOT_SHOWN:
            assert shown(field, text) in hostile.text, field
    article = next(attrs for tag, attrs in hostile.elements if tag == "article")
    assert article["data-sop-nomor"] == texts["nomor"]
    heading = re.search(r'<h1 id="judul">(.*?)</h1>', html, re.S)
    assert heading and unescape(heading.group(1)) == texts["judul"]


def test_the_structure_comparison_would_see_an_injected_element():
    """The check can fail: unescaped text shows up as an extra element."""
    html = page_html(placeholders(ALL_NASTY))
    assert Markup(html.replace("teks0", '<img src=x onerror="alert(1)">', 1)).structure != Markup(html).structure


@pytest.mark.slow
def test_a_built_site_shows_hostile_text_as_text_on_every_page(tmp_path):
    """Beyond the SOP page: titles, nav, unit pages, catalogue, search index (MkDocs takes titles as HTML).

    ``{% rusak %}`` in the texts also proves that no editor text is run as a macro: it would stop the build.
    """
    project = make_project(tmp_path / "manual", sops={"jahat/sop.md": HOSTILE_SOP})
    result = project.build()
    assert result.returncode == 0, result.stderr

    for path in sorted(project.site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        for attack in ("<script>alert(1)", "<img src=x", "</title></textarea>", "onerror=alert(1)>"):
            assert attack not in html, (path.relative_to(project.site), attack)
    page = project.page("sop/jahat/sop")
    assert unescape(re.search(r"<title>(.*?)</title>", page, re.S).group(1)) == f"{nasty('Judul')} - Manual Uji"
    assert unescape(re.search(r'<h1 id="judul">(.*?)</h1>', page, re.S).group(1)) == nasty("Judul")
    stored = search_fragments(project.site)["/sop/jahat/sop/"]  # text for the browser's textContent, not markup
    assert stored["meta"]["title"] == nasty("Judul") and stored["meta"]["nomor"] == nasty("SOP")


# -- Mermaid -------------------------------------------------------------------------------------

LABEL = r'(?:#\d+;|[^#&"\'<>|;`\[\]{}()\\%:=*~^$@!?\-\s]| )*'
STATEMENTS = [re.compile(pattern) for pattern in (
    r"flowchart TD",
    rf'  mulai\(\["(?P<start>{LABEL})"\]\)',
    rf'  selesai\(\["(?P<end>{LABEL})"\]\)',
    rf'  subgraph (?P<lane>lane\d+)\["(?P<name>{LABEL})"\]',
    r"  end",
    rf'\s+(?P<node>s\d+)(?:\["(?P<process>{LABEL})"\]|\{{"(?P<decision>{LABEL})"\}})',
    r"  (?:mulai|s\d+) --> (?:s\d+|selesai)",
    rf'  (?P<source>s\d+) -->\|"(?P<branch>{LABEL})"\| (?P<target>s\d+|selesai)',
)]
ENTITY = re.compile(r"#(\d+);")


def decode(label: str) -> str:
    return ENTITY.sub(lambda match: chr(int(match.group(1))), label)


def flat(text: str) -> str:
    """A label as Mermaid shows it: whitespace runs as one space, never empty."""
    return " ".join(text.split()) or " "


def statements(chart: str) -> list[dict[str, str | None]]:
    """The named parts of every line; each line must be a statement the generator writes."""
    lines = chart.splitlines()
    assert lines[0] == "flowchart TD"
    found = []
    for line in lines:
        match = next((m for pattern in STATEMENTS if (m := pattern.fullmatch(line))), None)
        assert match is not None, f"not a statement the generator writes: {line!r}"
        found.append(dict.fromkeys(("node", "process", "decision", "lane", "name", "branch"))
                     | match.groupdict())
    return found


@settings(max_examples=150, deadline=None)
@given(hostile_texts(CHART_FIELDS))
@example(ALL_NASTY)
def test_editor_text_never_breaks_mermaid_syntax(texts):
    sop, _ = sop_with(texts)
    matches = statements(flowchart(sop, LABELS))

    nodes = {m["node"]: decode(m["process"] if m["process"] is not None else m["decision"])
             for m in matches if m["node"]}
    assert nodes == {
        "s1": flat(f"1. {shorten(texts['kegiatan_1'])}"),
        "s2": flat(f"2. {shorten(texts['kegiatan_2'])} (+ {texts['pelaksana_a']})"),
        "s3": flat(f"3. {shorten(texts['kegiatan_3'])}"),
        "s4": flat(f"4. {shorten(texts['kegiatan_4'])}"),
    }
    assert [m["node"] for m in matches if m["decision"] is not None] == ["s2"]
    assert [decode(m["name"]) for m in matches if m["lane"]] == [flat(texts["pelaksana_a"]), flat(texts["pelaksana_b"])]
    assert [(m["source"], decode(m["branch"]), m["target"]) for m in matches if m["branch"] is not None] == [
        ("s2", flat(branch_label(texts["cabang_a"], LABELS)), "s4"),
        ("s2", flat(branch_label(texts["cabang_b"], LABELS)), "s3"),
    ]

