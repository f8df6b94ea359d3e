"""Catalogue audit: every rule is documented and exercised, and `schemagate rules` lists it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from schemagate.cli import cli
from schemagate.rules.catalogue import RULES

TESTS = Path(__file__).resolve().parent
CASES = TESTS / "cases"

# Rules the compatibility engine does not emit: each names the test that exercises it.
# The audit checks that the test file exists and mentions the rule ID.
EMITTED_ELSEWHERE = {
    "schema-unregistered": "test_cli_gate.py",
    "schema-deleted": "test_deleted_schemas.py",
    "comparison-incomplete": "test_engine_bounds.py",
    "event-routing-changed": "test_cli_gate.py",
    "accepted-change-expired": "test_config.py",
    "accepted-change-unused": "test_config.py",
    "contract-event-unknown": "test_contract_store.py",
    "contract-field-optional": "test_contract_gate.py",
    "contract-field-removed": "test_contract_gate.py",
    "contract-field-retyped": "test_contract_gate.py",
    "contract-field-type-mismatch": "test_contract_verify.py",
    "contract-field-unknown": "test_contract_gate.py",
    "event-type-next-version": "test_contract_versions.py",
    "event-type-version-added": "test_contract_versions.py",
    "event-type-version-in-use": "test_contract_versions.py",
    "detail-empty": "test_lint.py",
    "event-detail-type-missing": "lint_cases/event-detail-type-missing/expected.json",
    "event-source-missing": "test_lint.py",
    "idempotency-key-missing": "test_lint.py",
    "idempotency-key-optional": "lint_cases/idempotency-key-optional/expected.json",
    "property-name-style": "test_lint.py",
    "unknown-keyword": "lint_cases/unknown-keyword/expected.json",
}
# Rules no test emits yet; strict xfail turns green into a failure once one does.
UNTESTED: set[str] = set()


def audit_params() -> list[object]:
    marks = {
        rule: pytest.mark.xfail(reason="no test emits this rule yet", strict=True)
        for rule in UNTESTED
    }
    return [pytest.param(rule, marks=marks.get(rule, ())) for rule in sorted(RULES)]


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_is_documented(rule_id: str) -> None:
    rule = RULES[rule_id]
    assert rule.id == rule_id
    assert rule_id == rule_id.lower()
    assert " " not in rule_id
    assert "_" not in rule_id
    for text in (rule.description, rule.why, rule.fix):
        assert text.strip(), f"{rule_id} has an empty description, why or fix"
        assert text.rstrip().endswith("."), f"{rule_id}: {text!r} is not a sentence"


@pytest.mark.parametrize("rule_id", audit_params())
def test_rule_has_example_case(rule_id: str) -> None:
    if rule_id in EMITTED_ELSEWHERE:
        test_file = TESTS / EMITTED_ELSEWHERE[rule_id]
        assert test_file.is_file(), f"{rule_id}: {test_file} does not exist"
        assert rule_id in test_file.read_text(encoding="utf-8")
        return
    folders = [p for p in (CASES / rule_id).glob("*/expected.json")]
    assert folders, f"{rule_id} has no case folder under tests/cases/{rule_id}/"


def test_case_folders_name_known_rules() -> None:
    for folder in CASES.iterdir():
        if folder.is_dir():
            assert folder.name in RULES or folder.name == "compatible", folder.name


def test_rules_command_lists_every_rule_as_json() -> None:
    result = CliRunner().invoke(cli, ["rules", "--format", "json"])
    assert result.exit_code == 0, result.output
    listing = json.loads(result.output)
    assert listing["format_version"] == 1
    assert [row["id"] for row in listing["rules"]] == sorted(RULES)
    first = listing["rules"][0]
    assert set(first) == {"id", "severity", "description", "why", "fix"}


def test_rules_command_text_shows_why_and_fix() -> None:
    result = CliRunner().invoke(cli, ["rules"])
    assert result.exit_code == 0
    assert "type-narrowed" in result.output
    assert f"why: {RULES['type-narrowed'].why}" in result.output
    assert f"fix: {RULES['type-narrowed'].fix}" in result.output


def test_rules_page_lists_every_rule() -> None:
    page = (TESTS.parent / "docs" / "rules.md").read_text(encoding="utf-8")
    for rule_id in RULES:
        assert f"## `{rule_id}`" in page, f"docs/rules.md lacks a section for {rule_id}"
