"""The theme's navigation sidebar drawn once per folder for the pages outside the navigation.

Material draws the whole navigation into every page: at 2,000 SOPs that is 2,000 times the same
tree, about a third of the time the theme spends on a page. For a page that is not in the navigation
(every SOP page) no item of the tree is active, and its links are relative to the page's folder, so
every such page of one folder gets the same HTML, unless a link points into the page's own folder.
:class:`SharedNavigation` gives the theme's Jinja environment a ``partials/nav.html`` (the template
``sop/navigasi.html``) that draws the theme's own partial once per such folder and reuses it; any
other page draws it as before. The output is the same, byte for byte.

Nothing here imports MkDocs: an adapter installs it on the theme's environment and names, for each
page, the key its navigation is shared under (:meth:`SharedNavigation.key`).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Mapping

import jinja2
from markupsafe import Markup

NAV_PARTIAL = "partials/nav.html"
"""The theme's partial that draws the navigation sidebar (Material's)."""
WRAPPER = "sop/navigasi.html"
"""Our template that stands for it (in the theme's folders: the project's ``overrides``)."""
THEME_PREFIX = "sop-theme"
"""``sop-theme/partials/nav.html``: the theme's own partial, whatever stands for the name."""


class SharedNavigation:
    def __init__(self, nav_urls: Iterable[str] = ()) -> None:
        self.nav_urls = tuple(url for url in nav_urls if url)
        """The URLs the navigation links to (pages and internal links)."""
        self.drawn: dict[str, Markup] = {}

    def install(self, env: jinja2.Environment) -> None:
        """``partials/nav.html`` becomes :data:`WRAPPER` when the theme's folders have it (else nothing changes)."""
        original = env.loader
        env.loader = jinja2.ChoiceLoader([
            _Renamed(original, {NAV_PARTIAL: WRAPPER}),
            jinja2.PrefixLoader({THEME_PREFIX: original}),
            original,
        ])
        env.globals["sop_shared_nav"] = self.shared

    def key(self, page_url: str, in_nav: bool) -> str | None:
        """The key a page's navigation is shared under, for a page outside the navigation that no navigation
        link points into (nor into its folder): the folder its links are relative to, or for a page that is a
        folder (``sop/ti/x/``), that folder's parent; else None (it draws its own)."""
        if in_nav or not page_url:
            return None
        if any(url.startswith(page_url) for url in self.nav_urls):
            return None
        if page_url.endswith("/"):  # sop/ti/x/: its links are the same as from sop/ti/y/
            return posixpath.dirname(page_url.rstrip("/")) + "/"
        return posixpath.dirname(page_url) + "/"  # sop/ti/x.html: relative to sop/ti/

    def shared(self, key: str, caller: Callable[[], str]) -> Markup:
        """What ``caller`` draws, the first time for ``key``."""
        if key not in self.drawn:
            self.drawn[key] = Markup(caller())
        return self.drawn[key]


class _Renamed(jinja2.BaseLoader):
    """Another loader's templates under other names (``names``: asked -> loaded)."""

    def __init__(self, loader: jinja2.BaseLoader, names: Mapping[str, str]) -> None:
        self.loader = loader
        self.names = dict(names)

    def get_source(self, environment: jinja2.Environment, template: str):
        if template not in self.names:
            raise jinja2.TemplateNotFound(template)
        return self.loader.get_source(environment, self.names[template])
