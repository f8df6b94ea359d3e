"""EventBridgeRegistry against the emulator, and the RegistryError messages it raises."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from schemagate.cli import main
from schemagate.errors import ConflictError, InputError, RegistryError
from schemagate.registry.base import WritableRegistry
from schemagate.registry.eventbridge import EventBridgeRegistry
from tests.conftest import make_schemas_client, running_emulator

SECRET_KEY = "fakeSecretKeyValue0123456789"


def _registry(url: str, name: str) -> EventBridgeRegistry:
    return EventBridgeRegistry(name, make_schemas_client(url))


def test_registry_satisfies_protocol(emulator_url: str, registry_name: str) -> None:
    registry = _registry(emulator_url, registry_name)

    assert isinstance(registry, WritableRegistry)
    assert registry.uri == f"eventbridge:{registry_name}"


def test_create_update_and_read(emulator_url: str, registry_name: str) -> None:
    registry = _registry(emulator_url, registry_name)

    created = registry.create_schema("s", "JSONSchemaDraft4", '{"a": 1}', description="one")
    updated = registry.update_schema("s", "JSONSchemaDraft4", '{"a": 2}')
    latest = registry.get_version("s")
    first = registry.get_version("s", "1")

    assert created.version == "1"
    assert created.description == "one"
    assert updated.version == "2"
    assert latest is not None
    assert latest.version == "2"
    assert latest.content == '{"a": 2}'
    assert latest.created is not None
    assert latest.created.endswith("Z")
    assert first is not None
    assert first.content == '{"a": 1}'
    assert first.type == "JSONSchemaDraft4"


def test_reads_every_page(tmp_path: Path) -> None:
    with running_emulator("--page-size", "3") as url:
        client = make_schemas_client(url)
        client.create_registry(RegistryName="paged")
        registry = _registry(url, "paged")
        for n in range(8):
            registry.create_schema(f"s{n}", "OpenApi3", "{}")
        for n in range(2, 12):
            registry.update_schema("s0", "OpenApi3", json.dumps({"n": n}))

        summaries = registry.list_schemas()
        versions = registry.list_versions("s0")

    assert [summary.name for summary in summaries] == [f"s{n}" for n in range(8)]
    assert summaries[0].version_count == 11
    assert versions == [str(n) for n in range(1, 12)]


def test_absent_schema_returns_none(emulator_url: str, registry_name: str) -> None:
    registry = _registry(emulator_url, registry_name)
    registry.create_schema("s", "OpenApi3", "{}")

    assert registry.get_version("missing") is None
    assert registry.get_version("s", "7") is None
    assert registry.list_versions("missing") == []


@pytest.mark.parametrize("call", ["get_version", "list_versions", "list_schemas"])
def test_unknown_registry_raises(emulator_url: str, call: str) -> None:
    registry = _registry(emulator_url, "no-such-registry")
    arguments = [] if call == "list_schemas" else ["s"]

    with pytest.raises(RegistryError) as error:
        getattr(registry, call)(*arguments)

    assert "eventbridge:no-such-registry" in str(error.value)
    assert "registry 'no-such-registry' not found in us-east-1 for this account" in str(
        error.value
    )


def test_create_existing_raises_conflict(emulator_url: str, registry_name: str) -> None:
    registry = _registry(emulator_url, registry_name)
    registry.create_schema("s", "OpenApi3", "{}")

    with pytest.raises(ConflictError) as error:
        registry.create_schema("s", "OpenApi3", "[]")

    assert error.value.operation == "CreateSchema"
    assert "'s' already exists" in str(error.value)


def test_unchanged_update_raises(emulator_url: str, registry_name: str) -> None:
    registry = _registry(emulator_url, registry_name)
    registry.create_schema("s", "OpenApi3", "{}")

    with pytest.raises(RegistryError) as error:
        registry.update_schema("s", "OpenApi3", "{}")

    assert not isinstance(error.value, ConflictError)
    assert "BadRequestException" in str(error.value)
    assert "no change since the previous version" in str(error.value)


def test_update_missing_schema_raises(emulator_url: str, registry_name: str) -> None:
    registry = _registry(emulator_url, registry_name)

    with pytest.raises(RegistryError) as error:
        registry.update_schema("missing", "OpenApi3", "{}")

    assert "schema 'missing' not found" in str(error.value)


def test_endpoint_from_environment(
    emulator_url: str, registry_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_SCHEMAS", emulator_url)
    _registry(emulator_url, registry_name).create_schema("s", "OpenApi3", "{}")

    registry = EventBridgeRegistry(registry_name)

    assert [summary.name for summary in registry.list_schemas()] == ["s"]


class _ThrottlingHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    requests_seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.requests_seen.append(self.path)
        body = b'{"Code": "TooManyRequestsException", "Message": "Rate exceeded"}'
        self.send_response(429)
        self.send_header("x-amzn-ErrorType", "TooManyRequestsException")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def throttling_url() -> Iterator[str]:
    """URL of a loopback server that responds to every request with 429."""
    _ThrottlingHandler.requests_seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ThrottlingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_throttling_after_bounded_retries(
    throttling_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_SCHEMAS", throttling_url)
    registry = EventBridgeRegistry("busy", max_attempts=2)

    with pytest.raises(RegistryError) as error:
        registry.list_schemas()

    assert len(_ThrottlingHandler.requests_seen) == 2
    assert "throttled (TooManyRequestsException) after 2 attempt(s)" in str(error.value)
    assert "ListSchemas failed" in str(error.value)


def test_unreachable_endpoint_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    closed_port_url = _closed_port_url()
    monkeypatch.setenv("AWS_ENDPOINT_URL_SCHEMAS", closed_port_url)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    registry = EventBridgeRegistry("any", max_attempts=2)

    started = time.monotonic()
    with pytest.raises(RegistryError) as error:
        registry.get_version("s")
    elapsed = time.monotonic() - started

    assert f"cannot connect to {closed_port_url} after 2 attempt(s)" in str(error.value)
    assert "DescribeSchema failed" in str(error.value)
    assert SECRET_KEY not in str(error.value)
    # A generous bound: after a connection error botocore 1.44's standard mode waits
    # a fraction of a second before the next attempt.
    assert elapsed < 10


def test_missing_credentials_raise(emulator_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_SCHEMAS", emulator_url)
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name)
    registry = EventBridgeRegistry("any")

    with pytest.raises(RegistryError) as error:
        registry.list_schemas()

    assert "no AWS credentials found" in str(error.value)
    assert "eventbridge:any" in str(error.value)


def test_missing_region_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION")

    with pytest.raises(RegistryError) as error:
        EventBridgeRegistry("any")

    assert "no AWS region configured" in str(error.value)
    assert "set AWS_REGION, AWS_DEFAULT_REGION" in str(error.value)
    assert "create client failed" in str(error.value)


def test_region_from_aws_region(
    emulator_url: str, registry_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_ENDPOINT_URL_SCHEMAS", emulator_url)
    _registry(emulator_url, registry_name).create_schema("s", "OpenApi3", "{}")

    registry = EventBridgeRegistry(registry_name)

    assert registry._region() == "eu-west-1"
    assert [summary.name for summary in registry.list_schemas()] == ["s"]


def test_default_region_wins_over_aws_region(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_REGION", "eu-west-1")

    registry = EventBridgeRegistry("any")

    assert registry._region() == "us-east-1"


def _closed_port_url() -> str:
    # Bind and release a port: nothing listens there afterwards, so connections are refused.
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = server.server_address[1]
    server.server_close()
    return f"http://127.0.0.1:{port}"


class _HtmlHandler(BaseHTTPRequestHandler):
    """Reply 200 with an HTML page, as a captive portal or a misrouted proxy does."""

    protocol_version = "HTTP/1.1"
    requests_seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.requests_seen.append(self.path)
        body = b"<html><body>Sign in to the network</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_non_json_reply_is_not_an_empty_listing(monkeypatch: pytest.MonkeyPatch) -> None:
    _HtmlHandler.requests_seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _HtmlHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        monkeypatch.setenv(
            "AWS_ENDPOINT_URL_SCHEMAS", f"http://127.0.0.1:{server.server_address[1]}"
        )
        registry = EventBridgeRegistry("any")
        with pytest.raises(RegistryError) as error:
            registry.list_schemas()
    finally:
        server.shutdown()
        server.server_close()
        thread.join()

    assert error.value.operation == "ListSchemas"
    assert "reply was cut off or incomplete in all 3 attempt(s)" in error.value.problem
    assert len(_HtmlHandler.requests_seen) == 3


@pytest.mark.parametrize("value", ["0", "-1", "soon"])
def test_invalid_read_timeout_rejected(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("SCHEMAGATE_READ_TIMEOUT_SECONDS", value)

    with pytest.raises(InputError) as error:
        EventBridgeRegistry("any")

    assert str(error.value) == (
        f"invalid SCHEMAGATE_READ_TIMEOUT_SECONDS {value!r}; use a positive number of seconds"
    )


@pytest.mark.parametrize("variable", ["AWS_ENDPOINT_URL_SCHEMAS", "AWS_ENDPOINT_URL"])
def test_invalid_endpoint_url_rejected(monkeypatch: pytest.MonkeyPatch, variable: str) -> None:
    monkeypatch.delenv("AWS_ENDPOINT_URL_SCHEMAS", raising=False)
    monkeypatch.setenv(variable, "not-a-url")

    with pytest.raises(InputError) as error:
        EventBridgeRegistry("any")

    assert str(error.value) == (
        f"invalid endpoint URL 'not-a-url' in {variable}; set it to a URL such as "
        "http://127.0.0.1:8080, or unset it to use the AWS endpoint"
    )


def test_invalid_endpoint_url_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_SCHEMAS", "not-a-url")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "Placed.json").write_text(
        '{"$schema": "http://json-schema.org/draft-04/schema#", "type": "object"}'
    )

    code = main(["check", "--registry", "eventbridge:orders"])

    stderr = capsys.readouterr().err
    assert code == 2
    assert "invalid endpoint URL 'not-a-url' in AWS_ENDPOINT_URL_SCHEMAS" in stderr
    assert "internal error" not in stderr
