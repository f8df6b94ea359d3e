"""`schemagate check` with consumer contracts: fields a contract reads stay readable."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from schemagate.cli import main
from schemagate.modes import Mode
from tests.contract_support import (
    DETAIL_POINTER,
    changed,
    detail,
    order_placed,
    write_contract,
    write_registry,
    write_schemas,
)
from tests.support import reader_validator


def check(
    tmp_path: Path,
    registered: dict[str, list[dict[str, Any]]],
    local: dict[str, dict[str, Any]],
    contracts: Path | None,
    capsys: pytest.CaptureFixture[str],
    *extra: str,
) -> tuple[int, dict[str, Any]]:
    registry = write_registry(tmp_path / "snapshot", registered)
    schemas = write_schemas(tmp_path / "schemas", local)
    where = f"file:{contracts}" if contracts is not None else "none"
    argv = ["check", str(schemas), "--registry", registry, "--contracts", where]
    code = main([*argv, "--format", "json", *extra])
    return code, json.loads(capsys.readouterr().out)


def schema_report(report: dict[str, Any], name: str) -> dict[str, Any]:
    found = [s for s in report["schemas"] if s["name"] == name]
    assert len(found) == 1, report
    return found[0]


def renamed_gift_message() -> tuple[dict[str, Any], dict[str, Any]]:
    old = order_placed()
    new = changed(old)
    detail(new)["properties"]["giftNote"] = detail(new)["properties"].pop("giftMessage")
    return old, new


@pytest.mark.parametrize("mode", [m.value for m in Mode])
@pytest.mark.parametrize("policy", [[], ["--strict"]], ids=["tolerant", "strict"])
def test_renamed_optional_field_fails_under_every_mode(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], mode: str, policy: list[str]
) -> None:
    old, new = renamed_gift_message()
    contract = write_contract(
        tmp_path / "billing.yaml", "billing", {"OrderPlaced": ["detail.giftMessage"]}
    )

    code, report = check(
        tmp_path, {"OrderPlaced": [old]}, {"OrderPlaced": new}, contract, capsys,
        "--mode", mode, *policy,
    )  # fmt: skip

    schema = schema_report(report, "OrderPlaced")
    removed = [f for f in schema["findings"] if f["rule"] == "contract-field-removed"]
    assert code == 1
    assert schema["status"] == "breaking"
    assert len(removed) == 1
    assert removed[0]["severity"] == "error"
    assert removed[0]["old_pointer"] == DETAIL_POINTER[1:] + "/properties/giftMessage"
    assert removed[0]["new_pointer"] is None
    assert "consumer 'billing'" in removed[0]["message"]


def test_renamed_optional_field_passes_without_contract(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = renamed_gift_message()

    code, report = check(tmp_path, {"OrderPlaced": [old]}, {"OrderPlaced": new}, None, capsys)

    rules = {f["rule"] for f in schema_report(report, "OrderPlaced")["findings"]}
    assert code == 0
    assert "property-possibly-renamed" in rules
    assert not any(rule.startswith("contract-") for rule in rules)


def test_removed_field_witness_lacks_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = renamed_gift_message()
    contract = write_contract(
        tmp_path / "billing.json", "billing", {"OrderPlaced": ["/detail/giftMessage"]}
    )

    _, report = check(tmp_path, {"OrderPlaced": [old]}, {"OrderPlaced": new}, contract, capsys)

    finding = next(
        f
        for f in schema_report(report, "OrderPlaced")["findings"]
        if f["rule"] == "contract-field-removed"
    )
    event = finding["witnesses"][0]["instance"]
    assert finding["breaks"] == ["forward"]
    assert reader_validator(new, tolerant=True).is_valid(event)
    assert "giftMessage" not in event["detail"]


def test_retyped_field_fails_with_witness(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = order_placed()
    new = changed(old)
    detail(new)["properties"]["total"] = {"type": ["number", "string"]}
    field = {"path": "detail.total", "type": "number"}
    contract = write_contract(tmp_path / "c.json", "ledger", {"OrderPlaced": [field]})

    code, report = check(
        tmp_path, {"OrderPlaced": [old]}, {"OrderPlaced": new}, contract, capsys,
        "--mode", "none",
    )  # fmt: skip

    findings = schema_report(report, "OrderPlaced")["findings"]
    retyped = [f for f in findings if f["rule"] == "contract-field-retyped"]
    assert code == 1
    assert len(retyped) == 1
    assert retyped[0]["new_pointer"] == DETAIL_POINTER[1:] + "/properties/total"
    assert "may now be string" in retyped[0]["message"]
    witness = retyped[0]["witnesses"][0]["instance"]
    assert isinstance(witness["detail"]["total"], str)
    assert reader_validator(new, tolerant=True).is_valid(witness)


def test_untyped_contract_field_retyped_by_widening(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = order_placed()
    new = changed(old)
    detail(new)["properties"]["orderId"] = {"type": ["string", "integer"]}
    contract = write_contract(tmp_path / "c.json", "ledger", {"OrderPlaced": ["detail.orderId"]})

    code, report = check(tmp_path, {"OrderPlaced": [old]}, {"OrderPlaced": new}, contract, capsys)

    rules = [f["rule"] for f in schema_report(report, "OrderPlaced")["findings"]]
    assert code == 1
    assert rules.count("contract-field-retyped") == 1


def test_field_made_optional_fails_under_backward(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = order_placed()
    new = changed(old)
    detail(new)["required"].remove("customerId")
    contract = write_contract(tmp_path / "c.json", "crm", {"OrderPlaced": ["detail.customerId"]})

    code, report = check(
        tmp_path, {"OrderPlaced": [old]}, {"OrderPlaced": new}, contract, capsys,
        "--mode", "backward",
    )  # fmt: skip

    findings = schema_report(report, "OrderPlaced")["findings"]
    optional = [f for f in findings if f["rule"] == "contract-field-optional"]
    assert code == 1
    assert len(optional) == 1
    assert "consumer 'crm'" in optional[0]["message"]
    assert "customerId" not in optional[0]["witnesses"][0]["instance"]["detail"]


def test_field_inside_array_items_is_found(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = order_placed()
    new = changed(old)
    items = detail(new)["properties"]["items"]["items"]
    items["properties"]["quantity"] = {"type": "string"}
    contract = write_contract(
        tmp_path / "c.json",
        "warehouse",
        {"OrderPlaced": [{"path": "detail.items[].quantity", "type": "integer"}]},
    )

    code, report = check(
        tmp_path, {"OrderPlaced": [old]}, {"OrderPlaced": new}, contract, capsys,
        "--mode", "none",
    )  # fmt: skip

    retyped = [
        f
        for f in schema_report(report, "OrderPlaced")["findings"]
        if f["rule"] == "contract-field-retyped"
    ]
    assert code == 1
    assert len(retyped) == 1
    assert retyped[0]["new_pointer"].endswith("/items/items/properties/quantity")


def test_unknown_field_warns_without_failing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = order_placed()
    contract = write_contract(tmp_path / "c.json", "crm", {"OrderPlaced": ["detail.nickname"]})

    code, report = check(tmp_path, {"OrderPlaced": [old]}, {"OrderPlaced": old}, contract, capsys)

    findings = schema_report(report, "OrderPlaced")["findings"]
    assert code == 0
    assert [(f["rule"], f["severity"]) for f in findings] == [
        ("contract-field-unknown", "warning")
    ]


@pytest.mark.parametrize(
    "selector",
    ["OrderPlaced", "com.example.orders@OrderPlaced", "com.example.orders@*", "*"],
)
def test_selectors_name_the_event_type(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], selector: str
) -> None:
    old, new = renamed_gift_message()
    contract = write_contract(tmp_path / "c.json", "billing", {selector: ["detail.giftMessage"]})

    code, _ = check(tmp_path, {"Orders": [old]}, {"Orders": new}, contract, capsys)

    assert code == 1


def test_selector_for_other_source_is_ignored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = renamed_gift_message()
    contract = write_contract(
        tmp_path / "c.json", "billing", {"com.example.payments@*": ["detail.giftMessage"]}
    )

    code, _ = check(tmp_path, {"OrderPlaced": [old]}, {"OrderPlaced": new}, contract, capsys)

    assert code == 0


def test_detail_only_schema_reads_detail_paths(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "type": "object",
        "properties": {"paymentId": {"type": "string"}, "note": {"type": "string"}},
    }
    new = changed(old)
    del new["properties"]["note"]
    contract = write_contract(tmp_path / "c.json", "audit", {"PaymentCaptured": ["detail.note"]})

    code, report = check(
        tmp_path, {"PaymentCaptured": [old]}, {"PaymentCaptured": new}, contract, capsys
    )

    rules = [f["rule"] for f in schema_report(report, "PaymentCaptured")["findings"]]
    assert code == 1
    assert "contract-field-removed" in rules


def test_contract_paths_resolve_by_origin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = renamed_gift_message()
    project = tmp_path / "project"
    registry = write_registry(project / "snapshot", {"OrderPlaced": [old]})
    schemas = write_schemas(project / "schemas", {"OrderPlaced": new})
    config = project / "schemagate.toml"
    config.write_text('contracts = "file:contracts"\n', encoding="utf-8")
    write_contract(project / "contracts" / "a.json", "billing", {"*": ["detail.giftMessage"]})
    write_contract(tmp_path / "here.json", "audit", {"*": ["detail.giftMessage"]})
    monkeypatch.chdir(tmp_path)
    argv = ["check", str(schemas), "--registry", registry, "--config", str(config)]

    configured = main([*argv, "--format", "json"])
    configured_report = capsys.readouterr().out
    given = main([*argv, "--contracts", "file:here.json", "--format", "json"])
    given_report = capsys.readouterr().out

    assert configured == 1
    assert "consumer 'billing'" in configured_report
    assert given == 1
    assert "consumer 'audit'" in given_report
    assert "consumer 'billing'" not in given_report


@pytest.mark.parametrize("into_folder", [False, True])
def test_output_spares_contract_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], into_folder: bool
) -> None:
    old, new = renamed_gift_message()
    registry = write_registry(tmp_path / "snapshot", {"OrderPlaced": [old]})
    schemas = write_schemas(tmp_path / "schemas", {"OrderPlaced": new})
    contract = write_contract(
        tmp_path / "contracts" / "billing.json", "billing", {"*": ["detail.giftMessage"]}
    )
    before = contract.read_text(encoding="utf-8")
    location = contract.parent if into_folder else contract
    target = contract.parent / "report.json" if into_folder else contract
    argv = ["check", str(schemas), "--registry", registry, "--contracts", f"file:{location}"]

    code = main([*argv, "--output", f"json={target}"])
    err = capsys.readouterr().err

    assert code == 2
    assert f"invalid --output path {target}" in err
    assert contract.read_text(encoding="utf-8") == before
    assert not (contract.parent / "report.json").exists()


@pytest.mark.parametrize("selector", ["com.example.orders@*", "*"])
def test_wildcard_unknown_field_not_warned(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], selector: str
) -> None:
    # A rule on every event type of a source reads fields only some types declare.
    old = order_placed()
    contract = write_contract(tmp_path / "c.json", "shipping", {selector: ["detail.carrier"]})

    code, report = check(tmp_path, {"OrderPlaced": [old]}, {"OrderPlaced": old}, contract, capsys)

    assert code == 0
    assert schema_report(report, "OrderPlaced")["findings"] == []
