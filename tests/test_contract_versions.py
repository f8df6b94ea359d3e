"""Event-type versions: the OrderPlaced -> OrderPlaced.v2 transition through every state."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from schemagate.cli import main
from schemagate.contracts.versions import VersionNaming
from schemagate.errors import ConfigError
from tests.contract_support import (
    changed,
    detail,
    order_placed,
    write_contract,
    write_registry,
    write_schemas,
)

V1 = order_placed()
V2 = changed(order_placed(detail_type="OrderPlaced.v2"))
detail(V2)["properties"]["total"] = {"type": "string", "pattern": "^[0-9]+[.][0-9]{2}$"}
V1_BROKEN = changed(V1)
detail(V1_BROKEN)["properties"]["total"] = {"type": "string"}


def gate(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    registered: dict[str, list[dict[str, Any]]],
    local: dict[str, dict[str, Any]],
    reads: str,
) -> tuple[int, dict[str, dict[str, Any]]]:
    """Run check with one contract of consumer 'billing' reading event type `reads`."""
    contract = write_contract(tmp_path / "billing.json", "billing", {reads: ["detail.total"]})
    registry = write_registry(tmp_path / "snapshot", registered)
    schemas = write_schemas(tmp_path / "schemas", local)
    argv = ["check", str(schemas), "--registry", registry, "--contracts", f"file:{contract}"]
    code = main([*argv, "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    return code, {s["name"]: s for s in report["schemas"]}


def rules(schema: dict[str, Any]) -> list[str]:
    return [f["rule"] for f in schema["findings"]]


def test_v1_compatible_change_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    local = changed(V1)
    detail(local)["properties"]["note"] = {"type": "string"}

    code, schemas = gate(
        tmp_path, capsys, {"OrderPlaced": [V1]}, {"OrderPlaced": local}, "OrderPlaced"
    )

    assert code == 0
    assert schemas["OrderPlaced"]["status"] == "compatible"


def test_v1_breaking_change_points_to_v2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, schemas = gate(
        tmp_path, capsys, {"OrderPlaced": [V1]}, {"OrderPlaced": V1_BROKEN}, "OrderPlaced"
    )

    hint = [
        f for f in schemas["OrderPlaced"]["findings"] if f["rule"] == "event-type-next-version"
    ]
    assert code == 1
    assert schemas["OrderPlaced"]["status"] == "breaking"
    assert len(hint) == 1
    assert "'OrderPlaced.v2'" in hint[0]["message"]


def test_new_v2_passes_as_new(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, schemas = gate(
        tmp_path,
        capsys,
        {"OrderPlaced": [V1]},
        {"OrderPlaced": V1, "OrderPlaced.v2": V2},
        "OrderPlaced",
    )

    assert code == 0
    assert schemas["OrderPlaced"]["status"] == "unchanged"
    assert schemas["OrderPlaced.v2"]["status"] == "new"
    assert rules(schemas["OrderPlaced.v2"]) == ["event-type-version-added"]


def test_unregistered_schema_outside_a_family_still_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, schemas = gate(
        tmp_path, capsys, {"OrderPlaced": [V1]}, {"OrderPlaced": V1, "Refunded.v2": V2}, "x"
    )

    assert code == 1
    assert schemas["Refunded.v2"]["status"] == "unregistered"


def test_removing_v1_while_contract_reads_it_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    registered = {"OrderPlaced": [V1], "OrderPlaced.v2": [V2]}

    code, schemas = gate(tmp_path, capsys, registered, {"OrderPlaced.v2": V2}, "OrderPlaced")

    retired = schemas["OrderPlaced"]
    assert code == 1
    assert retired["status"] == "breaking"
    assert retired["path"].endswith("OrderPlaced.v2.json")
    assert rules(retired) == ["event-type-version-in-use"]
    assert "'billing'" in retired["findings"][0]["message"]
    assert "'OrderPlaced.v2'" in retired["findings"][0]["message"]


def test_removing_v1_after_contract_moves_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    registered = {"OrderPlaced": [V1], "OrderPlaced.v2": [V2]}

    code, schemas = gate(tmp_path, capsys, registered, {"OrderPlaced.v2": V2}, "OrderPlaced.v2")

    assert code == 0
    assert list(schemas) == ["OrderPlaced.v2"]
    assert schemas["OrderPlaced.v2"]["status"] == "unchanged"


def test_wildcard_contract_does_not_pin_v1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    registered = {"OrderPlaced": [V1], "OrderPlaced.v2": [V2]}

    code, _ = gate(tmp_path, capsys, registered, {"OrderPlaced.v2": V2}, "com.example.orders@*")

    assert code == 0


def test_configured_naming_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "schemagate.toml").write_text('version_naming = "{name}V{version}"\n')
    contract = write_contract(tmp_path / "c.json", "billing", {"OrderPlaced": ["detail.total"]})
    registry = write_registry(tmp_path / "snapshot", {"OrderPlaced": [V1]})
    schemas = write_schemas(tmp_path / "schemas", {"OrderPlaced": V1, "OrderPlacedV2": V2})
    argv = ["check", str(schemas), "--registry", registry, "--contracts", f"file:{contract}"]

    code = main([*argv, "--config", str(tmp_path / "schemagate.toml"), "--format", "json"])

    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert {s["name"]: s["status"] for s in report["schemas"]}["OrderPlacedV2"] == "new"


@pytest.mark.parametrize(
    ("template", "name", "parsed", "following"),
    [
        ("{name}.v{version}", "OrderPlaced", ("OrderPlaced", 1), "OrderPlaced.v2"),
        ("{name}.v{version}", "OrderPlaced.v1", ("OrderPlaced", 1), "OrderPlaced.v2"),
        ("{name}.v{version}", "OrderPlaced.v12", ("OrderPlaced", 12), "OrderPlaced.v13"),
        ("{name}V{version}", "OrderPlacedV2", ("OrderPlaced", 2), "OrderPlacedV3"),
        ("{name}V{version}", "OrderPlacedV0", ("OrderPlacedV0", 1), "OrderPlacedV0V2"),
        ("{name}-v{version}", "a.b-v3", ("a.b", 3), "a.b-v4"),
    ],
)
def test_naming_rule_parses_and_spells(
    template: str, name: str, parsed: tuple[str, int], following: str
) -> None:
    naming = VersionNaming(template)

    assert naming.parse(name) == parsed
    assert naming.next_name(name) == following


@pytest.mark.parametrize("template", ["{name}", "v{version}-{name}", "{name}{version}{version}"])
def test_naming_rule_rejects_bad_template(template: str) -> None:
    with pytest.raises(ConfigError, match="invalid version_naming"):
        VersionNaming(template)
