"""MkDocs adapter: SOP sources in, pages, navigation and assets out.

All SOP knowledge lives in the core modules; this module only maps MkDocs
events onto them: it loads the manual, adds one virtual page per SOP and one
per manual-wide page of the core (``pages.manual_pages``: catalogue, units…),
places those in the navigation where the core says, renders them through the
core renderer, and reports problems through MkDocs logging (errors stop the
build, warnings fail ``--strict``).
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import posixpath
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url
from markupsafe import escape

from .book import FrontPage
from .diagnostics import Diagnostic
from .documents import BookOptions, site_documents
from .feed import atom_feed
from .history import GitHistory
from .forms import sop_form_documents
from .manual import LoadCache, Manual, load_manual
from .model import Sop
from .parallel import FinishedJob, ForkedJob, SharedWork, start_forked
from .pages import ManualPage, SiteOptions, manual_pages, role_pdf_uri, sop_forms_uri, sop_pdf_uri, sop_uri, unit_uri
from .kept_site import KeptSite
from .paging import PAGE_SIZE, ROLE_PAGE_SIZE, sop_list_pages
from .project_config import check_date
from .preview import DataPrints, PageMemory, digest, manual_page_fingerprint, sop_fingerprints
from .rendering import Renderer, Settings
from .roles import manual_roles
from .schema import schema_text
from .selfcheck import Distractors
from .shared_nav import SharedNavigation
from .search_index import BackgroundIndexJob, SearchIndexer, SearchIndexError, SearchPage, browser_settings

log = get_plugin_logger(__name__)

SCHEMA_URI = "schema/sop.schema.json"
FEED_URI = "perubahan.xml"
MERMAID_URI = "assets/javascripts/mermaid.min.js"
AHEAD_SHARE = 0.45
"""Part of the generated pages whose content a child process renders in a full build (the last ones: the
manual-wide pages, the heaviest, come last), while MkDocs converts the Markdown of all and the first ones."""
BODY_MARK = "\0sop-body\0"
"""Where the child leaves an SOP's body, converted later by MkDocs (see ``on_pre_page``)."""
SERVE_INDEX_DELAY = 1.5
"""Seconds after a preview's build before its search index is staged (``BackgroundIndexJob``)."""
WHOLE_HEAP_SWEEPS = 100
"""In a full build, Python's collector sweeps the whole heap once per this many sweeps of the middle
generation (its default: 10); see ``_hold_heap``."""


class BookConfig(base.Config):
    """The Dokumen SOP book (PDF, with ``pdf: true``)."""

    front = c.ListOfItems(c.Type(str), default=[])
    """Hand-written pages after the cover (Keputusan Pimpinan, foreword…): Markdown files in docs/."""
    units = c.Type(bool, default=True)
    """Also one book per unit."""


class SopPluginConfig(base.Config):
    sops_dir = c.Type(str, default="sops")
    """Folder of the SOP sources, relative to mkdocs.yml."""
    url_prefix = c.Type(str, default="sop")
    """Site folder of the SOP pages: ``sops/ti/x.md`` becomes ``<url_prefix>/ti/x/``."""
    units_prefix = c.Type(str, default="unit")
    roles_prefix = c.Type(str, default="peran")
    """Site folder of the role index and the role pages."""
    catalogue = c.Type(str, default="katalog.md")
    """Page listing every SOP; generated unless docs/ has a page of that name."""
    templates_dir = c.Optional(c.Type(str))
    """Folder holding ``sop/*.html``; defaults to the theme's custom_dir."""
    language = c.Optional(c.Type(str))
    """Label language (``id`` or ``en``); defaults to the theme language."""
    labels = c.Type(dict, default={})
    organisation = c.Type(str, default="")
    logo = c.Type(str, default="")
    """Logo for the identity sheet, a path inside docs/."""
    hours_per_day = c.Type(int, default=8)
    steps_per_page = c.Type(int, default=10)
    mermaid_js = c.Optional(c.Type(str))
    """Local mermaid.min.js (e.g. node_modules/mermaid/dist/mermaid.min.js) served from the site itself."""
    pdf = c.Type(bool, default=False)
    forms = c.Type(bool, default=True)
    """The official forms: monitoring per unit, evaluation and dissemination per SOP (pages, and PDFs)."""
    book = c.SubConfig(BookConfig)
    today = c.Optional(c.Type((str, dt.date)))
    """ISO date used for the overdue-review check (default: the build date)."""
    search = c.Type(bool, default=True)
    """Index every page with Pagefind and put the search box in the header (replaces Material's search plugin)."""
    git_history = c.Type(bool, default=True)
    """Describe each version's changes from the git history of the SOP files (when built from a git checkout)."""
    changelog = c.Type(bool, default=True)
    """Generate the changelog page (every revision of every SOP, newest first)."""
    feed = c.Type(bool, default=True)
    """Write the Atom feed of revisions (``perubahan.xml``), linked from every page's head."""
    dashboard = c.Type(bool, default=True)
    """Generate the quality team's dashboard."""
    page_size = c.Type(int, default=PAGE_SIZE)
    """SOPs per page of the catalogue, a unit page and a ``sop_list``; longer ones continue on numbered pages."""
    role_page_size = c.Type(int, default=ROLE_PAGE_SIZE)
    """Steps per role page (each SOP's heading counts as one); a longer role continues on numbered pages."""


class SopPlugin(BasePlugin[SopPluginConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.manual = Manual()
        self.renderer: Renderer | None = None
        self.site_options = SiteOptions()
        """Where generated pages go, from this build's config (set in ``on_config``)."""
        self.sop_files: dict[str, Sop] = {}
        self.manual_pages: dict[str, ManualPage] = {}
        """Manual-wide pages this plugin generates, by source URI."""
        self.unit_of: dict[str, str] = {}
        """SOP source -> its unit page's URI."""
        self.files: Files | None = None
        self.distractors = Distractors()
        """Wrong answers for the self-checks, from the whole manual (once per build)."""
        self.root = Path()
        self.today: dt.date | None = None
        """The ``today`` setting (``None``: the date of each build)."""
        self.search_pages: list[SearchPage] = []
        self.indexed = 0
        """Pages handed to the search index (on_env)."""
        self.ahead: SharedWork | None = None
        """Page contents a child process renders ahead in a full build (``on_pre_page``)."""
        self.gc_threshold: tuple[int, int, int] | None = None
        """Python's collector thresholds before a full build changed them (``_hold_heap``)."""
        self.in_nav: set[str] = set()
        """Source URIs of the pages in the navigation (``on_nav``)."""
        self.shared_nav = SharedNavigation()
        """The navigation sidebar drawn once per folder for the pages outside the navigation."""
        self.search_job: BackgroundIndexJob | ForkedJob | FinishedJob | None = None
        self.forms_job: ForkedJob | FinishedJob | None = None
        """A full build's per-SOP form documents, written into the site while MkDocs converts the pages."""
        self.serving = False
        """Under ``mkdocs serve``: problems show in the pages, unchanged pages are replayed."""
        self.load_cache: LoadCache | None = None
        self.dirty = False
        self.kept_site: KeptSite | None = None
        """The site folder's files kept from one rebuild to the next (serve)."""
        self.kept_files: list[File] = []
        """Files of this build kept as the previous build wrote them (serve)."""
        self.base_signature = ""
        """What every generated file shows besides its own data, but the navigation (serve)."""
        self.feed_memo: tuple[str, dict] = ("", {})
        """The feed's entries as rendered under a base signature (serve)."""
        self.contents = PageMemory()
        """Content of the manual-wide pages in the navigation (MkDocs renders those every time) (serve)."""
        self.fingerprints: dict[str, str] = {}
        """Page URI -> fingerprint it is being rendered under (serve)."""
        self.sop_prints: dict[str, str] = {}
        """SOP page URI -> its fingerprint but for the self-check's wrong answers (serve)."""
        self.pool_reads: dict[str, tuple] = {}
        """SOP page URI -> the manual-wide wrong answers its self-check read when last rendered (serve)."""
        self.content_prints: dict[str, str] = {}
        """Manual-wide page URI in the navigation -> fingerprint of its content (serve)."""
        self.problems: dict[str, list[Diagnostic]] = {}
        """Page URI -> the problems of its SOP file, shown on the page (serve)."""
        self.urls: dict[str, str] = {}
        """Source URI -> URL of every file (set in ``on_nav``; under serve, pages kept as they were too)."""
        self.searched: dict[str, tuple[str, SearchPage]] = {}
        """Page URI -> (fingerprint, what the search index got of it): replayed pages stay searchable (serve)."""
        self.site_dir = Path()
        self.front_pages: dict[str, tuple[FrontPage, str]] = {}
        """Front page URI -> the page as rendered, and the URL of its folder in the built site."""
        self.history: GitHistory | None = None
        """Reads the git history of the SOP files; kept between the rebuilds of ``mkdocs serve``."""
        self.versions: dict[str, dict] = {}
        """SOP source -> versi -> what that version changed (``history.VersionChanges``)."""
        self.lists_on: dict[str, int] = {}
        """Page URI -> how many ``sop_list`` lists it holds so far (this build)."""
        self.list_documents: dict[str, str] = {}
        """Site path -> page 2, 3… of a long ``sop_list`` (written after the build)."""

    # configuration --------------------------------------------------------

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also keeps this instance (and its caches) from one rebuild to the next.
        self.serving = command == "serve"
        self.dirty = dirty
        self.load_cache = LoadCache() if self.serving else None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.serving and self.kept_site is not None:  # a rebuild of mkdocs serve: see _quiet_rebuild
            self._quiet_rebuild()
        self._hold_heap()
        self.root = Path(config.config_file_path or ".").parent.resolve()
        try:
            self.today = check_date(self.config.today)
        except ValueError as exc:
            raise PluginError(f"sop: today: {exc}") from None
        self.site_dir = Path(config.site_dir)
        if self.serving and (self.kept_site is None or self.kept_site.site_dir != self.site_dir):
            self.kept_site = KeptSite(self.site_dir, cleaned=not self.dirty)
        templates = self.config.templates_dir or config.theme.custom_dir or str(self.root / "overrides")
        language = self.config.language or config.theme.get("language") or "id"
        settings = Settings(
            language=language,
            labels=self.config.labels,
            organisation=self.config.organisation,
            logo=self.config.logo,
            hours_per_day=self.config.hours_per_day,
            steps_per_page=self.config.steps_per_page,
        )
        if self.renderer is None or (self.renderer.template_dirs, self.renderer.settings) != ([Path(templates)], settings):
            try:  # kept from one serve rebuild to the next: its templates are compiled once (Jinja reloads edited ones)
                self.renderer = Renderer([Path(templates)], settings, reload_templates=self.serving)
            except KeyError as exc:
                raise PluginError(f"sop: labels: {exc.args[0]}") from None
        if not (Path(templates) / "sop" / "page.html").is_file():
            raise PluginError(f"sop: no SOP templates in {templates}/sop/ (templates_dir or theme.custom_dir)")
        if self.config.logo and not (Path(config.docs_dir) / self.config.logo).is_file():
            raise PluginError(f"sop: logo: {self.config.logo} is not a file in {config.docs_dir}")
        for front in self.config.book.front:
            if not (Path(config.docs_dir) / front).is_file():
                raise PluginError(f"sop: book.front: {front} is not a file in {config.docs_dir}")
        for option in ("page_size", "role_page_size"):
            if self.config[option] < 1:
                raise PluginError(f"sop: {option}: must be 1 or more, not {self.config[option]}")
        if self.config.mermaid_js:
            if not self._path(self.config.mermaid_js).is_file():
                raise PluginError(
                    f"sop: mermaid_js: {self.config.mermaid_js} does not exist; install it with 'npm ci'"
                )
            config.extra["sop_mermaid_js"] = MERMAID_URI  # overrides/main.html loads it where needed
        elif config.theme.name == "material":
            log.warning("mermaid_js is not set: Material will load Mermaid from unpkg.com, which an intranet"
                        " without internet cannot reach (set it to node_modules/mermaid/dist/mermaid.min.js)")
        if self.config.search:
            if {"search", "material/search"} & set(config.plugins):
                log.warning("the 'search' plugin is enabled: remove it from mkdocs.yml, the sop plugin indexes the"
                            " manual itself (Pagefind, Indonesian-aware) and puts its search box in the header")
            config.extra["sop_search"] = browser_settings(self.renderer.labels)
        if self.config.feed:  # overrides/main.html links it from every page's head
            config.extra["sop_feed"] = FEED_URI
            config.extra["sop_feed_title"] = self.renderer.labels["feed.title"].format(name=_name(config, self.config))
        # once per build, not per link: every SOP link of every page asks for the URL prefix
        self.site_options = SiteOptions(
            url_prefix=self.config.url_prefix, units_prefix=self.config.units_prefix,
            catalogue=self.config.catalogue, pdf=self.config.pdf, roles_prefix=self.config.roles_prefix,
            forms=self.config.forms, changelog=self.config.changelog,
            dashboard=self.config.dashboard, feed=FEED_URI if self.config.feed else "",
            page_size=self.config.page_size, role_page_size=self.config.role_page_size)
        return config

    def _path(self, relative: str) -> Path:
        return (self.root / relative).resolve()

    # sources --------------------------------------------------------------

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        self.search_pages = []
        self.lists_on, self.list_documents = {}, {}
        self.urls = {}
        self.manual = load_manual(self._path(self.config.sops_dir), self.config.sops_dir, self.today or dt.date.today(),
                                  cache=self.load_cache, parallel=not self.serving)
        options = self.site_options
        self.sop_files = {}
        page_of: dict[str, str] = {}
        page_url: dict[str, str] = {}
        clashes = []
        for sop in self.manual.sops:
            uri = sop_uri(sop, options)
            file = File.generated(config, uri, content=_page_source(sop.judul, sop.body),
                                  inclusion=InclusionLevel.NOT_IN_NAV)
            shown = f"{self.config.sops_dir.rstrip('/')}/{sop.source}"
            if file.dest_uri in page_of:  # sops/ti.md and sops/ti/index.md (or README.md): one page
                clashes.append(Diagnostic(shown, 1, "", f"its page would be {file.url}, the page of"
                                          f" {page_of[file.dest_uri]} too: rename one of the two files"))
                continue
            page_of[file.dest_uri] = shown
            files.append(file)
            self.sop_files[uri] = sop
            page_url[sop.source] = file.url
        if self.serving:
            self._show_problems(self.manual.diagnostics + clashes, files, config, page_of)
        else:
            self._report(self.manual.diagnostics + clashes)
        self.versions = self._history().versions(self.manual.sops) if self.config.git_history else {}
        for attachment in self.manual.attachments:
            files.append(File.generated(config, f"{options.url_prefix.strip('/')}/{attachment}",
                                        abs_src_path=str(self._path(self.config.sops_dir) / attachment)))
        self.unit_of = {sop.source: unit_uri(unit, options) for unit in self.manual.units() for sop in unit.sops}
        self.distractors = Distractors.of(self.manual.sops, self.manual.role_aliases)
        self.manual_pages = {}
        for manual_page in manual_pages(self.manual, self.renderer.labels, options):
            if files.get_file_from_path(manual_page.uri) is not None:
                log.debug(f"{manual_page.uri}: docs/ has a page of that name; it replaces the generated one")
                continue
            inclusion = InclusionLevel.UNDEFINED if manual_page.listed else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, manual_page.uri, content=_page_source(manual_page.title, ""),
                                        inclusion=inclusion))
            self.manual_pages[manual_page.uri] = manual_page
        self.kept_files = []
        if self.kept_site is not None:
            self.base_signature = self._site_signature(files, config)
            prints = DataPrints(self.manual)
        form_documents = list(sop_form_documents(self.manual, self.renderer.labels, options))
        if self.serving:
            for document in form_documents:
                fingerprint = manual_page_fingerprint(document, self.manual, self.base_signature, prints)
                if kept := self.kept_site.keep(document.uri, fingerprint):
                    self.kept_files.append(File.generated(config, document.uri, abs_src_path=kept))
                    files.append(self.kept_files[-1])
                    continue
                files.append(File.generated(config, document.uri, content=self._standalone(document, files)))
                self.kept_site.written(document.uri, fingerprint)
        else:  # written into the site by a child process meanwhile (see on_env); MkDocs finds them in place
            for document in form_documents:
                files.append(File.generated(config, document.uri, abs_src_path=str(self.site_dir / document.uri)))
        files.append(File.generated(config, SCHEMA_URI, content=schema_text()))
        if self.config.feed:
            if self.feed_memo[0] != self.base_signature:  # other templates or labels: every entry again
                self.feed_memo = (self.base_signature, {})
            files.append(File.generated(config, FEED_URI, content=atom_feed(
                self.manual, self.renderer.render, self.renderer.labels, name=_name(config, self.config),
                feed_uri=FEED_URI, page_path=lambda sop: page_url[sop.source], site_url=config.site_url or "",
                versions=self.versions, memo=self.feed_memo[1] if self.kept_site is not None else None)))
        if self.config.mermaid_js:
            files.append(File.generated(config, MERMAID_URI, abs_src_path=str(self._path(self.config.mermaid_js))))
        self.files = files
        self._hold_heap()
        if not self.serving:
            self.forms_job = start_forked(self._write_standalone, form_documents, files)
        return files

    def _write_standalone(self, documents: list[ManualPage], files: Files) -> None:
        for document in documents:
            _write(self.site_dir / document.uri, self._standalone(document, files).encode("utf-8"))

    def _history(self) -> GitHistory:
        sops_root = self._path(self.config.sops_dir)
        if self.history is None or (self.history.sops_root, self.history.labels) != (sops_root, self.renderer.labels):
            self.history = GitHistory(sops_root, self.renderer.labels)
        return self.history

    def _standalone(self, document: ManualPage, files: Files) -> str:
        """A core document that is a plain file of the site, not a page (its URL is its path)."""
        def link(target: str) -> str:
            file = files.get_file_from_path(target)
            return get_relative_url(file.url if file is not None else target, document.uri)

        return self.renderer.manual_page(document, lambda sop: link(sop_uri(sop, self.site_options)), link)

    def _report(self, diagnostics: list[Diagnostic]) -> None:
        for diagnostic in diagnostics:
            (log.error if diagnostic.is_error else log.warning)(str(diagnostic))
        errors = sum(1 for d in diagnostics if d.is_error)
        if errors:
            raise PluginError(f"sop: {errors} error(s) in the SOP sources (listed above); the manual was not built")

    def _show_problems(self, diagnostics: list[Diagnostic], files: Files, config: MkDocsConfig,
                       page_of: dict[str, str]) -> None:
        """Under ``mkdocs serve``, a build with errors would leave the browser on a stale page: each
        SOP file's problems go on its page instead (a file that could not be read gets a page at its
        URL), and the terminal lists them without failing the rebuild."""
        self.problems = {}
        folder = self.config.sops_dir.rstrip("/") + "/"
        uri_of = {f"{folder}{sop.source}": uri for uri, sop in self.sop_files.items()}
        for diagnostic in diagnostics:
            log.info(f"{diagnostic.severity.name.lower()}: {diagnostic}")
            uri = uri_of.get(diagnostic.file)
            if uri is None and diagnostic.file.startswith(folder) and diagnostic.file.endswith(".md"):
                uri = f"{self.site_options.url_prefix.strip('/')}/{diagnostic.file.removeprefix(folder)}"
                title = self.renderer.labels["problems.title"].format(file=diagnostic.file)
                file = File.generated(config, uri, content=_page_source(title, ""), inclusion=InclusionLevel.NOT_IN_NAV)
                if file.dest_uri in page_of:
                    uri = None
                else:
                    page_of[file.dest_uri] = diagnostic.file
                    files.append(file)
                    uri_of[diagnostic.file] = uri
            if uri is not None:
                self.problems.setdefault(uri, []).append(diagnostic)
        errors = sum(1 for d in diagnostics if d.is_error)
        if errors:
            log.info(f"sop: {errors} error(s) in the SOP sources; the pages of their files show them")

    # navigation -----------------------------------------------------------

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        placed = [(manual_page.nav, Page(None, files.get_file_from_path(uri), config))
                  for uri, manual_page in self.manual_pages.items() if manual_page.nav]
        items = list(nav.items)
        position = next((index + 1 for index, item in enumerate(items)
                         if isinstance(item, Page) and item.file.src_uri == self.config.catalogue), len(items))
        items[position:position] = _nav_tree(placed)
        pages = _pages_of(items)
        _link(items, pages)
        self.urls = {file.src_uri: file.url for file in files}
        self.in_nav = {page.file.src_uri for page in pages}
        self.shared_nav = SharedNavigation([*(page.url for page in pages), *_link_urls(items)])
        if self.kept_site is not None:
            self._replay_unchanged(files, config, items)
        return Navigation(items, pages)

    # serve: replay unchanged pages -----------------------------------------

    def _replay_unchanged(self, files: Files, config: MkDocsConfig, nav_items: list) -> None:
        """Keep, as the previous build wrote them, the pages out of the navigation whose fingerprint
        did not change (see ``preview``); MkDocs then renders only the others."""
        site = digest([self.base_signature, _nav_signature(nav_items)])
        by_source = sop_fingerprints(self.manual, site)
        self.pool_reads = {uri: reads for uri, reads in self.pool_reads.items() if uri in self.sop_files}
        self.sop_prints = {uri: digest([by_source[sop.source], *self.problems.get(uri, ())])
                           for uri, sop in self.sop_files.items()}
        wanted = {uri: self._with_pool(uri, fingerprint) for uri, fingerprint in self.sop_prints.items()}
        self.content_prints = {}
        prints = DataPrints(self.manual)
        for uri, manual_page in self.manual_pages.items():
            if (fingerprint := manual_page_fingerprint(manual_page, self.manual, site, prints)) is not None:
                if manual_page.nav or manual_page.listed:
                    self.content_prints[uri] = fingerprint
                else:
                    wanted[uri] = fingerprint
        self.contents.keep_only(self.content_prints)
        self.fingerprints = {}
        for uri, fingerprint in wanted.items():
            file = files.get_file_from_path(uri)
            searched = self.searched.get(uri, ("", None))
            if file is None or (self.config.search and searched[0] != fingerprint) or not (
                    kept := self.kept_site.keep(file.dest_uri, fingerprint)):
                self.fingerprints[uri] = fingerprint
                continue
            files.remove(file)
            self.kept_files.append(File.generated(config, file.dest_uri, abs_src_path=kept,
                                                  inclusion=InclusionLevel.NOT_IN_NAV))
            files.append(self.kept_files[-1])
            if self.config.search:
                self.search_pages.append(searched[1])
        self.searched = {uri: entry for uri, entry in self.searched.items() if uri in wanted}
        self.kept_site.restore()
        for file in self.kept_files:  # back in place: MkDocs copies each onto itself, which it skips
            file.abs_src_path = file.abs_dest_path
        log.info(f"sop: preview: {len(wanted) - len(self.fingerprints)} unchanged page(s) kept,"
                 f" {len(self.fingerprints)} rendered")

    def _with_pool(self, uri: str, fingerprint: str) -> str:
        """An SOP page's fingerprint with what its self-check read of the manual-wide wrong answers (serve)."""
        return digest([fingerprint, *self.distractors.read(self.pool_reads.get(uri, ()))])

    def _site_signature(self, files: Files, config: MkDocsConfig) -> str:
        """What every page shows besides its own data and the navigation: configuration, templates, docs/."""
        parts: list[object] = [self.manual.today, self.config, config.site_name, config.theme.name,
                               config.get("extra"),
                               sorted(self.manual.role_aliases.items())]
        if config.config_file_path and Path(config.config_file_path).is_file():
            parts.append(Path(config.config_file_path).read_bytes())
        for folder in filter(None, [config.theme.custom_dir, self.config.templates_dir]):
            parts += sorted((str(path), path.stat().st_mtime_ns) for path in Path(folder).rglob("*") if path.is_file())
        parts += sorted((file.src_uri, Path(file.abs_src_path).stat().st_mtime_ns) for file in files
                        if file.is_documentation_page() and not file.generated_by and file.abs_src_path)
        return digest(parts)

    def on_page_context(self, context, *, page: Page, config: MkDocsConfig, nav: Navigation):
        context["sop_nav_key"] = self.shared_nav.key(page.url, page.file.src_uri in self.in_nav)
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if self.kept_site is not None and (fingerprint := self.fingerprints.get(page.file.src_uri)) is not None:
            self.kept_site.written(page.file.dest_uri, fingerprint)
        return output

    # pages ----------------------------------------------------------------

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        html = self._page_content(html, page, files)
        if self.config.search:
            searched = SearchPage(page.file.dest_uri, page.title or "", html, self.sop_files.get(page.file.src_uri),
                                  listing=page.file.src_uri in self.manual_pages)
            self.search_pages.append(searched)
            if (fingerprint := self.fingerprints.get(page.file.src_uri)) is not None:
                self.searched[page.file.src_uri] = (fingerprint, searched)
        return html

    def _page_content(self, html: str, page: Page, files: Files) -> str:
        uri = page.file.src_uri
        notice = ""
        if uri in self.problems:
            shown = self.renderer.problems(self.problems[uri])
            if any(problem.is_error for problem in self.problems[uri]):
                page.toc = get_toc([])
                return shown
            notice = shown  # warnings: above the page
        if uri in self.sop_files:
            sop = self.sop_files[uri]
            body_toc = list(page.toc)
            ahead = self.ahead.take(uri) if self.ahead else None
            if ahead and html.strip() and ahead[0].count(BODY_MARK) == 1:  # rendered by the child with a mark
                content, sections = ahead[0].replace(BODY_MARK, html), ahead[1]
            else:
                content, sections = self._sop_content(sop, page, html)
            page.toc = get_toc([{"level": 2, "id": anchor, "name": title, "children": []}
                                for anchor, title in sections] + _tokens(body_toc))
            return notice + content
        if uri in self.manual_pages:
            fingerprint = self.content_prints.get(uri)
            if (content := self.contents.recall(uri, fingerprint)) is not None:
                return content
            ahead = self.ahead.take(uri) if self.ahead else None
            content = ahead[0] if ahead else self._manual_content(uri, page)
            if fingerprint is not None:
                self.contents.remember(uri, fingerprint, content)
            return content
        if uri in self.config.book.front:
            folder = (self.site_dir / page.file.dest_uri).parent.resolve().as_uri() + "/"
            self.front_pages[uri] = (FrontPage(page.title or uri, html), folder)
        return html

    def _sop_content(self, sop: Sop, page: Page, body_html: str) -> tuple[str, list[tuple[str, str]]]:
        """The SOP page's content around ``body_html``, and its sections (anchor, title) for the toc."""
        renderer = self.renderer
        uri = page.file.src_uri
        quiz, reads = renderer.self_check_reading(sop, self.distractors)
        extras = {"referrers": self.manual.referenced_by(sop.nomor), "quiz": quiz}
        if uri in self.fingerprints:  # rendered under a fingerprint with what it read now (serve)
            self.pool_reads[uri] = reads
            self.fingerprints[uri] = self._with_pool(uri, self.sop_prints[uri])
        html = renderer.sop_page(
            sop, body_html=body_html, find=self.manual.by_nomor, href=lambda target: self.href_from(page, target),
            unit_href=self.link_from(page, self.unit_of[sop.source]),
            logo_href=get_relative_url(self.config.logo, page.file.url) if self.config.logo else "",
            pdf_href=get_relative_url(sop_pdf_uri(sop), page.file.url) if self.config.pdf else "",
            **extras,
            forms_href=self.link_from(page, sop_forms_uri(sop)) if self.config.forms and sop.in_force else "",
            versions=self.versions.get(sop.source, {}), today=self.manual.today,
        )
        return html, renderer.sections(sop, **extras)

    def _manual_content(self, uri: str, page: Page) -> str:
        return self.renderer.manual_page(self.manual_pages[uri], lambda sop: self.href_from(page, sop),
                                         lambda target: self.link_from(page, target))

    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page:
        """At the first page of a full build (URLs are known): a child process renders the SOP and
        manual-wide content of the last pages (an SOP's body, converted by MkDocs here, is put in later)."""
        if not self.serving and self.ahead is None:
            generated = [file.src_uri for file in files.documentation_pages()
                         if file.src_uri in self.sop_files or file.src_uri in self.manual_pages]
            self.ahead = SharedWork(self._render_ahead, generated, child_share=AHEAD_SHARE)
        return page

    def _render_ahead(self, uri: str) -> tuple[str, list[tuple[str, str]] | None]:
        page = self.files.get_file_from_path(uri).page
        if uri in self.sop_files:
            return self._sop_content(self.sop_files[uri], page, BODY_MARK)
        return self._manual_content(uri, page), None

    def sop_list(self, page: Page, sops: list[Sop]) -> str:
        """The ``sop_list`` macro's list on ``page``: its first ``page_size`` SOPs, with a pager to the
        others, on numbered documents beside the page written after the build (``pages.sop_list_pages``)."""
        listing = self.lists_on[page.file.src_uri] = self.lists_on.get(page.file.src_uri, 0) + 1
        folder, page_file = posixpath.split(page.file.dest_uri)
        parts = sop_list_pages(sops, page_file, listing, self.site_options.page_size)
        title = page.title or page.file.name

        def href(sop: Sop) -> str:
            return self.href_from(page, sop)

        for part in parts[1:]:
            self.list_documents[posixpath.join(folder, part.file)] = self.renderer.sop_list_document(
                part, listing, title, href)
        return self.renderer.sop_list(parts[0].sops, href, parts[0].pager, listing)

    def href_from(self, page: Page, sop: Sop) -> str:
        """URL of ``sop``'s page relative to ``page`` (SOP pages, listings and the macros)."""
        return self.link_from(page, sop_uri(sop, self.site_options))

    def link_from(self, page: Page, uri: str) -> str:
        """URL of the site file with source path ``uri`` (a page or an asset) relative to ``page``;
        a path no file has (a PDF written after the build) is linked as it will be published."""
        url = self.urls.get(uri)  # a dict look-up: pages link thousands of times, MkDocs' own look-up parses paths
        if url is None:
            target = self.files.get_file_from_path(uri)
            url = target.url if target is not None else uri
        return get_relative_url(url, page.file.url)

    # search and PDF -------------------------------------------------------

    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        """Every page's content is known now, before MkDocs puts the pages in the theme's templates:
        a full build stages the search index and runs Pagefind in a child process meanwhile. The theme
        draws the navigation once per folder for the pages outside it (``shared_nav``)."""
        self.shared_nav.install(env)
        self._stop_ahead()
        if self.forms_job is not None:  # in place before MkDocs copies the site's files
            job, self.forms_job = self.forms_job, None
            job.wait()
        self._hold_heap()
        if self.config.search and not self.serving:
            self.search_job = start_forked(SearchIndexer(self.renderer).run, self.search_pages, Path(config.site_dir))
            self.indexed, self.search_pages = len(self.search_pages), []  # the child has them
        return env

    def _hold_heap(self) -> None:
        """In a full build, what exists now (the configuration; the manual; every page's content) lives to
        the end: Python's collector of cyclic garbage stops sweeping it, and sweeps the whole heap once per
        hundred sweeps of the younger objects instead of ten (a whole sweep takes a tenth of a second at
        thousands of SOPs, and came a dozen times a build); the forked children leave the held memory
        shared. Released at the end of the build (``_release_heap``)."""
        if self.serving:
            return
        if self.gc_threshold is None:
            self.gc_threshold = gc.get_threshold()
            young, middle, whole = self.gc_threshold
            gc.set_threshold(young, middle, max(whole, WHOLE_HEAP_SWEEPS))
        gc.freeze()

    def _release_heap(self) -> None:
        gc.unfreeze()
        if self.gc_threshold is not None:
            gc.set_threshold(*self.gc_threshold)
            self.gc_threshold = None
        gc.enable()  # after a preview's rebuild (_quiet_rebuild)

    def _stop_ahead(self) -> None:
        ahead, self.ahead = self.ahead, None
        if ahead is not None:
            ahead.cancel()
            if ahead.error is not None:
                log.debug(f"pages rendered by the parent after the child failed: {ahead.error}")

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_ahead()
        if isinstance(self.forms_job, ForkedJob):
            job, self.forms_job = self.forms_job, None
            job.cancel()
        if isinstance(self.search_job, ForkedJob):  # the child must not write into a failed build's site
            job, self.search_job = self.search_job, None
            job.cancel()
        self._release_heap()
        if self.kept_site is not None:  # what this build wrote or kept is unknown: the next one writes everything
            self.kept_site.forget()

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        for path, html in self.list_documents.items():
            _write(Path(config.site_dir) / path, html.encode("utf-8"))
        if self.config.search:
            self._index(Path(config.site_dir))
        if self.config.pdf:
            self._write_pdfs(config)
        self._release_heap()

    def _index(self, site: Path) -> None:
        """Under ``mkdocs serve`` the staging and Pagefind run on while the browser reloads: the search
        follows a few seconds later."""
        try:
            self._wait_for_index()  # a full build's: started in on_env (a child process where fork is available)
            if self.serving:
                self.search_job = BackgroundIndexJob(SearchIndexer(self.renderer), self.search_pages, site,
                                                     delay=SERVE_INDEX_DELAY)
            else:
                log.info(f"indexed {self.indexed} page(s) for search")
        except SearchIndexError as exc:
            raise PluginError(str(exc)) from None

    def _wait_for_index(self) -> None:
        job, self.search_job = self.search_job, None
        if job is not None:
            job.wait()

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Before MkDocs cleans the site for a rebuild: the previous build's index must be written, or,
        under ``mkdocs serve``, abandoned (this build indexes the site again) so the preview never waits."""
        if self.serving and isinstance(self.search_job, BackgroundIndexJob):
            job, self.search_job = self.search_job, None
            job.cancel()
        self._finish_background_index()
        if self.kept_site is not None:
            self.kept_site.set_aside()

    def _quiet_rebuild(self) -> None:
        """A preview's rebuild shares the process with the previous build's search staging and with
        Python's collector of cyclic garbage, which at thousands of SOPs pauses every thread for a few
        tenths of a second each time it sweeps the whole heap: the staging is abandoned now (this build
        stages its own) and the collector waits for the end of the build (``on_post_build``)."""
        if isinstance(self.search_job, BackgroundIndexJob):
            job, self.search_job = self.search_job, None
            job.cancel()
        gc.disable()

    def on_shutdown(self) -> None:
        self._finish_background_index()
        if self.kept_site is not None:
            self.kept_site.close()

    def _finish_background_index(self) -> None:
        try:
            self._wait_for_index()
        except SearchIndexError as exc:
            log.error(f"the search index of the previous build was not written: {exc}")

    def _write_pdfs(self, config: MkDocsConfig) -> None:
        missing = [uri for uri in self.config.book.front if uri not in self.front_pages]
        if missing:
            raise PluginError(f"sop: book.front: {', '.join(missing)} not built as a page (excluded from the site?)")
        front = [self.front_pages[uri] for uri in self.config.book.front]
        organisation = self.config.organisation or config.site_name
        book = BookOptions(organisation, self.manual.today.year, front=[page for page, _ in front],
                           front_base_url=front[0][1] if front else None, units=self.config.book.units)
        logo_url = (Path(config.docs_dir) / self.config.logo).resolve().as_uri() if self.config.logo else ""
        site = Path(config.site_dir)
        count = 0
        try:
            from . import printing

            for uri, pdf in site_documents(self.renderer, self.manual, self.site_options, book, logo_url=logo_url):
                _write(site / uri, pdf)
                count += 1
            roles = manual_roles(self.manual.select(), self.manual.role_aliases)
            for role in roles:
                _write(site / role_pdf_uri(role), printing.role_card_pdf(self.renderer, role, organisation, self.manual.today))
        except ImportError as exc:
            raise PluginError(f"sop: pdf: WeasyPrint is not installed or lacks its system libraries ({exc});"
                              " install the 'pdf' extra and Pango (see README)") from None
        log.info(f"wrote {count} PDF(s) ({len(self.manual.sops)} SOPs, the Dokumen SOP book(s), the forms)"
                 f" and {len(roles)} task card(s)")

    # serve ----------------------------------------------------------------

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        server.watch(str(self._path(self.config.sops_dir)))
        return server


def _name(config: MkDocsConfig, plugin: SopPluginConfig) -> str:
    """The manual's name in the feed: the organisation, else the site name."""
    return plugin.organisation or config.site_name


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def _page_source(title: str, body: str) -> str:
    """Markdown of a virtual page: its title as front matter (JSON is valid YAML), then the body.

    Titles are HTML to MkDocs and the theme (as a heading's text is), so editor text is escaped:
    a judul ``<script>`` must show, not run. ``render_macros: false``: the macros plugin would run
    editor text as Jinja (a judul with ``{% x %}`` stops the build, a body's ``{{ }}`` is computed);
    macros are for the pages of docs/ only.
    """
    return f"---\ntitle: {json.dumps(str(escape(title)), ensure_ascii=False)}\nrender_macros: false\n---\n{body}"


def _nav_tree(placed: list[tuple[tuple[str, ...], Page]]) -> list:
    """Navigation items from (node path, page) pairs, in their order (see ``ManualPage.nav``)."""
    root: dict = {}
    for path, page in placed:
        node = root
        for name in path:
            node = node.setdefault(name, {})
        node["\0page"] = page
    return _items(root)


def _items(node: dict) -> list:
    items = []
    for name, child in node.items():
        if name == "\0page":
            continue
        page = child.get("\0page")
        grandchildren = _items(child)
        if page and not grandchildren:
            items.append(page)
        else:
            items.append(Section(str(escape(name)), ([page] if page else []) + grandchildren))  # HTML, as titles
    return items


def _pages_of(items: list) -> list[Page]:
    pages = []
    for item in items:
        if isinstance(item, Page):
            pages.append(item)
        elif isinstance(item, Section):
            pages.extend(_pages_of(item.children))
    return pages


def _link(items: list, pages: list[Page], parent: Section | None = None) -> None:
    for item in items:
        item.parent = parent
        if isinstance(item, Section):
            _link(item.children, pages, item)
    for previous, current in zip([None] + pages[:-1], pages):
        current.previous_page = previous
        if previous is not None:
            previous.next_page = current
    if pages:
        pages[-1].next_page = None


def _link_urls(items: list) -> list[str]:
    """The URLs of the navigation's links (``Link``: neither a page nor a section)."""
    urls = []
    for item in items:
        if isinstance(item, Section):
            urls += _link_urls(item.children)
        elif not isinstance(item, Page) and getattr(item, "url", None):
            urls.append(item.url)
    return urls


def _tokens(toc) -> list[dict]:
    return [{"level": item.level, "id": item.id, "name": item.title, "children": _tokens(item.children)}
            for item in toc]


def _nav_signature(items: list) -> list:
    """The navigation as every page shows it: titles and addresses."""
    signature: list = []
    for item in items:
        if isinstance(item, Section):
            signature.append(("section", item.title, _nav_signature(item.children)))
        else:
            signature.append((type(item).__name__, item.title, getattr(getattr(item, "file", None), "src_uri", None),
                              getattr(item, "url", None)))
    return signature
