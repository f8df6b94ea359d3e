"""Property-based tests: loaders never crash, and the engine is stable and proves its breaks.

The example counts here keep the suite fast; `SCHEMAGATE_FUZZ_EXAMPLES` raises them for
a longer campaign run by hand (see docs/hardening.md).
"""

from __future__ import annotations

import contextlib
import json
import os
import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemagate.diff.engine import diff_documents
from schemagate.errors import DocumentError
from schemagate.load import load_text
from schemagate.modes import Mode, Policy
from tests.support import assert_witnesses_hold

EXAMPLES = int(os.environ.get("SCHEMAGATE_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-10, 10)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=20,
)

TYPES = ["string", "integer", "number", "boolean", "null", "object", "array"]


def _with_exclusive_minimum(schema: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    # Draft 4 allows `exclusiveMinimum` only next to `minimum`.
    if "minimum" not in schema:
        return st.just(schema)
    return st.builds(lambda flag: {**schema, "exclusiveMinimum": flag}, st.booleans())


def scalar_schemas() -> st.SearchStrategy[dict[str, Any]]:
    string = st.fixed_dictionaries(
        {"type": st.just("string")},
        optional={
            "minLength": st.integers(0, 3),
            "maxLength": st.integers(3, 8),
            "enum": st.lists(
                st.sampled_from(["a", "bb", "ccc", "dddd"]), min_size=1, max_size=3, unique=True
            ),
            "format": st.sampled_from(["date-time", "email", "uuid"]),
        },
    )
    integer = st.fixed_dictionaries(
        {"type": st.sampled_from(["integer", "number"])},
        optional={
            "maximum": st.integers(1, 9),
            "multipleOf": st.sampled_from([1, 2, 3]),
            "minimum": st.integers(-5, 0),
        },
    ).flatmap(_with_exclusive_minimum)
    other = st.fixed_dictionaries({"type": st.sampled_from(TYPES)})
    nullable = st.fixed_dictionaries(
        {"type": st.lists(st.sampled_from(TYPES), min_size=1, max_size=3, unique=True)}
    )
    return string | integer | other | nullable


def schemas() -> st.SearchStrategy[dict[str, Any]]:
    def extend(children: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
        names = st.sampled_from(["id", "name", "total", "items", "meta"])
        obj = st.builds(
            lambda props, required, closed: {
                "type": "object",
                "properties": props,
                **({"required": sorted(set(required) & set(props))} if required else {}),
                **({"additionalProperties": False} if closed else {}),
            },
            st.dictionaries(names, children, max_size=4),
            st.lists(names, max_size=3),
            st.booleans(),
        )
        array = st.builds(
            lambda items, low: {"type": "array", "items": items, "minItems": low},
            children,
            st.integers(0, 2),
        )
        union = st.builds(
            lambda branches: {"anyOf": branches}, st.lists(children, min_size=1, max_size=3)
        )
        return obj | array | union

    return st.recursive(scalar_schemas(), extend, max_leaves=8)


def shuffled(value: Any, rng: random.Random) -> Any:
    if isinstance(value, dict):
        keys = list(value)
        rng.shuffle(keys)
        return {k: shuffled(value[k], rng) for k in keys}
    if isinstance(value, list):
        return [shuffled(v, rng) for v in value]
    return value


def document(schema: dict[str, Any]) -> dict[str, Any]:
    return {"$schema": "http://json-schema.org/draft-04/schema#", **schema}


@pytest.mark.parametrize("text", ["+_", "0x_", "1e", "- !!int x"])
def test_loader_rejects_malformed_yaml_scalars(text: str) -> None:
    with pytest.raises(DocumentError):
        load_text(text, "found-by-fuzzing.yaml", yaml_hint=True)


@FUZZ
@given(st.binary(max_size=300))
def test_loader_survives_random_bytes(raw: bytes) -> None:
    text = raw.decode("utf-8", errors="replace")
    with contextlib.suppress(DocumentError):
        load_text(text, "fuzz.json")


@FUZZ
@given(json_values, st.booleans())
def test_loader_survives_random_json(value: Any, as_yaml: bool) -> None:
    text = json.dumps(value)
    with contextlib.suppress(DocumentError):
        load_text(text, "fuzz.yaml" if as_yaml else "fuzz.json", yaml_hint=as_yaml)


@FUZZ
@given(schemas(), schemas(), st.sampled_from(list(Policy)))
def test_engine_witnesses_hold_on_random_pairs(
    old: dict[str, Any], new: dict[str, Any], policy: Policy
) -> None:
    old_doc, new_doc = document(old), document(new)
    result = diff_documents(
        load_text(json.dumps(old_doc), "old.json"),
        load_text(json.dumps(new_doc), "new.json"),
        Mode.FULL,
        policy,
    )
    assert_witnesses_hold(old_doc, new_doc, result.to_json(), tolerant=policy is Policy.TOLERANT)


@FUZZ
@given(schemas(), schemas(), st.integers(0, 1000))
def test_engine_verdict_ignores_key_order(
    old: dict[str, Any], new: dict[str, Any], seed: int
) -> None:
    rng = random.Random(seed)
    first = diff_documents(
        load_text(json.dumps(document(old)), "old.json"),
        load_text(json.dumps(document(new)), "new.json"),
        Mode.FULL,
    )
    second = diff_documents(
        load_text(json.dumps(shuffled(document(old), rng)), "old.json"),
        load_text(json.dumps(shuffled(document(new), rng)), "new.json"),
        Mode.FULL,
    )
    assert first.compatible == second.compatible
    assert sorted((f.rule, f.severity.value) for f in first.findings) == sorted(
        (f.rule, f.severity.value) for f in second.findings
    )


@FUZZ
@given(schemas())
def test_engine_finds_nothing_between_equal_schemas(schema: dict[str, Any]) -> None:
    text = json.dumps(document(schema))
    result = diff_documents(
        load_text(text, "old.json"), load_text(text, "new.json"), Mode.FULL, Policy.STRICT
    )
    assert result.compatible
    assert result.findings == []
