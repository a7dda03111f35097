"""Structural validation of SOP front matter against the published JSON Schema.

The schema file (``schema/sop.schema.json``) is the single declarative source
for fields, types and closed value sets; editors' tools can use it too. Here
its errors become messages an editor can act on, each at a field and a line.

Most documents are valid: a validator compiled from the schema to Python code
(fastjsonschema, some fifty times faster) answers "valid" for them; only a
document it refuses goes through jsonschema, which finds every error and says
where. Both apply the same format checks, so they agree on what is valid.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from importlib import resources

import fastjsonschema
import jsonschema
from jsonschema import Draft202012Validator, FormatChecker

from .diagnostics import Diagnostic, format_location
from .durations import DurationError, parse_duration
from .suggestions import did_you_mean
from .yaml_source import Document

SCHEMA_RESOURCE = "schema/sop.schema.json"

_JSON_TYPES = {
    "string": "text",
    "number": "a number",
    "integer": "a number",
    "boolean": "true/false",
    "array": "a list",
    "object": "a mapping (key: value)",
    "null": "nothing",
}


def schema_text() -> str:
    return resources.files(__package__).joinpath(SCHEMA_RESOURCE).read_text(encoding="utf-8")


@cache
def _format_checker() -> FormatChecker:
    checker = FormatChecker(["date"])

    @checker.checks("sop-duration", raises=DurationError)
    def _duration(value: object) -> bool:
        parse_duration(str(value))
        return True

    return checker


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads(schema_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=_format_checker())


@cache
def _compiled_check():
    """The schema as compiled Python: raises on the first problem, defaults left out of the data."""
    checker = _format_checker()
    formats = {name: (lambda value, name=name: checker.conforms(value, name)) for name in checker.checkers}
    return fastjsonschema.compile(json.loads(schema_text()), formats=formats, use_default=False)


def is_valid(data: dict) -> bool:
    """Whether ``data`` (numbers as written, see ``_as_written``) fits the schema."""
    try:
        _compiled_check()(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def type_name(value: object) -> str:
    """What a YAML value is, in words for a message ("not a mapping")."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return "text"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "nothing" if value is None else type(value).__name__


def _message(error: jsonschema.ValidationError) -> tuple[tuple, str]:
    """Return (path of the field the message is about, message)."""
    path = tuple(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    custom = schema.get(f"x-message-{error.validator}")
    if error.validator == "required":
        missing = error.message.split("'")[1]
        return path + (missing,), "required field is missing or empty"
    if error.validator == "additionalProperties":
        extras = sorted(set(error.instance) - set(schema.get("properties", {})))
        if extras:
            fields = list(schema.get("properties", {}))
            return path + (extras[0],), (f"unknown field '{extras[0]}' (known fields: {', '.join(fields)})"
                                         + did_you_mean(extras[0], fields))
    if error.validator == "enum":
        allowed = [str(value) for value in error.validator_value]
        return path, (f"'{error.instance}' is not one of: {', '.join(allowed)}"
                      + did_you_mean(str(error.instance), allowed))
    if error.validator == "format":
        if error.validator_value == "date":
            return path, f"'{error.instance}' is not a valid date: write YYYY-MM-DD (e.g. 2024-07-01)"
        cause = error.cause
        return path, str(cause) if cause else f"'{error.instance}' is not a valid {error.validator_value}"
    if error.validator == "pattern":
        if "propertyNames" in error.absolute_schema_path:  # a bad key: point at the key, not at its mapping
            path += (str(error.instance),)
        return path, f"'{error.instance}' {custom or 'has an invalid form'}"
    if custom:
        return path, custom
    if error.validator in ("anyOf", "oneOf") and "x-message" in schema:
        return path, f"{schema['x-message']}, got {type_name(error.instance)}"
    if error.validator == "type":
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        names = sorted({_JSON_TYPES[name] for name in wanted})
        return path, f"expected {' or '.join(names)}, got {type_name(error.instance)}"
    if error.validator == "minItems":
        return path, f"needs at least {error.validator_value} item(s)"
    if error.validator == "minProperties":
        return path, f"needs at least {error.validator_value} entries"
    return path, error.message


def _without_blanks(value):
    """Blank optional fields (``keterangan:`` with nothing after it) count as absent."""
    if isinstance(value, dict):
        return {key: _without_blanks(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_without_blanks(item) for item in value]
    return value


def _specific(error: jsonschema.ValidationError) -> list[jsonschema.ValidationError]:
    """For "none of the alternatives fits" (anyOf/oneOf), the errors inside the alternative the value
    does match in kind (``hubungan: sebelum`` in a reference), so the message names the field at fault;
    the alternatives' own summary only when the value fits none of them in kind."""
    if error.validator in ("anyOf", "oneOf") and error.context:
        inner = [e for e in error.context if e.relative_path or e.validator != "type"]
        if inner:
            return [specific for e in inner for specific in _specific(e)]
    return [error]


def _as_written(document: Document, value, path: tuple = ()):
    """Numbers as the editor wrote them, so messages quote the source: YAML reads ``waktu: 1:30``
    as the number 90 and ``versi: 1.10`` as 1.1. Wherever the schema takes a number it takes text."""
    if isinstance(value, dict):
        return {key: _as_written(document, item, path + (key,)) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_written(document, item, path + (index,)) for index, item in enumerate(value)]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return document.text_at(path, value)
    return value


def validate_document(document: Document, file: str, data: dict | None = None) -> Iterator[Diagnostic]:
    """Problems of the front matter; ``data`` is ``cleaned(document)`` when the caller has it already."""
    data = _as_written(document, cleaned(document) if data is None else data)
    if is_valid(data):
        return
    errors = [specific for error in _validator().iter_errors(data) for specific in _specific(error)]
    for error in sorted(errors, key=lambda e: tuple(map(str, e.absolute_path))):
        path, message = _message(error)
        yield Diagnostic(file, document.line_of(path), format_location(path), message)


def cleaned(document: Document) -> dict:
    """The document's data with blank optional fields removed (what the model is built from)."""
    return _without_blanks(document.data)
