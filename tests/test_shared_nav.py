"""The navigation sidebar drawn once per folder for the pages outside the navigation (shared_nav)."""

from __future__ import annotations

import os

import jinja2
import pytest

from conftest import ROOT
from sop_manual import shared_nav
from sop_manual.shared_nav import SharedNavigation
from test_parallel import build_in_process


def test_a_page_outside_the_navigation_shares_its_folders_navigation():
    nav = SharedNavigation(["", "katalog/", "unit/ti/", "sop/ti/dalam-nav/"])
    assert nav.key("sop/ti/a/", in_nav=False) == nav.key("sop/ti/b/", in_nav=False) == "sop/ti/"
    assert nav.key("sop/keu/a/", in_nav=False) == "sop/keu/"
    assert nav.key("sop/ti/a.html", in_nav=False) == nav.key("sop/ti/b.html", in_nav=False) == "sop/ti/"


def test_a_page_in_the_navigation_or_linked_into_draws_its_own():
    nav = SharedNavigation(["", "katalog/", "sop/ti/a/lampiran/"])
    assert nav.key("katalog/", in_nav=True) is None
    assert nav.key("", in_nav=False) is None
    assert nav.key("sop/ti/a/", in_nav=False) is None  # a link points into its folder: "./lampiran/" from it only
    assert nav.key("sop/ti/b/", in_nav=False) == "sop/ti/"


def test_the_navigation_is_drawn_once_per_key_by_the_themes_own_partial():
    theme = jinja2.DictLoader({
        "partials/nav.html": "<nav>{{ page }}|{{ count.append(1) or count|length }}</nav>",
        "sop/navigasi.html": (ROOT / "overrides" / "sop" / "navigasi.html").read_text(encoding="utf-8"),
    })
    env = jinja2.Environment(loader=theme)
    shared = SharedNavigation()
    shared.install(env)
    count = []
    drawn = [env.get_template("partials/nav.html").render(page=page, sop_nav_key=key, count=count)
             for page, key in [("a", "sop/ti/"), ("b", "sop/ti/"), ("c", None), ("d", "sop/keu/")]]
    assert drawn == ["<nav>a|1</nav>", "<nav>a|1</nav>", "<nav>c|2</nav>", "<nav>d|3</nav>"]


def test_without_the_projects_template_the_themes_partial_is_used_as_it_is():
    env = jinja2.Environment(loader=jinja2.DictLoader({"partials/nav.html": "<nav>{{ page }}</nav>"}))
    SharedNavigation().install(env)
    assert env.get_template("partials/nav.html").render(page="a", sop_nav_key="sop/") == "<nav>a</nav>"


@pytest.mark.slow
def test_the_example_is_the_same_with_the_navigation_drawn_for_every_page(example_site, tmp_path, monkeypatch):
    monkeypatch.setattr(shared_nav.SharedNavigation, "key", lambda self, page_url, in_nav: None)
    monkeypatch.setenv("SOP_PDF", "false")
    monkeypatch.chdir(ROOT)
    build_in_process(ROOT / "mkdocs.yml", tmp_path / "unshared")
    shared_pages = {path.relative_to(example_site).as_posix(): path.read_bytes()
                    for path in example_site.rglob("*.html") if "pagefind" not in path.parts}
    unshared = {path.relative_to(tmp_path / "unshared").as_posix(): path.read_bytes()
                for path in (tmp_path / "unshared").rglob("*.html") if "pagefind" not in path.parts}
    assert len([name for name in shared_pages if name.startswith("sop/")]) >= 10
    assert shared_pages.keys() == unshared.keys()
    assert [name for name in shared_pages if shared_pages[name] != unshared[name]] == []
