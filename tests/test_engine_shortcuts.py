"""The engine's shortcuts for unchanged parts give the same verdicts as a full walk."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from schemagate.diff.changes import Deferred
from schemagate.diff.engine import Side
from schemagate.errors import DocumentError
from schemagate.load import load_text
from schemagate.modes import Policy
from schemagate.resolve.keywords import child_schemas
from schemagate.resolve.refs import Resolver
from schemagate.rules.checks import (
    CHECK_KEYWORDS,
    NODE_CHECKS,
    check_format,
    check_pattern,
    check_string_length,
    checks_for,
)
from tests.engine_support import schema_document, strict_backward
from tests.support import corpus_dir, reader_validator


def wide(member: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {"kept": {"type": "string"}, "changed": member},
        "required": ["kept", "changed"],
    }


def test_same_document_has_no_findings() -> None:
    schema = wide({"type": "integer", "enum": [1, 2]})
    result = strict_backward(schema, copy.deepcopy(schema))
    assert result.compatible
    assert result.findings == []


def test_same_document_still_checks_references() -> None:
    schema = {"type": "object", "properties": {"a": {"$ref": "#/definitions/missing"}}}
    with pytest.raises(DocumentError, match="dangling reference"):
        strict_backward(schema, copy.deepcopy(schema))


@pytest.mark.parametrize(
    ("old_value", "new_value"),
    [(1, True), (True, 1), (0, False)],
    ids=["one-to-true", "true-to-one", "zero-to-false"],
)
def test_python_equal_json_distinct_changes(old_value: Any, new_value: Any) -> None:
    # Python's `==` equates these values, so the unchanged-member shortcut must not.
    old = wide({"enum": [old_value]})
    new = wide({"enum": [new_value]})
    result = strict_backward(old, new)
    rules = {f.rule for f in result.findings}
    assert not result.compatible
    assert "enum-value-removed" in rules


def test_document_json_type_change_compared() -> None:
    old = {"enum": [1]}
    new = {"enum": [True]}
    result = strict_backward(old, new)
    assert not result.compatible


def test_unchanged_member_with_reference_is_followed() -> None:
    # The text at the member is the same, but the definition it points to changed.
    old = {
        "definitions": {"id": {"type": "string"}},
        "type": "object",
        "properties": {"id": {"$ref": "#/definitions/id"}},
        "required": ["id"],
    }
    new = copy.deepcopy(old)
    new["definitions"]["id"] = {"type": "integer"}
    result = strict_backward(old, new)
    assert not result.compatible
    assert "type-changed" in {f.rule for f in result.findings}


def test_tolerant_view_leaves_document_untouched() -> None:
    schema = {
        "type": "object",
        "properties": {"a": {"type": "object", "additionalProperties": False}},
        "additionalProperties": False,
    }
    before = json.dumps(schema, sort_keys=True)
    side = Side.of(schema_document(schema, "closed.json"), Policy.TOLERANT)
    view = side.validator.view
    assert "additionalProperties" not in view
    assert "additionalProperties" not in view["properties"]["a"]
    assert json.dumps(schema, sort_keys=True) == before


def test_strict_view_shares_unedited_document() -> None:
    schema = {"type": "object", "additionalProperties": False}
    side = Side.of(schema_document(schema, "closed.json"), Policy.STRICT)
    assert side.validator.view is side.resolver.data
    assert side.validator.is_valid({"extra": 1}) is False
    assert side.validator.is_valid({}) is True


def test_nullable_view_copies_openapi_document() -> None:
    document = {
        "openapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {
                "Order": {
                    "type": "object",
                    "properties": {"note": {"type": "string", "nullable": True}},
                }
            }
        },
    }
    text = json.dumps(document)
    side = Side.of(load_text(text, "order.json"), Policy.STRICT)
    note = side.validator.view["components"]["schemas"]["Order"]["properties"]["note"]
    assert note["type"] == ["string", "null"]
    assert side.resolver.document.data == json.loads(text)
    assert side.validator.is_valid({"note": None}) is True


def test_member_with_reordered_keys_unchanged() -> None:
    old = wide({"type": "string", "maxLength": 5})
    new = wide({"maxLength": 5, "type": "string"})
    result = strict_backward(old, new)
    assert result.compatible
    assert result.findings == []


def test_members_sharing_schema_get_own_values() -> None:
    shared = {"type": "array", "items": {"type": "string"}, "minItems": 1}
    old = {
        "type": "object",
        "properties": {"a": shared, "b": copy.deepcopy(shared), "c": {"type": "string"}},
        "required": ["a", "b", "c"],
    }
    new = copy.deepcopy(old)
    new["properties"]["c"] = {"type": "integer"}
    result = strict_backward(old, new)
    event = result.findings[0].witnesses[0].instance
    assert event["a"] == event["b"] == ["x"]
    assert event["a"] is not event["b"]


def test_self_contained_excludes_reference_parents() -> None:
    schema = {
        "type": "object",
        "properties": {
            "plain": {"type": "string"},
            "linked": {"type": "array", "items": {"$ref": "#/definitions/id"}},
        },
        "definitions": {"id": {"type": "integer"}},
    }
    resolver = Resolver(schema_document(schema, "refs.json"))
    assert resolver.self_contained("#/properties/plain")
    assert resolver.self_contained("#/definitions/id")
    assert not resolver.self_contained("#/properties/linked")
    assert not resolver.self_contained("#/properties/linked/items")
    assert not resolver.self_contained("#")


def test_deferred_builds_values_on_demand() -> None:
    built = []

    def source() -> Any:
        for value in (1, 2, 3):
            built.append(value)
            yield value

    deferred = Deferred(source())
    assert built == []
    assert next(iter(deferred)) == 1
    assert built == [1]
    assert list(deferred) == [1, 2, 3]
    assert list(deferred) == [1, 2, 3]
    assert built == [1, 2, 3]


def test_pattern_witness_stays_short() -> None:
    old = {"type": "object", "required": ["code"], "properties": {"code": {"pattern": "^[a-z]+$"}}}
    new = copy.deepcopy(old)
    new["properties"]["code"]["pattern"] = "^[a-z]{1,3}$"
    result = strict_backward(old, new)
    witnesses = [w.instance for f in result.findings for w in f.witnesses]
    assert witnesses
    assert all(len(w["code"]) <= 6 for w in witnesses)


DRAFT4 = "http://json-schema.org/draft-04/schema#"
DRAFT7 = "http://json-schema.org/draft-07/schema#"


@pytest.mark.parametrize(
    ("member", "instance"),
    [
        ({"const": "a"}, "b"),
        ({"type": "array", "contains": {"type": "string"}}, [1]),
        (
            {
                "type": "object",
                "properties": {"kind": {"type": "string"}, "size": {"type": "integer"}},
                "if": {"properties": {"kind": {"const": "big"}}, "required": ["kind"]},
                "then": {"required": ["size"]},
            },
            {"kind": "big"},
        ),
        (
            {
                "type": "object",
                "properties": {"Name": {"type": "string"}},
                "propertyNames": {"pattern": "^[a-z]+$"},
            },
            {"Name": ""},
        ),
        ({"type": "object", "properties": {"b": {"const": 1}}}, {"b": 2}),
    ],
    ids=["const", "contains", "if-then", "property-names", "nested-const"],
)
def test_same_text_across_drafts_is_compared(member: dict[str, Any], instance: Any) -> None:
    # Draft 4 ignores these keywords, so the same text accepts more there: a member
    # unchanged in text is still a forward break when a document moves to draft 4.
    from schemagate.diff.engine import diff_documents
    from schemagate.modes import Mode

    old = {"$schema": DRAFT7, **wide(copy.deepcopy(member))}
    new = {"$schema": DRAFT4, **wide(copy.deepcopy(member))}
    result = diff_documents(
        schema_document(old, "old.json"), schema_document(new, "new.json"), Mode.FORWARD
    )
    witnesses = [w.instance for f in result.findings for w in f.witnesses]
    event = {"kept": "x", "changed": instance}
    # The break exists: draft 4 accepts this event and draft 7 rejects it.
    assert reader_validator(new, tolerant=True).is_valid(event)
    assert not reader_validator(old, tolerant=True).is_valid(event)
    assert not result.compatible
    assert witnesses
    assert reader_validator(new, tolerant=True).is_valid(witnesses[0])
    assert not reader_validator(old, tolerant=True).is_valid(witnesses[0])


def test_same_portable_text_across_drafts_is_skipped() -> None:
    member = {"type": "object", "properties": {"n": {"type": "integer", "minimum": 0}}}
    old = {"$schema": DRAFT7, **wide(copy.deepcopy(member))}
    new = {"$schema": DRAFT4, **wide(copy.deepcopy(member))}
    result = strict_backward(old, new)
    assert result.compatible
    assert [f.rule for f in result.findings if f.severity.value != "info"] == []


def _case_pairs() -> list[tuple[str, str]]:
    cases = Path(__file__).resolve().parent / "cases"
    return [
        ((d / "old.json").read_text(), (d / "new.json").read_text())
        for d in sorted(cases.glob("*/*"))
        if (d / "old.json").is_file()
    ]


def test_skipped_checks_change_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    # A check skipped where neither side has its keywords must find nothing there: the
    # findings and witnesses of every rule case are the same with all checks run.
    from schemagate.diff import engine

    pairs = _case_pairs()
    assert len(pairs) > 100
    skipped = [_findings_of(old, new) for old, new in pairs]
    monkeypatch.setattr(engine, "checks_for", lambda present: NODE_CHECKS)
    every_check = [_findings_of(old, new) for old, new in pairs]
    assert skipped == every_check


def test_checks_for_keeps_order_and_readers() -> None:
    assert checks_for(set()) == tuple(c for c in NODE_CHECKS if c not in CHECK_KEYWORDS)
    chosen = checks_for({"pattern", "minLength", "title"})
    assert check_pattern in chosen
    assert check_string_length in chosen
    assert check_format not in chosen
    assert list(chosen) == [c for c in NODE_CHECKS if c in chosen]


def test_expand_follows_every_reference_keyword() -> None:
    # `expand` spells the reference keywords out for speed, so a new one goes there too.
    from schemagate.diff.shape import expand
    from schemagate.resolve.keywords import REFERENCE_KEYWORDS

    drafts = {"$recursiveRef": "https://json-schema.org/draft/2019-09/schema"}
    for key in REFERENCE_KEYWORDS:
        schema = {
            "$schema": drafts.get(key, "https://json-schema.org/draft/2020-12/schema"),
            "$defs": {"a": {"type": "string"}},
            "properties": {"x": {key: "#/$defs/a", "minLength": 1}},
        }
        document = load_text(json.dumps(schema), "schema.json")
        loc = ("#/properties/x", document.data["properties"]["x"])
        assert len(expand(Resolver(document), loc)) == 2, key


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            '{"type": "object", "properties": {"a": {"\\u0024ref": "#/definitions/gone"}}}',
            "s.json",
        ),
        ("type: object\nproperties:\n  a:\n    $ref: '#/definitions/gone'\n", "s.yaml"),
    ],
    ids=["json-escaped-key", "yaml"],
)
def test_reference_found_however_written(text: str, name: str) -> None:
    # Documents that name no reference keyword skip building pointers, so an escaped or
    # YAML key must still count as one.
    document = load_text(text, name, yaml_hint=name.endswith(".yaml"))
    with pytest.raises(DocumentError, match="#/properties/a"):
        Resolver(document).check_references()


def _walk(old: dict[str, Any], new: dict[str, Any]) -> Any:
    from schemagate.diff.budget import WorkBudget
    from schemagate.diff.engine import Walk

    budget = WorkBudget(100_000)
    old_side = Side.of(schema_document(old, "old.json"), Policy.STRICT, budget)
    new_side = Side.of(schema_document(new, "new.json"), Policy.STRICT, budget)
    return Walk(old_side, new_side, Policy.STRICT, budget)


def _member_locations(walk: Any, name: str) -> tuple[Any, Any]:
    pointer = f"#/properties/{name}"
    return (
        [(pointer, walk.old.resolver.lookup(pointer))],
        [(pointer, walk.new.resolver.lookup(pointer))],
    )


def _referring(definitions: dict[str, Any], schema_uri: str = DRAFT7) -> dict[str, Any]:
    return {
        "$schema": schema_uri,
        "definitions": definitions,
        "type": "object",
        "properties": {"a": {"allOf": [{"$ref": "#/definitions/A"}]}},
    }


@pytest.mark.parametrize(
    ("old_definitions", "new_definitions", "unchanged"),
    [
        ({"A": {"type": "string"}}, {"A": {"type": "string"}}, True),
        ({"A": {"type": "string"}}, {"A": {"type": "integer"}}, False),
        (
            {"A": {"properties": {"b": {"$ref": "#/definitions/B"}}}, "B": {"minimum": 1}},
            {"A": {"properties": {"b": {"$ref": "#/definitions/B"}}}, "B": {"minimum": 2}},
            False,
        ),
        (
            {"A": {"properties": {"next": {"$ref": "#/definitions/A"}}, "type": "object"}},
            {"A": {"properties": {"next": {"$ref": "#/definitions/A"}}, "type": "object"}},
            True,
        ),
        ({"A": {"enum": [1]}}, {"A": {"enum": [True]}}, False),
    ],
    ids=["same-target", "changed-target", "changed-second-target", "recursive", "one-to-true"],
)
def test_unchanged_follows_references(
    old_definitions: dict[str, Any], new_definitions: dict[str, Any], unchanged: bool
) -> None:
    walk = _walk(_referring(old_definitions), _referring(new_definitions))
    assert walk.unchanged(*_member_locations(walk, "a")) is unchanged


def test_cross_draft_target_not_unchanged() -> None:
    # `const` is a keyword in draft 7 and ignored in draft 4, so the same target text
    # accepts more values under draft 4.
    definitions = {"A": {"const": 1}}
    walk = _walk(_referring(definitions), _referring(definitions, DRAFT4))
    assert walk.unchanged(*_member_locations(walk, "a")) is False


def test_changed_target_behind_same_member_found() -> None:
    old = _referring({"A": {"properties": {"b": {"$ref": "#/definitions/B"}}}, "B": {}})
    new = copy.deepcopy(old)
    new["definitions"]["B"] = {"type": "string"}
    result = strict_backward(old, new)
    assert not result.compatible
    assert "type-narrowed" in {f.rule for f in result.findings}


def _findings_of(old: str, new: str) -> list[Any]:
    from schemagate.diff import engine
    from schemagate.modes import Mode

    result = engine.diff_documents(
        load_text(old, "old.json"), load_text(new, "new.json"), Mode.FULL, Policy.STRICT
    )
    return [
        (f.rule, f.severity, f.old_pointer, f.new_pointer, sorted(f.breaks), f.witnesses)
        for f in result.findings
    ]


def test_followed_references_change_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    # Skipping members whose references lead to the same text finds what comparing them
    # finds, on every rule case with a reference.
    from schemagate.diff import engine

    pairs = [(old, new) for old, new in _case_pairs() if "$ref" in old + new]
    assert len(pairs) > 15
    followed = [_findings_of(old, new) for old, new in pairs]
    monkeypatch.setattr(engine, "_same_targets", lambda walk, old_loc, new_loc: False)
    assert followed == [_findings_of(old, new) for old, new in pairs]


def test_followed_references_corpus_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    # The same on every ordered pair of the EventBridge corpus schemas that use `$ref`.
    from schemagate.diff import engine

    texts = [p.read_text("utf-8") for p in sorted(corpus_dir("eventbridge").glob("*.json"))]
    referring = [text for text in texts if "$ref" in text]
    assert len(referring) > 10
    pairs = [(old, new) for old in referring for new in referring if old is not new]
    followed = [_findings_of(old, new) for old, new in pairs]
    monkeypatch.setattr(engine, "_same_targets", lambda walk, old_loc, new_loc: False)
    assert followed == [_findings_of(old, new) for old, new in pairs]


@pytest.mark.parametrize(
    ("member", "words"),
    [
        ({"type": "string", "const": "A"}, 'no longer restricted to "A" (draft 4 ignores const)'),
        (
            {"type": "object", "if": {"required": ["a"]}, "then": {"required": ["b"]}},
            "if removed (draft 4 ignores if), then removed (draft 4 ignores then)",
        ),
    ],
    ids=["const", "conditional"],
)
def test_keyword_ignored_by_new_draft_named(member: dict[str, Any], words: str) -> None:
    # The text still has the keyword, and the message names the draft that ignores it.
    from schemagate.diff.engine import diff_documents
    from schemagate.modes import Mode

    old = {"$schema": DRAFT7, **wide(copy.deepcopy(member))}
    new = {"$schema": DRAFT4, **wide(copy.deepcopy(member))}
    result = diff_documents(
        schema_document(old, "old.json"), schema_document(new, "new.json"), Mode.FORWARD
    )
    assert any(words in f.message for f in result.findings)


def _defined(definitions: dict[str, Any]) -> dict[str, Any]:
    return {"properties": {"x": {"$ref": "#/definitions/A"}}, "definitions": definitions}


@pytest.mark.parametrize(
    "definitions",
    [
        {"A": {"not": {"$ref": "#/definitions/A"}}},
        {"A": {"anyOf": [{"type": "string"}, {"$ref": "#/definitions/A"}]}},
        {"A": {"if": {"oneOf": [{"$ref": "#/definitions/A"}]}}},
        {
            "A": {"allOf": [{"$ref": "#/definitions/B"}]},
            "B": {"oneOf": [{"then": {"$ref": "#/definitions/A"}}]},
        },
        {"A": {"$ref": "#/definitions/B"}, "B": {"else": {"$ref": "#/definitions/A"}}},
        {"A": {}, "B": {"allOf": [{"not": {"$ref": "#/definitions/B/allOf/00"}}]}},
        {"A": {"dependencies": {"a/b": {"$ref": "#/definitions/A"}}}},
    ],
    ids=[
        "not",
        "any-of",
        "one-of-in-if",
        "through-two-definitions",
        "reference-chain",
        "index-with-leading-zero",
        "dependency",
    ],
)
def test_cycle_at_one_position_rejected(definitions: dict[str, Any]) -> None:
    document = schema_document(_defined(definitions), "cycle.json")
    with pytest.raises(DocumentError, match="applies itself again"):
        Resolver(document).check_references()


@pytest.mark.parametrize(
    "definitions",
    [
        {"A": {"properties": {"next": {"$ref": "#/definitions/A"}}}},
        {"A": {"items": {"anyOf": [{"$ref": "#/definitions/A"}]}}},
        {"A": {"properties": {"allOf": {"$ref": "#/definitions/A"}}}},
        {"A": {"properties": {"not": {"$ref": "#/definitions/A"}}}},
        {"A": {"allOf": [{"$ref": "#/definitions/B"}]}, "B": {"type": "string"}},
    ],
    ids=["member", "items", "member-named-all-of", "member-named-not", "no-way-back"],
)
def test_cycle_through_event_levels_accepted(
    definitions: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A cycle that descends into the event is recursion, which validators finish. The
    # full search agrees with the shortcut that skips it.
    document = schema_document(_defined(definitions), "recursive.json")
    Resolver(document).check_references()
    monkeypatch.setattr("schemagate.resolve.refs._applies_in_place", lambda *_: True)
    Resolver(document).check_references()


def test_child_schemas_skip_misplaced_values() -> None:
    schema = {
        "type": "object",
        "dependencies": {"a": ["b"], "c": {"type": "string"}},
        "items": [True, {"type": "integer"}],
        "allOf": {"a": {}},
        "not": 3,
        "properties": {"x/y": {}},
        "additionalItems": False,
    }
    assert child_schemas(schema, "#") == [
        ("#/dependencies/c", {"type": "string"}),
        ("#/items/0", True),
        ("#/items/1", {"type": "integer"}),
        ("#/properties/x~1y", {}),
        ("#/additionalItems", False),
    ]
    assert child_schemas({"dependencies": [{"type": "string"}]}, "#") == []
    assert child_schemas({"items": 3}, "#") == []


def test_placed_index_matches_walk() -> None:
    # The resolver's index writes the document walk out. Its references, their order
    # and its flags must be the walk's own, on every corpus and rule-case document.
    from schemagate.resolve import refs

    texts = [p.read_text("utf-8") for p in sorted(corpus_dir("eventbridge").glob("*.json"))]
    texts += [text for pair in _case_pairs() for text in pair]
    indexed = 0
    for text in texts:
        document = load_text(text, "document.json")
        walked = refs._index(refs._walk_document(document.kind, document.data), document.dialect)
        placed = (document.kind, document.data, document.dialect)
        assert refs._placed_index(*placed) == walked
        assert refs._placed_index(*placed, document.keys) == walked
        indexed += bool(walked.refs)
    assert indexed > 50


def test_reference_spellings_lead_to_walk_pointers() -> None:
    # A reference may spell an index with leading zeros or leave a `~` unescaped. Its
    # target is the pointer the walk gives the schema, so checks that compare pointers
    # as text see one schema.
    schema = {
        "properties": {
            "a": {"$ref": "#/definitions/A/allOf/00"},
            "b": {"$ref": "#/definitions/~2"},
        },
        "definitions": {
            "A": {"allOf": [{"properties": {"x": {"$ref": "#"}}}]},
            "~2": {"type": "string"},
        },
    }
    resolver = Resolver(schema_document(schema, "spellings.json"))
    resolver.check_references()
    assert resolver.target("#/definitions/A/allOf/00", "#/properties/a") == (
        "#/definitions/A/allOf/0"
    )
    assert resolver.target("#/definitions/~2", "#/properties/b") == "#/definitions/~02"
    assert not resolver.self_contained("#/definitions/A/allOf/0")
