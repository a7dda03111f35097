"""The manual's search index: every page handed to Pagefind, with the roots of its Indonesian words.

Pagefind (its binary ships in the ``pagefind-bin-extended`` wheel) splits the
index into small chunks, so a reader downloads only what a query needs. Each
page is given to it as a small document (``sop/cari-dokumen.html``): the
page's content without the Mermaid source and the matrix, the SOP's number,
unit and status as metadata, its unit, status, classification and executors as
filters, and after a mark (:data:`ROOTS_MARK`) the roots of its affixed words
(:class:`~sop_manual.indonesian.Analyser`). The index language has no stemmer
(:data:`INDEX_LANGUAGE`), so a word typed as it appears ranks above a word of
the same root, which the browser finds through the roots (``sop-search.js``).

Nothing here imports MkDocs: an adapter collects the pages and calls
:meth:`SearchIndexer.start` once the site is written.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from .first_page import BUCKETS, FirstPages
from .first_page import FOLDER as FIRST_PAGE_FOLDER
from .indonesian import Analyser, words
from .model import AXES, Sop
from .rendering import Renderer

BUNDLE = "pagefind"
"""Site folder of Pagefind's bundle (``pagefind.js``, index chunks)."""
ROOTS_URI = "search/akar.json"
"""Site path of the roots the browser matches query words against, with their support."""
INDEX_LANGUAGE = "x-sop"
"""A language Pagefind has no stemmer for: the roots come from our analyser, not Snowball."""
WASM = "wasm.unknown.pagefind"
"""Pagefind's WebAssembly for an index language it has no stemmer for (:data:`INDEX_LANGUAGE`)."""
ROOTS_MARK = "\u2042"
"""Separates a page's text from its roots in Pagefind's content; the browser cuts excerpts there."""
EXCLUDED = ("[data-search-exclude]", ".mermaid", "script", "style")
"""Left out of the index: the Mermaid source and the matrix (``data-search-exclude``), code that is not text."""
RAM_FOLDER = Path("/dev/shm")
"""Where the staged documents go when it has room (Linux): a folder in memory. Creating thousands of
files and folders on a disk costs about half a millisecond of kernel time each; in memory, a twentieth."""

_MERMAID = re.compile(r'(<(pre|div) class="mermaid"[^>]*>)(.*?)(</\2>)', re.S)
_ID_TAG = re.compile(r"<(\w+)\b[^>]*\sid=[^>]*>")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_TAG = re.compile(r"<[^>]+>")


class SearchIndexError(Exception):
    """Pagefind is missing or failed; the message says what to do."""


@dataclass(frozen=True)
class SearchPage:
    """One page of the site as the index sees it."""

    dest: str
    """Path of its HTML file in the site (``sop/ti/x/index.html``); Pagefind derives the URL from it."""
    title: str
    """As MkDocs has it: HTML."""
    content: str
    """The page's content HTML (what the theme puts inside the article)."""
    sop: Sop | None = None
    listing: bool = False
    """A manual-wide page that lists SOPs (catalogue, units, roles…): its words count less than an SOP's own."""


LISTING_WEIGHT = 0.2
"""Pagefind weight of a listing page's words (1 is a page's text; headings weigh more)."""


_EXCLUDED_START = re.compile(r"<(\w+)\b[^>]*\sdata-search-exclude\b[^>]*>")


def page_text(content: str) -> str:
    """The words of a page's content HTML, without tags, the Mermaid source and what is marked
    ``data-search-exclude`` (for the vocabulary and the page's roots: what the index leaves out
    must not come back through the roots)."""
    return html.unescape(_TAG.sub(" ", _MERMAID.sub(" ", _without_excluded(content))))


def _without_excluded(content: str) -> str:
    """``content`` without the elements marked ``data-search-exclude`` (nested elements of the same name counted)."""
    return _outside_excluded(content, lambda start_tag, inner, end_tag: "")


def indexed_view(content: str) -> str:
    """What Pagefind reads of a page's content: the excluded elements (the matrix, the Mermaid source) kept
    as empty elements, with only the elements inside them that have an ``id``, also empty. The index is
    the same as from the whole content (Pagefind leaves out their text, and keeps their ids as anchors),
    from a third of the HTML: Pagefind parses less and holds less."""
    def emptied(start_tag: str, inner: str, end_tag: str) -> str:
        return start_tag + "".join(f"{tag.group(0)}</{tag.group(1)}>" if tag.group(1).lower() not in _VOID
                                   else tag.group(0) for tag in _tags_with(inner, "id=", _ID_TAG)) + end_tag

    return _MERMAID.sub(lambda match: emptied(match.group(1), match.group(3), match.group(4)),
                        _outside_excluded(content, emptied))


def _outside_excluded(content: str, replace) -> str:
    """``content`` with each element marked ``data-search-exclude`` (nested elements of the same name
    counted) replaced by ``replace(start_tag, inner_html, end_tag)``."""
    parts, position = [], 0
    while match := _next_tag_with(content, "data-search-exclude", _EXCLUDED_START, position):
        parts.append(content[position:match.start()])
        name, depth, end, close = match.group(1), 1, match.end(), None
        tags = re.compile(rf"<(/?){name}\b[^>]*>", re.I)
        while depth and (tag := tags.search(content, end)):
            depth += -1 if tag.group(1) else 1
            end, close = tag.end(), tag
        if depth:  # never closed: the rest of the content
            parts.append(replace(match.group(0), content[match.end():], ""))
            return "".join(parts)
        parts.append(replace(match.group(0), content[match.end():close.start()], close.group(0)))
        position = end
    parts.append(content[position:])
    return "".join(parts)


def _next_tag_with(content: str, text: str, pattern: re.Pattern, position: int) -> re.Match | None:
    """``pattern.search(content, position)`` for a pattern of a start tag that has ``text`` inside it, the same
    match found faster: only the tags around each ``text`` are tried (a pattern like ``<(\\w+)\\b[^>]*\\sid=``
    tried at every tag of a large page backtracks through each one)."""
    at = content.find(text, position)
    while at >= 0:
        start = max(content.rfind(">", position, at) + 1, position)  # the tag holding ``text`` starts after it
        while (start := content.find("<", start, at)) >= 0:
            if match := pattern.match(content, start):
                return match
            start += 1
        at = content.find(text, at + 1)
    return None


def _tags_with(content: str, text: str, pattern: re.Pattern) -> Iterator[re.Match]:
    """``pattern.finditer(content)`` for a pattern of a start tag that has ``text`` inside it (see
    ``_next_tag_with``)."""
    position = 0
    while match := _next_tag_with(content, text, pattern, position):
        yield match
        position = match.end()


def pagefind_binary() -> Path:
    try:
        from pagefind.service import get_executable
    except ImportError:
        get_executable = None
    binary = get_executable() if get_executable else None
    if binary is None:
        raise SearchIndexError("search: Pagefind is not installed; install this project's dependencies"
                               " (pip install -e .), which bring the 'pagefind[extended]' package")
    return binary


def staging_folder(size: int, ram: Path = RAM_FOLDER) -> Path:
    """A new temporary folder for about ``size`` bytes of staged documents: in memory (``ram``) when it
    has room for twice that, unless ``TMPDIR`` names a folder; else the system's temporary folder."""
    if "TMPDIR" not in os.environ and ram.is_dir():
        try:
            room = shutil.disk_usage(ram).free
            if room >= 2 * size:
                return Path(tempfile.mkdtemp(prefix="sop-search-", dir=ram))
        except OSError:  # not writable, gone meanwhile
            pass
    return Path(tempfile.mkdtemp(prefix="sop-search-"))


class IndexJob:
    """One Pagefind run over the staged documents; :meth:`wait` for it (the adapter may let it run on)."""

    def __init__(self, process: subprocess.Popen, staging: Path, log: Path) -> None:
        self.process = process
        self.staging = staging
        self.log = log

    def done(self) -> bool:
        return self.process.poll() is not None

    def wait(self) -> None:
        try:
            code = self.process.wait()
            if code != 0:
                output = self.log.read_text(encoding="utf-8", errors="replace")[-3000:]
                raise SearchIndexError(f"search: Pagefind failed (exit {code}):\n{output}")
        finally:
            shutil.rmtree(self.staging, ignore_errors=True)


class IndexCancelled(Exception):
    """The staging was abandoned for a newer build's."""


class BackgroundIndexJob:
    """:meth:`SearchIndexer.start` in a thread, for a preview server: staging thousands of documents
    takes seconds that the browser should not wait for. It starts after ``delay`` seconds unless cancelled
    meanwhile: an editor saving again soon gets the next preview without the staging competing for Python's
    lock with the server's file watcher and the rebuild. :meth:`wait` for the staging and Pagefind."""

    def __init__(self, indexer: SearchIndexer, pages: Iterable[SearchPage], site_dir: Path,
                 delay: float = 0.0) -> None:
        self.delay = delay
        self._job: IndexJob | None = None
        self._error: BaseException | None = None
        self._stop = threading.Event()
        self._lock = threading.Lock()
        """Held while the staging touches the site (the roots file, starting Pagefind) and by ``cancel``."""
        self._thread = threading.Thread(target=self._run, args=(indexer, list(pages), site_dir), daemon=True)
        self._thread.start()

    def _run(self, indexer: SearchIndexer, pages: list[SearchPage], site_dir: Path) -> None:
        def started(job: IndexJob) -> None:
            self._job = job

        try:
            if self._stop.wait(self.delay):
                raise IndexCancelled()
            indexer.start(pages, site_dir, self._stop, guard=self._lock, started=started)
        except IndexCancelled:
            pass
        except BaseException as exc:  # handed to wait()
            self._error = exc

    def cancel(self) -> None:
        """A newer build replaces this index: stop staging, stop Pagefind, leave the site alone. Returns at
        once: the staging thread touches the site no more and cleans up its own temporary files."""
        with self._lock:
            self._stop.set()
            job, self._job = self._job, None
        if job is not None:
            job.process.kill()
            job.process.wait()
            threading.Thread(target=shutil.rmtree, args=(job.staging,), kwargs={"ignore_errors": True},
                             daemon=True).start()

    def wait(self) -> None:
        self._thread.join()
        if self._error is not None:
            raise self._error
        if self._job is not None:
            self._job.wait()


class SearchIndexer:
    """Stages one document per page, writes the roots file and runs Pagefind on the site."""

    def __init__(self, renderer: Renderer) -> None:
        self.renderer = renderer

    def start(self, pages: Iterable[SearchPage], site_dir: Path, stop: threading.Event | None = None, *,
              guard: threading.Lock | None = None, started: Callable[[IndexJob], None] | None = None) -> IndexJob:
        """Stage and start Pagefind, and write the first pages (:mod:`~sop_manual.first_page`) while it runs; a
        set ``stop`` (a newer preview build) abandons the staging. ``guard``
        is held while the site is written to (after ``stop`` is checked), and ``started`` told of the
        running job before it is released: whoever sets ``stop`` under ``guard`` knows nothing more
        will be written."""
        stop = stop or threading.Event()
        guard = guard or threading.Lock()
        pages = list(pages)
        texts = []
        for page in pages:
            if stop.is_set():
                raise IndexCancelled()
            texts.append(page_text(page.content))

        def interrupt() -> None:  # the roots take seconds at thousands of pages: a newer build must not wait
            if stop.is_set():
                raise IndexCancelled()

        page_words = []
        for text in texts:
            interrupt()
            page_words.append(words(text))

        def vocabulary():
            for found in page_words:
                yield from found

        analyser = Analyser(vocabulary(), interrupt)
        binary = pagefind_binary()
        page_roots = [analyser.roots_of_words(found) for found in page_words]
        roots_file = site_dir / ROOTS_URI
        with guard:
            interrupt()
            roots_file.parent.mkdir(parents=True, exist_ok=True)
            roots_file.write_text(json.dumps(analyser.support, ensure_ascii=False, separators=(",", ":"),
                                             sort_keys=True), encoding="utf-8")
        staging = staging_folder(sum(len(page.content) for page in pages))
        job = None
        try:
            for page, roots in zip(pages, page_roots):
                if stop.is_set():
                    raise IndexCancelled()
                document = staging / "site" / page.dest
                document.parent.mkdir(parents=True, exist_ok=True)
                document.write_text(self.renderer.search_document(
                    page.title, indexed_view(page.content), page.sop, roots, INDEX_LANGUAGE, ROOTS_MARK,
                    weight=LISTING_WEIGHT if page.listing else None,
                ), encoding="utf-8")
            log = staging / "pagefind.log"
            with guard, log.open("w", encoding="utf-8") as output:
                interrupt()
                process = subprocess.Popen(
                    [str(binary), "--site", str(staging / "site"), "--output-path", str(site_dir / BUNDLE),
                     "--exclude-selectors", ", ".join(EXCLUDED), "--quiet"],
                    stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                )
                job = IndexJob(process, staging, log)
                if started is not None:
                    started(job)
            # While Pagefind runs: the first pages of one-word searches.
            first = first_pages(pages, page_words, page_roots, interrupt)
            with guard:
                interrupt()
                first.write(site_dir / FIRST_PAGE_FOLDER)
        except BaseException:
            if job is not None:
                job.process.kill()
                job.process.wait()
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return job

    def run(self, pages: Iterable[SearchPage], site_dir: Path) -> None:
        """Stage, run Pagefind and wait for it (for a worker process: see ``parallel``)."""
        self.start(pages, site_dir).wait()


def first_pages(pages: Sequence[SearchPage], page_words: Sequence[Sequence[str]],
                page_roots: Sequence[Sequence[str]], interrupt: Callable[[], None]) -> FirstPages:
    """The first page of every one-word search (:mod:`~sop_manual.first_page`), from what the index documents hold."""
    first = FirstPages()
    for page, found, roots in zip(pages, page_words, page_roots):
        interrupt()
        first.add(page.dest, page.title, page.content, found, roots, page.sop,
                  LISTING_WEIGHT if page.listing else None)
    first.compute(interrupt)
    return first


def browser_settings(labels) -> dict:
    """What the search box needs in the browser: its labels, the filters with their names, where the files are."""
    filters = [["unit", labels["unit"]], ["status", labels["axis.status"]],
               *([axis, labels[f"axis.{axis}"]] for axis in AXES), ["pelaksana", labels["col.pelaksana"]]]
    return {
        "labels": {key: value for key, value in labels.items() if key.startswith(("search.", "value."))},
        "filters": filters,  # a list: the template's tojson sorts the keys of a mapping
        "bundle": f"{BUNDLE}/pagefind.js",
        "entry": f"{BUNDLE}/pagefind-entry.json",
        "wasm": f"{BUNDLE}/{WASM}",
        "roots": ROOTS_URI,
        "mark": ROOTS_MARK,
        "first": {"folder": FIRST_PAGE_FOLDER, "buckets": BUCKETS},
    }
