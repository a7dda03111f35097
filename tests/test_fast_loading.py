"""The fast loading paths (libyaml composing, the compiled schema) give exactly what the slow ones give.

Every SOP this repository holds (the example manual, the fixtures, the hostile corpus, valid and
broken) is read both ways: the same data, the same lines, the same verdict of the schema.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from sop_manual import schema, yaml_source
from sop_manual.loading import load_bytes
from sop_manual.yaml_source import SourceError

from conftest import MINIMAL_SOP, ROOT

SOURCES = sorted([*(ROOT / "sops").rglob("*.md"), *(ROOT / "tests" / "fixtures" / "sops").rglob("*.md"),
                  *(ROOT / "tests" / "hostile").rglob("*.md")])


def _outcome(text: str):
    try:
        return dataclasses.asdict(yaml_source.parse_document(text))
    except SourceError as error:
        return (error.line, error.location, error.message)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_libyaml_and_pure_python_read_every_file_alike(path, monkeypatch):
    text = path.read_bytes().decode("utf-8", "replace").replace("\r\n", "\n")
    fast = _outcome(text)
    monkeypatch.setattr(yaml_source, "_fast_composable", lambda yaml_text: False)
    assert fast == _outcome(text)


def test_the_example_manual_is_composed_by_libyaml():
    """Otherwise the test above compares the slow path with itself."""
    for path in (ROOT / "sops").rglob("*.md"):
        yaml_text, _, _ = yaml_source.split_front_matter(path.read_text(encoding="utf-8"))
        assert yaml_source._fast_composable(yaml_text), path


@pytest.mark.parametrize("yaml_text", [
    "[" * 2000 + "]" * 2000,
    "\n".join(" " * level + "- " for level in range(0, 2400, 2)),
    "a: [" + ", ".join(["x"] * 20_000) + "]",
])
def test_deep_or_huge_yaml_never_reaches_libyaml(yaml_text):
    """libyaml composes recursively in C without limits: these would exhaust its stack or the node limit."""
    assert not yaml_source._fast_composable(yaml_text)


def test_deep_nesting_still_gets_its_message_and_line():
    text = "---\nnomor: X\nlangkah: " + "[" * 5000 + "]" * 5000 + "\n---\n"
    result = load_bytes(text.encode(), "uji.md", "sops/uji.md")
    assert [str(d) for d in result.diagnostics] == ["sops/uji.md:3: nested more than 40 levels deep"]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_compiled_schema_accepts_exactly_what_jsonschema_accepts(path):
    try:
        document = yaml_source.parse_document(path.read_bytes().decode("utf-8", "replace"))
    except SourceError:
        pytest.skip("not YAML")
    data = schema._as_written(document, schema.cleaned(document))
    assert schema.is_valid(data) == (not list(schema._validator().iter_errors(data)))


@pytest.mark.parametrize("change, field", [
    ("tanggal: {efektif: 2024-02-30}", "tanggal.efektif"),
    ("tinjauan: {siklus: 3 purnama}", "tinjauan.siklus"),
    ("status: aktif", "status"),
    ("klasifikasi: {jenis: umum}", "klasifikasi.jenis"),
])
def test_the_compiled_schema_refuses_what_jsonschema_refuses(change, field):
    result = load_bytes(MINIMAL_SOP.replace("status: berlaku", change).encode(), "uji.md", "sops/uji.md")
    assert [d.location for d in result.diagnostics if d.is_error] == [field]
