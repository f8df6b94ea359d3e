"""Check schema documents against their draft's metaschema before any comparison.

An invalid keyword value (`"required": "id"`, `"multipleOf": 0`, a pattern that is
not a regular expression) would otherwise be compared as if it meant something, or
fail deep inside the engine. A document that passed once is remembered by a hash of
its text in the cache folder, so repeated runs skip importing jsonschema.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

from schemagate.errors import DocumentError
from schemagate.markers import passed_before, remember_pass

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
    fingerprint = hashlib.sha256(f"{dialect}\0{text}".encode()).hexdigest()
    if passed_before("valid-documents", fingerprint):
        return
    import jsonschema.validators

    cls = jsonschema.validators.validator_for({"$schema": _METASCHEMA_URIS[dialect]})
    checker = cls(cls.META_SCHEMA, format_checker=cls.FORMAT_CHECKER)
    for pointer, schema in schemas:
        error = jsonschema.exceptions.best_match(checker.iter_errors(_tolerated(schema)))
        if error is not None:
            where = pointer + "".join(f"/{_escape(str(p))}" for p in error.absolute_path)
            raise DocumentError(source, f"invalid schema at {where[1:] or '/'}: {_problem(error)}")
    remember_pass("valid-documents", fingerprint)


def _tolerated(value: Any) -> Any:
    """Copy a schema without `required: []`, which draft 4's metaschema rejects.

    Draft 4 wants at least one required name, but an empty list means "nothing
    required" to every validator, and tools do write it.
    """
    if isinstance(value, dict):
        return {
            key: _tolerated(item)
            for key, item in value.items()
            if not (key == "required" and item == [])
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
    return _one_line(error.message)


def _is_type_keyword(path: list[Any]) -> bool:
    # `properties/type` is a property named "type", not the keyword.
    return bool(path) and path[-1] == "type" and (len(path) < 2 or path[-2] not in _NAMED)


_NAMED = frozenset({"properties", "patternProperties", "definitions", "$defs", "dependencies"})


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _one_line(message: str) -> str:
    text = " ".join(message.split())
    return text if len(text) <= 200 else text[:197] + "..."
