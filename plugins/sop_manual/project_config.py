"""The SOP plugin's settings as written in ``mkdocs.yml``, read without MkDocs.

The ``sop`` command needs the SOP folder, the label language and the review date
the build uses. ``mkdocs.yml`` may hold tags only MkDocs understands: ``!ENV`` is resolved as MkDocs
resolves it (the environment variable, else the default); others (``!!python/name:...``)
are read as plain values, never executed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml_env_tag import construct_env_tag

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")


class ConfigError(Exception):
    """``mkdocs.yml`` cannot be read, or says something the command cannot use."""


@dataclass(frozen=True)
class ProjectConfig:
    """What the ``sop`` plugin of a manual is configured with (defaults as in the plugin)."""

    root: Path
    """The folder of mkdocs.yml (or the current folder when there is none)."""
    sops_dir: str = "sops"
    language: str = "id"
    today: dt.date | None = None
    file: Path | None = None

    @property
    def sops_path(self) -> Path:
        return (self.root / self.sops_dir).resolve()


class _TolerantLoader(yaml.SafeLoader):
    """SafeLoader that reads MkDocs' own tags as the plain value under them."""


def _plain(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> object:
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_scalar(node)


_TolerantLoader.add_constructor("!ENV", construct_env_tag)  # as MkDocs resolves it: the variable, else the default
_TolerantLoader.add_multi_constructor("!", _plain)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _plain)


def check_date(value: object) -> dt.date | None:
    """The ``today`` setting as a date: YAML gives a date for ``2026-01-01`` and a text when quoted or from
    ``!ENV``; empty means the real date (``None``). ``ValueError`` says what is wrong."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"'{value}' is not a date (YYYY-MM-DD)") from None


def find_config(start: Path) -> Path | None:
    """``mkdocs.yml`` in ``start`` or the nearest folder above it."""
    for folder in [start.resolve(), *start.resolve().parents]:
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return folder / name
    return None


def read_config(file: Path | None) -> ProjectConfig:
    """The plugin settings of ``file``; ``None`` gives the defaults, rooted at the current folder."""
    if file is None:
        return ProjectConfig(root=Path.cwd())
    try:
        data = yaml.load(file.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{file}: cannot read it ({exc})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise ConfigError(f"{file}{line}: invalid YAML ({getattr(exc, 'problem', None) or exc})") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{file}: not a MkDocs configuration (expected a mapping of settings)")
    options = _plugin_options(data.get("plugins"))
    theme = data.get("theme") if isinstance(data.get("theme"), dict) else {}
    try:
        today = check_date(options.get("today"))
    except ValueError as exc:
        raise ConfigError(f"{file}: plugins: sop: today: {exc}") from None
    return ProjectConfig(
        root=file.parent.resolve(),
        sops_dir=str(options.get("sops_dir") or "sops"),
        language=str(options.get("language") or theme.get("language") or "id"),
        today=today,
        file=file,
    )


def _plugin_options(plugins: object) -> dict:
    """The options of the ``sop`` plugin in a ``plugins`` list or mapping (empty when absent)."""
    entries = plugins.items() if isinstance(plugins, dict) else (
        (next(iter(item.items())) if isinstance(item, dict) and item else (item, {})) for item in plugins or ())
    for name, options in entries:
        if name == "sop":
            return options if isinstance(options, dict) else {}
    return {}
