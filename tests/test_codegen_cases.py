"""Bindings for hand-written cases: allOf, recursion, oneOf, nullable refs, names, hostile text."""

from __future__ import annotations

import importlib
import json
import sys
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from schemagate.codegen import build_package, write_package
from schemagate.codegen.sources import file_inputs
from tests.test_codegen_corpus import CASES, probe

CASE_NAMES = sorted(p.parent.name for p in CASES.glob("*/schema.json"))
PACKAGE = "case_events"
WEIRD = "\"\"\" ' ''' \\ \n import os; os.system('echo pwned') # \r\n}}{{ %s"


def load_events(case: str) -> dict[str, Any]:
    events: dict[str, Any] = json.loads((CASES / case / "events.json").read_text("utf-8"))
    return events


@pytest.fixture(scope="module")
def case_package(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    paths = [CASES / case / "schema.json" for case in CASE_NAMES]
    names = {str(path): path.parent.name for path in paths}
    out = tmp_path_factory.mktemp("cases") / PACKAGE
    files = build_package(file_inputs(paths, names, CASES))
    write_package(out, files)
    lock = json.loads(files["schemagate-codegen.lock"])
    modules = {
        entry["schema"]: name.removesuffix(".py")
        for name, entry in lock["files"].items()
        if "schema" in entry
    }
    return out, modules


@pytest.fixture
def imported(case_package: tuple[Path, dict[str, str]]) -> Iterator[Any]:
    out, _ = case_package
    sys.path.insert(0, str(out.parent))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(out.parent))


@pytest.mark.parametrize("case", CASE_NAMES)
def test_case_accepts_valid_and_rejects_invalid(
    case_package: tuple[Path, dict[str, str]], case: str
) -> None:
    out, modules = case_package
    events = load_events(case)
    report = probe(out, modules[case], case, events["valid"], events["invalid"])

    for event, result in zip(events["valid"], report["valid"], strict=True):
        assert result["ok"], (event, result)
    for event, result in zip(events["invalid"], report["invalid"], strict=True):
        assert not result["ok"], event
    # A schema without a fixed source or detail-type is in MODELS but not routable.
    routed = case if events.get("routed", True) else None
    assert report["routed"] == [routed] * len(events["valid"])


def test_unknown_event_type_raises_lookup_error(imported: Any) -> None:
    event = {"source": "com.example.unknown", "detail-type": "Order Shipped", "detail": {}}

    with pytest.raises(imported.UnknownEventError) as raised:
        imported.parse_event(event)
    assert isinstance(raised.value, LookupError)
    assert "'com.example.unknown'" in str(raised.value)
    assert "'Order Shipped'" in str(raised.value)


def test_allof_branch_requires_inherited_property(imported: Any) -> None:
    model = imported.MODELS["allof_required_branch"]
    detail = model.model_fields["detail"].annotation

    assert detail.model_fields["carrier"].is_required()
    assert detail.model_fields["order_id"].is_required()
    assert detail.model_fields["tracking_number"].is_required()


def test_discriminator_selects_branch_by_hyphenated_tag(imported: Any) -> None:
    event = load_events("discriminated_oneof")["valid"][1]
    parsed = imported.parse_event(event)

    assert type(parsed.detail.method).__name__ == "BankTransfer"
    assert parsed.detail.method.payment_type == "bank-transfer"
    assert parsed.model_dump(mode="json", by_alias=True, exclude_unset=True) == event


def test_nullable_reference_required_but_null(imported: Any) -> None:
    event = load_events("nullable_reference")["valid"][0]
    parsed = imported.parse_event(event)

    assert parsed.detail.billing_address is None
    assert parsed.detail.nickname is None
    assert type(parsed.detail).model_fields["billing_address"].is_required()
    assert type(parsed.detail).model_fields["nickname"].is_required()


def test_email_format_needs_no_extra_package(case_package: tuple[Path, dict[str, str]]) -> None:
    out, modules = case_package
    source = (out / f"{modules['nullable_reference']}.py").read_text("utf-8")

    assert "    email: StrictStr\n" in source
    assert "EmailStr" not in source
    assert "email_validator" not in source


def test_envelope_populates_by_field_name(imported: Any) -> None:
    model = imported.MODELS["allof_required_branch"]
    event = load_events("allof_required_branch")["valid"][0]
    by_name = {key.replace("-", "_"): value for key, value in event.items()}
    parsed = model.model_validate(by_name)

    assert parsed.detail_type == "Order Shipped"
    assert parsed.model_dump(mode="json", by_alias=True, exclude_unset=True) == event


def test_offsetless_time_parses_as_naive_datetime(imported: Any) -> None:
    event = load_events("allof_required_branch")["valid"][1]
    parsed = imported.parse_event(event)

    assert parsed.time.tzinfo is None
    assert parsed.time.isoformat() == "2026-01-15T10:30:00"


def test_component_names_become_distinct_classes(
    imported: Any, case_package: tuple[Path, dict[str, str]]
) -> None:
    _, modules = case_package
    module = importlib.import_module(f"{PACKAGE}.{modules['component_names']}")
    detail = module.AwsPartnerMongodbComTicketCreated

    assert module.AWSEvent.model_fields["detail"].annotation is detail
    assert detail.model_fields["class_"].alias == "class"
    assert detail.model_fields["field_model_dump"].alias == "model_dump"
    assert module.OrderItem.model_fields["name"].is_required()
    assert module.OrderItema0a48c.model_fields["sku"].is_required()
    assert module.OrderItem8b7a74.model_fields["code"].is_required()
    assert module.PriceUSD.model_fields["cents"].is_required()
    assert module.BaseModelModel.__mro__[1].__name__ == "BaseModel"


def test_pydantic_attribute_names_round_trip(imported: Any) -> None:
    model = imported.MODELS["pydantic_names"]
    event = load_events("pydantic_names")["valid"][0]
    parsed = model.model_validate(event)

    assert parsed.model_dump(mode="json", by_alias=True) == event
    assert model.model_fields["class_"].alias == "class"
    assert model.model_fields["model_config_"].alias == "model_config"
    assert model.model_fields["field_model_dump"].alias == "model_dump"
    assert parsed.datetime.year == 2026


def test_hostile_text_stays_plain_data(
    imported: Any, case_package: tuple[Path, dict[str, str]]
) -> None:
    out, modules = case_package
    module = importlib.import_module(f"{PACKAGE}.{modules['adversarial_text']}")
    fields = module.AdversarialText.model_fields
    source = (out / f"{modules['adversarial_text']}.py").read_text("utf-8")

    assert WEIRD in typing.get_args(fields["choice"].annotation)
    assert fields["note___"].alias == 'note"""'
    assert fields["note___"].description == WEIRD
    assert fields["with_default"].default == WEIRD
    assert "    injected: StrictStr | None = None\n" in source
    assert "os" not in vars(module)
    assert not any(line.lstrip().startswith("import os") for line in source.splitlines())
    assert "x-python" not in source.replace('"x-python-import"', "")
    assert imported.ROUTES[0][:2] == ("com.example.adversarial\\", 'Adversarial "Text"\n')
