"""Comparison work is bounded: pathological pairs end in `unproven`, not in a hang."""

from __future__ import annotations

import json
import sys
from typing import Any

from schemagate.diff.budget import DEFAULT_WORK_LIMIT
from schemagate.diff.engine import diff_documents
from schemagate.modes import Mode, Policy
from tests.engine_support import schema_document, strict_backward


def nested_one_of(depth: int, width: int, leaf: dict[str, Any]) -> dict[str, Any]:
    """Build `depth` definitions, each a `oneOf` of `width` objects referring to the next."""
    definitions: dict[str, Any] = {}
    for level in range(depth):
        inner = {"$ref": f"#/definitions/d{level + 1}"} if level + 1 < depth else leaf
        branches = [
            {"type": "object", "properties": {f"p{index}": inner}} for index in range(width)
        ]
        definitions[f"d{level}"] = {"oneOf": branches}
    return {"definitions": definitions, "$ref": "#/definitions/d0"}


def test_nested_one_of_pair_stops_and_fails_closed() -> None:
    old = nested_one_of(8, 4, {"type": "string"})
    new = nested_one_of(8, 4, {"type": "integer"})
    result = strict_backward(old, new)
    stopped = [f for f in result.findings if "comparison stopped" in f.message]
    assert len(stopped) == 1
    assert stopped[0].rule == "comparison-incomplete"
    assert stopped[0].severity.value == "error"
    assert not result.compatible
    assert f"after {DEFAULT_WORK_LIMIT} units" in stopped[0].message


def test_work_limit_keeps_findings_proven_before_it() -> None:
    # Member `a` is compared and proven before the deeper member `b`. Some limit stops
    # the comparison between the two: its result keeps `a`'s proven break.
    def nested(length: int) -> dict[str, Any]:
        leaf = {"type": "string", "maxLength": length}
        return {"type": "object", "properties": {"c": {"properties": {"d": leaf}}}}

    old = {"type": "object", "properties": {"a": {"type": "string"}, "b": nested(5)}}
    new = {"type": "object", "properties": {"a": {"type": "integer"}, "b": nested(3)}}
    results = []
    for limit in range(1, 50):
        result = diff_documents(
            schema_document({**old, "required": ["a"]}, "old.json"),
            schema_document({**new, "required": ["a"]}, "new.json"),
            Mode.BACKWARD,
            Policy.STRICT,
            work_limit=limit,
        )
        rules = {f.rule for f in result.findings}
        results.append((rules, result.compatible))
        if "comparison-incomplete" not in rules:
            break
    assert {"comparison-incomplete", "type-changed"} in [rules for rules, _ in results]
    assert all(not compatible for _, compatible in results)
    # Without a limit in reach, the pair finishes with both breaks.
    assert {"type-changed", "string-length-narrowed"} <= results[-1][0]


def test_small_pair_stays_within_bound() -> None:
    old = nested_one_of(2, 2, {"type": "string"})
    new = nested_one_of(2, 2, {"type": "integer"})
    result = strict_backward(old, new)
    assert result.findings
    assert not any("comparison stopped" in f.message for f in result.findings)


def test_component_documents_stop_within_bound() -> None:
    from schemagate.load import load_text

    def document(names: list[str]) -> str:
        components = {
            name: {"type": "object", "properties": {name.lower(): {"type": "string"}}}
            for name in names
        }
        info = {"title": "t", "version": "1"}
        return json.dumps(
            {"openapi": "3.0.0", "info": info, "paths": {}, "components": {"schemas": components}}
        )

    old = load_text(document(["Alpha", "Beta", "Gamma"]), "old.json")
    new = load_text(document(["Alpha", "Beta", "Delta"]), "new.json")
    result = diff_documents(old, new, Mode.FULL, Policy.STRICT, work_limit=3)
    assert "comparison-incomplete" in {f.rule for f in result.findings}
    assert not result.compatible


def nested_members(depth: int, leaf: str) -> dict[str, Any]:
    """Build an object schema with one required member per level, `depth` levels deep."""
    schema: dict[str, Any] = {"type": leaf}
    for level in range(depth):
        name = f"level{level}"
        schema = {"type": "object", "properties": {name: schema}, "required": [name]}
    return schema


def test_deeply_nested_break_is_proven() -> None:
    # 90 schema levels are 180 JSON levels, within what the loader accepts.
    result = strict_backward(nested_members(90, "string"), nested_members(90, "integer"))
    assert not result.compatible
    retyped = [f for f in result.findings if f.rule == "type-changed"]
    assert len(retyped) == 1
    assert [w.direction for w in retyped[0].witnesses] == ["backward"]
    assert len(retyped[0].path) == 90


def test_backtracking_pattern_pair_ends() -> None:
    # `re` backtracks without end matching the old pattern's strings against the new one.
    # The check runs in a child process, so a regression fails at the limit, not hangs.
    import subprocess
    import sys

    script = (
        "from tests.engine_support import strict_backward\n"
        "def member(p):\n"
        "    return {'type': 'object', 'required': ['x'],\n"
        "            'properties': {'x': {'type': 'string', 'pattern': p}}}\n"
        "old, new = member(r'^([A-Za-z0-9]+\\s?)+$'), member(r'^([A-Za-z0-9]+-?)+$')\n"
        "print(sorted({f.rule for f in strict_backward(old, new).findings}))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert completed.returncode == 0, completed.stderr
    assert "pattern-changed" in completed.stdout


def test_recursion_limit_fails_closed() -> None:
    # Each level of a recursive event costs the example builder a few frames. Where
    # they run out, the comparison stops with an error finding instead of a traceback.
    old = {
        "properties": {"a": {"$ref": "#/definitions/A"}},
        "required": ["a"],
        "definitions": {"A": {"items": {"$ref": "#"}, "minItems": 1}},
    }
    new = {"properties": {"a": {"type": "string"}}}
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(300)
    try:
        result = strict_backward(old, new)
    finally:
        sys.setrecursionlimit(limit)
    stopped = [f for f in result.findings if f.rule == "comparison-incomplete"]
    assert len(stopped) == 1
    assert "recursion limit" in stopped[0].message
    assert not result.compatible
