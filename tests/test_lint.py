"""`schemagate lint`: one case folder per rule, with the settings and the expected findings.

Each folder under `lint_cases/` holds `schema.json` and `expected.json`: the lint table
to apply and the findings as [rule ID, severity, JSON pointer], sorted.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from schemagate.cli import main
from schemagate.errors import ConfigError
from schemagate.lint.rules import lint_document
from schemagate.lint.settings import LINT_RULES, lint_settings
from schemagate.load.document import load_file
from schemagate.rules.catalogue import RULES, Severity

CASES = Path(__file__).parent / "lint_cases"
CASE_NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir())


def expected(case: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CASES / case / "expected.json").read_text())
    return data


@pytest.mark.parametrize("case", CASE_NAMES)
def test_lint_case(case: str) -> None:
    spec = expected(case)
    document = load_file(CASES / case / "schema.json")

    findings = lint_document(document, lint_settings(spec["lint"]), {})

    got = sorted([f.rule, f.severity.value, f.pointer] for f in findings)
    assert got == spec["findings"]


def test_every_lint_rule_has_a_failing_case() -> None:
    covered = {rule for case in CASE_NAMES for rule, _, _ in expected(case)["findings"]}

    assert covered == set(LINT_RULES)
    assert set(LINT_RULES) <= RULES.keys()


def test_severity_override_applies() -> None:
    document = load_file(CASES / "idempotency-key-missing" / "schema.json")

    findings = lint_document(
        document, lint_settings({}), {"idempotency-key-missing": Severity.ERROR}
    )

    assert [(f.rule, f.severity) for f in findings] == [
        ("idempotency-key-missing", Severity.ERROR)
    ]


def test_disabled_rule_is_skipped() -> None:
    document = load_file(CASES / "detail-empty" / "schema.json")

    findings = lint_document(document, lint_settings({"disable": ["detail-empty"]}), {})

    assert [f.rule for f in findings] == ["idempotency-key-missing"]


@pytest.mark.parametrize(
    ("table", "words"),
    [
        ({"naming": "Title Case"}, "invalid naming 'Title Case'"),
        ({"disable": ["type-changed"]}, "unknown lint rule 'type-changed'"),
        ({"disable": "detail-empty"}, "disable must be a list"),
        ({"idempotency-key": []}, "idempotency-key must be a property name"),
        ({"idempotency_key": "x"}, "unknown key 'idempotency_key'"),
    ],
)
def test_invalid_lint_settings(table: dict[str, Any], words: str) -> None:
    with pytest.raises(ConfigError, match=words):
        lint_settings(table)


def copy_case(case: str, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{case}.json"
    target.write_text((CASES / case / "schema.json").read_text())
    return target


def test_cli_fails_on_error_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    copy_case("clean", tmp_path / "schemas")
    copy_case("event-source-missing", tmp_path / "schemas")

    code = main(["lint", "--format", "json"])

    report = json.loads(capsys.readouterr().out)
    rules = {Path(f["path"]).name: [x["rule"] for x in f["findings"]] for f in report["files"]}
    assert code == 1
    assert report["ok"] is False
    assert rules == {"clean.json": [], "event-source-missing.json": ["event-source-missing"]}


def test_cli_passes_on_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = copy_case("idempotency-key-missing", tmp_path)

    code = main(["lint", str(path)])

    output = capsys.readouterr().out
    assert code == 0
    assert "[idempotency-key-missing]" in output
    assert output.endswith("lint passed: 1 finding(s) in 1 file(s)\n")


def test_cli_reads_lint_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = copy_case("property-name-style", tmp_path)
    (tmp_path / "schemagate.toml").write_text(
        '[lint]\nnaming = "off"\n\n[severity]\n"idempotency-key-missing" = "error"\n'
    )

    code = main(["lint", str(path)])

    assert code == 0
    assert "property-name-style" not in capsys.readouterr().out


def test_cli_invalid_lint_table_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = copy_case("clean", tmp_path)
    (tmp_path / "schemagate.toml").write_text('[lint]\nnaming = "shouting"\n')

    code = main(["lint", str(path)])

    err = capsys.readouterr().err
    assert code == 2
    assert "invalid naming 'shouting'" in err
    assert len(err.strip().splitlines()) == 1
