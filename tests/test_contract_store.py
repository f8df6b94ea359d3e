"""Contracts stored in, and read back from, the emulator through the real boto3 client."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from schemagate.cli import main
from schemagate.contracts.model import load_contract_file
from schemagate.contracts.store import (
    CONTRACT_PREFIX,
    decode_contract,
    encode_contract,
    is_contract_name,
    publish_contract,
    read_contracts,
)
from schemagate.errors import InputError
from schemagate.registry.eventbridge import EventBridgeRegistry
from schemagate.registry.snapshot import SnapshotRegistry
from tests.conftest import make_schemas_client
from tests.contract_support import changed, detail, order_placed, write_contract, write_schemas

FIELDS: list[Any] = [
    "detail.orderId",
    {"path": "/detail/total", "type": "number"},
    {"path": "detail.items[].sku", "type": ["string", "null"]},
]


@pytest.fixture
def registry(emulator_url: str, registry_name: str) -> EventBridgeRegistry:
    return EventBridgeRegistry(registry_name, make_schemas_client(emulator_url))


@pytest.fixture
def emulator_environment(
    emulator_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Point schemagate's own boto3 clients at the emulator and run in `tmp_path`."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_SCHEMAS", emulator_url)
    monkeypatch.chdir(tmp_path)


def test_encoded_contract_is_valid_draft4(tmp_path: Path) -> None:
    contract = load_contract_file(
        write_contract(tmp_path / "c.json", "billing", {"OrderPlaced": FIELDS})
    )

    document = json.loads(encode_contract(contract))

    jsonschema.Draft4Validator.check_schema(document)
    event_schema = document["definitions"]["OrderPlaced"]
    assert event_schema["required"] == ["detail"]
    assert event_schema["properties"]["detail"]["required"] == ["orderId", "total", "items"]
    sku = event_schema["properties"]["detail"]["properties"]["items"]["items"]
    assert sku["properties"]["sku"]["type"] == ["null", "string"]


def test_publish_then_read_back(registry: EventBridgeRegistry, tmp_path: Path) -> None:
    contract = load_contract_file(
        write_contract(tmp_path / "c.yaml", "billing", {"OrderPlaced": FIELDS})
    )

    first = publish_contract(contract, registry)
    again = publish_contract(contract, registry)
    stored = read_contracts(registry)

    assert (first.name, first.version, first.changed) == ("schemagate.contract@billing", "1", True)
    assert (again.version, again.changed) == ("1", False)
    latest = registry.get_version(first.name)
    assert latest is not None
    assert latest.type == "JSONSchemaDraft4"
    assert len(stored) == 1
    assert stored[0].consumer == "billing"
    assert stored[0].events == contract.events
    assert stored[0].version == "1"


def test_changed_contract_adds_version(registry: EventBridgeRegistry, tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    publish_contract(
        load_contract_file(write_contract(path, "billing", {"A": ["detail.a"]})), registry
    )

    result = publish_contract(
        load_contract_file(write_contract(path, "billing", {"A": ["detail.b"]})), registry
    )

    assert (result.version, result.changed) == ("2", True)
    assert [c.events[0].fields[0].path.text for c in read_contracts(registry)] == ["detail.b"]


def test_event_schemas_are_not_contracts(registry: EventBridgeRegistry, tmp_path: Path) -> None:
    registry.create_schema("OrderPlaced", "OpenApi3", json.dumps(order_placed()))
    publish_contract(
        load_contract_file(write_contract(tmp_path / "c.json", "crm", {"A": ["detail.a"]})),
        registry,
    )

    names = [s.name for s in registry.list_schemas()]

    assert names == ["OrderPlaced", "schemagate.contract@crm"]
    assert [is_contract_name(n) for n in names] == [False, True]
    assert [c.consumer for c in read_contracts(registry)] == ["crm"]


def test_reserved_name_without_contract_is_rejected(registry: EventBridgeRegistry) -> None:
    registry.create_schema(CONTRACT_PREFIX + "x", "JSONSchemaDraft4", '{"type": "object"}')

    with pytest.raises(InputError, match="not a schemagate contract"):
        read_contracts(registry)


def test_snapshot_registry_is_read_only(tmp_path: Path) -> None:
    from schemagate.registry.snapshot import write_snapshot

    write_snapshot(tmp_path / "snap", "orders", [])
    contract = load_contract_file(write_contract(tmp_path / "c.json", "crm", {"A": ["detail.a"]}))

    with pytest.raises(InputError, match="read-only"):
        publish_contract(contract, SnapshotRegistry(tmp_path / "snap"))


def test_decode_rejects_bad_stored_content() -> None:
    with pytest.raises(InputError, match="not JSON"):
        decode_contract("{", "registry x")


@pytest.mark.usefixtures("emulator_environment")
def test_cli_publish_then_check_fails(
    registry_name: str, schemas_client: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = order_placed()
    schemas_client.create_schema(
        RegistryName=registry_name, SchemaName="OrderPlaced", Type="OpenApi3",
        Content=json.dumps(old),
    )  # fmt: skip
    write_contract(tmp_path / "schemagate-contract.json", "billing", {"OrderPlaced": FIELDS})
    uri = f"eventbridge:{registry_name}"
    new = changed(old)
    del detail(new)["properties"]["giftMessage"]
    detail(new)["properties"]["items"]["items"]["properties"]["sku"] = {"type": "integer"}
    write_schemas(tmp_path / "schemas", {"OrderPlaced": new})

    published = main(["contract", "publish", "--registry", uri])
    publish_output = capsys.readouterr().out
    checked = main(["check", "schemas", "--registry", uri, "--format", "json"])
    report = json.loads(capsys.readouterr().out)

    findings = report["schemas"][0]["findings"]
    assert published == 0
    assert "published: contract of consumer 'billing' is schemagate.contract@billing" in (
        publish_output
    )
    assert checked == 1
    assert [f["rule"] for f in findings if f["rule"].startswith("contract-")] == [
        "contract-field-retyped"
    ]
    assert findings[-1]["rule"] == "event-type-next-version"
    # The hint names a new schema, which a registry version number could be taken for.
    assert "a schema of its own, not a registry version" in findings[-1]["message"]


@pytest.mark.usefixtures("emulator_environment")
def test_cli_check_contracts_from_other_registry(
    schemas_client: Any, registry_name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contracts_registry = registry_name[:50] + "-contracts"
    schemas_client.create_registry(RegistryName=contracts_registry)
    old = order_placed()
    schemas_client.create_schema(
        RegistryName=registry_name, SchemaName="OrderPlaced", Type="OpenApi3",
        Content=json.dumps(old),
    )  # fmt: skip
    contract = write_contract(tmp_path / "c.json", "crm", {"OrderPlaced": ["detail.customerId"]})
    new = changed(old)
    detail(new)["required"].remove("customerId")
    write_schemas(tmp_path / "schemas", {"OrderPlaced": new})
    uri = f"eventbridge:{registry_name}"
    contracts_uri = f"eventbridge:{contracts_registry}"

    published = main(["contract", "publish", str(contract), "--contracts", contracts_uri])
    capsys.readouterr()
    same = main(["check", "schemas", "--registry", uri, "--mode", "backward"])
    capsys.readouterr()
    other = main(
        ["check", "schemas", "--registry", uri, "--mode", "backward", "--contracts", contracts_uri]
    )
    output = capsys.readouterr().out

    assert published == 0
    assert same == 0
    assert other == 1
    assert "[contract-field-optional]" in output


@pytest.mark.usefixtures("emulator_environment")
def test_cli_verify_finds_unknown_field(
    registry_name: str, schemas_client: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schemas_client.create_schema(
        RegistryName=registry_name, SchemaName="OrderPlaced", Type="OpenApi3",
        Content=json.dumps(order_placed()),
    )  # fmt: skip
    contract = write_contract(
        tmp_path / "c.json",
        "billing",
        {"OrderPlaced": ["detail.orderId", "detail.discountCode"], "Refunded": ["detail.a"]},
    )

    code = main(
        ["contract", "verify", str(contract), "--registry", f"eventbridge:{registry_name}",
         "--format", "json"]
    )  # fmt: skip

    report = json.loads(capsys.readouterr().out)
    by_selector = {r["selector"]: r for r in report["results"]}
    assert code == 1
    assert report["ok"] is False
    assert [f["rule"] for f in by_selector["OrderPlaced"]["findings"]] == [
        "contract-field-unknown"
    ]
    assert "/detail/discountCode" in by_selector["OrderPlaced"]["findings"][0]["message"]
    assert by_selector["OrderPlaced"]["version"] == "1"
    assert [f["rule"] for f in by_selector["Refunded"]["findings"]] == ["contract-event-unknown"]


@pytest.mark.usefixtures("emulator_environment")
def test_cli_verify_passes_matching_contract(
    registry_name: str, schemas_client: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schemas_client.create_schema(
        RegistryName=registry_name, SchemaName="com.example.orders@OrderPlaced",
        Type="OpenApi3", Content=json.dumps(order_placed()),
    )  # fmt: skip
    contract = write_contract(
        tmp_path / "c.json",
        "billing",
        {"OrderPlaced": [{"path": "detail.total", "type": "number"}, "detail.items[].sku"]},
    )

    code = main(
        ["contract", "verify", str(contract), "--registry", f"eventbridge:{registry_name}",
         "--all-versions"]
    )  # fmt: skip

    output = capsys.readouterr().out
    assert code == 0
    assert "OrderPlaced (com.example.orders@OrderPlaced@1): ok" in output
    assert "contract verified" in output


def test_publish_warns_near_schema_quota(
    registry: EventBridgeRegistry, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    for number in range(90):
        registry.create_schema(f"Event{number}", "JSONSchemaDraft4", '{"type": "object"}')
    contract = load_contract_file(write_contract(tmp_path / "c.json", "crm", {"A": ["detail.a"]}))

    with caplog.at_level("WARNING", logger="schemagate"):
        result = publish_contract(contract, registry)

    assert result.changed
    assert "already holds 90 schemas" in caplog.text


@pytest.mark.usefixtures("emulator_environment")
def test_cli_publishes_discovered_folder(
    registry_name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "contracts"
    write_contract(folder / "billing.contract.yaml", "billing", {"A": ["detail.a"]})
    write_contract(folder / "crm.contract.yaml", "crm", {"A": ["detail.b"]})
    uri = f"eventbridge:{registry_name}"

    code = main(["contract", "publish", str(folder), "--registry", uri])

    output = capsys.readouterr().out.splitlines()
    stored = read_contracts(EventBridgeRegistry(registry_name))
    assert code == 0
    assert len(output) == 2
    assert all(line.startswith("published: ") for line in output)
    assert [c.consumer for c in stored] == ["billing", "crm"]


def test_cli_publish_rejects_two_files_of_one_consumer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = write_contract(tmp_path / "a.json", "billing", {"A": ["detail.a"]})
    second = write_contract(tmp_path / "b.json", "billing", {"A": ["detail.b"]})

    code = main(["contract", "publish", str(first), str(second), "--registry", "dir:x"])

    err = capsys.readouterr().err
    assert code == 2
    assert "both contracts of consumer 'billing'" in err


def test_cli_publish_empty_folder_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty").mkdir()

    code = main(["contract", "publish", str(tmp_path / "empty"), "--registry", "dir:x"])

    assert code == 2
    assert "no contract files" in capsys.readouterr().err
