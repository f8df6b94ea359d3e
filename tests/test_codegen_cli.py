"""`schemagate codegen` end to end: registry snapshots, pins, --check and bad input."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from schemagate.cli import main
from schemagate.registry.base import SchemaVersion
from schemagate.registry.snapshot import write_snapshot
from tests.support import EVENTBRIDGE, corpus_dir
from tests.test_codegen_corpus import CASES

TICKET = "aws.partner-mongodb.com@TicketCreated"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A snapshot with two versions of one schema and one of another; cwd is tmp_path."""
    monkeypatch.chdir(tmp_path)
    first = (CASES / "component_names" / "schema.json").read_text("utf-8")
    second = (CASES / "nullable_reference" / "schema.json").read_text("utf-8")
    versions = [
        SchemaVersion(TICKET, "1", "OpenApi3", second),
        SchemaVersion(TICKET, "2", "OpenApi3", first),
        SchemaVersion("Category", "1", "JSONSchemaDraft4", _case("recursive_reference")),
    ]
    write_snapshot(tmp_path / "snap", "events", versions)
    return tmp_path / "snap"


def _case(name: str) -> str:
    return (CASES / name / "schema.json").read_text("utf-8")


def header_value(path: Path, key: str) -> str:
    for line in path.read_text("utf-8").splitlines():
        if line.startswith(f"# {key}: "):
            return line.split(": ", 1)[1]
    raise AssertionError(f"no {key} in {path}")


def test_registry_latest_versions(snapshot: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["codegen", "--registry", "dir:snap", "--out", "bindings"], capsys)
    module = Path("bindings/aws_partner_mongodb_com_ticket_created.py")

    assert code == 0
    assert "wrote 4" in out
    assert header_value(module, "version") == '"2"'
    assert header_value(module, "registry") == '"dir:snap"'
    assert Path("bindings/category.py").is_file()


def test_registry_pinned_version(snapshot: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["codegen", "--registry", "dir:snap", "--out", "bindings", "--schema", f"{TICKET}@1"]
    code, _, _ = run(argv, capsys)
    lock = json.loads(Path("bindings/schemagate-codegen.lock").read_text("utf-8"))

    assert code == 0
    assert sorted(lock["files"]) == ["__init__.py", "aws_partner_mongodb_com_ticket_created.py"]
    assert lock["files"]["aws_partner_mongodb_com_ticket_created.py"]["version"] == "1"


def test_check_passes_then_lists_stale_files(
    snapshot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["codegen", "--registry", "dir:snap", "--out", "bindings"]
    run(argv, capsys)
    clean_code, clean_out, _ = run([*argv, "--check"], capsys)
    Path("bindings/category.py").write_text("# edited\n")
    Path("bindings/notes.txt").write_text("mine\n")
    stale_code, stale_out, _ = run([*argv, "--check"], capsys)

    assert clean_code == 0
    assert "up to date" in clean_out
    assert stale_code == 1
    assert "bindings/category.py: edited since schemagate wrote it" in stale_out
    assert "notes.txt" not in stale_out
    assert Path("bindings/category.py").read_text() == "# edited\n"


def test_check_fails_when_registry_has_newer_version(
    snapshot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pinned = ["codegen", "--registry", "dir:snap", "--out", "b", "--schema", f"{TICKET}@1"]
    run(pinned, capsys)
    code, out, _ = run(["codegen", "--registry", "dir:snap", "--out", "b", "--check"], capsys)

    assert code == 1
    assert "b/aws_partner_mongodb_com_ticket_created.py: out of date" in out
    assert "b/category.py: missing" in out


def test_local_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(CASES / "discriminated_oneof" / "schema.json", "PaymentCaptured.json")
    code, _, _ = run(["codegen", "PaymentCaptured.json", "--out", "bindings"], capsys)
    module = Path("bindings/payment_captured.py")

    assert code == 0
    assert header_value(module, "file") == '"PaymentCaptured.json"'
    assert header_value(module, "version") == "None"


@pytest.mark.parametrize(
    ("folder", "suggestion"),
    [("my-events", "my_events"), ("1events", "events_1events"), ("class", "events_class")],
)
def test_unimportable_folder_warns(
    folder: str,
    suggestion: str,
    snapshot: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(["codegen", "--registry", "dir:snap", "--out", folder], capsys)

    assert code == 0
    assert f"warning: {folder!r} is not a Python package name" in err
    assert f"for example to {suggestion!r}" in err
    assert Path(folder, "category.py").is_file()


def test_importable_folder_has_no_warning(
    snapshot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["codegen", "--registry", "dir:snap", "--out", "events_v2"], capsys)

    assert code == 0
    assert "warning" not in err


def test_missing_generator_exits_2(
    snapshot: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    real_find_spec = importlib.util.find_spec

    def find_spec(name: str, *args: Any) -> Any:
        return None if name == "datamodel_code_generator" else real_find_spec(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    code, _, err = run(["codegen", "--registry", "dir:snap", "--out", "bindings"], capsys)

    assert code == 2
    assert err.strip() == (
        "error: codegen needs datamodel_code_generator, which is not installed; "
        "install the codegen extra: pip install 'schemagate[codegen]' (in a source checkout: "
        "pip install -e '.[codegen]')"
    )
    assert not Path("bindings").exists()


def test_every_corpus_schema_in_one_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = corpus_dir("eventbridge")
    monkeypatch.chdir(tmp_path)
    code, _, _ = run(["codegen", str(folder), "--out", "bindings"], capsys)

    assert code == 0
    assert len(list(Path("bindings").glob("*.py"))) == len(list(EVENTBRIDGE.glob("*.json"))) + 1


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--registry", "dir:snap", "--schema", "Nope"], "schema 'Nope' not found in registry"),
        (["--registry", "dir:snap", "--schema", f"{TICKET}@9"], "version 9 of schema"),
        (["--registry", "dir:snap", "--schema", "Category@"], "invalid --schema 'Category@'"),
        (["--registry", "dir:snap", "--schema", "@2"], "invalid --schema '@2'"),
        (["--registry", "s3:bucket"], "invalid registry 's3:bucket'"),
        (["--registry", "dir:snap", "missing.json"], "not both"),
        (["missing.json"], "missing.json: no such file or folder"),
        (["dangling.json"], "dangling reference"),
        (["binary.json"], "not UTF-8"),
        ([], "nothing to generate from"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    snapshot: Path, capsys: pytest.CaptureFixture[str], argv: list[str], words: str
) -> None:
    dangling = json.loads(_case("nullable_reference"))
    dangling["components"]["schemas"]["CustomerUpdated"]["properties"]["billingAddress"] = {
        "$ref": "#/components/schemas/Adress"
    }
    Path("dangling.json").write_text(json.dumps(dangling))
    Path("binary.json").write_bytes(b'{"type": "\xff"}')
    code, _, err = run(["codegen", *argv, "--out", "bindings"], capsys)

    assert code == 2
    assert words in err
    assert err.startswith("error: ")
    assert err.count("\n") == 1
    assert not Path("bindings").exists()


def test_eventbridge_registry_through_emulator(
    schemas_client: Any,
    registry_name: str,
    emulator_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("nullable_reference", "discriminated_oneof"):
        schemas_client.create_schema(
            RegistryName=registry_name, SchemaName=name, Type="OpenApi3", Content=_case(name)
        )
    schemas_client.update_schema(
        RegistryName=registry_name,
        SchemaName="discriminated_oneof",
        Type="OpenApi3",
        Content=_case("allof_required_branch"),
    )
    monkeypatch.setenv("AWS_ENDPOINT_URL_SCHEMAS", emulator_url)
    monkeypatch.chdir(tmp_path)
    uri = f"eventbridge:{registry_name}"
    code, _, err = run(["codegen", "--registry", uri, "--out", "bindings"], capsys)
    lock = json.loads(Path("bindings/schemagate-codegen.lock").read_text("utf-8"))

    assert code == 0, err
    assert lock["files"]["discriminated_oneof.py"]["version"] == "2"
    assert lock["files"]["discriminated_oneof.py"]["registry"] == uri
    assert lock["files"]["nullable_reference.py"]["version"] == "1"
    assert "class OrderShipped(" in Path("bindings/discriminated_oneof.py").read_text("utf-8")


def test_unreachable_registry_exits_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_SCHEMAS", "http://127.0.0.1:9")
    monkeypatch.chdir(tmp_path)
    code, _, err = run(["codegen", "--registry", "eventbridge:orders", "--out", "b"], capsys)

    assert code == 3
    assert err.startswith("error: registry eventbridge:orders")
    assert not Path("b").exists()


def test_configured_registry_and_names(snapshot: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("schemagate.toml").write_text(
        'registry = "dir:snap"\n\n[names]\n"payment" = "PaymentCaptured"\n', encoding="utf-8"
    )
    shutil.copy(CASES / "discriminated_oneof" / "schema.json", "payment.json")
    registry_code, _, _ = run(["codegen", "--out", "from_registry"], capsys)
    files_code, _, _ = run(["codegen", "payment.json", "--out", "from_files"], capsys)
    lock = json.loads(Path("from_files/schemagate-codegen.lock").read_text("utf-8"))

    assert registry_code == 0
    assert Path("from_registry/category.py").is_file()
    assert files_code == 0
    assert lock["files"]["payment_captured.py"]["schema"] == "PaymentCaptured"
    assert lock["files"]["payment_captured.py"]["path"] == "payment.json"


def test_registry_contracts_are_not_generated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    versions = [
        SchemaVersion("Category", "1", "JSONSchemaDraft4", _case("recursive_reference")),
        SchemaVersion("schemagate.contract@billing", "1", "JSONSchemaDraft4", "{}"),
    ]
    write_snapshot(tmp_path / "snap", "events", versions)
    code, _, err = run(["codegen", "--registry", "dir:snap", "--out", "bindings"], capsys)
    modules = sorted(p.name for p in Path("bindings").glob("*.py"))
    assert code == 0, err
    assert "schemagate_contract_billing.py" not in modules
    assert "category.py" in modules
    assert "contract" not in Path("bindings/__init__.py").read_text("utf-8")


@pytest.mark.parametrize("out", ["snap", "snap/inner", "schemas"])
def test_out_inside_input_folder_exits_2(
    snapshot: Path, out: str, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("schemas").mkdir()
    code, _, err = run(["codegen", "--registry", "dir:snap", "--out", out], capsys)
    kind = "a schema folder" if out == "schemas" else "a snapshot folder"
    assert code == 2
    assert f"invalid --out {out}: it is inside " in err
    assert f"{out.split('/')[0]}, {kind}, and generated modules would mix" in err
    assert not Path(out, "__init__.py").exists()


def test_edited_module_is_not_replaced(snapshot: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["codegen", "--registry", "dir:snap", "--out", "bindings"]
    assert run(argv, capsys)[0] == 0
    module = Path("bindings/category.py")
    edited = module.read_text("utf-8") + "\nLOCAL_CONSTANT = 1\n"
    module.write_text(edited, "utf-8")

    code, _, err = run(argv, capsys)

    assert code == 2
    assert "category.py: edited since schemagate wrote it" in err
    assert module.read_text("utf-8") == edited


def test_out_containing_input_folder_exits_2(
    snapshot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["codegen", "--registry", "dir:snap", "--out", "."], capsys)
    assert code == 2
    assert "invalid --out .: it contains" in err
    assert not Path("__init__.py").exists()


def test_unwritable_out_folder_exits_2(
    snapshot: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Root writes into read-only folders, so a read-only file system is simulated.
    import tempfile

    def read_only(*args: Any, **kwargs: Any) -> str:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkdtemp", read_only)
    code, _, err = run(["codegen", "--registry", "dir:snap", "--out", "bindings"], capsys)

    assert code == 2
    assert err.strip() == (
        "error: cannot write to bindings (Read-only file system); choose another --out folder"
    )
