"""The self-check and the glossary in a real browser (the system Chromium): answering right and wrong by
keyboard and mouse, the feedback, the answers kept in the browser only, instant navigation, no outside request.

Shares the helpers of ``test_browser`` (served site, offline context, one Chromium per module).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from conftest import MINIMAL_SOP, make_project
from sop_manual.labels import labels_for
from test_browser import NO_STICKY_HEADER, browser, offline_context, serve  # noqa: F401 - browser is a fixture

pytestmark = pytest.mark.browser

L = labels_for("id")
SOP_URL = "sop/sistem-informasi/website-baru/"
READY = "() => document.querySelector('.sop-latihan[data-siap]') !== null"


@pytest.fixture(scope="module")
def site_url(example_site) -> Iterator[str]:
    with serve(example_site) as url:
        yield url


def focus_option(page, question, correct: bool) -> None:
    """Move the keyboard focus onto a right (or wrong) option of ``question`` with Tab, as a reader would."""
    question.locator("[data-pilihan]").first.focus()
    for _ in range(MAX_TABS):
        if page.evaluate("() => document.activeElement.hasAttribute('data-benar')") == correct:
            return
        page.keyboard.press("Tab")
    pytest.fail("no such option reachable by Tab")


MAX_TABS = 4


def feedback_of(question) -> tuple[str | None, str]:
    feedback = question.locator("[data-umpan-balik]")
    return (feedback.get_attribute("data-hasil") if feedback.is_visible() else None,
            feedback.inner_text() if feedback.is_visible() else "")


def test_answering_right_and_wrong_by_keyboard_and_mouse(browser, site_url, output_dir):
    with offline_context(browser) as offline:
        page = offline.context.new_page()
        page.goto(site_url + SOP_URL)
        page.wait_for_function(READY)
        questions = page.locator("[data-soal]")
        total = questions.count()
        assert total >= 3
        assert all(feedback_of(questions.nth(n)) == (None, "") for n in range(total))

        # keyboard: Tab to a wrong option, Enter
        first = questions.nth(0)
        focus_option(page, first, correct=False)
        outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none", "the keyboard focus is visible"
        page.keyboard.press("Enter")
        result, shown = feedback_of(first)
        assert result == "salah" and shown.startswith(L["latihan.wrong"])
        assert first.locator("[data-pilihan][aria-pressed=true]").count() == 1
        assert first.locator("[data-pilihan][aria-pressed=true]").get_attribute("data-benar") is None
        announced = page.locator("[data-pengumuman]")
        assert announced.get_attribute("aria-live") == "polite"
        assert announced.inner_text().startswith(L["latihan.wrong"])
        right_text = first.locator("[data-pilihan][data-benar]").inner_text()
        # the explanation names the right answer's step and links to its row of the steps table
        link = first.locator("[data-umpan-balik] a")
        step = link.get_attribute("data-step")
        assert link.inner_text() == L["latihan.see"].format(number=step)

        # keyboard: then the right one, with Space
        focus_option(page, first, correct=True)
        page.keyboard.press(" ")
        assert feedback_of(first)[0] == "benar"
        assert first.locator("[data-pilihan][data-benar]").inner_text() == right_text

        # mouse: a right and a wrong answer
        questions.nth(1).locator("[data-pilihan][data-benar]").click()
        assert feedback_of(questions.nth(1))[0] == "benar"
        questions.nth(2).locator("[data-pilihan]:not([data-benar])").first.click()
        assert feedback_of(questions.nth(2))[0] == "salah"
        assert page.locator("[data-skor]").inner_text() == L["latihan.score"].format(right=2, total=total)
        assert announced.inner_text() == f"{L['latihan.wrong']} {L['latihan.score'].format(right=2, total=total)}"
        page.locator(".sop-latihan-section").screenshot(path=str(output_dir / "latihan-dijawab.png"),
                                                         style=NO_STICKY_HEADER)

        link.click()
        assert page.url.endswith(f"#langkah-{step}")
        assert page.locator(f"tr#langkah-{step}[data-step='{step}']").is_visible()

        # the answers stay in this browser: back after a reload, gone after "start again"
        page.reload()
        page.wait_for_function(READY)
        assert [feedback_of(questions.nth(n))[0] for n in range(3)] == ["benar", "benar", "salah"]
        stored = page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('sop-latihan:'))")
        assert len(stored) == 1 and stored[0].startswith("sop-latihan:SOP-DSI-001:")
        page.locator("[data-ulangi]").click()
        assert all(feedback_of(questions.nth(n)) == (None, "") for n in range(total))
        assert page.locator("[data-skor]").is_hidden()
        assert page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('sop-latihan:'))") == []
        assert announced.inner_text() == L["latihan.cleared"]

        page.emulate_media(media="print")  # the printout is the official form: no self-check, no referenced-by
        assert page.locator(".sop-latihan-section").is_hidden()
        assert page.locator(".sop-dirujuk-section").is_hidden()
        assert page.locator(".sop-bagan").first.is_visible()
        assert offline.outside == []


def test_glossary_and_referenced_by_as_a_reader_sees_them(browser, site_url, output_dir):
    with offline_context(browser) as offline:
        page = offline.context.new_page()
        page.goto(site_url + "glosarium/")
        assert page.locator("[data-istilah]").count() >= 10
        page.screenshot(path=str(output_dir / "glosarium.png"), full_page=True)
        entry = page.locator('[data-istilah="Tiket layanan"]')
        entry.locator("a[data-sop-nomor]").first.click()
        page.wait_for_load_state("load")
        assert re.search(r"/sop/sistem-informasi/perbaikan-fitur/#definisi$", page.url)
        page.goto(site_url + "sop/sistem-informasi/pengelolaan-website/")
        listing = page.locator(".sop-dirujuk")
        assert listing.is_visible()
        listing.screenshot(path=str(output_dir / "dirujuk.png"), style=NO_STICKY_HEADER)
        assert offline.outside == []


def test_the_self_check_works_after_instant_navigation(browser, tmp_path_factory):
    """With Material's navigation.instant the SOP page is swapped in without a reload: the script, loaded on
    every page then, sets the new self-check up through document$; Mermaid still comes from the site."""
    steps = MINIMAL_SOP.replace("langkah:\n", """langkah:
  - kegiatan: Mencatat berkas di buku agenda
    pelaksana: petugas
    waktu: 5 menit
    output: Nomor agenda
""")
    project = make_project(tmp_path_factory.mktemp("instant") / "manual", sops={"uji.md": steps})
    config = project.root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("  font: false\n", "  font: false\n  features: [navigation.instant]\n")
    project.add_doc("index.md", "# Beranda\n\n[Prosedur Uji](sop/uji.md)\n")
    with serve(project.site) as url, offline_context(browser) as offline:
        # Material navigates instantly to the sitemap's pages only, matched by host and port: the site_url's
        config.write_text(f"site_url: {url}\n" + text, encoding="utf-8")
        result = project.build()
        assert result.returncode == 0, result.stderr
        page = offline.context.new_page()
        page.goto(url)
        page.wait_for_function("() => typeof document$ !== 'undefined'")
        # Material makes a link instant only once it has read the sitemap: on a loaded machine a click
        # before that is an ordinary reload, so wait until the page has fetched what it fetches
        page.wait_for_load_state("networkidle")
        page.evaluate("() => { window.sebelum = true; }")  # gone if the next page is a full reload
        page.locator("article a[href*='sop/uji']").click()
        page.wait_for_function(READY)
        assert page.evaluate("() => window.sebelum === true"), "instant navigation swapped the page in"
        page.locator(".sop-diagram svg").first.wait_for(timeout=20_000)  # the site's own Mermaid, loaded up front
        question = page.locator("[data-soal]").first
        question.locator("[data-pilihan][data-benar]").click()
        assert feedback_of(question)[0] == "benar"
        assert offline.outside == []
