"""The GitHub Action: its metadata, and its steps run locally with bash."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from schemagate.registry.base import SchemaVersion
from schemagate.registry.snapshot import write_snapshot
from tests.action_support import (
    ACTION,
    FAKE_TOKEN,
    ROOT,
    FakeGitHub,
    Runner,
    load_action,
    pull_request_event,
    read_outputs,
    serve,
)
from tests.report_cases import NEW, OLD, Pair

INPUTS = {
    "registry",
    "paths",
    "mode",
    "fail-on",
    "format",
    "config",
    "allow-label",
    "comment",
    "sarif-file",
    "python-version",
    "github-token",
}


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A repository checkout whose Order schema breaks its registered version twice."""
    folder = tmp_path / "workspace"
    write_snapshot(
        folder / "snapshot",
        "orders",
        [SchemaVersion("Order", "1", "JSONSchemaDraft4", json.dumps(OLD, indent=2))],
    )
    (folder / "schemas").mkdir()
    (folder / "schemas" / "Order.json").write_text(json.dumps(NEW, indent=2), encoding="utf-8")
    (folder / "schemagate.toml").write_text('registry = "dir:snapshot"\n', encoding="utf-8")
    return folder


def runner(workspace: Path, tmp_path: Path, **kwargs: object) -> Runner:
    event = kwargs.pop("event", pull_request_event())
    return Runner(workspace, tmp_path / "runner", event, **kwargs)  # type: ignore[arg-type]


def test_action_yml_matches_published_schema() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-actions",
            str(ACTION),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def readme_yaml_block(containing: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    return next(block for block in blocks if containing in block)


def test_readme_workflow_matches_published_schema(tmp_path: Path) -> None:
    workflow = tmp_path / "schemas.yml"
    workflow.write_text(readme_yaml_block("jobs:"), encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            str(workflow),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "aws-actions/configure-aws-credentials@" in workflow.read_text(encoding="utf-8")


def test_readme_pre_commit_config_is_valid(tmp_path: Path) -> None:
    config = tmp_path / ".pre-commit-config.yaml"
    config.write_text(readme_yaml_block("repos:"), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", str(config)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_action_declares_kebab_case_inputs() -> None:
    action = load_action()
    assert set(action["inputs"]) == INPUTS
    assert set(action["outputs"]) == {"ok", "breaking-count", "report-path"}
    assert action["inputs"]["allow-label"]["default"] == "schemagate:allow-breaking"
    assert action["runs"]["using"] == "composite"


def test_run_scripts_interpolate_no_expressions() -> None:
    for definition in load_action()["runs"]["steps"]:
        if "run" in definition:
            assert "${{" not in definition["run"], definition.get("name")


def test_install_step_installs_from_action_path(workspace: Path, tmp_path: Path) -> None:
    stub_folder = tmp_path / "stub"
    stub_folder.mkdir()
    record = tmp_path / "python-arguments"
    stub = stub_folder / "python"
    stub.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{record}"\n', encoding="utf-8")
    stub.chmod(0o755)
    result = runner(workspace, tmp_path).run("Install schemagate", path_prefix=str(stub_folder))
    assert result.returncode == 0, result.stderr
    arguments = record.read_text(encoding="utf-8").splitlines()
    assert arguments == ["-m", "pip", "install", "--disable-pip-version-check", str(ROOT)]


def annotations(stdout: str) -> set[tuple[str, str, int, str]]:
    pattern = re.compile(
        r"^::(error|warning) file=([^,]+),line=(\d+),title=schemagate ([a-z-]+)::"
    )
    return {
        (match[1], match[2], int(match[3]), match[4])
        for line in stdout.splitlines()
        if (match := pattern.match(line))
    }


def expected_annotations(workspace: Path, command: str) -> set[tuple[str, str, int, str]]:
    pair = Pair(workspace / "snapshot", workspace / "schemas" / "Order.json")
    return {
        (command, "schemas/Order.json", pair.line_of("/properties/total", "type"), "type-changed"),
        (
            command,
            "schemas/Order.json",
            pair.line_of("/properties/currency", "enum"),
            "enum-value-removed",
        ),
    }


def inert_block(stdout: str) -> str:
    """Return the log text printed between ::stop-commands::TOKEN and ::TOKEN::."""
    start = re.search(r"^::stop-commands::([0-9a-f]{32})$", stdout, re.MULTILINE)
    assert start is not None, stdout
    end = stdout.index(f"\n::{start[1]}::", start.end())
    return stdout[start.end() + 1 : end + 1]


def test_report_text_cannot_issue_commands(workspace: Path, tmp_path: Path) -> None:
    name = "total\n::warning file=evil::injected"
    old = {**OLD, "properties": {**OLD["properties"], name: {"type": "string"}}}
    new = {**NEW, "properties": {**NEW["properties"], name: {"type": "integer"}}}
    write_snapshot(
        workspace / "snapshot",
        "orders",
        [SchemaVersion("Order", "1", "JSONSchemaDraft4", json.dumps(old, indent=2))],
    )
    (workspace / "schemas" / "Order.json").write_text(json.dumps(new), encoding="utf-8")
    fake = runner(workspace, tmp_path)
    result = fake.run("check")
    report = inert_block(result.stdout)
    assert result.returncode == 1, result.stderr
    assert not any(line.startswith("::warning file=evil") for line in result.stdout.splitlines())
    assert "/properties/total\\n::warning file=evil::injected: error:" in report


def test_check_step_blocks_breaking_pull_request(workspace: Path, tmp_path: Path) -> None:
    fake = runner(workspace, tmp_path)
    result = fake.run("check")
    assert result.returncode == 1, result.stderr
    assert annotations(result.stdout) == expected_annotations(workspace, "error")
    outputs = read_outputs(fake.output_file)
    assert outputs["ok"] == "false"
    assert outputs["breaking-count"] == "2"
    report = json.loads(Path(outputs["report-path"]).read_text(encoding="utf-8"))
    assert report["schemas"][0]["status"] == "breaking"
    summary = fake.summary_file.read_text(encoding="utf-8")
    assert "### Order: breaking" in summary
    assert "| `type-changed` | `/properties/total` | <details><summary>" in summary


def test_allow_label_turns_breaks_into_warnings(workspace: Path, tmp_path: Path) -> None:
    event = pull_request_event(labels=("documentation", "schemagate:allow-breaking"))
    fake = runner(workspace, tmp_path, event=event)
    result = fake.run("check")
    assert result.returncode == 0, result.stderr
    assert annotations(result.stdout) == expected_annotations(workspace, "warning")
    outputs = read_outputs(fake.output_file)
    assert outputs["ok"] == "true"
    assert outputs["breaking-count"] == "0"
    summary = fake.summary_file.read_text(encoding="utf-8")
    assert (
        "Breaking findings were lowered to warnings: pull request #7 carries the label "
        "'schemagate:allow-breaking'" in summary
    )


def test_configured_fail_on_applies_without_input(workspace: Path, tmp_path: Path) -> None:
    # Renaming an optional member is a warning (a possible rename), not an error.
    renamed = {**OLD, "properties": {"total": OLD["properties"]["total"]}}
    renamed["properties"]["currencyCode"] = OLD["properties"]["currency"]
    schema = workspace / "schemas" / "Order.json"
    schema.write_text(json.dumps(renamed, indent=2), encoding="utf-8")
    settings = workspace / "schemagate.toml"
    settings.write_text('registry = "dir:snapshot"\nfail-on = "warning"\n', encoding="utf-8")
    fake = runner(workspace, tmp_path)
    result = fake.run("check")
    assert result.returncode == 1, result.stderr
    assert read_outputs(fake.output_file)["ok"] == "false"


def test_other_label_changes_nothing(workspace: Path, tmp_path: Path) -> None:
    fake = runner(workspace, tmp_path, event=pull_request_event(labels=("allow-breaking",)))
    assert fake.run("check").returncode == 1


def test_inputs_reach_check_as_values(workspace: Path, tmp_path: Path) -> None:
    sarif = tmp_path / "out" / "schemagate.sarif"
    inputs = {
        "paths": "schemas/Order.json\n",
        "mode": "forward",
        "format": "json",
        "sarif-file": str(sarif),
        "registry": f"dir:{workspace / 'snapshot'}",
    }
    fake = runner(workspace, tmp_path, inputs=inputs)
    result = fake.run("check")
    assert result.returncode == 1, result.stderr
    report = json.loads(inert_block(result.stdout))
    assert report["mode"] == "forward"
    assert json.loads(sarif.read_text(encoding="utf-8"))["version"] == "2.1.0"


def test_shell_text_in_inputs_is_not_run(workspace: Path, tmp_path: Path) -> None:
    marker = tmp_path / "injected"
    fake = runner(workspace, tmp_path, inputs={"mode": f"full$(touch {marker})"})
    result = fake.run("check")
    assert result.returncode == 2
    assert not marker.exists()
    assert f"full$(touch {marker})" in result.stderr


def test_invalid_input_reports_failure_outputs(workspace: Path, tmp_path: Path) -> None:
    fake = runner(workspace, tmp_path, inputs={"fail-on": "fatal"})
    result = fake.run("check")
    assert result.returncode == 2
    outputs = read_outputs(fake.output_file)
    assert outputs["ok"] == "false"
    assert outputs["report-path"] == ""
    summary = Path(outputs["summary-path"]).read_text(encoding="utf-8")
    assert summary.startswith("## schemagate: the gate could not run")
    assert "'fatal'" in summary
    assert "::error title=schemagate::" in result.stdout


def run_comment(fake: Runner, github: FakeGitHub) -> subprocess.CompletedProcess[str]:
    with serve(github) as url:
        fake.extra_env["GITHUB_API_URL"] = url
        return fake.run("Comment on the pull request")


def test_comment_is_created_then_updated(workspace: Path, tmp_path: Path) -> None:
    github = FakeGitHub(comments=[{"id": 1, "body": "Looks good to me"}])
    fake = runner(workspace, tmp_path, inputs={"comment": "true"})
    fake.run("check")
    first = run_comment(fake, github)
    assert first.returncode == 0, first.stderr
    assert "created the report comment" in first.stdout
    fake.run("check")
    second = run_comment(fake, github)
    assert "updated the report comment" in second.stdout
    marked = [c for c in github.comments if c["body"].startswith("<!-- schemagate-report -->")]
    assert len(marked) == 1
    assert "### Order: breaking" in marked[0]["body"]
    methods = [method for method, _, _ in github.requests]
    assert methods == ["GET", "POST", "GET", "PATCH"]
    assert {token for _, _, token in github.requests} == {f"Bearer {FAKE_TOKEN}"}


def test_comment_found_on_a_later_page(workspace: Path, tmp_path: Path) -> None:
    others = [{"id": index, "body": f"comment {index}"} for index in range(1, 131)]
    marked = {"id": 500, "body": "<!-- schemagate-report -->\nold report"}
    github = FakeGitHub(comments=[*others, marked])
    fake = runner(workspace, tmp_path)
    fake.run("check")
    result = run_comment(fake, github)
    assert result.returncode == 0, result.stderr
    assert github.requests[-1][:2] == ("PATCH", "/repos/example/orders/issues/comments/500")
    assert len(github.comments) == 131
    assert "old report" not in marked["body"]


def test_fork_pull_request_keeps_summary_only(workspace: Path, tmp_path: Path) -> None:
    github = FakeGitHub()
    fake = runner(workspace, tmp_path, event=pull_request_event(fork=True))
    fake.run("check")
    result = run_comment(fake, github)
    assert result.returncode == 0
    assert github.requests == []
    summary = fake.summary_file.read_text(encoding="utf-8")
    assert "### Order: breaking" in summary
    assert "_No pull request comment: the pull request comes from a fork" in summary


def test_read_only_token_falls_back_to_summary(workspace: Path, tmp_path: Path) -> None:
    github = FakeGitHub(reject_with=403)
    fake = runner(workspace, tmp_path)
    fake.run("check")
    result = run_comment(fake, github)
    assert result.returncode == 0
    assert "::warning title=schemagate comment::GET" in result.stdout
    summary = fake.summary_file.read_text(encoding="utf-8")
    assert "_No pull request comment: the token may not write comments" in summary


@pytest.mark.parametrize(
    ("text", "paths"),
    [
        (
            "schemas/Order.json schemas/Payment.yaml",
            ["schemas/Order.json", "schemas/Payment.yaml"],
        ),
        (
            "schemas/Payment Captured.json\nschemas/Order.json\n",
            [
                "schemas/Payment Captured.json",
                "schemas/Order.json",
            ],
        ),
        ("", []),
    ],
    ids=["one-line", "one-per-line", "empty"],
)
def test_paths_input_split(text: str, paths: list[str], tmp_path: Path) -> None:
    from schemagate.ci.action import check_arguments

    report, summary, log = tmp_path / "r", tmp_path / "s", tmp_path / "l"
    argv = check_arguments({"SCHEMAGATE_PATHS": text}, report, summary, log)
    assert argv[0] == "check"
    assert [a for a in argv[1:] if not a.startswith("-")][: len(paths)] == paths


def deleting_pull_request(workspace: Path) -> dict[str, object]:
    """Commit the workspace with a registered Refund schema, then delete that file; return
    a pull request event whose base is that commit."""
    from tests.test_baseline import git

    write_snapshot(
        workspace / "snapshot",
        "orders",
        [
            SchemaVersion(name, "1", "JSONSchemaDraft4", json.dumps(OLD, indent=2))
            for name in ("Order", "Refund")
        ],
    )
    refund = workspace / "schemas" / "Refund.json"
    refund.write_text(json.dumps(OLD, indent=2), encoding="utf-8")
    git(workspace, "init", "-q", "-b", "main")
    git(workspace, "add", ".")
    git(workspace, "commit", "-q", "-m", "Add schemas")
    refund.unlink()
    event = pull_request_event()
    base = git(workspace, "rev-parse", "HEAD").strip()
    event["pull_request"]["base"]["sha"] = base  # type: ignore[index]
    return event


def test_deleted_schema_blocks_pull_request(workspace: Path, tmp_path: Path) -> None:
    fake = runner(workspace, tmp_path, event=deleting_pull_request(workspace))
    result = fake.run("check")
    assert result.returncode == 1, result.stderr
    report = json.loads(Path(read_outputs(fake.output_file)["report-path"]).read_text("utf-8"))
    refund = [s for s in report["schemas"] if s["name"] == "Refund"]
    assert [f["rule"] for f in refund[0]["findings"]] == ["schema-deleted"]
    assert "::error file=schemas/Refund.json" in result.stdout


def test_missing_base_commit_warns(workspace: Path, tmp_path: Path) -> None:
    event = deleting_pull_request(workspace)
    event["pull_request"]["base"]["sha"] = "0" * 40  # type: ignore[index]
    fake = runner(workspace, tmp_path, event=event)
    result = fake.run("check")
    report = json.loads(Path(read_outputs(fake.output_file)["report-path"]).read_text("utf-8"))
    assert [s["name"] for s in report["schemas"]] == ["Order"]
    assert f"the base commit {'0' * 40} is not a commit in the checkout" in result.stdout
    summary = fake.summary_file.read_text(encoding="utf-8")
    assert "deleted schema files are not checked" in summary


def test_uppercase_base_commit_is_read(workspace: Path, tmp_path: Path) -> None:
    event = deleting_pull_request(workspace)
    event["pull_request"]["base"]["sha"] = event["pull_request"]["base"]["sha"].upper()  # type: ignore[index]
    fake = runner(workspace, tmp_path, event=event)
    result = fake.run("check")
    assert "::error file=schemas/Refund.json" in result.stdout


@pytest.mark.parametrize("sha", ["abc1234", "not-a-sha; rm -rf /", 12345])
def test_malformed_base_commit_warns(workspace: Path, tmp_path: Path, sha: object) -> None:
    event = deleting_pull_request(workspace)
    event["pull_request"]["base"]["sha"] = sha  # type: ignore[index]
    fake = runner(workspace, tmp_path, event=event)
    result = fake.run("check")
    assert "is not a 40-digit commit SHA" in result.stdout
    assert "Refund" not in inert_block(result.stdout)
