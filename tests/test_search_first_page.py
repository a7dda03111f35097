"""The search's first page worked out at build time (first_page.py): its order, ids, cards and files.

The browser side (drawn before Pagefind answers, Pagefind's later results added without repeats) is tested
in test_search.py.
"""

from __future__ import annotations

import json
from types import SimpleNamespace

from sop_manual.first_page import BUCKETS, MIN_KEY, PAGE_SIZE, PREFIX, FirstPages, bucket, card
from sop_manual.indonesian import words
from sop_manual.search_index import LISTING_WEIGHT


def sop(nomor: str, status: str = "berlaku") -> SimpleNamespace:
    return SimpleNamespace(nomor=nomor, unit_path="Universitas / Biro Umum", status=status)


def index(*pages) -> FirstPages:
    """``pages``: (dest, title, body text, sop or None[, listing]) each; the body is also the content HTML."""
    first = FirstPages()
    for dest, title, body, of, *listing in pages:
        first.add(dest, title, f"<h1>{title}</h1><p>{body}</p>", words(f"{title} {body}"), [], of,
                  LISTING_WEIGHT if listing else None)
    return first


def lists(first: FirstPages, word: str) -> tuple[list[str], int, list[str], int]:
    """The in-force and revoked lists of ``word`` as page paths, with their counts."""
    data = first.compute()[bucket(word)]
    in_force, in_force_count, revoked, revoked_count = data["k"][word]
    return ([data["p"][str(page)][0] for page in in_force], in_force_count,
            [data["p"][str(page)][0] for page in revoked], revoked_count)


FILLER = " ".join(["arsip dokumen berkas"] * 10)


def test_revoked_sops_are_kept_apart_from_those_in_force():
    first = index(("sop/a/index.html", "Layanan Surat", f"permohonan {FILLER}", sop("A-1")),
                  ("sop/b/index.html", "Layanan Surat Lama", f"permohonan {FILLER}", sop("A-0", "dicabut")),
                  ("panduan/index.html", "Panduan", f"permohonan {FILLER}", None))
    in_force, in_force_count, revoked, revoked_count = lists(first, "permohonan")
    assert sorted(in_force) == ["panduan/", "sop/a/"] and in_force_count == 2  # a page without status is in force
    assert revoked == ["sop/b/"] and revoked_count == 1


def test_a_title_a_heading_then_the_text_and_a_listing_page_last():
    first = index(("sop/teks/index.html", "Layanan Arsip", f"permohonan permohonan {FILLER}", sop("T-1")),
                  ("sop/judul/index.html", "Permohonan Arsip", FILLER, sop("T-2")),
                  ("katalog/index.html", "Katalog", " ".join(["permohonan"] * 6) + FILLER, None, "listing"))
    first.add("sop/bagian/index.html", "Layanan Berkas", f"<h2>Permohonan</h2><p>{FILLER}</p>",
              words(f"Layanan Berkas Permohonan {FILLER}"), [], sop("T-3"), None)
    in_force, *_ = lists(first, "permohonan")
    assert in_force == ["sop/judul/", "sop/bagian/", "sop/teks/", "katalog/"]


def test_a_word_matches_the_words_it_starts_and_the_word_itself_weighs_more():
    first = index(("sop/panjang/index.html", "Layanan A", f"permohonannya {FILLER}", sop("P-1")),
                  ("sop/sama/index.html", "Layanan B", f"permohonan {FILLER}", sop("P-2")),
                  ("sop/lain/index.html", "Layanan C", f"pemohon {FILLER}", sop("P-3")))
    in_force, count, _, _ = lists(first, "permohonan")
    assert in_force == ["sop/sama/", "sop/panjang/"] and count == 2
    assert lists(first, "permohonannya")[0] == ["sop/panjang/"]


def test_the_roots_after_the_mark_are_words_of_the_page():
    first = FirstPages()
    first.add("sop/a/index.html", "Layanan", "<p>Memohon izin</p>", "Memohon izin", ["mohon"], sop("R-1"), None)
    assert lists(first, "mohon")[0] == ["sop/a/"]


def test_each_list_holds_the_first_page_and_counts_the_rest():
    first = index(*((f"sop/s{number:02d}/index.html", f"Layanan {number}", f"surat {FILLER}", sop(f"S-{number}"))
                    for number in range(PAGE_SIZE + 5)))
    in_force, count, revoked, revoked_count = lists(first, "surat")
    assert len(in_force) == PAGE_SIZE and count == PAGE_SIZE + 5 and (revoked, revoked_count) == ([], 0)
    assert in_force == sorted(in_force)  # equal scores: the earlier page first, every build the same


def test_a_card_holds_what_a_result_shows_before_its_fragment():
    assert card("sop/ti/akun/index.html", "Permohonan &amp; <em>Akun</em>", sop("SOP-DSI-000", "dicabut")).row() == [
        "sop/ti/akun/", "Permohonan & Akun", "SOP-DSI-000", "Universitas / Biro Umum", "dicabut"]
    assert card("index.html", "Beranda", None).row() == ["", "Beranda", "", "", ""]
    assert card("katalog.html", "Katalog", None).path == "katalog.html"  # use_directory_urls: false


def test_the_files_hold_every_word_of_three_letters_or_more_in_its_bucket(tmp_path):
    first = index(("sop/a/index.html", "Surat Masuk", "di ke agenda surat keluar", sop("X-1")),
                  ("sop/b/index.html", "Arsip", "penyimpanan arsip surat", sop("X-2")))
    folder = tmp_path / "search" / "pertama"
    folder.mkdir(parents=True)
    (folder / "stale.json").write_text("{}", encoding="utf-8")
    written = first.write(folder)
    files = {path.name: json.loads(path.read_text(encoding="utf-8")) for path in folder.iterdir()}
    assert len(files) == written <= BUCKETS and "stale.json" not in files
    keys = {key: name for name, data in files.items() for key in data["k"]}
    assert set(keys) == {"surat", "masuk", "agenda", "keluar", "penyimpanan", "arsip"}
    assert all(name == f"{bucket(key):02x}.json" for key, name in keys.items())
    # the words shorter than PREFIX (here also the SOP numbers' "x"), for the browser's rule on words that no
    # word starts with
    assert all(data["s"] == ["di", "ke", "x"] for data in files.values())
    surat = files[keys["surat"]]
    assert [surat["p"][str(page)][0] for page in surat["k"]["surat"][0]] == ["sop/a/", "sop/b/"]


def test_the_bucket_is_decided_by_the_first_letters():
    assert bucket("permohonan") == bucket("permintaan") == bucket("perm") and PREFIX == 4 and MIN_KEY == 3
    assert len({bucket(word) for word in ("surat", "arsip", "kirim", "mohon", "data", "akun", "cuti")}) > 3
    assert all(0 <= bucket(word) < BUCKETS for word in ("a", "zzz", "pengiriman"))


def test_a_revoked_list_only_when_the_pages_in_force_do_not_fill_a_page():
    many = [(f"sop/s{number:02d}/index.html", f"Layanan {number}", f"surat {FILLER}", sop(f"S-{number}"))
            for number in range(PAGE_SIZE)]
    first = index(*many, ("sop/lama/index.html", "Layanan Lama", f"surat arsip {FILLER}", sop("S-0", "dicabut")))
    assert lists(first, "surat")[2:] == ([], 1)  # never reached: the pages in force fill the first page
    few = index(many[0], ("sop/lama/index.html", "Layanan Lama", f"surat {FILLER}", sop("S-0", "dicabut")))
    assert lists(few, "surat")[2:] == (["sop/lama/"], 1)
