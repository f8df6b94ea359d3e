"""Check schema documents against their draft's metaschema before any comparison.

An invalid keyword value (`"required": "id"`, `"multipleOf": 0`, a pattern that is
not a regular expression) would otherwise be compared as if it meant something, or
fail deep inside the engine.

Documents are checked with jsonschema-rs (see `schemagate.compiled`), which checks the
`regex` format with Python's `re`, as jsonschema does. Only a document it rejects is
checked again with jsonschema. A document that passes there is remembered by a hash of
its text in the cache folder, so repeated runs skip that slower check.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from schemagate import compiled
from schemagate.errors import DocumentError
from schemagate.markers import passed_before, remember_pass

# Part of each pass's fingerprint, raised whenever the check starts rejecting more, so
# that a pass remembered by an earlier check is not trusted. Revision 2 checks a
# property named `required` as a schema.
_REVISION = 2

_METASCHEMA_URIS = {
    "draft4": "http://json-schema.org/draft-04/schema#",
    "openapi-3.0": "http://json-schema.org/draft-04/schema#",
    "draft6": "http://json-schema.org/draft-06/schema#",
    "draft7": "http://json-schema.org/draft-07/schema#",
    "2019-09": "https://json-schema.org/draft/2019-09/schema",
    "2020-12": "https://json-schema.org/draft/2020-12/schema",
}


def check_metaschema(
    source: str, text: str, dialect: str, schemas: Iterator[tuple[str, Any]]
) -> None:
    """Raise DocumentError for the first schema that its dialect's metaschema rejects.

    `schemas` yields (pointer, schema) for each top-level schema of the document: the
    document itself, or each OpenAPI component.
    """
    listed = list(schemas)
    if all(_passes_compiled(dialect, schema) for _, schema in listed):
        return
    tolerated = [(pointer, _tolerated(schema)) for pointer, schema in listed]
    if all(_passes_compiled(dialect, schema) for _, schema in tolerated):
        return
    # The rare document only jsonschema accepts is remembered, as the check costs it
    # about 1 ms and a jsonschema import, where jsonschema-rs takes microseconds.
    fingerprint = hashlib.sha256(f"{_REVISION}\0{dialect}\0{text}".encode()).hexdigest()
    if passed_before("valid-documents", fingerprint):
        return
    _check_with_jsonschema(source, dialect, tolerated)
    remember_pass("valid-documents", fingerprint)


def _check_with_jsonschema(source: str, dialect: str, schemas: list[tuple[str, Any]]) -> None:
    import jsonschema.validators

    cls = jsonschema.validators.validator_for({"$schema": _METASCHEMA_URIS[dialect]})
    checker = cls(cls.META_SCHEMA, format_checker=cls.FORMAT_CHECKER)
    for pointer, schema in schemas:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            error = jsonschema.exceptions.best_match(checker.iter_errors(schema))
        if error is not None:
            where = pointer + "".join(f"/{_escape(str(p))}" for p in error.absolute_path)
            raise DocumentError(source, f"invalid schema at {where[1:] or '/'}: {_problem(error)}")


# Folders of jsonschema-specifications (installed with jsonschema) that contain each
# dialect's metaschema.
_METASCHEMA_FOLDERS = {
    "draft4": "draft4",
    "openapi-3.0": "draft4",
    "draft6": "draft6",
    "draft7": "draft7",
    "2019-09": "draft201909",
    "2020-12": "draft202012",
}


def _passes_compiled(dialect: str, schema: Any) -> bool:
    return compiled.accepts(_compiled_checker(_METASCHEMA_FOLDERS[dialect]), schema)


@functools.cache
def _compiled_checker(folder: str) -> Any:
    """Return a jsonschema-rs validator of one metaschema, or None where none can be built."""
    # Found without importing the package, whose import costs about 50 ms.
    spec = importlib.util.find_spec("jsonschema_specifications")
    locations = spec.submodule_search_locations if spec else None
    if not locations:
        return None
    path = Path(next(iter(locations))) / "schemas" / folder / "metaschema.json"
    try:
        metaschema = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return compiled.build(metaschema, formats={"regex": _is_python_regex})


def _is_python_regex(value: str) -> bool:
    """jsonschema's `regex` format: a pattern Python's `re` compiles."""
    try:
        with warnings.catch_warnings():
            # `re` warns that `[[` may one day start a nested set, but today it compiles.
            warnings.simplefilter("ignore", FutureWarning)
            re.compile(value)
    except (re.error, RecursionError, OverflowError):
        return False
    return True


def _tolerated(value: Any, names: bool = False) -> Any:
    """Copy a schema without `required: []`, which draft 4's metaschema rejects.

    Draft 4 wants at least one required name, but an empty list means "nothing
    required" to every validator, and tools do write it. `names` is true for the
    members of a keyword that maps names to schemas, such as `properties`: there,
    `required` names a property, whose schema `[]` stays and fails the check.
    """
    if isinstance(value, dict):
        return {
            key: _tolerated(item, names=key in _NAMED and not names)
            for key, item in value.items()
            if names or not (key == "required" and item == [])
        }
    if isinstance(value, list):
        return [_tolerated(item) for item in value]
    return value


JSON_TYPES = "array, boolean, integer, null, number, object, string"


def _problem(error: Any) -> str:
    """Describe a metaschema error; an unknown type name gets the list of valid ones."""
    path = list(error.absolute_path)
    if isinstance(error.instance, str):
        if _is_type_keyword(path):
            return f"{error.instance!r} is not a JSON type; use one of {JSON_TYPES}"
        if path and isinstance(path[-1], int) and _is_type_keyword(path[:-1]):
            return (
                f"{error.instance!r} in the type list is not a JSON type; use one of {JSON_TYPES}"
            )
    bound = _numeric_exclusive_bound(error)
    if bound is not None:
        keyword, value = bound
        limit = "minimum" if keyword == "exclusiveMinimum" else "maximum"
        return (
            f"{keyword} {value!r} is a number, but draft 4 and OpenAPI 3.0 write it as "
            f"{limit}: {value!r} with {keyword}: true"
        )
    return _one_line(error.message)


def _numeric_exclusive_bound(error: Any) -> tuple[str, Any] | None:
    """Return the keyword and value of a number-valued `exclusiveMinimum` or
    `exclusiveMaximum` that a draft 4 metaschema rejected, or None."""
    path = list(error.absolute_path)
    keywords = ("exclusiveMinimum", "exclusiveMaximum")
    if error.validator == "type" and path and path[-1] in keywords:
        value = error.instance
    elif error.validator == "dependencies" and isinstance(error.instance, dict):
        found = [k for k in keywords if k in error.instance]
        if not found:
            return None
        path.append(found[0])
        value = error.instance[found[0]]
    else:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return str(path[-1]), value


def _is_type_keyword(path: list[Any]) -> bool:
    # `properties/type` is a property named "type", not the keyword.
    return bool(path) and path[-1] == "type" and (len(path) < 2 or path[-2] not in _NAMED)


_NAMED = frozenset({"properties", "patternProperties", "definitions", "$defs", "dependencies"})


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _one_line(message: str) -> str:
    text = " ".join(message.split())
    return text if len(text) <= 200 else text[:197] + "..."
