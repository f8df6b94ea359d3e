"""Confluent Schema Registry's JSON Schema diff cases: their STRICT verdicts are BACKWARD
compatibility under exact set semantics, which is `--strict --mode backward` here.

Every case is compared. The few where the verdicts differ are listed in DISAGREEMENTS
with the reason; the test checks that each one still differs, so a fix on either side
shows up.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.engine_support import strict_backward
from tests.support import assert_witnesses_hold, corpus_dir

DISAGREEMENTS = {
    ("diff-schema-examples.json", 51): (
        "Confluent says incompatible, but a `dependencies` schema applies to the whole "
        "object, which is never a string or a number: both schemas reject every object "
        "holding `foo` and accept everything else, so they accept the same set. The engine "
        "finds no witness and reports the change as unproven."
    ),
    ("diff-schema-examples.json", 55): (
        "Confluent says compatible, but the new schema requires `bar`, which the old one "
        "never required: the old event {'foo': 'text'} is rejected by the new schema "
        "(the witness is checked below)."
    ),
    ("diff-schema-examples.json", 87): (
        "Confluent says incompatible, but draft 4 ignores `additionalItems` unless `items` "
        "is an array, so both schemas accept every instance."
    ),
}


def confluent_cases() -> list[dict[str, Any]]:
    path = corpus_dir("confluent") / "cases.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def case_id(case: dict[str, Any] | None) -> str:
    if case is None:
        return "absent"
    return f"{case['source_file'].removesuffix('.json')}:{case['index']}"


def cases_or_empty() -> list[Any]:
    try:
        return list(confluent_cases())
    except pytest.skip.Exception as absent:
        return [pytest.param(None, marks=pytest.mark.skip(reason=str(absent)), id="absent")]


@pytest.mark.parametrize("case", cases_or_empty(), ids=case_id)
def test_confluent_strict_verdict(case: dict[str, Any]) -> None:
    result = strict_backward(case["original_schema"], case["update_schema"])
    report = result.to_json()
    assert_witnesses_hold(case["original_schema"], case["update_schema"], report, tolerant=False)
    key = (case["source_file"], case["index"])
    if key in DISAGREEMENTS:
        assert result.compatible is not case["compatible_strict"], DISAGREEMENTS[key]
        return
    assert result.compatible is case["compatible_strict"], case["description"]
    if not case["compatible_strict"]:
        assert any(f["breaks"] for f in report["findings"]), "break reported without a witness"


def test_confluent_required_swap_has_witness() -> None:
    case = next(c for c in confluent_cases() if (c["source_file"], c["index"]) == (
        "diff-schema-examples.json", 55))  # fmt: skip
    report = strict_backward(case["original_schema"], case["update_schema"]).to_json()
    finding = next(f for f in report["findings"] if f["rule"] == "required-property-added")
    assert finding["breaks"] == ["backward"]
    assert finding["witnesses"][0]["instance"] == {"foo": "x"}


def test_confluent_disagreements_are_few() -> None:
    cases = confluent_cases()
    assert len(DISAGREEMENTS) <= 0.05 * len(cases)
