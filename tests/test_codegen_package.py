"""The generated package as text: determinism, names, headers, the lock file and writes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from schemagate.codegen import (
    LOCK_NAME,
    SchemaInput,
    build_package,
    compare_package,
    write_package,
)
from schemagate.codegen.naming import assign_class_names, class_base_name, module_base_name
from schemagate.codegen.sources import parse_spec
from schemagate.errors import DocumentError, InputError
from schemagate.load import load_text
from tests.test_codegen_corpus import CASES

SCHEMA = json.loads((CASES / "component_names" / "schema.json").read_text("utf-8"))


def reversed_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: reversed_keys(value[key]) for key in reversed(list(value))}
    if isinstance(value, list):
        return [reversed_keys(item) for item in value]
    return value


def package_from(document: dict[str, Any], name: str = "TicketCreated") -> dict[str, str]:
    parsed = load_text(json.dumps(document), f"{name}.json")
    return build_package([SchemaInput(name, parsed, registry="dir:snapshot", version="3")])


def class_names(source: str) -> set[str]:
    return set(re.findall(r"^class (\w+)\(", source, flags=re.MULTILINE))


def test_output_identical_across_runs_and_key_order() -> None:
    first = package_from(SCHEMA)
    second = package_from(SCHEMA)
    shuffled = package_from(reversed_keys(SCHEMA))

    assert first == second
    assert first == shuffled


def test_class_names_survive_added_components() -> None:
    grown = json.loads(json.dumps(SCHEMA))
    grown["components"]["schemas"]["Aardvark"] = {"type": "object"}
    grown["components"]["schemas"]["Order.Item"] = {"type": "object"}
    before = class_names(package_from(SCHEMA)["ticket_created.py"])
    after = class_names(package_from(grown)["ticket_created.py"])

    assert "OrderItema0a48c" in before
    assert before <= after
    assert after - before == {"Aardvark", f"OrderItem{_suffix('Order.Item')}"}


def test_inline_class_names_survive_added_definitions() -> None:
    inline = {"type": "object", "properties": {"sku": {"type": "string"}}}
    document = {"type": "object", "title": "OrderPlaced", "properties": {"item": inline}}
    grown = {**document, "definitions": {"Item": {"type": "object"}}}
    grown["properties"] = {**document["properties"], "other": {"$ref": "#/definitions/Item"}}
    before = class_names(package_from(document, "OrderPlaced")["order_placed.py"])
    after = class_names(package_from(grown, "OrderPlaced")["order_placed.py"])

    assert before == {"OrderPlaced", "OrderPlacedItem"}
    assert after == {"OrderPlaced", "OrderPlacedItem", "Item"}


def _suffix(name: str) -> str:
    import hashlib

    return hashlib.sha256(name.encode()).hexdigest()[:6]


def test_header_names_origin_without_timestamp() -> None:
    source = package_from(SCHEMA)["ticket_created.py"]
    header = source.split("\n\n", 1)[0]

    assert '# registry: "dir:snapshot"' in header
    assert '# schema: "TicketCreated"' in header
    assert '# version: "3"' in header
    assert re.search(r"^# content sha256: [0-9a-f]{64}$", header, flags=re.MULTILINE)
    assert not re.search(r"\d{4}-\d\d-\d\d", source)


def test_lock_records_every_module() -> None:
    files = package_from(SCHEMA)
    lock = json.loads(files[LOCK_NAME])
    entry = lock["files"]["ticket_created.py"]

    assert sorted(lock["files"]) == ["__init__.py", "ticket_created.py"]
    assert entry["registry"] == "dir:snapshot"
    assert entry["schema"] == "TicketCreated"
    assert entry["version"] == "3"
    assert re.fullmatch(r"[0-9a-f]{64}", entry["content_sha256"])
    assert entry["sha256"] != lock["files"]["__init__.py"]["sha256"]
    assert lock["generator"] == "datamodel-code-generator 0.97.0"


def test_dangling_reference_is_input_error() -> None:
    broken = json.loads(json.dumps(SCHEMA))
    broken["components"]["schemas"]["AWSEvent"]["properties"]["detail"]["$ref"] = (
        "#/components/schemas/Missing"
    )
    with pytest.raises(DocumentError, match="dangling reference"):
        package_from(broken)


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("aws.partner/mongodb.com/Ticket.Created", "AwsPartnerMongodbComTicketCreated"),
        ("Price$USD", "PriceUSD"),
        ("order-item", "OrderItem"),
        ("2fa", "Schema2fa"),
        ("class", "Class"),
        ("BaseModel", "BaseModelModel"),
        ("None", "NoneModel"),
        ("$", "Schema"),
    ],
)
def test_class_base_name(original: str, expected: str) -> None:
    assert class_base_name(original) == expected


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        (
            "aws.ec2@EC2InstanceStateChangeNotification",
            "aws_ec2_ec2_instance_state_change_notification",
        ),
        ("OrderPlaced", "order_placed"),
        ("import", "import_schema"),
        ("parse_event", "parse_event_schema"),
        ("1st-event", "schema_1st_event"),
    ],
)
def test_module_base_name(original: str, expected: str) -> None:
    assert module_base_name(original) == expected


def test_colliding_names_keep_exact_spelling() -> None:
    names = assign_class_names(["OrderItem", "Order-Item", "Order_Item"])

    assert names["OrderItem"] == "OrderItem"
    assert names["Order-Item"] == f"OrderItem{_suffix('Order-Item')}"
    assert names["Order_Item"] == f"OrderItem{_suffix('Order_Item')}"


@pytest.mark.parametrize(
    ("text", "name", "version"),
    [
        ("OrderPlaced", "OrderPlaced", None),
        ("OrderPlaced@2", "OrderPlaced", "2"),
        (
            "aws.ec2@EC2InstanceStateChangeNotification",
            "aws.ec2@EC2InstanceStateChangeNotification",
            None,
        ),
        (
            "aws.ec2@EC2InstanceStateChangeNotification@7",
            "aws.ec2@EC2InstanceStateChangeNotification",
            "7",
        ),
    ],
)
def test_schema_spec_parses(text: str, name: str, version: str | None) -> None:
    spec = parse_spec(text)

    assert spec.name == name
    assert spec.version == version


@pytest.mark.parametrize("text", ["", "@3", "OrderPlaced@", "OrderPlaced@0"])
def test_schema_spec_rejects(text: str) -> None:
    with pytest.raises(InputError, match="invalid --schema"):
        parse_spec(text)


def test_write_leaves_foreign_files_alone(tmp_path: Path) -> None:
    out = tmp_path / "events"
    out.mkdir()
    (out / "README.md").write_text("mine\n")
    result = write_package(out, package_from(SCHEMA))

    assert result.foreign == ["README.md"]
    assert (out / "README.md").read_text() == "mine\n"
    assert sorted(result.written) == ["__init__.py", LOCK_NAME, "ticket_created.py"]
    assert not list(tmp_path.glob(".events.*"))


def test_write_refuses_to_replace_unowned_file(tmp_path: Path) -> None:
    out = tmp_path / "events"
    out.mkdir()
    (out / "ticket_created.py").write_text("# hand-written\n")

    with pytest.raises(InputError, match="schemagate did not write it"):
        write_package(out, package_from(SCHEMA))
    assert (out / "ticket_created.py").read_text() == "# hand-written\n"
    assert not (out / "__init__.py").exists()


def test_write_removes_modules_no_longer_generated(tmp_path: Path) -> None:
    out = tmp_path / "events"
    write_package(out, package_from(SCHEMA, "TicketCreated"))
    result = write_package(out, package_from(SCHEMA, "TicketOpened"))

    assert result.removed == ["ticket_created.py"]
    assert not (out / "ticket_created.py").exists()
    assert (out / "ticket_opened.py").is_file()


def test_rewrite_of_same_input_changes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "events"
    write_package(out, package_from(SCHEMA))
    result = write_package(out, package_from(SCHEMA))

    assert result.written == []
    assert sorted(result.unchanged) == ["__init__.py", LOCK_NAME, "ticket_created.py"]


def test_compare_lists_changed_missing_and_stale(tmp_path: Path) -> None:
    out = tmp_path / "events"
    write_package(out, package_from(SCHEMA, "TicketCreated"))
    (out / "__init__.py").write_text("# edited\n")
    files = package_from(SCHEMA, "TicketOpened")
    problems = {item.name: item.problem for item in compare_package(out, files)}

    assert problems == {
        "__init__.py": "edited since schemagate wrote it; move the changes out first",
        LOCK_NAME: "out of date",
        "ticket_opened.py": "missing",
        "ticket_created.py": "no longer generated",
    }


def test_output_identical_across_hash_seeds(tmp_path: Path) -> None:
    paths = []
    for case in ("component_names", "pydantic_names"):
        path = tmp_path / f"{case}.json"
        path.write_bytes((CASES / case / "schema.json").read_bytes())
        paths.append(str(path))
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"seed{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        command = [sys.executable, "-m", "schemagate", "-q", "codegen", *paths, "--out", str(out)]
        completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        assert completed.returncode == 0, completed.stderr
        outputs.append({path.name: path.read_bytes() for path in sorted(out.iterdir())})

    assert outputs[0] == outputs[1]
    assert len(outputs[0]) == 4


def test_long_module_name_is_cut_with_hash() -> None:
    first = module_base_name("com.example." + "x" * 290 + "@OrderPlaced")
    second = module_base_name("com.example." + "x" * 290 + "@OrderShipped")
    assert len(first) <= 120
    assert first != second
    assert first.isidentifier()
