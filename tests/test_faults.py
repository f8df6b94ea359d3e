"""The gate against an emulator that injects faults: bounded retries, then exit 3.

Every fault is limited to one operation, so the registry can be set up through the
others. With `RATE` 1 every attempt fails, and the run must end with one `error:` line
that names the registry and the failed call. With `first=1` only the first attempt of
each request fails, and the run must pass.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from schemagate.cli import main
from schemagate.errors import EXIT_OK, EXIT_REGISTRY, RegistryError
from schemagate.registry.cached import CachedEventBridgeRegistry
from schemagate.registry.eventbridge import EventBridgeRegistry
from tests.conftest import emulator_requests, make_schemas_client, serving_emulator

REGISTRY = "faulty"
SCHEMAS = 3
ATTEMPTS = 3
DOCUMENT = {"$schema": "http://json-schema.org/draft-04/schema#", "type": "object"}

# Fault, the operation it hits, and the words the error line must contain.
FAULTS = [
    ("throttle", "ListSchemas", "throttled (TooManyRequestsException) after 3 attempt(s)"),
    ("throttle", "DescribeSchema", "throttled (TooManyRequestsException) after 3 attempt(s)"),
    ("error", "DescribeSchema", "InternalServerErrorException (HTTP 500)"),
    ("unavailable", "ListSchemas", "ServiceUnavailableException (HTTP 503)"),
    ("slow", "DescribeSchema", "timed out waiting for a reply from http://127.0.0.1:"),
    ("stale", "DescribeSchema", "but ListSchemas counted 2 version(s) in all 3 attempt(s)"),
    ("truncate", "ListSchemas", "reply was cut off or incomplete in all 3 attempt(s)"),
    ("truncate", "DescribeSchema", "reply was cut off or incomplete in all 3 attempt(s)"),
]


def _populate(url: str, local: Path) -> None:
    client = make_schemas_client(url)
    client.create_registry(RegistryName=REGISTRY)
    local.mkdir()
    for n in range(SCHEMAS):
        name = f"s{n}"
        client.create_schema(
            RegistryName=REGISTRY, SchemaName=name, Type="JSONSchemaDraft4", Content="{}"
        )
        # A second version, so a stale read has an older version to return.
        client.update_schema(RegistryName=REGISTRY, SchemaName=name, Content=json.dumps(DOCUMENT))
        (local / f"{name}.json").write_text(json.dumps(DOCUMENT), encoding="utf-8")


def _gate(url: str, local: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setenv("AWS_ENDPOINT_URL_SCHEMAS", url)
    monkeypatch.setenv("SCHEMAGATE_READ_TIMEOUT_SECONDS", "0.3")
    return main(["check", "--registry", f"eventbridge:{REGISTRY}", str(local)])


@pytest.mark.parametrize(("kind", "operation", "problem"), FAULTS, ids=lambda v: str(v)[:12])
def test_fault_fails_closed(
    kind: str,
    operation: str,
    problem: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: Any,
) -> None:
    with serving_emulator(f"{kind}@{operation}", slow_ms=1000) as url:
        _populate(url, tmp_path / "schemas")
        code = _gate(url, tmp_path / "schemas", monkeypatch)
        calls = emulator_requests(url)

    captured = capsys.readouterr()
    assert code == EXIT_REGISTRY
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: registry eventbridge:{REGISTRY}: {operation} failed: ")
    assert problem in lines[0]
    # Every failed request was tried exactly ATTEMPTS times and never more.
    if operation == "ListSchemas":
        assert calls[operation] == ATTEMPTS
    else:
        assert calls[operation] % ATTEMPTS == 0
        assert ATTEMPTS <= calls[operation] <= ATTEMPTS * SCHEMAS


@pytest.mark.parametrize(("kind", "operation", "problem"), FAULTS, ids=lambda v: str(v)[:12])
def test_fault_recovers_after_retry(
    kind: str,
    operation: str,
    problem: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: Any,
) -> None:
    with serving_emulator(f"{kind}:first=1@{operation}", slow_ms=1000) as url:
        _populate(url, tmp_path / "schemas")
        code = _gate(url, tmp_path / "schemas", monkeypatch)
        calls = emulator_requests(url)

    captured = capsys.readouterr()
    assert code == EXIT_OK, captured.err
    assert "gate passed (3 unchanged" in captured.out
    expected = 2 if operation == "ListSchemas" else 2 * SCHEMAS
    assert calls[operation] == expected


def test_stale_version_read_fails_closed(tmp_path: Path) -> None:
    with serving_emulator("stale@DescribeSchema") as url:
        _populate(url, tmp_path / "schemas")
        remote = EventBridgeRegistry(REGISTRY, make_schemas_client(url))
        registry = CachedEventBridgeRegistry(remote, cache_root=tmp_path / "cache")
        registry.list_schemas()
        with pytest.raises(RegistryError) as error:
            registry.get_version("s0", "2")
        calls = emulator_requests(url)

    assert error.value.operation == "DescribeSchema"
    assert error.value.problem == (
        "stale read: version 2 of 's0' was requested and version 1 returned "
        "in all 3 attempt(s); retry later"
    )
    assert calls["DescribeSchema"] == ATTEMPTS
