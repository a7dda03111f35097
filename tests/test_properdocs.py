"""The second engine: ProperDocs (the MkDocs 1.x fork) builds the example manual as MkDocs does."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT, build_example

pytestmark = pytest.mark.slow

GENERATOR = re.compile(r'<meta name="generator" content="[^"]*">')


@pytest.fixture(scope="module")
def properdocs_site(tmp_path_factory):
    return build_example(tmp_path_factory.mktemp("properdocs") / "site", engine="properdocs")


def test_properdocs_builds_the_example_manual_strictly(properdocs_site):
    assert GENERATOR.search((properdocs_site / "index.html").read_text(encoding="utf-8")).group().count("ProperDocs")


def test_properdocs_sop_pages_match_mkdocs_apart_from_the_generator_tag(example_site, properdocs_site):
    pages = sorted(path.relative_to(example_site) for path in (example_site / "sop").rglob("index.html"))
    assert len(pages) == len(list((ROOT / "sops").rglob("*.md")))
    assert pages == sorted(path.relative_to(properdocs_site) for path in (properdocs_site / "sop").rglob("index.html"))
    for page in pages:
        ours, theirs = ((site / page).read_text(encoding="utf-8") for site in (example_site, properdocs_site))
        assert GENERATOR.sub("", ours) == GENERATOR.sub("", theirs), page
