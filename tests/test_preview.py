"""Which pages a saved SOP touches (the preview server renders those again and replays the rest)."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from sop_manual.forms import sop_form_documents
from sop_manual.kept_site import ASIDE, KeptSite
from sop_manual.manual import LoadCache, load_manual
from sop_manual.pages import ManualPage, SiteOptions, manual_pages
from sop_manual.preview import DataPrints, PageMemory, manual_page_fingerprint, sop_fingerprints
from sop_manual.rendering import Renderer, Settings

from conftest import MINIMAL_SOP, ROOT

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
    edited = _manual(tmp_path, **{"a.md": MINIMAL_SOP.replace("Prosedur Uji", "Prosedur Baru")})
    assert manual_page_fingerprint(form, manual, "site") == manual_page_fingerprint(
        ManualPage("formulir/a.md", "Formulir", "f.html", {"sop": edited.by_nomor("SOP-UJI-003")}), edited, "site")
    assert manual_page_fingerprint(unit_page, manual, "site") != manual_page_fingerprint(
        ManualPage("unit/x.md", "Unit", "unit.html", {"unit": edited.units()[0]}), edited, "site")


def test_a_manual_wide_page_depends_on_the_values_its_data_holds_or_is_rendered_every_time(tmp_path):
    manual = _manual(tmp_path)
    counts = ManualPage("angka.md", "Angka", "n.html", {"count": 3, "names": ("a", "b")})
    assert manual_page_fingerprint(counts, manual, "site") == manual_page_fingerprint(
        ManualPage("angka.md", "Angka", "n.html", {"count": 3, "names": ("a", "b")}), manual, "site")
    assert manual_page_fingerprint(counts, manual, "site") != manual_page_fingerprint(
        ManualPage("angka.md", "Angka", "n.html", {"count": 4, "names": ("a", "b")}), manual, "site")
    computed = ManualPage("angka.md", "Angka", "n.html", {"count": lambda: len(manual.sops)})
    assert manual_page_fingerprint(computed, manual, "site") is None  # a function: what it gives is unseen


def _example(root, **edits):
    """The example manual's SOPs in ``root``, each edit (file -> (old, new)) applied."""
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(ROOT / "sops", root)
    for name, (old, new) in edits.items():
        text = (root / name).read_text(encoding="utf-8")
        assert old in text, (name, old)
        (root / name).write_text(text.replace(old, new), encoding="utf-8")
    return load_manual(root, "sops", dt.date(2026, 6, 1))


def _rendered(manual, renderer):
    """Every generated page and standalone document: uri -> (fingerprint, HTML)."""
    options = SiteOptions(pdf=True)
    prints = DataPrints(manual)
    pages = [*manual_pages(manual, renderer.labels, options), *sop_form_documents(manual, renderer.labels, options)]
    return {page.uri: (manual_page_fingerprint(page, manual, "site", prints),
                       renderer.manual_page(page, lambda sop: f"/{sop.source}", lambda uri: f"/{uri}"))
            for page in pages}


@pytest.mark.parametrize("edits", [
    {"umum-humas/publikasi-berita.md": ("redaktur: Redaktur Humas", "redaktur: Penyunting Berita")},  # a pelaksana renamed
    {"umum-humas/surat-masuk.md": ("judul: ", "judul: Tata Cara ")},
    {"sistem-informasi/website-baru.md": ("status: berlaku", "status: dicabut")},
], ids=["pelaksana-renamed", "judul", "revoked"])
def test_a_page_whose_fingerprint_did_not_change_is_exactly_what_rendering_it_again_gives(tmp_path, edits):
    """What the preview keeps must be what a fresh build writes: any page (role pages included) whose
    fingerprint stays the same after an edit renders the same; the others are the pages the edit touches."""
    renderer = Renderer([ROOT / "overrides"], Settings())
    before = _rendered(_example(tmp_path / "sops"), renderer)
    after = _rendered(_example(tmp_path / "sops", **edits), renderer)
    same = [uri for uri in before.keys() & after.keys() if before[uri][0] is not None and before[uri][0] == after[uri][0]]
    assert all(before[uri][1] == after[uri][1] for uri in same), [uri for uri in same if before[uri][1] != after[uri][1]]
    changed = [uri for uri in before.keys() & after.keys() if before[uri][1] != after[uri][1]]
    assert changed and len(same) > len(changed)  # the edit shows somewhere, and most pages are kept
    assert all(fingerprint is not None for fingerprint, _ in after.values())  # every page can be kept


def test_a_pelaksana_renamed_changes_the_role_pages_that_name_it(tmp_path):
    renderer = Renderer([ROOT / "overrides"], Settings())
    before = _rendered(_example(tmp_path / "sops"), renderer)
    after = _rendered(_example(tmp_path / "sops", **{
        "umum-humas/publikasi-berita.md": ("redaktur: Redaktur Humas", "redaktur: Penyunting Berita")}), renderer)
    assert "peran/penyunting-berita.md" in after and "peran/penyunting-berita.md" not in before
    assert before["peran/index.md"][0] != after["peran/index.md"][0]
    handing_over = [uri for uri, (_, html) in after.items()
                    if uri.startswith("peran/") and "Penyunting Berita" in html and uri != "peran/penyunting-berita.md"]
    assert handing_over and all(before[uri][0] != after[uri][0] for uri in handing_over if uri in before)


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


def _site(folder, files):
    for path, text in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(text, encoding="utf-8")


def _clean(folder):
    """What MkDocs does before a build: delete everything but hidden entries."""
    for entry in folder.iterdir():
        if not entry.name.startswith("."):
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()


def test_the_kept_site_keeps_files_written_under_the_same_fingerprint_and_nothing_else(tmp_path):
    site = tmp_path / "site"
    _site(site, {"sop/a/index.html": "a1", "sop/b/index.html": "b1", "sop/gone/index.html": "g1",
                 "index.html": "home", "pagefind/x.pf": "index"})
    kept = KeptSite(site)
    for path, fingerprint in {"sop/a/index.html": "fa", "sop/b/index.html": "fb", "sop/gone/index.html": "fg"}.items():
        kept.written(path, fingerprint)
    kept.set_aside()
    _clean(site)  # MkDocs cleans the site: the previous files are out of its way
    assert kept.keep("sop/a/index.html", "fa") == str(site / ASIDE / "sop/a/index.html")
    assert kept.keep("sop/b/index.html", "fb-changed") is None
    kept.restore()
    kept.close()
    files = sorted(path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file())
    assert files == ["sop/a/index.html"]  # the page rendered again, the deleted one, the rest: gone
    assert (site / "sop/a/index.html").read_text(encoding="utf-8") == "a1"
    assert not (site / "sop/gone").exists() and not list(site.glob(".*"))
    kept.written("sop/b/index.html", "fb-changed")
    kept.set_aside()
    assert kept.keep("sop/a/index.html", "fa") and kept.keep("sop/b/index.html", "fb-changed") is None  # not on disk


def test_after_a_failed_build_the_kept_site_keeps_nothing(tmp_path):
    site = tmp_path / "site"
    _site(site, {"sop/a/index.html": "a1"})
    kept = KeptSite(site)
    kept.written("sop/a/index.html", "fa")
    kept.set_aside()
    kept.forget()
    kept.set_aside()
    kept.close()
    assert kept.keep("sop/a/index.html", "fa") is None


def test_the_adapter_defines_each_method_once():
    """Several developers add to the plugin's hooks: a second ``on_build_error`` left by a merge would
    silently replace the first (the preview would then trust a failed build's files)."""
    import ast
    from collections import Counter

    tree = ast.parse((ROOT / "plugins" / "sop_manual" / "mkdocs_plugin.py").read_text(encoding="utf-8"))
    for cls in (node for node in tree.body if isinstance(node, ast.ClassDef)):
        names = Counter(node.name for node in cls.body if isinstance(node, ast.FunctionDef))
        assert [name for name, count in names.items() if count > 1] == [], cls.name
