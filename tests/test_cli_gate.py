"""`schemagate check` and `diff` end to end: statuses, exit codes and the JSON contract."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from schemagate.cli import main
from schemagate.modes import Mode, parse_mode
from schemagate.registry.base import SchemaVersion
from schemagate.registry.snapshot import write_snapshot
from tests.support import corpus_dir

ROOT = Path(__file__).resolve().parent.parent

# Registered (before) and local (after) corpus files, with the status `check` must give.
EVOLUTIONS = {
    "WorkflowRunStateChange": (
        "orcabus__WorkflowRunStateChange.v1.schema.json",
        "orcabus__WorkflowRunStateChange.v2.schema.json",
        "compatible",
    ),
    "SequenceRunStateChange": (
        "orcabus__SequenceRunStateChange.v1.schema.json",
        "orcabus__SequenceRunStateChange.v2.schema.json",
        "breaking",
    ),
    "FileStateChange": (
        "orcabus__FileStateChange.draft07.schema.json",
        "orcabus__FileStateChange.draft04.schema.json",
        "compatible",
    ),
    "demo-schema": (
        "mridehalgh__demo-schema.v1.json",
        "mridehalgh__demo-schema.v2-incompatible.json",
        "breaking",
    ),
    "Event": (
        "terraform-provider-aws__Event.v1.openapi3.json",
        "terraform-provider-aws__Event.v2.openapi3.json",
        "compatible",
    ),
}


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("text", ["full", "FULL", "Backward_Transitive", " forward-transitive "])
def test_mode_names_parse_loosely(text: str) -> None:
    assert parse_mode(text) in set(Mode)


def test_transitive_modes_keep_their_directions() -> None:
    assert parse_mode("full_transitive").transitive
    assert parse_mode("full_transitive").directions == Mode.FULL.directions
    assert Mode.NONE.directions == frozenset()


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["diff", "a.json", "b.json", "--mode", "sideways"], "invalid mode 'sideways'"),
        (["diff", "a.json", "b.json", "--format", "xml"], "invalid format 'xml'"),
        (["check", "--registry", "s3:bucket"], "invalid registry 's3:bucket'"),
        (["check", "--registry", "dir:/nonexistent/snap"], "snapshot folder not found"),
        (["check", "--registry", f"dir:{ROOT / 'README.md'}"], "is a file, expected a snapshot"),
        (["diff", "a.json"], "Missing argument"),
        (["check", "-q"], "-q goes before the command: schemagate -q check"),
        (["contract", "verify", "--verbose"], "schemagate --verbose contract verify"),
        (["--mode", "full", "diff", "a", "b"], "put it after the command: schemagate diff --mode"),
        (["--strict", "check"], "put it after the command: schemagate check --strict"),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    argv: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(argv, capsys)
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert words in err


def test_unknown_option_no_hint(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["check", "--bogus"], capsys)
    assert code == 2
    assert err.strip() == "error: No such option '--bogus'."


def test_bundled_example_passes(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    code, out, _ = run(["check", "--format", "json"], capsys)
    report = json.loads(out)
    assert code == 0
    assert report["ok"] is True
    statuses = {s["name"]: s["status"] for s in report["schemas"]}
    assert statuses == {
        "OrderPlaced": "compatible",
        "OrderShipped": "unchanged",
        "PaymentCaptured": "compatible",
    }


def test_bundled_breaking_example_fails(capsys: pytest.CaptureFixture[str]) -> None:
    folder = ROOT / "examples" / "breaking"
    code, out, _ = run(
        [
            "diff",
            str(folder / "OrderPlaced.old.json"),
            str(folder / "OrderPlaced.new.json"),
            "--format",
            "json",
        ],
        capsys,
    )
    report = json.loads(out)
    assert code == 1
    assert report["format_version"] == 1
    assert {f["rule"] for f in report["findings"] if f["severity"] == "error"} == {
        "enum-value-removed",
        "type-changed",
    }


def test_mode_none_reports_but_never_fails(capsys: pytest.CaptureFixture[str]) -> None:
    folder = ROOT / "examples" / "breaking"
    code, out, _ = run(
        [
            "diff",
            str(folder / "OrderPlaced.old.json"),
            str(folder / "OrderPlaced.new.json"),
            "--format",
            "json",
            "--mode",
            "none",
        ],
        capsys,
    )
    report = json.loads(out)
    assert code == 0
    assert report["compatible"] is True
    assert {f["severity"] for f in report["findings"]} == {"info"}


@pytest.mark.parametrize(("mode", "forward_breaks"), [("backward", 0), ("full", 1)])
def test_mode_proves_only_its_directions(
    capsys: pytest.CaptureFixture[str], mode: str, forward_breaks: int
) -> None:
    # The pair widens a member from string to any type: a break in the forward
    # direction only, which backward mode does not check and so does not report.
    folder = corpus_dir("eventbridge")
    code, out, _ = run(
        [
            "diff",
            str(folder / "mridehalgh__demo-schema.v1.json"),
            str(folder / "mridehalgh__demo-schema.v2-incompatible.json"),
            "--mode",
            mode,
            "--format",
            "json",
        ],
        capsys,
    )
    report = json.loads(out)
    forward = [f for f in report["findings"] if "forward" in f["breaks"]]
    assert len(forward) == forward_breaks
    assert code == (1 if forward_breaks else 0)
    assert all(f["severity"] == "error" for f in forward)


@pytest.fixture
def corpus_project(tmp_path: Path) -> Path:
    """A producer repository whose registry snapshot contains every corpus document."""
    folder = corpus_dir("eventbridge")
    schemas = tmp_path / "schemas"
    schemas.mkdir()
    versions = []
    for name, (before, after, _) in EVOLUTIONS.items():
        content = (folder / before).read_text(encoding="utf-8")
        versions.append(SchemaVersion(name, "1", _type_of(content), content))
        shutil.copy(folder / after, schemas / f"{name}.json")
    evolution_files = {f for pair in EVOLUTIONS.values() for f in pair[:2]}
    for path in sorted(folder.glob("*.json")):
        if path.name in evolution_files:
            continue
        content = path.read_text(encoding="utf-8")
        versions.append(SchemaVersion(path.stem, "1", _type_of(content), content))
        shutil.copy(path, schemas / path.name)
    write_snapshot(tmp_path / "snapshot", "corpus", versions)
    return tmp_path


def _type_of(content: str) -> str:
    return "OpenApi3" if '"openapi"' in content else "JSONSchemaDraft4"


def test_check_over_real_corpus(corpus_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        [
            "check",
            str(corpus_project / "schemas"),
            "--registry",
            f"dir:{corpus_project / 'snapshot'}",
            "--format",
            "json",
        ],
        capsys,
    )
    report = json.loads(out)
    statuses = {s["name"]: s["status"] for s in report["schemas"]}
    for name, (_, _, expected) in EVOLUTIONS.items():
        assert statuses.pop(name) == expected, name
    assert set(statuses.values()) == {"unchanged"}
    assert len(statuses) == 14
    assert code == 1
    assert report["ok"] is False


def test_check_reports_unregistered_schema(
    corpus_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extra = corpus_project / "schemas" / "BrandNew.json"
    shutil.copy(ROOT / "examples" / "registered" / "OrderShipped.v1.json", extra)
    code, out, _ = run(
        [
            "check",
            str(extra),
            "--registry",
            f"dir:{corpus_project / 'snapshot'}",
            "--format",
            "json",
        ],
        capsys,
    )
    report = json.loads(out)
    assert code == 1
    assert report["schemas"][0]["status"] == "unregistered"
    assert report["schemas"][0]["findings"][0]["rule"] == "schema-unregistered"


def test_check_json_contract_fields(
    corpus_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = corpus_project / "schemas" / "SequenceRunStateChange.json"
    _, out, _ = run(
        [
            "check",
            str(path),
            "--registry",
            f"dir:{corpus_project / 'snapshot'}",
            "--format",
            "json",
        ],
        capsys,
    )
    report = json.loads(out)
    assert {"format_version", "ok", "registry", "schemas"} <= report.keys()
    schema = report["schemas"][0]
    assert {"name", "path", "status", "registered_version", "findings"} <= schema.keys()
    assert schema["registered_version"] == "1"
    finding = schema["findings"][0]
    assert set(finding) >= {
        "rule",
        "severity",
        "breaks",
        "old_pointer",
        "new_pointer",
        "message",
        "witnesses",
    }


def test_two_files_with_one_schema_name_are_rejected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copy(ROOT / "schemas" / "OrderShipped.json", tmp_path / folder / "Same.json")
    code, _, err = run(["check", str(tmp_path), "--registry", f"dir:{ROOT / 'snapshot'}"], capsys)
    assert code == 2
    assert "both map to schema 'Same'" in err


def test_check_fails_on_changed_event_routing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = json.loads((ROOT / "schemas" / "OrderPlaced.json").read_text(encoding="utf-8"))
    document["components"]["schemas"]["AWSEvent"]["x-amazon-events-source"] = "com.example.shop"
    local = tmp_path / "OrderPlaced.json"
    local.write_text(json.dumps(document), encoding="utf-8")
    code, out, _ = run(
        ["check", str(local), "--registry", f"dir:{ROOT / 'snapshot'}", "--format", "json"],
        capsys,
    )
    report = json.loads(out)
    findings = report["schemas"][0]["findings"]
    routing = [f for f in findings if f["rule"] == "event-routing-changed"]
    assert len(routing) == 1
    assert "annotation-changed" not in {f["rule"] for f in findings}
    finding = routing[0]
    assert code == 1
    assert report["schemas"][0]["status"] == "breaking"
    assert finding["severity"] == "error"
    assert finding["new_pointer"] == "/components/schemas/AWSEvent/x-amazon-events-source"
    assert "'com.example.orders' to 'com.example.shop'" in finding["message"]


@pytest.mark.parametrize("mode", ["backward", "none"])
def test_diff_reports_changed_event_routing(
    mode: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = ROOT / "schemas" / "OrderPlaced.json"
    document = json.loads(old.read_text(encoding="utf-8"))
    document["components"]["schemas"]["AWSEvent"]["x-amazon-events-detail-type"] = "Other"
    new = tmp_path / "OrderPlaced.json"
    new.write_text(json.dumps(document), encoding="utf-8")
    code, out, _ = run(["diff", str(old), str(new), "--mode", mode, "--format", "json"], capsys)
    findings = json.loads(out)["findings"]
    routing = [f for f in findings if f["rule"] == "event-routing-changed"]
    assert len(routing) == 1
    assert routing[0]["severity"] == ("error" if mode == "backward" else "info")
    assert code == (1 if mode == "backward" else 0)


def test_diff_reports_removed_event_routing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = ROOT / "schemas" / "OrderPlaced.json"
    document = json.loads(old.read_text(encoding="utf-8"))
    del document["components"]["schemas"]["AWSEvent"]["x-amazon-events-source"]
    new = tmp_path / "OrderPlaced.json"
    new.write_text(json.dumps(document), encoding="utf-8")
    code, out, _ = run(["diff", str(old), str(new), "--format", "json"], capsys)
    routing = [f for f in json.loads(out)["findings"] if f["rule"] == "event-routing-changed"]
    assert code == 0
    assert len(routing) == 1
    assert routing[0]["severity"] == "info"
    assert routing[0]["new_pointer"] is None
    assert "x-amazon-events-source removed (was 'com.example.orders')" in routing[0]["message"]


@pytest.mark.parametrize(
    ("against", "example"),
    [("HEAD", "git:HEAD"), ("origin/main", "git:origin/main"), ("s3:bucket", "git:REF")],
)
def test_invalid_against_suggests_git_ref(
    against: str, example: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["check", "--against", against, str(ROOT / "schemas")], capsys)
    assert code == 2
    assert err == (
        f"error: invalid registry {against!r}; use {example}, eventbridge:REGISTRY_NAME "
        "or dir:SNAPSHOT_FOLDER\n"
    )


def test_bare_registry_suggests_eventbridge(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["check", "--registry", "orders", str(ROOT / "schemas")], capsys)
    assert code == 2
    assert err.startswith("error: invalid registry 'orders'; use eventbridge:orders, ")


@pytest.mark.parametrize("reason", ["", "  "])
def test_empty_allow_breaking_reason_rejected(
    reason: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["check", "--registry", f"dir:{ROOT / 'snapshot'}", str(ROOT / "schemas")]
    code, out, err = run([*argv, "--allow-breaking", reason], capsys)
    assert code == 2
    assert out == ""
    assert err == (
        f"error: invalid --allow-breaking {reason!r}: the reason is empty; give the reason the "
        "report shows, for example --allow-breaking 'consumers migrated'\n"
    )


def test_file_given_twice_is_checked_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "schemas").mkdir()
    shutil.copy(ROOT / "schemas" / "OrderShipped.json", tmp_path / "schemas" / "OrderShipped.json")
    monkeypatch.chdir(tmp_path)
    registry = f"dir:{ROOT / 'snapshot'}"
    folder_and_file = ["schemas", "schemas/OrderShipped.json"]
    same_file = ["schemas/OrderShipped.json", "./schemas/OrderShipped.json"]

    for paths in (folder_and_file, same_file):
        code, out, err = run(["check", *paths, "--registry", registry, "--format", "json"], capsys)
        report = json.loads(out)
        assert err == ""
        assert code == 0
        assert [schema["name"] for schema in report["schemas"]] == ["OrderShipped"]


def test_help_lists_every_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--help"], capsys)
    text = " ".join(out.split())
    assert code == 0
    assert "0 passed" in text
    assert "1 gate failed" in text
    assert "2 usage error or invalid input" in text
    assert "3 registry, network or credentials error" in text
    assert "4 internal error" in text


def copied_schemas(tmp_path: Path) -> tuple[Path, list[str]]:
    """Copy the example schemas and return them with a check of them against the snapshot."""
    schemas = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", schemas)
    return schemas, ["check", str(schemas), "--registry", f"dir:{ROOT / 'snapshot'}"]


def test_check_output_into_schemas_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schemas, argv = copied_schemas(tmp_path)
    target = schemas / "OrderPlaced.yaml"
    replaced = run([*argv, "--output", f"json={schemas / 'OrderPlaced.json'}"], capsys)
    added = run([*argv, "--output", f"json={target}"], capsys)
    assert replaced[0] == 2
    assert "the command reads this file" in replaced[2]
    assert added[0] == 2
    assert "read the report as a schema" in added[2]
    assert not target.exists()


def test_broken_link_in_schema_folder_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schemas = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", schemas)
    (schemas / "Gone.json").symlink_to(tmp_path / "missing.json")
    code, out, err = run(["check", str(schemas), "--registry", f"dir:{ROOT / 'snapshot'}"], capsys)
    assert code == 2
    assert out == ""
    assert err.startswith(f"error: {schemas / 'Gone.json'}: link to a missing file")


def test_check_output_into_snapshot_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    snapshot = tmp_path / "snapshot"
    shutil.copytree(ROOT / "snapshot", snapshot)
    index = (snapshot / "snapshot.json").read_text(encoding="utf-8")
    argv = ["check", str(ROOT / "schemas"), "--registry", f"dir:{snapshot}"]
    code, _, err = run([*argv, "--output", f"sarif={snapshot / 'snapshot.json'}"], capsys)
    assert code == 2
    assert "is a snapshot folder that `schemagate pull` writes" in err
    assert (snapshot / "snapshot.json").read_text(encoding="utf-8") == index


def test_output_through_hard_link_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schemas, argv = copied_schemas(tmp_path)
    link = tmp_path / "report.json"
    link.hardlink_to(schemas / "OrderShipped.json")
    before = link.read_text(encoding="utf-8")
    code, _, err = run([*argv, "--output", f"json={link}"], capsys)
    assert code == 2
    assert "the command reads this file" in err
    assert (schemas / "OrderShipped.json").read_text(encoding="utf-8") == before


def test_diff_output_into_schemas_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(ROOT / "schemas", tmp_path / "schemas")
    (tmp_path / "schemagate.toml").write_text('schemas = "schemas"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    old = ROOT / "examples" / "breaking" / "OrderPlaced.old.json"
    new = ROOT / "examples" / "breaking" / "OrderPlaced.new.json"
    code, _, err = run(["diff", str(old), str(new), "--output", "json=schemas/d.json"], capsys)
    assert code == 2
    assert "read the report as a schema" in err
    assert not (tmp_path / "schemas" / "d.json").exists()
