"""Which pages a saved SOP touches (the preview server renders those again and replays the rest)."""

from __future__ import annotations

import datetime as dt

from sop_manual.manual import LoadCache, load_manual
from sop_manual.pages import ManualPage
from sop_manual.preview import PageMemory, manual_page_fingerprint, sop_fingerprints

from conftest import MINIMAL_SOP

LINKED = MINIMAL_SOP.replace("SOP-UJI-001", "SOP-UJI-002").replace("status: berlaku", "status: berlaku\nketerkaitan: [{nomor: SOP-UJI-001}]")
OTHER = MINIMAL_SOP.replace("SOP-UJI-001", "SOP-UJI-003")


def _manual(root, cache=None, **changed):
    files = {"a.md": MINIMAL_SOP, "b.md": LINKED, "c.md": OTHER, **changed}
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return load_manual(root, "sops", dt.date(2026, 1, 1), cache=cache)


def test_a_saved_sop_changes_its_page_and_the_pages_of_sops_linked_to_it_only(tmp_path):
    before = sop_fingerprints(_manual(tmp_path), "site")
    after = sop_fingerprints(_manual(tmp_path, **{"a.md": MINIMAL_SOP.replace("Prosedur Uji", "Prosedur Baru")}), "site")
    assert {source for source in before if before[source] != after[source]} == {"a.md", "b.md"}


def test_an_sop_linking_to_one_changes_the_linked_page_too(tmp_path):
    before = sop_fingerprints(_manual(tmp_path), "site")
    after = sop_fingerprints(_manual(tmp_path, **{"c.md": OTHER + "keterangan"}), "site")  # body text
    assert {source for source in before if before[source] != after[source]} == {"c.md"}
    linking = OTHER.replace("status: berlaku", "status: berlaku\nketerkaitan: [{nomor: SOP-UJI-002}]")
    after = sop_fingerprints(_manual(tmp_path, **{"c.md": linking}), "site")
    assert {source for source in before if before[source] != after[source]} == {"b.md", "c.md"}


def test_a_change_every_page_shows_renders_every_page_again(tmp_path):
    manual = _manual(tmp_path)
    before, after = sop_fingerprints(manual, "site"), sop_fingerprints(manual, "another navigation")
    assert all(before[source] != after[source] for source in before)


def test_a_manual_wide_page_depends_on_the_sops_its_data_holds(tmp_path):
    manual = _manual(tmp_path)
    unit_page = ManualPage("unit/x.md", "Unit", "unit.html", {"unit": manual.units()[0]})
    form = ManualPage("formulir/a.md", "Formulir", "f.html", {"sop": manual.by_nomor("SOP-UJI-003")})
    counts = ManualPage("angka.md", "Angka", "n.html", {"count": 3})
    assert manual_page_fingerprint(counts, manual, "site") is None  # no SOP in its data: rendered every time
    edited = _manual(tmp_path, **{"a.md": MINIMAL_SOP.replace("Prosedur Uji", "Prosedur Baru")})
    assert manual_page_fingerprint(form, manual, "site") == manual_page_fingerprint(
        ManualPage("formulir/a.md", "Formulir", "f.html", {"sop": edited.by_nomor("SOP-UJI-003")}), edited, "site")
    assert manual_page_fingerprint(unit_page, manual, "site") != manual_page_fingerprint(
        ManualPage("unit/x.md", "Unit", "unit.html", {"unit": edited.units()[0]}), edited, "site")


def test_the_load_cache_parses_only_changed_files_and_gives_the_same_manual(tmp_path):
    cache = LoadCache()
    first = _manual(tmp_path, cache)
    kept = {source: entry[3] for source, entry in cache.entries.items()}
    second = _manual(tmp_path, cache, **{"a.md": MINIMAL_SOP.replace("Prosedur Uji", "Prosedur Baru")})
    assert cache.entries["b.md"][3] is kept["b.md"] and cache.entries["a.md"][3] is not kept["a.md"]
    assert second.by_nomor("SOP-UJI-001").judul == "Prosedur Baru"
    assert [str(d) for d in second.diagnostics] == [str(d) for d in _manual(tmp_path, None, **{
        "a.md": MINIMAL_SOP.replace("Prosedur Uji", "Prosedur Baru")}).diagnostics]
    assert [s.source for s in first.sops] == [s.source for s in second.sops]


def test_page_memory_replays_a_page_only_under_the_same_fingerprint():
    memory = PageMemory()
    memory.remember("sop/a.md", "f1", "<html>a</html>")
    assert memory.recall("sop/a.md", "f1") == "<html>a</html>"
    assert memory.recall("sop/a.md", "f2") is None and memory.recall("sop/b.md", "f1") is None
    memory.keep_only(["sop/b.md"])
    assert memory.recall("sop/a.md", "f1") is None
