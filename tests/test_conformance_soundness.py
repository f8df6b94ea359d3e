"""Soundness: where the engine calls a pair compatible, no instance may tell them apart.

Random pairs of small schemas are built from the supported keywords, each new schema
either a mutation of the old one or drawn on its own. For every pair judged backward
compatible under `--strict` with no `unproven` warning, instances of the old schema
must be valid under the new one; forward likewise. Every witness the engine reports is
checked with jsonschema as well.

Instances are drawn from small JSON values over the same vocabulary as the schemas
and kept when the source schema accepts them. NOTE: hypothesis-jsonschema 0.23.1
fails on object schemas with hypothesis 6.170 (`'many' object has no attribute
'more'`), so its `from_schema` is not used here.

The example count stays small so that the suite is fast. A longer campaign:
`SCHEMAGATE_SOUNDNESS_EXAMPLES=2000 pytest tests/test_conformance_soundness.py`.
"""

from __future__ import annotations

import os
from typing import Any

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemagate.diff.engine import diff_documents
from schemagate.modes import Mode, Policy
from tests.engine_support import gated_unproven, schema_document
from tests.support import assert_witnesses_hold

EXAMPLES = int(os.environ.get("SCHEMAGATE_SOUNDNESS_EXAMPLES", "25"))
NAMES = st.sampled_from(["a", "b", "c"])
SMALL = st.integers(min_value=0, max_value=4)


def leaf_schemas() -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(
        st.sampled_from(["string", "integer", "number", "boolean", "null"]).map(
            lambda name: {"type": name}
        ),
        st.lists(st.sampled_from(["x", "y", 1, 2, None]), min_size=1, max_size=3, unique=True).map(
            lambda values: {"enum": values}
        ),
        st.tuples(SMALL, SMALL).map(
            lambda bounds: {"type": "string", "minLength": min(bounds), "maxLength": max(bounds)}
        ),
        st.tuples(SMALL, SMALL, st.booleans()).map(
            lambda b: {
                "type": "integer",
                "minimum": min(b[:2]),
                "maximum": max(b[:2]),
                "exclusiveMaximum": b[2],
            }
        ),
        st.sampled_from([1, 2, 3]).map(lambda step: {"type": "integer", "multipleOf": step}),
    )


def extend(children: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    objects = st.tuples(
        st.dictionaries(NAMES, children, max_size=3), st.lists(NAMES, max_size=2, unique=True),
        st.sampled_from([None, False, {"type": "integer"}]),
    ).map(_object)  # fmt: skip
    arrays = st.tuples(children, st.sampled_from([None, 1, 2]), st.booleans()).map(_array)
    unions = st.tuples(st.sampled_from(["anyOf", "oneOf"]), st.lists(children, min_size=1,
                       max_size=3)).map(lambda u: {u[0]: u[1]})  # fmt: skip
    return st.one_of(objects, arrays, unions, children.map(lambda s: {"not": s}))


def _object(parts: tuple[dict[str, Any], list[str], Any]) -> dict[str, Any]:
    properties, required, additional = parts
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    if additional is not None:
        schema["additionalProperties"] = additional
    return schema


def _array(parts: tuple[dict[str, Any], int | None, bool]) -> dict[str, Any]:
    items, max_items, unique = parts
    schema: dict[str, Any] = {"type": "array", "items": items}
    if max_items is not None:
        schema["maxItems"] = max_items
    if unique:
        schema["uniqueItems"] = True
    return schema


SCHEMAS = st.recursive(leaf_schemas(), extend, max_leaves=6)


@st.composite
def schema_pairs(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    old = draw(SCHEMAS)
    if draw(st.booleans()):
        return old, draw(SCHEMAS)
    return old, draw(mutations(old))


def mutations(schema: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Change one keyword of `schema`, or wrap it, the way an evolving schema changes."""
    options: list[st.SearchStrategy[dict[str, Any]]] = [
        st.just({"anyOf": [schema, {"type": "null"}]}),
        st.just({"oneOf": [schema, schema]}),
        st.just({"definitions": {"d": schema}, "allOf": [{"$ref": "#/definitions/d"}]}),
    ]
    for key in schema:
        options.append(st.just({k: v for k, v in schema.items() if k != key}))
    if "properties" in schema:
        options.append(NAMES.map(lambda name: {**schema, "required": [name]}))
    if "maxLength" in schema:
        options.append(SMALL.map(lambda n: {**schema, "maxLength": n}))
    return st.one_of(options)


def judged_compatible(old: Any, new: Any, mode: Mode) -> bool:
    result = diff_documents(
        schema_document(old, "old.json"), schema_document(new, "new.json"), mode, Policy.STRICT
    )
    assert_witnesses_hold(old, new, result.to_json(), tolerant=False)
    return result.compatible and not gated_unproven(result)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(pair=schema_pairs(), data=st.data())
def test_compatible_pairs_admit_no_counterexample(
    pair: tuple[dict[str, Any], dict[str, Any]], data: st.DataObject
) -> None:
    old, new = pair
    old_validator = jsonschema.Draft4Validator(old)
    new_validator = jsonschema.Draft4Validator(new)
    if judged_compatible(old, new, Mode.BACKWARD):
        for instance in _draw_instances(data, old):
            assert new_validator.is_valid(instance), f"{instance!r} valid under old, not new"
    if judged_compatible(old, new, Mode.FORWARD):
        for instance in _draw_instances(data, new):
            assert old_validator.is_valid(instance), f"{instance!r} valid under new, not old"


JSON_VALUES = st.recursive(
    st.one_of(
        st.none(), st.booleans(), st.integers(min_value=-1, max_value=5),
        st.sampled_from([0.5, 2.5]), st.sampled_from(["", "x", "y", "xyz", "abcde"]),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(NAMES, children, max_size=3)
    ),
    max_leaves=6,
)  # fmt: skip


def _draw_instances(data: st.DataObject, schema: dict[str, Any]) -> list[Any]:
    """Draw up to three instances the schema accepts, out of at most 30 tries."""
    validator = jsonschema.Draft4Validator(schema)
    found = []
    for _ in range(30):
        instance = data.draw(JSON_VALUES)
        if validator.is_valid(instance):
            found.append(instance)
            if len(found) == 3:
                break
    return found


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schema=SCHEMAS)
def test_schema_is_compatible_with_itself(schema: dict[str, Any]) -> None:
    assert judged_compatible(schema, schema, Mode.FULL)
