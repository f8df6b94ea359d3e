"""A witness event breaks for its own change, not also for another change of the pair."""

from __future__ import annotations

from typing import Any

from schemagate.diff.engine import diff_documents
from schemagate.modes import Mode, Policy
from tests.engine_support import schema_document
from tests.support import reader_validator

DRAFT7 = "http://json-schema.org/draft-07/schema#"


def record(members: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {"$schema": DRAFT7, "type": "object", "properties": members, "required": required}


def witnesses_by_rule(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    old_document = schema_document(old, "old.json")
    new_document = schema_document(new, "new.json")
    result = diff_documents(old_document, new_document, Mode.FULL, Policy.STRICT)
    found: dict[str, list[Any]] = {}
    for finding in result.findings:
        found.setdefault(finding.rule, []).extend(w.instance for w in finding.witnesses)
    return found


def test_retyped_witness_keeps_others_valid() -> None:
    # `total` narrowed too: the witness of the retyped `note` carries a `total` the new
    # schema accepts, so the new schema rejects it for `note` alone.
    old = record({"note": {"type": "string"}, "total": {"type": "integer", "minimum": 0}}, [])
    new = record({"note": {"type": "integer"}, "total": {"type": "integer", "minimum": 1}}, [])
    old["required"] = new["required"] = ["note", "total"]
    backward = witnesses_by_rule(old, new)["type-changed"][0]
    assert backward["note"] == "x"
    assert reader_validator(new, tolerant=False).is_valid({**backward, "note": 0})
    assert not reader_validator(new, tolerant=False).is_valid(backward)
    assert reader_validator(old, tolerant=False).is_valid(backward)


def test_required_witness_lacks_one_member() -> None:
    # Two members became required: each witness omits its own and carries the other.
    members = {"a": {"type": "string"}, "b": {"type": "string"}}
    old = record(members, [])
    new = record(members, ["a", "b"])
    events = witnesses_by_rule(old, new)["required-property-added"]
    assert sorted(map(sorted, events)) == [["a"], ["b"]]
    for event in events:
        assert reader_validator(old, tolerant=False).is_valid(event)
        assert not reader_validator(new, tolerant=False).is_valid(event)


def test_lone_change_witness_unchanged() -> None:
    # With a single change there is nothing else to break, and the source side's
    # example is the witness.
    old = record({"note": {"type": "string"}, "total": {"type": "integer"}}, ["note", "total"])
    new = record({"note": {"type": "integer"}, "total": {"type": "integer"}}, ["note", "total"])
    assert witnesses_by_rule(old, new)["type-changed"] == [
        {"note": "x", "total": 0},
        {"note": 0, "total": 0},
    ]


def test_widening_not_proven_elsewhere() -> None:
    # The wider pattern accepts every old value. The old witness was rejected only
    # because `b` became required.
    old = record({"a": {"type": "string", "pattern": "^[a-z]+$"}, "b": {"type": "integer"}}, ["a"])
    new = record({"a": {"type": "string", "pattern": "^[a-z]*$"}, "b": {"type": "integer"}}, ["a"])
    new["required"] = ["a", "b"]
    result = diff_documents(
        schema_document(old, "old.json"), schema_document(new, "new.json"), Mode.BACKWARD
    )
    errors = {f.rule for f in result.findings if f.severity.value == "error"}
    assert errors == {"required-property-added"}


def test_witness_carries_parent_required_member() -> None:
    # `c` became required on the object around `e`: the witness of the narrowed `e`
    # carries `c`, so only `e` breaks it.
    old = record({"e": {"type": "integer"}, "c": {"type": "boolean"}}, [])
    new = record({"e": {"type": "integer", "maximum": 3}, "c": {"type": "boolean"}}, ["c"])
    witness = witnesses_by_rule(old, new)["number-range-narrowed"][0]
    assert witness["e"] > 3
    assert "c" in witness


def test_time_format_read_per_draft() -> None:
    # jsonschema's table of every format reads `time` as draft 3 does (`%H:%M:%S`).
    # Draft 7 reads RFC 3339 times such as 10:30:00Z.
    members = {"a": {"type": "string", "format": "time"}, "f": {"type": "integer"}}
    old = record(members, ["a", "f"])
    new = record({**members, "f": {"type": "string"}}, ["a", "f"])
    backward = witnesses_by_rule(old, new)["type-changed"][0]
    assert reader_validator(old, tolerant=False).is_valid(backward)
    assert not reader_validator(new, tolerant=False).is_valid(backward)
