"""The Mermaid flowchart text: its structure, and that editor text can never break out of a label."""

from __future__ import annotations

import re
import textwrap

import pytest

from conftest import MINIMAL_SOP, ROOT, load
from sop_manual.labels import labels_for
from sop_manual.mermaid import flowchart, mermaid_label

ID = labels_for("id")

NODE = re.compile(r'^\s*(?P<id>s\d+)(?P<open>\[|\{)"(?P<label>[^"]*)"(?P<close>\]|\})$')
EDGE = re.compile(r'^\s*(?P<source>\w+) -->(?:\|"(?P<label>[^"]*)"\|)? (?P<target>\w+)$')
SUBGRAPH = re.compile(r'^\s*subgraph (?P<id>\w+)\["(?P<label>[^"]*)"\]$')
ENTITY = re.compile(r"#(\d+);")
RAW = set('"[]{}()<>|;#`')


def chart(text: str, labels=ID) -> str:
    result = load(text)
    assert result.sop is not None
    return flowchart(result.sop, labels)


def nodes(text: str) -> dict[str, tuple[str, str]]:
    """Step node id -> (shape, label) where shape is ``[]`` or ``{}``."""
    found = {}
    for line in text.splitlines():
        if match := NODE.match(line):
            found[match["id"]] = (match["open"] + match["close"], match["label"])
    return found


def edges(text: str) -> list[tuple[str, str | None, str]]:
    return [(m["source"], m["label"], m["target"]) for line in text.splitlines() if (m := EDGE.match(line))]


def decode(label: str) -> str:
    return ENTITY.sub(lambda m: chr(int(m.group(1))), label)


SOP = textwrap.dedent("""\
    ---
    nomor: SOP-M-001
    judul: Mermaid
    unit: Bagian Uji
    pelaksana:
      pemohon: Pemohon
      petugas: Petugas Loket
      kepala: Kepala Bagian
      arsip: Arsiparis
    langkah:
      - id: ajukan
        kegiatan: Mengajukan permohonan
        pelaksana: pemohon
      - id: periksa
        kegiatan: Memeriksa berkas
        pelaksana: petugas
        keputusan:
          ya: setujui
          tidak: perbaiki
      - id: perbaiki
        kegiatan: Memperbaiki berkas
        pelaksana: [pemohon, petugas]
        lanjut: periksa
      - id: setujui
        kegiatan: Memutuskan
        pelaksana: kepala
        keputusan:
          Setuju: selesai
          Tunda: setujui
          Tolak: selesai
    ---
    """)


def test_one_node_per_step_and_rhombus_for_decisions():
    text = chart(SOP)
    assert nodes(text) == {
        "s1": ("[]", "1. Mengajukan permohonan"),
        "s2": ("{}", "2. Memeriksa berkas"),
        "s3": ("[]", "3. Memperbaiki berkas #40;+ Petugas Loket#41;"),
        "s4": ("{}", "4. Memutuskan"),
    }
    assert text.startswith("flowchart TD\n")


def test_start_and_end_terminators_and_labelled_edges():
    text = chart(SOP)
    assert '  mulai(["Mulai"])' in text.splitlines()
    assert '  selesai(["Selesai"])' in text.splitlines()
    assert edges(text) == [
        ("mulai", None, "s1"),
        ("s1", None, "s2"),
        ("s2", "Ya", "s4"),        # ya / tidak show as Ya / Tidak
        ("s2", "Tidak", "s3"),
        ("s3", None, "s2"),        # lanjut
        ("s4", "Setuju", "selesai"),  # other labels as written
        ("s4", "Tunda", "s4"),
        ("s4", "Tolak", "selesai"),
    ]
    assert '  s2 -->|"Ya"| s4' in text.splitlines()


def test_lanes_are_subgraphs_in_declared_order_holding_their_steps():
    text = chart(SOP)
    lines = text.splitlines()
    subgraphs = [(m["id"], m["label"], i) for i, line in enumerate(lines) if (m := SUBGRAPH.match(line))]
    # the unused "arsip" lane is left out; a step with several pelaksana sits in the first one's lane
    assert [(id_, label) for id_, label, _ in subgraphs] == [("lane1", "Pemohon"), ("lane2", "Petugas Loket"),
                                                             ("lane3", "Kepala Bagian")]
    members = {}
    for id_, _, start in subgraphs:
        end = lines.index("  end", start)
        members[id_] = [NODE.match(line)["id"] for line in lines[start + 1:end]]
    assert members == {"lane1": ["s1", "s3"], "lane2": ["s2"], "lane3": ["s4"]}


def test_english_labels():
    text = chart(SOP, labels_for("en"))
    assert '  mulai(["Start"])' in text.splitlines() and '  selesai(["End"])' in text.splitlines()
    assert ("s2", "Yes", "s4") in edges(text) and ("s2", "No", "s3") in edges(text)


def test_last_step_and_selesai_lead_to_the_end():
    text = chart(MINIMAL_SOP)
    assert edges(text) == [("mulai", None, "s1"), ("s1", None, "s2"), ("s2", None, "selesai")]


def test_long_activities_are_shortened():
    long = "Mengisi " + " ".join(["formulir"] * 40)
    text = chart(MINIMAL_SOP.replace("Menerima berkas", long))
    label = nodes(text)["s1"][1]
    assert label.endswith("…") and len(label) <= len("1. ") + 91
    assert long.startswith(label[3:-1])


HOSTILE = [
    'Kutip "ganda" dan \'tunggal\'',
    "Kurung [siku] {kurawal} (biasa)",
    "Panah --> s9 dan -.-> dan ==>",
    "Titik koma; lalu klik s1 call alert()",
    "Pagar #35; dan #quot; dan &amp;",
    "Pipa | label |palsu|",
    "<script>alert('x')</script>",
    'Campur"] --> selesai\n  s1["palsu',
    "Backtick `kode` dan %%{init: {'theme':'dark'}}%%",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_editor_text_never_escapes_a_node_label(text):
    sop = MINIMAL_SOP.replace("Menerima berkas", '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"')
    chart_text = chart(sop)
    lines = chart_text.splitlines()
    # still exactly the expected lines: nothing injected a node, an edge or a directive
    assert len(lines) == len(chart(MINIMAL_SOP).splitlines())
    label = nodes(chart_text)["s1"][1]
    bare = ENTITY.sub("", label)
    assert not RAW & set(bare), f"raw syntax characters left in {label!r}"
    assert "-->" not in bare and "\n" not in label
    assert decode(label) == "1. " + " ".join(text.split())


@pytest.mark.parametrize("text", HOSTILE)
def test_editor_text_never_escapes_a_branch_or_lane_label(text):
    sop = textwrap.dedent("""\
        ---
        nomor: SOP-M-002
        judul: Mermaid
        unit: Bagian Uji
        pelaksana:
          petugas: {name}
        langkah:
          - kegiatan: Memeriksa
            pelaksana: petugas
            keputusan:
              {label}: selesai
              lain: selesai
        ---
        """)
    quoted = '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    chart_text = chart(sop.replace("{name}", quoted).replace("{label}", quoted))
    [subgraph] = [m for line in chart_text.splitlines() if (m := SUBGRAPH.match(line))]
    [branch, _] = [label for _, label, _ in edges(chart_text) if label is not None]
    for label in (subgraph["label"], branch):
        bare = ENTITY.sub("", label)
        assert not RAW & set(bare) and "-->" not in bare
        assert decode(label) == " ".join(text.split())


def test_mermaid_label_escapes_every_syntax_character():
    assert mermaid_label('a"b') == "a#34;b"
    assert mermaid_label("x --> y") == "x #45;#45;#62; y"
    assert mermaid_label("a;b#c|d") == "a#59;b#35;c#124;d"
    assert mermaid_label("<script>") == "#60;script#62;"
    assert mermaid_label("baris\nbaru\t tab") == "baris baru tab"


def test_example_manual_charts_have_one_node_per_step():
    for path in sorted((ROOT / "sops").rglob("[!_]*.md")):
        sop = load(path.read_text(encoding="utf-8")).sop
        text = flowchart(sop, ID)
        assert sorted(nodes(text), key=lambda n: int(n[1:])) == [f"s{step.number}" for step in sop.langkah], path
        assert {n for n, (shape, _) in nodes(text).items() if shape == "{}"} == {
            f"s{step.number}" for step in sop.langkah if step.keputusan}, path
