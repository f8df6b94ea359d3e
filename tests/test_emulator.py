"""The emulator through the real boto3 `schemas` client over loopback HTTP."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from schemagate.cli import main
from tests.conftest import (
    emulator_requests,
    make_schemas_client,
    read_emulator_url,
    running_emulator,
    stop_emulator,
)


def _document(marker: int) -> str:
    return json.dumps({"type": "object", "properties": {"n": {"const": marker}}})


def _error_code(error: pytest.ExceptionInfo[ClientError]) -> str:
    return str(error.value.response["Error"]["Code"])


def _status(error: pytest.ExceptionInfo[ClientError]) -> int:
    return int(error.value.response["ResponseMetadata"]["HTTPStatusCode"])


def test_create_describe_round_trip(schemas_client: Any, registry_name: str) -> None:
    created = schemas_client.create_schema(
        RegistryName=registry_name,
        SchemaName="orders@OrderPlaced",
        Type="JSONSchemaDraft4",
        Content=_document(1),
        Description="first",
    )
    described = schemas_client.describe_schema(
        RegistryName=registry_name, SchemaName="orders@OrderPlaced"
    )

    assert created["SchemaVersion"] == "1"
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert described["Content"] == _document(1)
    assert described["Type"] == "JSONSchemaDraft4"
    assert described["Description"] == "first"
    assert described["SchemaVersion"] == "1"
    assert described["SchemaArn"].endswith(f":schema/{registry_name}/orders@OrderPlaced")
    assert described["VersionCreatedDate"] == created["VersionCreatedDate"]


def test_name_with_slash_round_trips(schemas_client: Any, registry_name: str) -> None:
    schemas_client.create_schema(
        RegistryName=registry_name, SchemaName="a/b.c", Type="OpenApi3", Content="{}"
    )

    described = schemas_client.describe_schema(RegistryName=registry_name, SchemaName="a/b.c")

    assert described["SchemaName"] == "a/b.c"
    assert described["Content"] == "{}"


def test_versions_count_up_as_integers(schemas_client: Any, registry_name: str) -> None:
    schemas_client.create_schema(
        RegistryName=registry_name, SchemaName="s", Type="OpenApi3", Content=_document(1)
    )
    numbers = [
        schemas_client.update_schema(
            RegistryName=registry_name, SchemaName="s", Content=_document(marker)
        )["SchemaVersion"]
        for marker in range(2, 12)
    ]
    listed = [
        row["SchemaVersion"]
        for page in schemas_client.get_paginator("list_schema_versions").paginate(
            RegistryName=registry_name, SchemaName="s", PaginationConfig={"PageSize": 4}
        )
        for row in page["SchemaVersions"]
    ]
    latest = schemas_client.describe_schema(RegistryName=registry_name, SchemaName="s")

    assert numbers == [str(n) for n in range(2, 12)]
    assert listed == [str(n) for n in range(1, 12)]
    assert latest["SchemaVersion"] == "11"
    assert latest["Content"] == _document(11)


def test_describe_specific_version(schemas_client: Any, registry_name: str) -> None:
    schemas_client.create_schema(
        RegistryName=registry_name, SchemaName="s", Type="OpenApi3", Content=_document(1)
    )
    schemas_client.update_schema(RegistryName=registry_name, SchemaName="s", Content=_document(2))

    first = schemas_client.describe_schema(
        RegistryName=registry_name, SchemaName="s", SchemaVersion="1"
    )

    assert first["SchemaVersion"] == "1"
    assert first["Content"] == _document(1)
    assert first["LastModified"] > first["VersionCreatedDate"]


def test_superscript_version_not_found(schemas_client: Any, registry_name: str) -> None:
    schemas_client.create_schema(
        RegistryName=registry_name, SchemaName="s", Type="OpenApi3", Content=_document(1)
    )
    with pytest.raises(schemas_client.exceptions.NotFoundException) as error:
        schemas_client.describe_schema(
            RegistryName=registry_name, SchemaName="s", SchemaVersion="\u00b2"
        )
    assert _status(error) == 404


def test_create_existing_name_conflicts(schemas_client: Any, registry_name: str) -> None:
    schemas_client.create_schema(
        RegistryName=registry_name, SchemaName="s", Type="OpenApi3", Content="{}"
    )

    with pytest.raises(schemas_client.exceptions.ConflictException) as error:
        schemas_client.create_schema(
            RegistryName=registry_name, SchemaName="s", Type="OpenApi3", Content='{"a": 1}'
        )

    assert _status(error) == 409
    versions = schemas_client.list_schema_versions(RegistryName=registry_name, SchemaName="s")
    assert len(versions["SchemaVersions"]) == 1


def test_unchanged_update_rejected(schemas_client: Any, registry_name: str) -> None:
    schemas_client.create_schema(
        RegistryName=registry_name, SchemaName="s", Type="OpenApi3", Content=_document(1)
    )

    with pytest.raises(schemas_client.exceptions.BadRequestException) as error:
        schemas_client.update_schema(
            RegistryName=registry_name, SchemaName="s", Type="OpenApi3", Content=_document(1)
        )

    assert _status(error) == 400
    assert "no change since the previous version" in str(error.value)
    latest = schemas_client.describe_schema(RegistryName=registry_name, SchemaName="s")
    assert latest["SchemaVersion"] == "1"


def test_type_change_creates_version(schemas_client: Any, registry_name: str) -> None:
    schemas_client.create_schema(
        RegistryName=registry_name, SchemaName="s", Type="OpenApi3", Content="{}"
    )

    updated = schemas_client.update_schema(
        RegistryName=registry_name, SchemaName="s", Type="JSONSchemaDraft4"
    )

    assert updated["SchemaVersion"] == "2"
    assert updated["Type"] == "JSONSchemaDraft4"


def test_revert_creates_new_version(schemas_client: Any, registry_name: str) -> None:
    schemas_client.create_schema(
        RegistryName=registry_name, SchemaName="s", Type="OpenApi3", Content=_document(1)
    )
    schemas_client.update_schema(RegistryName=registry_name, SchemaName="s", Content=_document(2))

    reverted = schemas_client.update_schema(
        RegistryName=registry_name, SchemaName="s", Content=_document(1)
    )

    assert reverted["SchemaVersion"] == "3"
    third = schemas_client.describe_schema(
        RegistryName=registry_name, SchemaName="s", SchemaVersion="3"
    )
    assert third["Content"] == _document(1)


@pytest.mark.parametrize(
    ("operation", "arguments"),
    [
        ("describe_registry", {"RegistryName": "no-such-registry"}),
        ("list_schemas", {"RegistryName": "no-such-registry"}),
        ("describe_schema", {"RegistryName": "no-such-registry", "SchemaName": "s"}),
        ("describe_schema", {"RegistryName": "{registry}", "SchemaName": "missing"}),
        (
            "describe_schema",
            {"RegistryName": "{registry}", "SchemaName": "s", "SchemaVersion": "99"},
        ),
        (
            "update_schema",
            {"RegistryName": "{registry}", "SchemaName": "missing", "Content": "{}"},
        ),
        ("list_schema_versions", {"RegistryName": "{registry}", "SchemaName": "missing"}),
        (
            "delete_schema_version",
            {"RegistryName": "{registry}", "SchemaName": "s", "SchemaVersion": "99"},
        ),
        ("delete_schema", {"RegistryName": "{registry}", "SchemaName": "missing"}),
        (
            "create_schema",
            {
                "RegistryName": "no-such-registry",
                "SchemaName": "s",
                "Type": "OpenApi3",
                "Content": "{}",
            },
        ),
    ],
)
def test_unknown_names_not_found(
    schemas_client: Any, registry_name: str, operation: str, arguments: dict[str, str]
) -> None:
    schemas_client.create_schema(
        RegistryName=registry_name, SchemaName="s", Type="OpenApi3", Content="{}"
    )
    resolved = {
        key: value.replace("{registry}", registry_name) for key, value in arguments.items()
    }

    with pytest.raises(schemas_client.exceptions.NotFoundException) as error:
        getattr(schemas_client, operation)(**resolved)

    assert _status(error) == 404
    assert _error_code(error) == "NotFoundException"


@pytest.mark.parametrize(
    "arguments",
    [
        {"Type": "Avro", "Content": "{}"},
        {"Type": "OpenApi3", "Content": "x" * 100_001},
        {"Type": "OpenApi3", "Content": "{}", "Description": "d" * 257},
    ],
    ids=["unknown-type", "content-too-long", "description-too-long"],
)
def test_invalid_create_rejected(
    schemas_client: Any, registry_name: str, arguments: dict[str, str]
) -> None:
    with pytest.raises(schemas_client.exceptions.BadRequestException):
        schemas_client.create_schema(RegistryName=registry_name, SchemaName="s", **arguments)

    listed = schemas_client.list_schemas(RegistryName=registry_name)
    assert listed["Schemas"] == []


def test_content_at_maximum_length_accepted(schemas_client: Any, registry_name: str) -> None:
    content = "x" * 100_000

    schemas_client.create_schema(
        RegistryName=registry_name, SchemaName="s", Type="OpenApi3", Content=content
    )

    described = schemas_client.describe_schema(RegistryName=registry_name, SchemaName="s")
    assert described["Content"] == content


def test_list_schemas_paginates(schemas_client: Any, registry_name: str) -> None:
    names = [f"schema-{n:02d}" for n in range(25)]
    for name in reversed(names):
        schemas_client.create_schema(
            RegistryName=registry_name, SchemaName=name, Type="OpenApi3", Content="{}"
        )
    schemas_client.update_schema(RegistryName=registry_name, SchemaName="schema-03", Content="[]")

    pages = list(
        schemas_client.get_paginator("list_schemas").paginate(
            RegistryName=registry_name, PaginationConfig={"PageSize": 10}
        )
    )
    rows = [row for page in pages for row in page["Schemas"]]

    assert [len(page["Schemas"]) for page in pages] == [10, 10, 5]
    assert "NextToken" not in pages[-1]
    assert [row["SchemaName"] for row in rows] == names
    counts = {row["SchemaName"]: row["VersionCount"] for row in rows}
    assert counts["schema-03"] == 2
    assert counts["schema-04"] == 1
    assert all(row["SchemaArn"].endswith("/" + row["SchemaName"]) for row in rows)
    assert all("LastModified" in row for row in rows)


def test_list_schemas_filters_prefix(schemas_client: Any, registry_name: str) -> None:
    for name in ("orders@Placed", "orders@Shipped", "payments@Taken"):
        schemas_client.create_schema(
            RegistryName=registry_name, SchemaName=name, Type="OpenApi3", Content="{}"
        )

    listed = schemas_client.list_schemas(RegistryName=registry_name, SchemaNamePrefix="orders@")

    assert [row["SchemaName"] for row in listed["Schemas"]] == ["orders@Placed", "orders@Shipped"]


def test_invalid_next_token_rejected(schemas_client: Any, registry_name: str) -> None:
    with pytest.raises(schemas_client.exceptions.BadRequestException):
        schemas_client.list_schemas(RegistryName=registry_name, NextToken="not-a-token")


def test_registries_listed_and_deleted(schemas_client: Any, registry_name: str) -> None:
    described = schemas_client.describe_registry(RegistryName=registry_name)
    listed = schemas_client.list_registries(RegistryNamePrefix=registry_name)

    schemas_client.delete_registry(RegistryName=registry_name)

    assert described["RegistryName"] == registry_name
    assert [row["RegistryName"] for row in listed["Registries"]] == [registry_name]
    with pytest.raises(schemas_client.exceptions.NotFoundException):
        schemas_client.describe_registry(RegistryName=registry_name)


def test_create_existing_registry_conflicts(schemas_client: Any, registry_name: str) -> None:
    with pytest.raises(schemas_client.exceptions.ConflictException):
        schemas_client.create_registry(RegistryName=registry_name)


def test_delete_version_keeps_numbering(schemas_client: Any, registry_name: str) -> None:
    schemas_client.create_schema(
        RegistryName=registry_name, SchemaName="s", Type="OpenApi3", Content=_document(1)
    )
    schemas_client.update_schema(RegistryName=registry_name, SchemaName="s", Content=_document(2))

    schemas_client.delete_schema_version(
        RegistryName=registry_name, SchemaName="s", SchemaVersion="2"
    )
    after_delete = schemas_client.describe_schema(RegistryName=registry_name, SchemaName="s")
    added = schemas_client.update_schema(
        RegistryName=registry_name, SchemaName="s", Content=_document(3)
    )
    listed = schemas_client.list_schema_versions(RegistryName=registry_name, SchemaName="s")

    assert after_delete["SchemaVersion"] == "1"
    assert added["SchemaVersion"] == "3"
    assert [row["SchemaVersion"] for row in listed["SchemaVersions"]] == ["1", "3"]
    with pytest.raises(schemas_client.exceptions.NotFoundException):
        schemas_client.describe_schema(
            RegistryName=registry_name, SchemaName="s", SchemaVersion="2"
        )


def test_delete_schema_removes_it(schemas_client: Any, registry_name: str) -> None:
    schemas_client.create_schema(
        RegistryName=registry_name, SchemaName="s", Type="OpenApi3", Content="{}"
    )

    schemas_client.delete_schema(RegistryName=registry_name, SchemaName="s")

    assert schemas_client.list_schemas(RegistryName=registry_name)["Schemas"] == []
    recreated = schemas_client.create_schema(
        RegistryName=registry_name, SchemaName="s", Type="OpenApi3", Content="{}"
    )
    assert recreated["SchemaVersion"] == "1"


def test_db_file_persists_across_restarts(tmp_path: Path) -> None:
    db = tmp_path / "state.sqlite"
    with running_emulator("--db", str(db)) as url:
        client = make_schemas_client(url)
        client.create_registry(RegistryName="kept")
        client.create_schema(
            RegistryName="kept", SchemaName="s", Type="OpenApi3", Content=_document(1)
        )
        client.update_schema(RegistryName="kept", SchemaName="s", Content=_document(2))

    with running_emulator("--db", str(db)) as url:
        client = make_schemas_client(url)
        described = client.describe_schema(RegistryName="kept", SchemaName="s")
        added = client.update_schema(RegistryName="kept", SchemaName="s", Content=_document(3))

    assert described["SchemaVersion"] == "2"
    assert described["Content"] == _document(2)
    assert added["SchemaVersion"] == "3"


def test_memory_state_ends_with_process() -> None:
    with running_emulator() as url:
        make_schemas_client(url).create_registry(RegistryName="gone")

    with running_emulator() as url, pytest.raises(ClientError) as error:
        make_schemas_client(url).describe_registry(RegistryName="gone")

    assert _error_code(error) == "NotFoundException"


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["term", "int"])
def test_emulator_stops_on_signal(stop_signal: signal.Signals) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "schemagate", "-v", "emulator", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = read_emulator_url(process)
        make_schemas_client(url).list_registries()
        os.kill(process.pid, stop_signal)
        _, stderr = process.communicate(timeout=10)
    finally:
        stop_emulator(process)

    assert url.startswith("http://127.0.0.1:")
    assert process.returncode == 0
    assert '"GET /v1/registries HTTP/1.1" 200' in stderr
    assert f"emulator on {url} stopped" in stderr
    assert "Traceback" not in stderr


def test_list_registries_paginates(schemas_client: Any) -> None:
    names = [f"paged-registry-{n}" for n in range(5)]
    for name in names:
        schemas_client.create_registry(RegistryName=name)

    pages = list(
        schemas_client.get_paginator("list_registries").paginate(
            RegistryNamePrefix="paged-registry-", PaginationConfig={"PageSize": 2}
        )
    )

    assert [len(page["Registries"]) for page in pages] == [2, 2, 1]
    assert [row["RegistryName"] for page in pages for row in page["Registries"]] == names


@pytest.mark.parametrize("limit", ["0", "-1", "ten"])
def test_invalid_limit_rejected(emulator_url: str, registry_name: str, limit: str) -> None:
    url = f"{emulator_url}/v1/registries/name/{registry_name}/schemas"
    with urllib.request.urlopen(url, timeout=5) as control:
        # The same request without the limit succeeds, so the limit alone causes the 400.
        assert control.status == 200

    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(f"{url}?limit={limit}", timeout=5)

    assert error.value.code == 400
    assert error.value.headers["x-amzn-ErrorType"] == "BadRequestException"
    error.value.close()


def test_fault_option_throttles_named_operation() -> None:
    with running_emulator("--fault", "throttle@ListSchemas", "--fault-seed", "3") as url:
        client = make_schemas_client(url)
        client.create_registry(RegistryName="r")
        with pytest.raises(ClientError) as error:
            client.list_schemas(RegistryName="r")
        described = client.describe_registry(RegistryName="r")
        counts = emulator_requests(url)

    assert _error_code(error) == "TooManyRequestsException"
    assert _status(error) == 429
    assert described["RegistryName"] == "r"
    assert counts == {"CreateRegistry": 1, "DescribeRegistry": 1, "ListSchemas": 1}


@pytest.mark.parametrize("fault", ["flood", "throttle:1.5", "stale:first=x", "error@"])
def test_invalid_fault_option_rejected(fault: str) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "schemagate", "emulator", "--fault", fault],
        capture_output=True,
        text=True,
        timeout=30,
    )

    assert completed.returncode == 2
    assert (
        f"invalid fault {fault!r}" in completed.stderr or "invalid fault rate" in completed.stderr
    )
    assert "Traceback" not in completed.stderr


def test_fault_rate_is_reproducible_per_seed() -> None:
    from schemagate.emulator.faults import FaultInjector, parse_fault
    from schemagate.emulator.wire import Request, Response

    def outcomes(seed: int) -> list[int]:
        injector = FaultInjector([parse_fault("error:0.5")], seed=seed)
        return [
            injector(
                Request("GET", ("v1", "registries", "name", f"r{n}")), lambda _: Response(200)
            ).status
            for n in range(40)
        ]

    first, again, other = outcomes(1), outcomes(1), outcomes(2)

    assert first == again
    assert first != other
    assert 5 < first.count(500) < 35


def test_db_in_missing_folder_rejected(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "missing" / "state.sqlite"

    code = main(["emulator", "--db", str(db)])

    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert captured.err == (
        f"error: cannot open --db {db}: folder {db.parent} does not exist; create it or "
        "choose a path in an existing folder\n"
    )


def test_db_not_sqlite_rejected(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "schema.json"
    db.write_text('{"type": "object"}\n')

    code = main(["emulator", "--db", str(db)])

    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert captured.err == (
        f"error: cannot open --db {db}: file is not a database; pass a new file name, or a "
        "file that an earlier `schemagate emulator --db` run wrote\n"
    )
    assert db.read_text() == '{"type": "object"}\n'


def test_registry_option_creates_registries(tmp_path: Path) -> None:
    db = tmp_path / "state.sqlite"
    with running_emulator("--db", str(db), "--registry", "orders", "--registry", "billing") as url:
        client = make_schemas_client(url)
        client.create_schema(
            RegistryName="orders", SchemaName="s", Type="OpenApi3", Content=_document(1)
        )

    with running_emulator("--db", str(db), "--registry", "orders") as url:
        client = make_schemas_client(url)
        names = [row["RegistryName"] for row in client.list_registries()["Registries"]]
        described = client.describe_schema(RegistryName="orders", SchemaName="s")

    assert sorted(names) == ["billing", "orders"]
    assert described["SchemaVersion"] == "1"


def test_empty_registry_option_rejected(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["emulator", "--registry", ""])

    assert code == 2
    assert "--registry" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("address", "loopback"),
    [("127.0.0.1", True), ("::1", True), ("localhost", True), ("0.0.0.0", False), ("::", False)],
)
def test_non_loopback_host_detected(address: str, loopback: bool) -> None:
    from schemagate.cli.emulator import _loopback

    assert _loopback(address) is loopback


def test_wildcard_address_printed_as_loopback_url() -> None:
    from schemagate.emulator.server import create_server

    server, _ = create_server("127.0.0.1", 0, ":memory:", 100, [])
    try:
        port = server.server_address[1]
        # Only the recorded address changes; the socket stays on loopback.
        server.server_address = ("0.0.0.0", port)
        assert server.url == f"http://127.0.0.1:{port}"
    finally:
        server.server_close()
