"""`schemagate contract verify` against a folder snapshot: the consumer's view of its contract."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from schemagate.cli import main
from tests.contract_support import changed, detail, order_placed, write_contract, write_registry


def verify(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    versions: list[dict[str, Any]],
    fields: list[Any],
    *extra: str,
) -> tuple[int, list[dict[str, Any]]]:
    registry = write_registry(tmp_path / "snapshot", {"OrderPlaced": versions})
    contract = write_contract(tmp_path / "c.json", "billing", {"OrderPlaced": fields})
    argv = ["contract", "verify", str(contract), "--registry", registry, "--format", "json"]
    code = main([*argv, *extra])
    report = json.loads(capsys.readouterr().out)
    return code, report["results"]


def test_declared_type_outside_contract(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, results = verify(
        tmp_path, capsys, [order_placed()], [{"path": "detail.total", "type": "integer"}]
    )

    [result] = results
    [finding] = result["findings"]
    assert code == 1
    assert finding["rule"] == "contract-field-type-mismatch"
    assert finding["severity"] == "warning"
    assert finding["new_pointer"] == "/components/schemas/OrderPlaced/properties/total"
    assert "as integer" in finding["message"]


def test_number_contract_accepts_integer_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = order_placed()
    detail(document)["properties"]["total"] = {"type": "integer"}

    code, results = verify(
        tmp_path, capsys, [document], [{"path": "detail.total", "type": "number"}]
    )

    assert code == 0
    assert results[0]["findings"] == []


def test_all_versions_checks_older_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = order_placed()
    second = changed(first)
    detail(second)["properties"]["couponCode"] = {"type": "string"}

    latest_code, latest = verify(tmp_path / "a", capsys, [first, second], ["detail.couponCode"])
    all_code, every = verify(
        tmp_path / "b", capsys, [first, second], ["detail.couponCode"], "--all-versions"
    )

    assert latest_code == 0
    assert [r["version"] for r in latest] == ["2"]
    assert all_code == 1
    assert [(r["version"], [f["rule"] for f in r["findings"]]) for r in every] == [
        ("1", ["contract-field-unknown"]),
        ("2", []),
    ]


def test_text_names_schema_version(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    registry = write_registry(tmp_path / "snapshot", {"OrderPlaced": [order_placed()]})
    fields = [{"path": "detail.total", "type": "integer"}]
    contract = write_contract(tmp_path / "c.json", "billing", {"OrderPlaced": fields})

    code = main(["contract", "verify", str(contract), "--registry", registry])

    lines = capsys.readouterr().out.splitlines()
    problems = [line.strip() for line in lines if "contract-field-type-mismatch" in line]
    assert code == 1
    assert len(problems) == 1
    assert problems[0].startswith(
        "OrderPlaced@1: /components/schemas/OrderPlaced/properties/total: warning:"
    )
    assert str(contract) not in problems[0]


def test_type_mismatch_says_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, results = verify(
        tmp_path, capsys, [order_placed()], [{"path": "detail.giftMessage", "type": "boolean"}]
    )

    [finding] = results[0]["findings"]
    assert code == 1
    assert finding["message"].endswith("as boolean, but the schema only allows string there")


def test_wildcard_unknown_field_needs_no_declaration(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shipped = order_placed("OrderShipped")
    detail(shipped)["properties"]["carrier"] = {"type": "string"}
    registry = write_registry(
        tmp_path / "snapshot", {"OrderPlaced": [order_placed()], "OrderShipped": [shipped]}
    )
    fields = ["detail.carrier", "detail.nowhere"]
    contract = write_contract(tmp_path / "c.json", "shipping", {"com.example.orders@*": fields})
    argv = ["contract", "verify", str(contract), "--registry", registry, "--format", "json"]

    code = main(argv)
    results = json.loads(capsys.readouterr().out)["results"]

    unknown = sorted(
        (result["schema"], finding["message"].split(" reads field ")[1].split(",")[0])
        for result in results
        for finding in result["findings"]
    )
    assert code == 1
    assert unknown == [("OrderPlaced", "/detail/nowhere"), ("OrderShipped", "/detail/nowhere")]
