"""Contract files: the accepted format, field paths, and one-line errors for bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemagate.cli import main
from schemagate.contracts.locate import selector_matches
from schemagate.contracts.model import load_contract_file
from schemagate.contracts.paths import ITEMS, parse_field_path
from schemagate.errors import InputError
from schemagate.load.document import load_text

VALID = """\
format_version: 1
consumer: billing
description: Invoices orders.
events:
  OrderPlaced:
    fields:
      - detail.orderId
      - path: /detail/total
        type: number
      - path: detail.items[].sku
        type: [string, "null"]
"""


def write(tmp_path: Path, text: str, name: str = "contract.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_yaml_contract(tmp_path: Path) -> None:
    contract = load_contract_file(write(tmp_path, VALID))

    assert contract.consumer == "billing"
    assert contract.description == "Invoices orders."
    [needs] = contract.events
    assert needs.selector == "OrderPlaced"
    assert [f.path.tokens for f in needs.fields] == [
        ("detail", "orderId"),
        ("detail", "total"),
        ("detail", "items", ITEMS, "sku"),
    ]
    assert [f.types for f in needs.fields] == [
        None,
        frozenset({"number"}),
        frozenset({"string", "null"}),
    ]


def test_contract_round_trips_through_data(tmp_path: Path) -> None:
    from schemagate.contracts.model import contract_from_data

    contract = load_contract_file(write(tmp_path, VALID))

    again = contract_from_data(contract.to_data(), "copy")

    assert again.events == contract.events
    assert again.consumer == contract.consumer


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (VALID.replace("format_version: 1", "format_version: 2"), "at format_version: 1 was"),
        (VALID.replace("consumer: billing", "consumer: bill@ing"), "consumer name 'bill@ing'"),
        (VALID.replace("consumer: billing\n", ""), "'consumer' is a required property"),
        (VALID.replace("type: number", "type: float"), "fields[1].type: type 'float' is invalid"),
        (VALID.replace("- detail.orderId", "- 42"), "fields[0]: 42 is not a field"),
        (VALID.replace("description:", "descripton:"), "'descripton' was unexpected"),
        (VALID.replace("- detail.orderId", "- detail..orderId"), "invalid segment ''"),
        (VALID.replace("/detail/total", "/detail//total"), "empty segment"),
        ("format_version: 1\nconsumer: a\nevents: {}\n", "at events:"),
        ("format_version: 1\nconsumer: a\nevents:\n  X:\n    fields: []\n", "fields"),
        ("- a\n", "invalid contract at the top level"),
    ],
)
def test_invalid_contract_names_the_value(tmp_path: Path, text: str, words: str) -> None:
    path = write(tmp_path, text)

    with pytest.raises(InputError) as caught:
        load_contract_file(path)

    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert words in message
    assert "\n" not in message


def test_missing_contract_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["contract", "verify", str(tmp_path / "absent.yaml"), "--registry", "dir:x"])

    err = capsys.readouterr().err
    assert code == 2
    assert "absent.yaml not found" in err


def test_default_contract_file_missing_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    code = main(["contract", "publish", "--registry", "dir:x"])

    assert code == 2
    assert "no schemagate-contract.yaml here" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("detail.orderId", ("detail", "orderId")),
        ("$.detail.orderId", ("detail", "orderId")),
        ("/detail/a~1b/c~0d", ("detail", "a/b", "c~d")),
        ("detail.lines[].price", ("detail", "lines", ITEMS, "price")),
        ("detail.grid[][]", ("detail", "grid", ITEMS, ITEMS)),
        ("/detail/lines/*/price", ("detail", "lines", ITEMS, "price")),
        ("detail-type", ("detail-type",)),
    ],
)
def test_field_path_forms(text: str, tokens: tuple[str, ...]) -> None:
    assert parse_field_path(text).tokens == tokens


@pytest.mark.parametrize("text", ["", "$.", "a..b", "a.b[x]", "/a//b"])
def test_field_path_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_field_path(text)


JSON_SCHEMA_EVENT = """{
  "type": "object",
  "properties": {
    "source": {"const": "com.example.payments"},
    "detail-type": {"enum": ["PaymentCaptured"]},
    "detail": {"type": "object"}
  }
}"""


@pytest.mark.parametrize(
    ("selector", "name", "matches"),
    [
        ("*", "Anything", True),
        ("Payments", "Payments", True),
        ("PaymentCaptured", "Payments", True),
        ("com.example.payments@PaymentCaptured", "Payments", True),
        ("com.example.payments@*", "Payments", True),
        ("com.example.orders@*", "Payments", False),
        ("com.example.payments@PaymentFailed", "Payments", False),
        ("PaymentFailed", "Payments", False),
    ],
)
def test_selector_matching(selector: str, name: str, matches: bool) -> None:
    document = load_text(JSON_SCHEMA_EVENT, "payments.json")

    assert selector_matches(selector, name, document) is matches
