"""`schemagate publish` against the emulator: what it writes, and when it writes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from schemagate.cli import main
from schemagate.errors import EXIT_GATE_FAILED, EXIT_OK, EXIT_REGISTRY, EXIT_USAGE
from schemagate.registry.cached import CachedEventBridgeRegistry
from tests.conftest import emulator_requests, reset_emulator_requests

ORDER_V1 = {
    "$schema": "http://json-schema.org/draft-04/schema#",
    "type": "object",
    "properties": {"id": {"type": "string"}, "status": {"enum": ["new", "paid"]}},
}
# Adds an optional property: compatible both ways under the tolerant policy.
ORDER_V2 = {**ORDER_V1, "properties": {**ORDER_V1["properties"], "note": {"type": "string"}}}
# Drops an enum value: breaks backward compatibility.
ORDER_BREAKING = {
    **ORDER_V1,
    "properties": {"id": {"type": "string"}, "status": {"enum": ["new"]}},
}

PAYMENT_YAML = """\
openapi: 3.0.0
info:
  title: PaymentCaptured
  version: 1.0.0
paths: {}
components:
  schemas:
    AWSEvent:
      type: object
      properties:
        detail:
          $ref: '#/components/schemas/PaymentCaptured'
    PaymentCaptured:
      type: object
      properties:
        amount:
          type: number
"""


@pytest.fixture
def registry(
    schemas_client: Any, registry_name: str, emulator_url: str, monkeypatch: pytest.MonkeyPatch
) -> str:
    """An emulator registry with OrderPlaced version 1, and boto3 pointed at it."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_SCHEMAS", emulator_url)
    schemas_client.create_schema(
        RegistryName=registry_name,
        SchemaName="OrderPlaced",
        Type="JSONSchemaDraft4",
        Content=json.dumps(ORDER_V1),
    )
    return registry_name


def _local(tmp_path: Path, order: dict[str, Any] | None, payment: bool = False) -> Path:
    folder = tmp_path / "schemas"
    folder.mkdir(exist_ok=True)
    if order is not None:
        (folder / "OrderPlaced.json").write_text(json.dumps(order), encoding="utf-8")
    if payment:
        (folder / "PaymentCaptured.yaml").write_text(PAYMENT_YAML, encoding="utf-8")
    return folder


def _publish(registry: str, folder: Path, *options: str) -> int:
    return main(["publish", "--registry", f"eventbridge:{registry}", *options, str(folder)])


def _versions(client: Any, registry: str, name: str) -> list[str]:
    response = client.list_schema_versions(RegistryName=registry, SchemaName=name)
    return [row["SchemaVersion"] for row in response["SchemaVersions"]]


def test_publish_creates_schema_and_version(
    registry: str, schemas_client: Any, tmp_path: Path, capsys: Any
) -> None:
    folder = _local(tmp_path, ORDER_V2, payment=True)

    code = _publish(registry, folder)

    out = capsys.readouterr().out
    assert code == EXIT_OK
    assert "created OrderPlaced version 2 (" in out
    assert "created PaymentCaptured version 1 (" in out
    assert out.endswith(f"created 2 version(s) in eventbridge:{registry}\n")
    order = schemas_client.describe_schema(RegistryName=registry, SchemaName="OrderPlaced")
    assert order["SchemaVersion"] == "2"
    assert order["Type"] == "JSONSchemaDraft4"
    assert json.loads(order["Content"]) == ORDER_V2
    payment = schemas_client.describe_schema(RegistryName=registry, SchemaName="PaymentCaptured")
    assert payment["Type"] == "OpenApi3"
    content = json.loads(payment["Content"])
    assert list(content) == ["openapi", "info", "paths", "components"]
    assert list(content["components"]["schemas"]) == ["AWSEvent", "PaymentCaptured"]


def test_publish_unchanged_creates_nothing(
    registry: str, schemas_client: Any, emulator_url: str, tmp_path: Path, capsys: Any
) -> None:
    folder = _local(tmp_path, ORDER_V1)
    reset_emulator_requests(emulator_url)

    code = _publish(registry, folder)

    assert code == EXIT_OK
    assert "unchanged OrderPlaced" in capsys.readouterr().out
    assert _versions(schemas_client, registry, "OrderPlaced") == ["1"]
    calls = emulator_requests(emulator_url)
    assert "UpdateSchema" not in calls
    assert "CreateSchema" not in calls


def test_publish_breaking_writes_nothing(
    registry: str, schemas_client: Any, emulator_url: str, tmp_path: Path, capsys: Any
) -> None:
    folder = _local(tmp_path, ORDER_BREAKING, payment=True)
    reset_emulator_requests(emulator_url)

    code = _publish(registry, folder, "--mode", "backward")

    out = capsys.readouterr().out
    assert code == EXIT_GATE_FAILED
    assert "enum-value-removed" in out
    assert f"nothing published to eventbridge:{registry}: the gate failed" in out
    assert _versions(schemas_client, registry, "OrderPlaced") == ["1"]
    calls = emulator_requests(emulator_url)
    assert "UpdateSchema" not in calls
    assert "CreateSchema" not in calls


def test_publish_allow_breaking_writes_with_reason(
    registry: str, schemas_client: Any, tmp_path: Path, capsys: Any
) -> None:
    folder = _local(tmp_path, ORDER_BREAKING)

    code = _publish(registry, folder, "--mode", "backward", "--allow-breaking", "label on #12")

    out = capsys.readouterr().out
    assert code == EXIT_OK, out
    assert "label on #12" in out
    assert _versions(schemas_client, registry, "OrderPlaced") == ["1", "2"]


def test_publish_honours_accepted_change(
    registry: str, schemas_client: Any, tmp_path: Path, capsys: Any, monkeypatch: Any
) -> None:
    folder = _local(tmp_path, ORDER_BREAKING)
    (tmp_path / "schemagate.toml").write_text(
        '[[accepted-changes]]\nrule = "enum-value-removed"\nschema = "OrderPlaced"\n'
        'pointer = "/properties/status"\nreason = "paid moved to its own event"\n'
        "expires = 2099-01-01\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)

    code = _publish(registry, folder, "--mode", "backward")

    assert code == EXIT_OK, capsys.readouterr().out
    assert _versions(schemas_client, registry, "OrderPlaced") == ["1", "2"]


def test_publish_dry_run_writes_nothing(
    registry: str, schemas_client: Any, emulator_url: str, tmp_path: Path, capsys: Any
) -> None:
    folder = _local(tmp_path, ORDER_V2, payment=True)
    reset_emulator_requests(emulator_url)

    code = _publish(registry, folder, "--dry-run", "--format", "json")

    report = json.loads(capsys.readouterr().out)
    assert code == EXIT_OK
    assert report["dry_run"] is True
    assert report["created"] == []
    planned = {(w["name"], w["action"], w["checked_version"]) for w in report["would_create"]}
    assert planned == {
        ("OrderPlaced", "create-version", "1"),
        ("PaymentCaptured", "create-schema", None),
    }
    calls = emulator_requests(emulator_url)
    assert "UpdateSchema" not in calls
    assert "CreateSchema" not in calls


def test_dry_run_text_names_writes(registry: str, tmp_path: Path, capsys: Any) -> None:
    folder = _local(tmp_path, ORDER_V2, payment=True)

    code = _publish(registry, folder, "--dry-run")

    out = capsys.readouterr().out
    assert code == EXIT_OK
    assert "would create schema PaymentCaptured (" in out
    assert "would create a new version of OrderPlaced (" in out
    assert f"would create 2 version(s) in eventbridge:{registry}" in out


def test_publish_dry_run_json_consistent_for_new_schema(
    registry: str, tmp_path: Path, capsys: Any
) -> None:
    folder = _local(tmp_path, None, payment=True)

    code = _publish(registry, folder, "--dry-run", "--format", "json")

    report = json.loads(capsys.readouterr().out)
    payment = report["gate"]["schemas"][0]
    assert code == EXIT_OK
    assert report["gate_passed"] is True
    assert report["gate"]["ok"] is report["gate_passed"]
    assert report["gate"]["blocking_count"] == 0
    assert payment["status"] == "new"
    assert [(f["rule"], f["severity"]) for f in payment["findings"]] == [
        ("schema-unregistered", "info")
    ]


def test_publish_json_lists_created(registry: str, tmp_path: Path, capsys: Any) -> None:
    folder = _local(tmp_path, ORDER_V2)

    code = _publish(registry, folder, "--format", "json")

    report = json.loads(capsys.readouterr().out)
    assert code == EXIT_OK
    assert report["gate_passed"] is True
    assert report["conflict"] is None
    assert [(w["name"], w["version"], w["type"]) for w in report["created"]] == [
        ("OrderPlaced", "2", "JSONSchemaDraft4")
    ]


def test_publish_detects_version_written_in_between(
    registry: str,
    schemas_client: Any,
    tmp_path: Path,
    capsys: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = _local(tmp_path, ORDER_V2)
    other_writer = {**ORDER_V1, "title": "written by another pipeline"}
    original = CachedEventBridgeRegistry.latest_now

    def write_then_read(self: CachedEventBridgeRegistry, name: str) -> Any:
        # Another pipeline registers a version after the gate ran and before the write.
        schemas_client.update_schema(
            RegistryName=registry, SchemaName=name, Content=json.dumps(other_writer)
        )
        return original(self, name)

    monkeypatch.setattr(CachedEventBridgeRegistry, "latest_now", write_then_read)

    code = _publish(registry, folder)

    stderr = capsys.readouterr().err
    assert code == EXIT_REGISTRY
    assert "UpdateSchema failed" in stderr
    assert "'OrderPlaced' is at version 2 but the gate checked 1" in stderr
    assert _versions(schemas_client, registry, "OrderPlaced") == ["1", "2"]
    latest = schemas_client.describe_schema(RegistryName=registry, SchemaName="OrderPlaced")
    assert json.loads(latest["Content"]) == other_writer


def test_publish_reports_create_conflict(
    registry: str,
    schemas_client: Any,
    tmp_path: Path,
    capsys: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = _local(tmp_path, None, payment=True)
    original = CachedEventBridgeRegistry.latest_now

    def read_then_create(self: CachedEventBridgeRegistry, name: str) -> Any:
        found = original(self, name)
        # Another pipeline creates the schema between the re-read and the write.
        schemas_client.create_schema(
            RegistryName=registry, SchemaName=name, Type="OpenApi3", Content="{}"
        )
        return found

    monkeypatch.setattr(CachedEventBridgeRegistry, "latest_now", read_then_create)

    code = _publish(registry, folder, "--format", "json")

    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert code == EXIT_REGISTRY
    assert "CreateSchema failed" in captured.err
    assert "'PaymentCaptured' already exists" in report["conflict"]
    assert report["created"] == []
    assert _versions(schemas_client, registry, "PaymentCaptured") == ["1"]


def test_publish_compacts_content_over_limit_when_indented(
    registry: str, schemas_client: Any, tmp_path: Path, capsys: Any
) -> None:
    # Compact on disk, as check reads it, but over 100,000 characters once indented.
    added = {f"p{n:05}": {"type": "string"} for n in range(3000)}
    order = {**ORDER_V1, "properties": {**ORDER_V1["properties"], **added}}
    folder = _local(tmp_path, order)

    code = _publish(registry, folder)

    assert code == EXIT_OK, capsys.readouterr().err
    stored = schemas_client.describe_schema(RegistryName=registry, SchemaName="OrderPlaced")
    assert len(stored["Content"]) <= 100_000
    assert json.loads(stored["Content"]) == order


def test_publish_rejects_snapshot_registry(tmp_path: Path, capsys: Any) -> None:
    folder = _local(tmp_path, ORDER_V1)

    code = main(["publish", "--registry", f"dir:{tmp_path}", str(folder)])

    assert code == EXIT_USAGE
    assert "publish writes to an EventBridge registry" in capsys.readouterr().err


@pytest.mark.parametrize(("flag", "policy"), [("--strict", "strict"), ("--tolerant", "tolerant")])
def test_publish_policy_flags(
    flag: str, policy: str, registry: str, tmp_path: Path, capsys: Any
) -> None:
    folder = _local(tmp_path, ORDER_V2)

    code = _publish(registry, folder, flag, "--dry-run", "--format", "json")

    report = json.loads(capsys.readouterr().out)
    assert code in (EXIT_OK, EXIT_GATE_FAILED)
    assert report["gate"]["policy"] == policy
