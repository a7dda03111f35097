"""mkdocs-macros functions for hand-written pages: link and list SOPs.

Enable with ``macros: {modules: [sop_manual.macros], on_error_fail: true}``.
``sop_link("SOP-TI-001")`` fails the build when no SOP has that number;
``sop_list(unit=..., status=..., jenis=...)`` lists the SOPs that match; beyond the plugin's
``page_size`` (500) SOPs, the list continues on numbered pages (its pager swaps them in place).
"""

from __future__ import annotations

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

from .manual import SELECT_KEYS
from .suggestions import did_you_mean, known

log = get_plugin_logger(__name__)


def _fail(message: str) -> PluginError:
    """Log the problem as an error (mkdocs-macros reports macro failures only as warnings, which
    ``mkdocs build -q`` hides: the build would stop with no message at all), then raise it."""
    log.error(message)
    return PluginError(message)


def define_env(env) -> None:
    def plugin():
        try:
            return env.conf.plugins["sop"]
        except KeyError:
            raise _fail("sop_manual.macros needs the 'sop' plugin listed before 'macros'") from None

    def href(sop):
        sop_plugin = plugin()
        return lambda target: sop_plugin.href_from(env.page, target)

    @env.macro
    def sop_link(nomor: str) -> str:
        """An inline link to the SOP with this number, showing its number and title."""
        sop_plugin = plugin()
        sop = sop_plugin.manual.by_nomor(str(nomor))
        if sop is None:
            numbers = [s.nomor for s in sop_plugin.manual.select()]
            raise _fail(f"sop_link: no SOP has nomor '{nomor}' (page {env.page.file.src_uri};"
                        f" known: {known(numbers, str(nomor))})" + did_you_mean(str(nomor), numbers, numbers=True))
        return sop_plugin.renderer.sop_link(sop, href(sop))

    @env.macro
    def sop_list(**criteria: str) -> str:
        """A list of SOPs filtered by unit, status, tag, jenis, sifat, skala or kelengkapan."""
        unknown = set(criteria) - set(SELECT_KEYS)
        if unknown:
            raise _fail(f"sop_list: unknown criterion {', '.join(sorted(unknown))} "
                        f"(use: {', '.join(SELECT_KEYS)}) on page {env.page.file.src_uri}")
        sop_plugin = plugin()
        return sop_plugin.sop_list(env.page, sop_plugin.manual.select(**criteria))
