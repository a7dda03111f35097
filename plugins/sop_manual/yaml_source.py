"""Read an SOP source (or a manual-wide YAML file): split the front matter and parse its YAML, keeping lines.

PyYAML's node tree carries a line for every value; we build plain Python data
from it ourselves so that every value's path maps to the line an editor sees.
Dates stay text (the schema checks them), duplicate keys are an error (PyYAML
would silently keep the last one), and alias expansion and nesting are bounded
so that a hostile file cannot exhaust the machine.

Composing runs in libyaml (C) when PyYAML has it and the text is small and
shallow enough that its limits cannot be crossed there (libyaml composes
recursively in C, without limits); anything else, and every document libyaml
refuses, goes through the pure-Python composer, whose messages and lines are
the ones editors see. Both yield the same node tree, so the data and the lines
are the same either way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

Path = tuple[str | int, ...]

MAX_VALUES = 50_000
MAX_DEPTH = 40

_YAML_TAG = "tag:yaml.org,2002:"
_STR_TAG = _YAML_TAG + "str"
_PLAIN_TAGS = frozenset(_YAML_TAG + name for name in ("str", "int", "float", "bool", "null", "seq", "map"))
"""Tags of plain values; others (``!!python/...``, ``!!binary``, ``!!set``, ``!custom``) are refused."""

_FAST_MAX_CHARS = MAX_VALUES // 2
"""YAML text up to this size composes to fewer than MAX_VALUES nodes (at most 3 nodes per 2 characters)."""
_FAST_MAX_NESTING = 1_000
"""Nesting bound under which libyaml's recursive C composer is safe (it crashes only far deeper)."""
_BLOCK_PREFIX = re.compile(r"^[ ?-]*", re.M)

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(?P<yaml>.*?)(?:\r?\n)?^(?:---|\.\.\.)[ \t]*$\r?\n?", re.S | re.M)


class SourceError(Exception):
    """The file cannot be read as an SOP at all; ``line`` is 1-based."""

    def __init__(self, line: int, message: str, location: str = "") -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.location = location


@dataclass
class Document:
    """Front matter data, the line of every value, and the Markdown body."""

    data: dict
    lines: dict[Path, int] = field(default_factory=dict)
    scalars: dict[Path, str] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1

    def line_of(self, path: Path) -> int:
        """The line of ``path``, or of its closest ancestor that exists."""
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path, 1)

    def text_at(self, path: Path, value: object) -> str:
        """A scalar as the editor wrote it (``versi: 1.10`` stays ``1.10``, not ``1.1``)."""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return self.scalars.get(path, str(value))
        return str(value)


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps ISO dates as text and stops early on hostile documents.

    PyYAML composes recursively and slowly: without a limit a deeply nested flow
    (``[[[[...``) ends in a RecursionError on the wrong line, and a huge document
    takes seconds. Composition stops where a limit is crossed, at that line.
    The builder reports moderately deep nesting with its field path first.
    """

    _depth = 0
    _nodes = 0
    offset = 2
    """Added to PyYAML's 0-based line: +1 for 1-based, +1 for the opening '---' of front matter."""
    subject = "front matter"

    def compose_node(self, parent, index):
        self._depth += 1
        self._nodes += 1
        try:
            if self._depth > 2 * MAX_DEPTH:
                raise SourceError(self.peek_event().start_mark.line + self.offset, f"nested more than {MAX_DEPTH} levels deep")
            if self._nodes > MAX_VALUES:
                raise SourceError(self.peek_event().start_mark.line + self.offset,
                                  f"too many values: the {self.subject} has more than {MAX_VALUES} values")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

if yaml.__with_libyaml__:
    class _CLoader(yaml.CSafeLoader):
        """libyaml's parser and composer with the same resolvers (dates stay text)."""

    _CLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
else:  # pragma: no cover - PyYAML wheels ship libyaml
    _CLoader = None


def _fast_composable(yaml_text: str) -> bool:
    """Whether libyaml may compose this text: small, and nested at most ``_FAST_MAX_NESTING`` deep.

    Block nesting needs indentation or ``- ``/``? `` indicators at the start of a line, flow nesting
    brackets: both bounds overcount (brackets inside quotes count too), which only costs speed.
    """
    if _CLoader is None or len(yaml_text) > _FAST_MAX_CHARS:
        return False
    flow = yaml_text.count("[") + yaml_text.count("{")
    if flow > _FAST_MAX_NESTING:
        return False
    block = max(map(len, _BLOCK_PREFIX.findall(yaml_text)), default=0) + 2
    return block + flow <= _FAST_MAX_NESTING


def split_front_matter(text: str) -> tuple[str, str, int]:
    """Return (yaml text, body, body's first line). The YAML starts on line 2."""
    match = _FRONT_MATTER.match(text)
    if not match:
        if text.startswith("---"):
            raise SourceError(1, "front matter is not closed: add a line '---' after the SOP fields")
        raise SourceError(1, "no front matter: an SOP file starts with a line '---', its YAML fields, then '---'")
    body = text[match.end():]
    body_line = text.count("\n", 0, match.end()) + 1
    return match["yaml"], body, body_line


def parse_document(text: str) -> Document:
    yaml_text, body, body_line = split_front_matter(text)
    document = _parse(yaml_text, offset=2, subject="front matter")
    if document is None:
        raise SourceError(1, "the front matter is empty: an SOP needs at least nomor, judul, unit, pelaksana and langkah")
    if not isinstance(document.data, dict):
        raise SourceError(document.line_of(()), "the front matter must be a mapping of fields (key: value)")
    document.body, document.body_line = body, body_line
    return document


def parse_yaml(text: str) -> Document | None:
    """A whole YAML file (``sops/_peran.yml``) with the same lines, limits and refusals as front matter;
    None when it holds no value. Its data may be any YAML value: the caller checks the type."""
    return _parse(text, offset=1, subject="file")


def _parse(yaml_text: str, offset: int, subject: str) -> Document | None:
    if "\t" in yaml_text:
        for index, line_text in enumerate(yaml_text.split("\n")):
            if "\t" in line_text[: len(line_text) - len(line_text.lstrip(" \t"))]:
                raise SourceError(index + offset, "a tab is used for indentation; YAML indents with spaces only")
    if _fast_composable(yaml_text):
        try:
            node = yaml.compose(yaml_text, Loader=_CLoader)
            if node is not None:
                builder = _Builder(offset, subject)
                data = builder.build(node, (), 0)
                return Document(data=data, lines=builder.lines, scalars=builder.scalars)
        except (yaml.YAMLError, SourceError):
            pass  # the pure-Python composer below words the problem, on the editor's line
    return _parse_slowly(yaml_text, offset, subject)


def _parse_slowly(yaml_text: str, offset: int, subject: str) -> Document | None:
    """Compose in pure Python, stopping at the limits, and report every problem as editors see it."""
    loader = None
    try:
        loader = _Loader(yaml_text)  # reading starts here: a control character fails already
        loader.offset, loader.subject = offset, subject
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + offset) if mark else offset
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.problem and exc.context and exc.context_mark and mark and exc.context_mark.line != mark.line:
            if "end of stream" in exc.problem or "<stream end>" in exc.problem:
                # nothing is wrong where the text ends: point at what was opened and never closed
                line = exc.context_mark.line + offset
                problem = f"the {subject} ended {exc.context} that starts on this line; is a quote or bracket not closed?"
            else:
                problem += f" ({exc.context} on line {exc.context_mark.line + offset})"
        raise SourceError(line, f"invalid YAML: {problem}") from None
    except RecursionError:
        raise SourceError(offset, f"invalid YAML: nested more than {MAX_DEPTH} levels deep") from None
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML raises marked errors in practice
        raise SourceError(offset, f"invalid YAML: {exc}") from None
    finally:
        if loader is not None:
            loader.dispose()
    if node is None:
        return None
    builder = _Builder(offset, subject)
    data = builder.build(node, (), 0)
    return Document(data=data, lines=builder.lines, scalars=builder.scalars)


class _Builder:
    def __init__(self, offset: int = 2, subject: str = "front matter") -> None:
        self.offset, self.subject = offset, subject
        self.lines: dict[Path, int] = {}
        self.scalars: dict[Path, str] = {}
        self.count = 0
        self.loader = _Loader("")
        self.open: set[int] = set()
        """Lists and mappings being built: an alias to one of them would repeat it endlessly."""

    def build(self, node: yaml.Node, path: Path, depth: int):
        self.count += 1
        line = node.start_mark.line + self.offset
        if self.count > MAX_VALUES:
            field = path[:1]  # an alias points back at its anchor's line: name the field being expanded
            raise SourceError(self.lines.get(field, line), f"too many values: the {self.subject} expands to more than"
                              f" {MAX_VALUES} values (YAML aliases repeated?)", _location(field))
        if depth > MAX_DEPTH:
            raise SourceError(line, f"nested more than {MAX_DEPTH} levels deep", _location(path))
        self.lines.setdefault(path, line)
        if node.tag not in _PLAIN_TAGS:
            raise SourceError(line, f"YAML tag '{node.tag.replace(_YAML_TAG, '!!')}' is not supported: write plain"
                              " text, numbers, true/false, lists and key: value fields", _location(path))
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            if id(node) in self.open:
                raise SourceError(line, "a YAML alias ('*name') refers to a value that contains it, repeating it"
                                  " endlessly", _location(path))
            self.open.add(id(node))
            try:
                return self._collection(node, path, depth)
            finally:
                self.open.discard(id(node))
        self.scalars[path] = node.value
        if node.tag == _STR_TAG:
            return node.value
        try:
            return self.loader.construct_object(node)
        except (ValueError, KeyError, yaml.YAMLError):
            return node.value  # a 5000-digit number, '!!int abc': keep the text as written (the schema checks it)

    def _collection(self, node: yaml.MappingNode | yaml.SequenceNode, path: Path, depth: int):
        if isinstance(node, yaml.MappingNode):
            result: dict = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise SourceError(key_node.start_mark.line + self.offset, "a key must be plain text", _location(path))
                key = str(self.loader.construct_scalar(key_node)) if key_node.tag != "tag:yaml.org,2002:merge" else "<<"
                if key == "<<":
                    raise SourceError(key_node.start_mark.line + self.offset, "YAML merge keys ('<<') are not supported",
                                      _location(path))
                if key in result:
                    raise SourceError(key_node.start_mark.line + self.offset, f"duplicate key '{key}'", _location(path))
                child = path + (key,)
                self.lines[child] = key_node.start_mark.line + self.offset
                result[key] = self.build(value_node, child, depth + 1)
            return result
        return [self.build(item, path + (index,), depth + 1) for index, item in enumerate(node.value)]


def _location(path: Path) -> str:
    from .diagnostics import format_location

    return format_location(path)
