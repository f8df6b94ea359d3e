"""Witnesses are validated by jsonschema-rs only where its verdict is jsonschema's."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jsonschema
import pytest

from schemagate.diff import proof
from schemagate.diff.engine import diff_documents
from schemagate.diff.proof import DocumentValidator
from schemagate.load import load_text
from schemagate.load.document import SchemaDocument
from schemagate.modes import Mode, Policy
from schemagate.resolve.refs import Resolver

DRAFT7 = "http://json-schema.org/draft-07/schema#"


def validator(schema: dict[str, Any], policy: Policy = Policy.STRICT) -> DocumentValidator:
    document = load_text(json.dumps(schema), "schema.json")
    return DocumentValidator(Resolver(document), policy)


def openapi_with_components(title: str, components: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.0.0",
        "info": {"title": title, "version": "1"},
        "paths": {},
        "components": {"schemas": components},
    }


def rule_case_documents() -> list[tuple[SchemaDocument, SchemaDocument]]:
    cases = Path(__file__).resolve().parent / "cases"
    folders = [d for d in sorted(cases.glob("*/*")) if (d / "old.json").is_file()]
    assert len(folders) > 100
    return [
        (
            load_text((folder / "old.json").read_text("utf-8"), "old.json"),
            load_text((folder / "new.json").read_text("utf-8"), "new.json"),
        )
        for folder in folders
    ]


def diff_rule_cases() -> None:
    """Compare every rule case under FULL mode and both policies."""
    for old, new in rule_case_documents():
        for policy in Policy:
            diff_documents(old, new, Mode.FULL, policy)


def assert_agreement(verdicts: list[tuple[bool, bool]], minimum: int) -> None:
    """Check that jsonschema-rs and jsonschema gave each value the same verdict."""
    assert len(verdicts) > minimum
    assert [pair for pair in verdicts if pair[0] != pair[1]] == []
    # Both verdicts occur, so the comparison is not of one constant result.
    assert {expected for _, expected in verdicts} == {True, False}


def event(**members: Any) -> dict[str, Any]:
    return {"type": "object", "properties": members, "$schema": DRAFT7}


@pytest.mark.parametrize(
    "schema",
    [
        event(a={"type": "string", "format": "date-time"}, b={"enum": [1, "x", None]}),
        {
            **event(a={"$ref": "#/definitions/A"}),
            "definitions": {"A": {"type": "integer", "maximum": 9}},
            "$id": "https://example.com/event.json",
        },
        {
            **event(a={"$ref": "#/$defs/A"}),
            "$defs": {"A": {"if": {"type": "string"}, "then": {"minLength": 2}}},
        },
        {
            "$schema": "http://json-schema.org/draft-04/schema#",
            "properties": {"a": {"minimum": 0, "exclusiveMinimum": True}},
            "dependencies": {"a": ["b"]},
        },
        {
            **event(a={"$ref": "#/items/1"}, b={"$ref": "#/dependencies/a/properties/c"}),
            "items": [{"type": "string"}, {"type": "integer"}],
            "dependencies": {"a": {"properties": {"c": {"type": "integer"}}}},
        },
        event(a={"enum": ["pattern", "multipleOf"]}),
    ],
    ids=[
        "formats-and-enum",
        "root-id-and-definitions",
        "defs-and-conditional",
        "draft4",
        "references-into-tuple-and-dependencies",
        "keyword-names-as-values",
    ],
)
def test_plain_documents_compiled(schema: dict[str, Any]) -> None:
    assert validator(schema)._compiled is not None


@pytest.mark.parametrize(
    "schema",
    [
        event(a={"type": "string", "pattern": "^a.$"}),
        event(a={"type": "object", "patternProperties": {"^x": {"type": "string"}}}),
        event(a={"type": "number", "multipleOf": 0.1}),
        event(a={"type": "array", "uniqueItems": True}),
        event(a={"type": "string", "contentMediaType": "application/json"}),
        event(a={"type": "integer", "maximum": 2**60}),
        event(a={"enum": [2**60]}),
        event(a={"$id": "https://example.com/a.json", "type": "string"}),
        event(a={"$ref": "https://example.com/a.json"}),
        event(a={"$ref": "#/definitions/a%20b"}),
        {**event(a={"$ref": "#/x-shared/A"}), "x-shared": {"A": {"pattern": "^a"}}},
        event(a={"enum": [{"type": "string"}]}, b={"$ref": "#/properties/a/enum/0"}),
        {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "properties": {"a": {"type": "string"}},
        },
    ],
    ids=[
        "pattern",
        "pattern-properties",
        "multiple-of",
        "unique-items",
        "content-media-type",
        "number-past-doubles",
        "enum-past-doubles",
        "nested-id",
        "remote-reference",
        "percent-in-pointer",
        "reference-outside-schemas",
        "reference-into-enum",
        "draft-2020-12",
    ],
)
def test_other_documents_take_jsonschema(schema: dict[str, Any]) -> None:
    assert validator(schema)._compiled is None


def test_openapi_documents_compiled() -> None:
    envelope = {
        "type": "object",
        "properties": {"detail": {"$ref": "#/components/schemas/Order"}},
    }
    order = {"type": "object", "properties": {"note": {"nullable": True}}}
    document = openapi_with_components("Order", {"AWSEvent": envelope, "Order": order})
    checked = validator(document)
    assert checked._compiled is not None
    assert checked.is_valid({"detail": {"note": None}})
    assert not checked.is_valid({"detail": []})


@pytest.mark.parametrize(
    "value",
    ["2026-12-05T10:30:00Z", "10:30:00Z", "10:30:00", "not a time", "x@", "::1", "1.2.3"],
)
@pytest.mark.parametrize(
    "name", ["date-time", "date", "time", "hostname", "uri", "email", "ipv6", "uuid"]
)
def test_formats_checked_as_jsonschema_does(name: str, value: str) -> None:
    # jsonschema checks some formats only with optional packages installed, and
    # accepts any value of a format it does not check; jsonschema-rs checks more.
    # Draft 7 defines no `uuid`, so it stays unchecked there.
    checked = validator(event(a={"type": "string", "format": name}))
    assert checked._compiled is not None
    expected = jsonschema.Draft7Validator.FORMAT_CHECKER.conforms(value, name)
    assert checked.is_valid({"a": value}) is expected


def test_format_verdicts_kept_per_draft() -> None:
    # Draft 7 defines `idn-hostname` and draft 4 does not, so the same value gets both
    # verdicts in one process.
    draft4 = {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "properties": {"a": {"type": "string", "format": "idn-hostname"}},
    }
    draft7 = event(a={"type": "string", "format": "idn-hostname"})
    for _ in range(2):
        later = validator(draft7)
        earlier = validator(draft4)
        assert later._compiled is not None
        assert earlier._compiled is not None
        assert later.is_valid({"a": "not a host"}) is False
        assert earlier.is_valid({"a": "not a host"}) is True


@pytest.mark.parametrize(
    ("schema", "instance"),
    [
        (event(a={"type": "string"}), {"a": "\ud800"}),
        (event(a={"type": "integer", "maximum": 3}), {"a": 2**64 + 1}),
        (event(a={"type": "integer", "minimum": 3}), {"a": 2**64 + 1}),
        (event(a={"type": "number", "maximum": 2**53}), {"a": float(2**53 + 2)}),
    ],
    ids=["lone-surrogate", "int-past-64-bits", "int-past-64-bits-valid", "float-past-doubles"],
)
def test_inexact_values_left_to_jsonschema(schema: dict[str, Any], instance: Any) -> None:
    checked = validator(schema)
    assert checked._compiled is not None
    expected = jsonschema.Draft7Validator(schema).is_valid(instance)
    assert checked.is_valid(instance) is expected


def test_validators_agree_on_rule_cases(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every whole event the engine validates in the rule cases, in both directions and
    # under both policies, gets the same verdict from both validators.
    verdicts: list[tuple[bool, bool]] = []
    compiled_accepts = DocumentValidator._root_accepts

    def both(self: DocumentValidator, instance: Any) -> bool:
        expected = bool(self._root.is_valid(instance))
        if self._compiled is not None:
            verdicts.append((compiled_accepts(self, instance), expected))
        return expected

    monkeypatch.setattr(proof.DocumentValidator, "_root_accepts", both)
    diff_rule_cases()
    assert_agreement(verdicts, 500)


def test_member_validators_agree_on_rule_cases(monkeypatch: pytest.MonkeyPatch) -> None:
    # Member examples are checked under schemas without references, compiled alone.
    # Each such check in the rule cases gets jsonschema's verdict on the document's view.
    verdicts: list[tuple[bool, bool]] = []
    compiled_at = DocumentValidator._compiled_at

    def both(checked: DocumentValidator, pointer: str, without_unions: bool) -> Any:
        fast = compiled_at(checked, pointer, without_unions)
        if fast is None:
            return None

        def is_valid(instance: Any) -> bool:
            expected = checked._local_accepts(instance, pointer, without_unions)
            verdicts.append((bool(fast.is_valid(instance)), expected))
            return expected

        return SimpleNamespace(is_valid=is_valid)

    monkeypatch.setattr(proof.DocumentValidator, "_compiled_at", both)
    diff_rule_cases()
    assert_agreement(verdicts, 200)


def test_member_with_reference_left_to_jsonschema() -> None:
    schema = {
        **event(a={"type": "string"}, b={"$ref": "#/definitions/B"}),
        "definitions": {"B": {"type": "integer"}},
    }
    checked = validator(schema)
    assert checked._compiled_at("#/properties/a", False) is not None
    assert checked._compiled_at("#/properties/b", False) is None
    assert checked.is_valid(3, "#/properties/b")
    assert not checked.is_valid("x", "#/properties/b")


def test_member_checked_in_reader_view() -> None:
    # OpenAPI's `nullable` is part of the member's schema as readers see it.
    document = openapi_with_components(
        "Order",
        {
            "Order": {
                "type": "object",
                "properties": {"note": {"type": "string", "nullable": True}},
            }
        },
    )
    checked = validator(document)
    pointer = "#/components/schemas/Order/properties/note"
    assert checked._compiled_at(pointer, False) is not None
    assert checked.is_valid(None, pointer)
    assert not checked.is_valid(5, pointer)


def test_unique_items_left_to_jsonschema() -> None:
    # jsonschema compares sorted neighbours only, and Python sorts [1] and [true] alike,
    # so it passes [[1], [true], [1]]. Witnesses follow jsonschema.
    schema = event(a={"type": "array", "uniqueItems": True})
    instance = {"a": [[1], [True], [1]]}
    expected = jsonschema.Draft7Validator(schema).is_valid(instance)
    assert validator(schema).is_valid(instance) is expected


def test_superscript_index_not_a_position() -> None:
    # "²" passes `str.isdigit` but is no array index, and `int` rejects it.
    schema = {**event(a={"$ref": "#/items/\u00b2"}), "items": [{}]}
    assert validator(schema)._compiled is None


@pytest.mark.parametrize("compiled", [True, False], ids=["compiled", "jsonschema"])
def test_percent_component_is_root(compiled: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    # A `$ref` is a URI fragment, where `%25` is `%`: the root must name the component
    # "a%25b" itself, not "a%b".
    document = openapi_with_components(
        "a%25b", {"a%25b": {"type": "string"}, "a%b": {"type": "integer"}}
    )
    if not compiled:
        monkeypatch.setattr(DocumentValidator, "_compiled", None)
    checked = validator(document)
    assert checked.is_valid("text")
    assert not checked.is_valid(5)


def test_percent_components_form_union() -> None:
    document = openapi_with_components(
        "Orders", {"a%25b": {"type": "string"}, "c": {"type": "boolean"}}
    )
    checked = validator(document)
    assert checked.is_valid("text")
    assert checked.is_valid(True)
    assert not checked.is_valid(5)
