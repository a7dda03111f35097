"""Shared fixtures: load SOP text, make throw-away manuals, build them with MkDocs."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from sop_manual.loading import LoadResult, load_bytes

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_DATE = "2026-11-21"
"""The date the example manual's review and monev dates were written for. Its mkdocs.yml reads ``today``
from SOP_TODAY: pinned here, its strict build does not start failing when a review falls due in real time."""
os.environ.setdefault("SOP_TODAY", EXAMPLE_DATE)
MERMAID_JS = ROOT / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
OUTPUT = ROOT / "tests" / "output"
"""Screenshots and PDF pages written for people to look at (gitignored)."""

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")

MINIMAL_SOP = textwrap.dedent(
    """\
    ---
    nomor: SOP-UJI-001
    judul: Prosedur Uji
    unit: [Organisasi Uji, Bagian Uji]
    status: berlaku
    pelaksana:
      petugas: Petugas
      kepala: Kepala Bagian
    langkah:
      - kegiatan: Menerima berkas
        pelaksana: petugas
        waktu: 10 menit
        output: Berkas diterima
      - kegiatan: Menyetujui berkas
        pelaksana: kepala
        waktu: 1 jam
        output: Berkas disetujui
    ---
    """
)


def load(text: str, name: str = "sops/uji.md") -> LoadResult:
    """Load SOP source text as the manual would, with ``name`` in messages."""
    return load_bytes(text.encode("utf-8"), name.removeprefix("sops/"), name)


@dataclass
class Project:
    """A throw-away manual: mkdocs.yml, docs/, sops/ in a temporary folder."""

    root: Path

    @property
    def sops(self) -> Path:
        return self.root / "sops"

    @property
    def site(self) -> Path:
        return self.root / "site"

    def add_sop(self, relative: str, text: str) -> Path:
        path = self.sops / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def add_doc(self, relative: str, text: str) -> Path:
        path = self.root / "docs" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def build(self, *args: str, strict: bool = True) -> subprocess.CompletedProcess:
        """Run a real ``mkdocs build``; the result has returncode, stdout and stderr (the log)."""
        command = [sys.executable, "-m", "mkdocs", "build", "-q" if "-v" not in args else "-v",
                   "-f", str(self.root / "mkdocs.yml"), "-d", str(self.site), *args]
        if strict:
            command.append("--strict")
        return subprocess.run(command, capture_output=True, text=True, cwd=self.root, env=os.environ.copy())

    def page(self, url: str) -> str:
        return (self.site / url / "index.html").read_text(encoding="utf-8")


PROJECT_CONFIG = """\
site_name: Manual Uji
theme:
  name: material
  language: {language}
  custom_dir: {overrides}
  font: false
plugins:
  - sop:
      organisation: Organisasi Uji
      today: "2026-01-01"
      mermaid_js: {mermaid_js}
{plugin_extra}
  - macros:
      modules: [sop_manual.macros]
      on_error_fail: true
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
"""


def make_project(root: Path, *, language: str = "id", plugin_extra: str = "", sops: dict[str, str] | None = None) -> Project:
    root.mkdir(parents=True, exist_ok=True)
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "index.md").write_text("# Beranda\n", encoding="utf-8")
    (root / "sops").mkdir(exist_ok=True)
    (root / "mkdocs.yml").write_text(
        PROJECT_CONFIG.format(language=language, overrides=ROOT / "overrides", mermaid_js=MERMAID_JS,
                              plugin_extra=textwrap.indent(plugin_extra, "      ")),
        encoding="utf-8",
    )
    project = Project(root)
    for relative, text in (sops or {}).items():
        project.add_sop(relative, text)
    return project


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return make_project(tmp_path / "manual")


def build_example(site: Path, engine: str = "mkdocs") -> Path:
    """Build the example manual of this repository into ``site`` with --strict (engine: mkdocs or properdocs)."""
    result = subprocess.run(
        [sys.executable, "-m", engine, "build", "--strict", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "SOP_PDF": "false"},
    )
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example manual of this repository, built once with --strict."""
    return build_example(tmp_path_factory.mktemp("example") / "site")


@pytest.fixture(scope="session")
def output_dir() -> Path:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    return OUTPUT


def chromium_path() -> str | None:
    return shutil.which("chromium") or (("/usr/bin/chromium") if Path("/usr/bin/chromium").exists() else None)


def search_fragments(site: Path) -> dict[str, dict]:
    """What the search index stored of every page, by URL (Pagefind fragments: gzip'd JSON after a signature)."""
    stored = (json.loads(gzip.decompress(path.read_bytes())[len("pagefind_dcd"):])
              for path in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")))
    return {fragment["url"]: fragment for fragment in stored}
