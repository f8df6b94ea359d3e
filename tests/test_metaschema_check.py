"""The metaschema check of new documents: jsonschema-rs first, jsonschema's verdict final.

jsonschema-rs may only speed the check up. A schema it accepts must be one jsonschema
accepts too, or an invalid schema would reach the engine.
"""

from __future__ import annotations

import copy
import json
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema.validators
import pytest

from schemagate.errors import DocumentError
from schemagate.load.validity import _METASCHEMA_URIS, _tolerated, check_metaschema
from schemagate.markers import forget_passes
from tests.support import CORPUS, ROOT

# The metaschema of each dialect the loader reads.
DIALECTS = _METASCHEMA_URIS
# Keyword values that some draft's metaschema rejects, including patterns that the
# ECMA-262 regular expressions of jsonschema-rs accept and Python's `re` does not.
WRONG_VALUES: list[Any] = [
    "strin",
    -1,
    0,
    "1",
    [],
    {},
    [1, 1],
    None,
    1.5,
    True,
    "(",
    "^\\p{L}+$",
    "(?<name>a)",
    "\\",
    {"type": "decimal"},
    ["a", "a"],
    2**70,
]
KEYWORDS = [
    "type", "required", "minimum", "maximum", "multipleOf", "pattern", "items", "enum",
    "properties", "additionalProperties", "minLength", "maxItems", "exclusiveMinimum",
    "allOf", "anyOf", "not", "format", "dependencies", "patternProperties", "uniqueItems",
    "const", "contains", "propertyNames", "if", "$ref", "$id", "id", "definitions", "$defs",
    "minProperties", "dependentRequired", "prefixItems", "unevaluatedProperties", "$anchor",
]  # fmt: skip


def _schemas_of(path: Path) -> Iterator[Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        return
    components = data.get("components") if isinstance(data, dict) else None
    if isinstance(components, dict) and isinstance(components.get("schemas"), dict):
        yield from components["schemas"].values()
    elif isinstance(data, dict):
        yield data


def _project_schemas() -> list[Any]:
    paths = [
        *sorted((ROOT / "examples").rglob("*.json")),
        *sorted((ROOT / "schemas").rglob("*.json")),
        *sorted((ROOT / "tests" / "cases").rglob("*.json")),
    ]
    if (CORPUS / "eventbridge").is_dir():
        paths += sorted((CORPUS / "eventbridge").glob("*.json"))
    return [schema for path in paths for schema in _schemas_of(path)]


def _nodes(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _nodes(item)
    elif isinstance(value, list):
        for item in value:
            yield from _nodes(item)


def _mutants(schemas: list[Any], per_schema: int, seed: int) -> list[Any]:
    """Copy each schema `per_schema` times with one keyword somewhere given a wrong value."""
    rng = random.Random(seed)
    mutants = []
    for schema in schemas:
        for _ in range(per_schema):
            mutant = copy.deepcopy(schema)
            node = rng.choice(list(_nodes(mutant)))
            node[rng.choice(KEYWORDS)] = copy.deepcopy(rng.choice(WRONG_VALUES))
            mutants.append(mutant)
    return mutants


def _jsonschema_accepts(dialect: str, schema: Any) -> bool:
    cls = jsonschema.validators.validator_for({"$schema": DIALECTS[dialect]})
    checker = cls(cls.META_SCHEMA, format_checker=cls.FORMAT_CHECKER)
    # Draft 4's metaschema expects a required name, but the check accepts `required: []`.
    return bool(checker.is_valid(_tolerated(schema)))


def _check_accepts(dialect: str, schema: Any) -> bool:
    forget_passes()
    try:
        check_metaschema("schema.json", json.dumps(schema), dialect, iter([("#", schema)]))
    except DocumentError:
        return False
    return True


@pytest.mark.parametrize("dialect", sorted(DIALECTS))
def test_mutated_schemas_match_jsonschema(dialect: str) -> None:
    schemas = _project_schemas()
    assert len(schemas) > 50
    mutants = _mutants(schemas, per_schema=4, seed=len(dialect))
    disagreements = [
        json.dumps(schema)[:200]
        for schema in schemas + mutants
        if _check_accepts(dialect, schema) != _jsonschema_accepts(dialect, schema)
    ]
    assert not disagreements


@pytest.mark.parametrize("dialect", sorted(DIALECTS))
@pytest.mark.parametrize("pattern", ["^\\p{L}+$", "(?<name>a)", "a{,"])
def test_non_python_pattern_rejected(dialect: str, pattern: str) -> None:
    # Valid ECMA-262 (or, for "a{,", a literal), but not a pattern jsonschema accepts.
    schema = {"type": "string", "pattern": pattern}
    assert _check_accepts(dialect, schema) is _jsonschema_accepts(dialect, schema)
    if not _jsonschema_accepts(dialect, schema):
        with pytest.raises(DocumentError, match="is not a 'regex'"):
            check_metaschema("schema.json", json.dumps(schema), dialect, iter([("#", schema)]))


def test_new_documents_skip_jsonschema_import(
    tmp_path: Path,
) -> None:
    # A run on new documents (an empty cache, as in CI) that finds nothing to prove
    # never needs jsonschema, whose import is the slow part of a cold start.
    old = {"type": "object", "properties": {"id": {"type": "string", "pattern": "^o-"}}}
    new = copy.deepcopy(old)
    new["properties"]["id"]["description"] = "The order's id."
    (tmp_path / "old.json").write_text(json.dumps(old))
    (tmp_path / "new.json").write_text(json.dumps(new))
    code = (
        "import sys\n"
        "from schemagate.cli import main\n"
        f"status = main(['diff', {str(tmp_path / 'old.json')!r}, {str(tmp_path / 'new.json')!r},"
        " '--mode', 'backward'])\n"
        "print(status, 'jsonschema' in sys.modules)\n"
    )
    env = {"SCHEMAGATE_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert result.stdout.split()[-2:] == ["0", "False"], result.stdout + result.stderr


def test_property_named_required_checked() -> None:
    # `required: []` is accepted as a keyword only. A property of that name with the
    # schema `[]` is an invalid schema.
    tolerated = {"type": "object", "required": [], "properties": {"required": {"type": "string"}}}
    invalid = {"type": "object", "properties": {"a": {"type": "string"}, "required": []}}
    assert _check_accepts("draft4", tolerated)
    with pytest.raises(DocumentError, match="/properties/required"):
        check_metaschema("schema.json", json.dumps(invalid), "draft4", iter([("#", invalid)]))


@pytest.mark.parametrize(
    ("member", "words"),
    [
        ({"exclusiveMinimum": 0}, "exclusiveMinimum 0 is a number, but draft 4"),
        ({"minimum": 1, "exclusiveMaximum": 5}, "write it as maximum: 5 with exclusiveMaximum"),
        ({"maximum": 5, "exclusiveMaximum": 4.5}, "exclusiveMaximum 4.5 is a number"),
    ],
    ids=["alone", "beside-other-bound", "beside-own-bound"],
)
def test_draft7_bound_in_draft4_explained(member: dict[str, Any], words: str) -> None:
    # Draft 6 made exclusive bounds numbers, where draft 4 and OpenAPI 3.0 take booleans.
    schema = {"type": "object", "properties": {"a": {"type": "integer", **member}}}
    text = json.dumps(schema)
    with pytest.raises(DocumentError, match=words):
        check_metaschema("a.json", text, "draft4", iter([("#", schema)]))
