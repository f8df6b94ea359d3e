"""Contracts derived from routing: event bus rules and pipe filters, read from moto."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from schemagate.cli import main
from schemagate.contracts.discover import consumer_name, discover_contracts
from schemagate.contracts.model import load_contract_file
from schemagate.contracts.patterns import leaf_types, read_pattern
from tests.contract_support import (
    changed,
    detail,
    order_placed,
    write_registry,
    write_schemas,
)

ACCOUNT = "123456789012"
QUEUE = f"arn:aws:sqs:us-east-1:{ACCOUNT}:billing-queue"
FUNCTION = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:invoicer:live"
ORDERS = {"source": ["com.example.orders"], "detail-type": ["OrderPlaced"]}


@pytest.mark.parametrize(
    ("matchers", "types"),
    [
        (["placed", "held"], {"string"}),
        ([5, 7.5], {"number"}),
        ([True], {"boolean"}),
        (["placed", None], {"string", "null"}),
        ([{"prefix": "C-"}], {"string"}),
        ([{"suffix": ".png"}], {"string"}),
        ([{"equals-ignore-case": "eur"}], {"string"}),
        ([{"wildcard": "a*b"}], {"string"}),
        ([{"cidr": "10.0.0.0/24"}], {"string"}),
        ([{"numeric": [">", 0, "<=", 5]}], {"number"}),
        ([{"anything-but": "cancelled"}], {"string"}),
        ([{"anything-but": ["cancelled", "held"]}], {"string"}),
        ([{"anything-but": [0, 1]}], {"number"}),
        ([{"anything-but": {"prefix": "test-"}}], {"string"}),
        ([{"exists": True}], None),
        ([{"prefix": "a"}, {"exists": True}], None),
    ],
)
def test_matcher_types(matchers: list[Any], types: set[str] | None) -> None:
    expected = frozenset(types) if types is not None else None

    assert leaf_types(matchers) == expected


def test_pattern_fields_and_selectors() -> None:
    pattern = {
        **ORDERS,
        "account": ["111122223333"],
        "detail": {
            "status": [{"anything-but": ["cancelled"]}],
            "customer": {"tier": ["gold"]},
            "coupon": [{"exists": False}],
            "$or": [{"total": [{"numeric": [">", 100]}]}, {"rush": [True]}],
        },
    }

    reading = read_pattern(pattern, "rule orders/r")

    assert reading.selectors == ("com.example.orders@OrderPlaced",)
    assert [(f.path.pointer, f.types) for f in reading.fields] == [
        ("/detail/customer/tier", frozenset({"string"})),
        ("/detail/rush", frozenset({"boolean"})),
        ("/detail/status", frozenset({"string"})),
        ("/detail/total", frozenset({"number"})),
    ]
    assert reading.fields[2].match == [{"anything-but": ["cancelled"]}]
    assert reading.fields[2].origin == "rule orders/r"


@pytest.mark.parametrize(
    ("pattern", "selectors"),
    [
        ({"detail-type": ["A", "B"]}, ("A", "B")),
        ({"source": ["s"]}, ("s@*",)),
        ({"source": [{"prefix": "com."}], "detail-type": ["A"]}, ("A",)),
        ({"detail": {"a": ["x"]}}, ("*",)),
        ({"source": ["s", "t"], "detail-type": ["A"]}, ("s@A", "t@A")),
    ],
)
def test_pattern_selectors(pattern: dict[str, Any], selectors: tuple[str, ...]) -> None:
    assert read_pattern(pattern, "r").selectors == selectors


@pytest.mark.parametrize(
    ("arn", "name"),
    [
        (QUEUE, "billing-queue"),
        (FUNCTION, "invoicer"),
        (f"arn:aws:states:us-east-1:{ACCOUNT}:stateMachine:fulfil", "fulfil"),
        (f"arn:aws:events:us-east-1:{ACCOUNT}:event-bus/partner bus", "partner-bus"),
        ("not-an-arn", "target-1"),
    ],
)
def test_consumer_name_from_arn(arn: str, name: str) -> None:
    assert consumer_name(arn, "target-1") == name


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, Any]]:
    """An `events` and a `pipes` client backed by moto, with one bus named `orders`."""
    # moto intercepts requests to the AWS endpoints, so the loopback endpoint that the
    # shared fixture sets for every test is removed here.
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        events = boto3.client("events", region_name="us-east-1")
        pipes = boto3.client("pipes", region_name="us-east-1")
        events.create_event_bus(Name="orders")
        yield events, pipes


def put_rule(events: Any, name: str, pattern: dict[str, Any], *targets: str) -> None:
    events.put_rule(Name=name, EventBusName="orders", EventPattern=json.dumps(pattern))
    events.put_targets(
        Rule=name,
        EventBusName="orders",
        Targets=[{"Id": f"t{i}", "Arn": arn} for i, arn in enumerate(targets)],
    )


def test_discover_contract_per_rule_target(aws: tuple[Any, Any]) -> None:
    events, _ = aws
    put_rule(events, "billing", {**ORDERS, "detail": {"total": [{"numeric": [">", 0]}]}}, QUEUE)
    put_rule(events, "fraud", {**ORDERS, "detail": {"customerId": [{"exists": True}]}}, FUNCTION)

    contracts = discover_contracts("orders", events)

    assert [c.consumer for c in contracts] == ["billing-queue", "invoicer"]
    billing = contracts[0].events
    assert [n.selector for n in billing] == ["com.example.orders@OrderPlaced"]
    assert [(f.path.pointer, f.types) for f in billing[0].fields] == [
        ("/detail/total", frozenset({"number"}))
    ]
    assert contracts[1].events[0].fields[0].types is None


def test_discover_merges_rules_of_one_target(aws: tuple[Any, Any]) -> None:
    events, _ = aws
    put_rule(events, "a", {**ORDERS, "detail": {"total": [{"numeric": [">", 0]}]}}, QUEUE)
    put_rule(events, "b", {**ORDERS, "detail": {"status": ["placed"]}}, QUEUE)

    contracts = discover_contracts("orders", events)

    assert len(contracts) == 1
    fields = [f.path.pointer for f in contracts[0].events[0].fields]
    assert fields == ["/detail/status", "/detail/total"]


def test_discover_reads_pipe_filters(aws: tuple[Any, Any]) -> None:
    events, pipes = aws
    put_rule(events, "billing", {**ORDERS, "detail": {"status": ["placed"]}}, QUEUE)
    filters = [{"Pattern": json.dumps({"body": {"detail": {"customerId": [{"prefix": "C-"}]}}})}]
    pipes.create_pipe(
        Name="invoicing",
        Source=QUEUE,
        Target=FUNCTION,
        RoleArn=f"arn:aws:iam::{ACCOUNT}:role/pipe",
        SourceParameters={"FilterCriteria": {"Filters": filters}},
    )
    pipes.create_pipe(
        Name="unrelated",
        Source=f"arn:aws:sqs:us-east-1:{ACCOUNT}:other",
        Target=FUNCTION,
        RoleArn=f"arn:aws:iam::{ACCOUNT}:role/pipe",
        SourceParameters={"FilterCriteria": {"Filters": filters}},
    )

    without = discover_contracts("orders", events)
    contracts = discover_contracts("orders", events, pipes)

    assert [c.consumer for c in without] == ["billing-queue"]
    assert [c.consumer for c in contracts] == ["billing-queue", "invoicer"]
    invoicer = contracts[1].events[0]
    assert invoicer.selector == "com.example.orders@OrderPlaced"
    assert [(f.path.pointer, f.origin) for f in invoicer.fields] == [
        ("/detail/customerId", "pipe invoicing")
    ]


def test_discover_unknown_bus_is_input_error(
    aws: tuple[Any, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["contract", "discover", "--bus", "missing"])

    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: bus missing:")
    assert len(err.strip().splitlines()) == 1


def test_rule_field_removed_by_producer_fails_check(
    aws: tuple[Any, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events, _ = aws
    pattern = {**ORDERS, "detail": {"status": [{"anything-but": ["cancelled"]}]}}
    put_rule(events, "billing", pattern, QUEUE)
    old = order_placed()
    new = changed(old)
    del detail(new)["properties"]["status"]
    detail(new)["required"].remove("status")
    registry = write_registry(tmp_path / "snapshot", {"OrderPlaced": [old]})
    schemas = write_schemas(tmp_path / "schemas", {"OrderPlaced": new})

    discovered = main(["contract", "discover", "--bus", "orders", "--out", str(tmp_path / "c")])
    capsys.readouterr()
    contract = load_contract_file(tmp_path / "c" / "billing-queue.contract.yaml")
    argv = ["check", str(schemas), "--registry", registry, "--contracts", f"file:{tmp_path / 'c'}"]
    checked = main([*argv, "--format", "json"])
    report = json.loads(capsys.readouterr().out)

    contract_findings = [
        f for f in report["schemas"][0]["findings"] if f["rule"].startswith("contract-")
    ]
    assert discovered == 0
    assert contract.consumer == "billing-queue"
    assert checked == 1
    assert [f["rule"] for f in contract_findings] == ["contract-field-removed"]
    assert "consumer 'billing-queue'" in contract_findings[0]["message"]


def test_anything_but_field_retyped_fails_check(
    aws: tuple[Any, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events, _ = aws
    pattern = {**ORDERS, "detail": {"status": [{"anything-but": ["cancelled", "held"]}]}}
    put_rule(events, "billing", pattern, QUEUE)
    old = order_placed()
    new = changed(old)
    detail(new)["properties"]["status"] = {"type": "integer", "enum": [1, 2, 3]}
    registry = write_registry(tmp_path / "snapshot", {"OrderPlaced": [old]})
    schemas = write_schemas(tmp_path / "schemas", {"OrderPlaced": new})
    main(["contract", "discover", "--bus", "orders", "--out", str(tmp_path / "c")])
    capsys.readouterr()

    code = main(
        ["check", str(schemas), "--registry", registry, "--contracts", f"file:{tmp_path / 'c'}",
         "--mode", "none", "--format", "json"]
    )  # fmt: skip

    report = json.loads(capsys.readouterr().out)
    retyped = [
        f for f in report["schemas"][0]["findings"] if f["rule"] == "contract-field-retyped"
    ]
    assert code == 1
    assert len(retyped) == 1
    assert retyped[0]["witnesses"][0]["instance"]["detail"]["status"] in (1, 2, 3)


def test_discover_keeps_existing_files(
    aws: tuple[Any, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events, _ = aws
    put_rule(events, "billing", {**ORDERS, "detail": {"status": ["placed"]}}, QUEUE)
    out = tmp_path / "c"
    out.mkdir()
    (out / "billing-queue.contract.yaml").write_text("hand-written\n")

    refused = main(["contract", "discover", "--bus", "orders", "--out", str(out)])
    kept = (out / "billing-queue.contract.yaml").read_text()
    forced = main(["contract", "discover", "--bus", "orders", "--out", str(out), "--force"])

    assert refused == 2
    assert "--force" in capsys.readouterr().err
    assert kept == "hand-written\n"
    assert forced == 0
    assert load_contract_file(out / "billing-queue.contract.yaml").consumer == "billing-queue"


def test_discover_prints_json_without_out(
    aws: tuple[Any, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    events, _ = aws
    put_rule(events, "billing", {**ORDERS, "detail": {"status": ["placed"]}}, QUEUE)

    code = main(["contract", "discover", "--bus", "orders"])

    printed = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [c["consumer"] for c in printed] == ["billing-queue"]
    assert printed[0]["events"]["com.example.orders@OrderPlaced"]["fields"][0]["match"] == [
        "placed"
    ]


def test_discover_reads_aws_region(
    aws: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    events, _ = aws
    put_rule(events, "billing", {"detail-type": ["OrderPlaced"]}, QUEUE)
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    monkeypatch.setenv("AWS_REGION", "us-east-1")

    code = main(["contract", "discover", "--bus", "orders"])

    assert code == 0, capsys.readouterr().err


def test_discover_without_region_exits_2(
    aws: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    monkeypatch.delenv("AWS_REGION", raising=False)

    code = main(["contract", "discover", "--bus", "orders"])

    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: events client: no AWS region configured")
