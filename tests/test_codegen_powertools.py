"""Generated bindings with Powertools for AWS Lambda's EventBridge parser."""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from schemagate.codegen import SchemaInput, build_package, write_package
from schemagate.load import load_file
from tests.test_codegen_corpus import CASES

powertools_parser = pytest.importorskip("aws_lambda_powertools.utilities.parser")
PACKAGE = "powertools_events"


@pytest.fixture(scope="module")
def bindings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    path = CASES / "allof_required_branch" / "schema.json"
    out = tmp_path_factory.mktemp("powertools") / PACKAGE
    write_package(out, build_package([SchemaInput("OrderShipped", load_file(path), path="x")]))
    sys.path.insert(0, str(out.parent))
    try:
        yield importlib.import_module(f"{PACKAGE}.order_shipped")
    finally:
        sys.path.remove(str(out.parent))


def event() -> dict[str, Any]:
    events = json.loads((CASES / "allof_required_branch" / "events.json").read_text("utf-8"))
    first: dict[str, Any] = events["valid"][0]
    return first


def test_detail_class_parses_through_envelope(bindings: Any) -> None:
    from aws_lambda_powertools.utilities.parser import envelopes

    detail = powertools_parser.parse(
        event=event(), model=bindings.OrderShipped, envelope=envelopes.EventBridgeEnvelope
    )

    assert isinstance(detail, bindings.OrderShipped)
    assert detail.tracking_number == "1Z999"


def test_envelope_fields_match_powertools_model(bindings: Any) -> None:
    from aws_lambda_powertools.utilities.parser.models import EventBridgeModel

    ours = bindings.AWSEvent.model_fields
    theirs = EventBridgeModel.model_fields

    for name, field in theirs.items():
        if name in ("detail", "replay_name"):
            continue
        assert name in ours, name
        assert ours[name].alias == field.alias, name
    assert ours["time"].annotation is datetime


def test_envelope_dumps_like_powertools(bindings: Any) -> None:
    from aws_lambda_powertools.utilities.parser.models import EventBridgeModel

    ours = bindings.AWSEvent.model_validate(event()).model_dump(mode="json", by_alias=True)
    theirs = EventBridgeModel.model_validate(event()).model_dump(
        mode="json", by_alias=True, exclude={"replay_name"}
    )

    assert ours == theirs
