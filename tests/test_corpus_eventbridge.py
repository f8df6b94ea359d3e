"""The engine on real EventBridge schemas: the known evolution pairs and every document."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from schemagate.cli import cli
from tests.support import assert_witnesses_hold, corpus_dir, corpus_params, load_json

PAIRS = [
    # (before, after, compatible under full, rule IDs of the error findings)
    (
        "orcabus__WorkflowRunStateChange.v1.schema.json",
        "orcabus__WorkflowRunStateChange.v2.schema.json",
        True,
        set(),
    ),
    (
        "orcabus__SequenceRunStateChange.v1.schema.json",
        "orcabus__SequenceRunStateChange.v2.schema.json",
        False,
        {"type-changed"},
    ),
    (
        "orcabus__FileStateChange.draft07.schema.json",
        "orcabus__FileStateChange.draft04.schema.json",
        True,
        set(),
    ),
    (
        "mridehalgh__demo-schema.v1.json",
        "mridehalgh__demo-schema.v2-incompatible.json",
        False,
        {"type-widened"},
    ),
    (
        "terraform-provider-aws__Event.v1.openapi3.json",
        "terraform-provider-aws__Event.v2.openapi3.json",
        True,
        set(),
    ),
]


def run_diff(old: Path, new: Path, *args: str) -> tuple[int, dict[str, object]]:
    result = CliRunner().invoke(
        cli, ["diff", str(old), str(new), "--format", "json", *args], standalone_mode=False
    )
    assert result.exception is None, result.output
    return result.return_value, json.loads(result.output)


@pytest.mark.parametrize(
    ("before", "after", "compatible", "rules"), PAIRS, ids=[p[0].split("__")[1] for p in PAIRS]
)
def test_evolution_pair_verdict(
    before: str, after: str, compatible: bool, rules: set[str]
) -> None:
    folder = corpus_dir("eventbridge")
    code, report = run_diff(folder / before, folder / after)
    assert report["compatible"] is compatible
    assert code == (0 if compatible else 1)
    errors = {f["rule"] for f in report["findings"] if f["severity"] == "error"}
    assert errors == rules
    assert_witnesses_hold(load_json(folder / before), load_json(folder / after), report)


def test_sequence_run_witness_names_the_retyped_field() -> None:
    folder = corpus_dir("eventbridge")
    _, report = run_diff(folder / PAIRS[1][0], folder / PAIRS[1][1])
    finding = next(f for f in report["findings"] if f["rule"] == "type-changed")
    assert finding["new_pointer"] == "/definitions/SequenceRunStateChange/properties/id"
    assert finding["breaks"] == ["backward", "forward"]
    backward = next(w for w in finding["witnesses"] if w["direction"] == "backward")
    assert isinstance(backward["instance"]["detail"]["id"], int)


def test_reversed_compatible_pairs_stay_compatible() -> None:
    folder = corpus_dir("eventbridge")
    for before, after, compatible, _ in PAIRS:
        if compatible:
            code, report = run_diff(folder / after, folder / before)
            assert report["compatible"], f"{after} -> {before}: {report['findings']}"
            assert code == 0


def corpus_files() -> list[Any]:
    return corpus_params("eventbridge")


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name[:60])
def test_document_is_compatible_with_itself(path: Path) -> None:
    code, report = run_diff(path, path, "--mode", "full")
    assert code == 0
    assert report["findings"] == []


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name[:60])
def test_document_under_strict_policy_with_itself(path: Path) -> None:
    code, report = run_diff(path, path, "--strict")
    assert code == 0
    assert report["policy"] == "strict"


def test_every_pair_of_same_event_formats_is_compared() -> None:
    folder = corpus_dir("eventbridge")
    openapi = folder / "eventcatalog__discovered-users@UserCreated.openapi3.json"
    export = folder / "eventcatalog__discovered-users@UserCreated.export-jsonschemadraft4.json"
    code, report = run_diff(openapi, export)
    assert code == 0, report["findings"]
    assert_witnesses_hold(load_json(openapi), load_json(export), report)
