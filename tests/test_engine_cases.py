"""Rule cases: each folder under tests/cases/<rule-id>/<case>/ holds an old and a new
schema and the exact verdict and findings the engine must report for them.

`tests/cases/compatible/` holds pairs that must produce no break, such as reordered
union branches and a definition moved between `$ref` and inline.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from schemagate.diff.engine import diff_documents
from schemagate.load.document import load_file
from schemagate.modes import Mode, Policy
from tests.support import assert_witnesses_hold, load_json

CASES = Path(__file__).resolve().parent / "cases"


def case_folders() -> list[Path]:
    return sorted(p.parent for p in CASES.glob("*/*/expected.json"))


def run_case(folder: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    expected = load_json(folder / "expected.json")
    result = diff_documents(
        load_file(folder / "old.json"),
        load_file(folder / "new.json"),
        Mode(expected["mode"]),
        Policy(expected["policy"]),
    )
    return expected, result.to_json()


def summary(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    keys = ("rule", "old_pointer", "new_pointer", "breaks")
    return sorted(({k: f[k] for k in keys} for f in findings), key=json.dumps)


@pytest.mark.parametrize("folder", case_folders(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_rule_case(folder: Path) -> None:
    expected, report = run_case(folder)
    assert report["compatible"] is expected["compatible"]
    assert summary(report["findings"]) == summary(expected["findings"])
    tolerant = expected["policy"] == "tolerant"
    old, new = load_json(folder / "old.json"), load_json(folder / "new.json")
    witnesses = assert_witnesses_hold(old, new, report, tolerant=tolerant)
    proven = [f for f in report["findings"] if f["breaks"]]
    assert witnesses >= len(proven)
    for finding in proven:
        directions = {w["direction"] for w in finding["witnesses"]}
        assert directions == set(finding["breaks"]), finding["rule"]


RULE_FOLDERS = [folder for folder in case_folders() if folder.parent.name != "compatible"]


@pytest.mark.parametrize("folder", RULE_FOLDERS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_rule_case_names_its_rule(folder: Path) -> None:
    rule = folder.parent.name
    _, report = run_case(folder)
    assert rule in {f["rule"] for f in report["findings"]}


def test_compatible_cases_have_no_break() -> None:
    folders = [f for f in case_folders() if f.parent.name == "compatible"]
    assert folders
    for folder in folders:
        _, report = run_case(folder)
        assert report["compatible"], folder.name
        assert [f for f in report["findings"] if f["severity"] != "info"] == [], folder.name
