"""Shared fixtures: fake AWS settings and the schemagate emulator over loopback HTTP."""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

STARTUP_TIMEOUT_SECONDS = 20
STOP_TIMEOUT_SECONDS = 10
# The discard port: nothing listens there, so a test that sets no endpoint fails fast
# on loopback instead of reaching AWS.
UNREACHABLE_ENDPOINT = "http://127.0.0.1:9"

FAKE_AWS_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_ENDPOINT_URL": UNREACHABLE_ENDPOINT,
    # botocore and urllib would send even loopback requests through a configured proxy.
    "NO_PROXY": "127.0.0.1,localhost",
    "no_proxy": "127.0.0.1,localhost",
}
# Settings that could point boto3 at real credentials or another endpoint.
CLEARED_AWS_VARIABLES = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_REGION",
    "AWS_ENDPOINT_URL_SCHEMAS",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
)


@pytest.fixture(autouse=True)
def fake_aws_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Give every test fake credentials and no AWS config files."""
    for name in CLEARED_AWS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in FAKE_AWS_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "missing-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "missing-aws-credentials"))
    # Each test gets an empty cache of registered versions, outside the user's own.
    monkeypatch.setenv("SCHEMAGATE_CACHE_DIR", str(tmp_path / "schemagate-cache"))


@contextmanager
def running_emulator(*args: str) -> Iterator[str]:
    """Start `python -m schemagate emulator --port 0 ARGS`, yield its URL, then stop it."""
    process = subprocess.Popen(
        [sys.executable, "-m", "schemagate", "emulator", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield read_emulator_url(process)
    finally:
        stop_emulator(process)


def read_emulator_url(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        ready = selector.select(timeout=STARTUP_TIMEOUT_SECONDS)
    line = process.stdout.readline().strip() if ready else ""
    if not line.startswith("http://127.0.0.1:"):
        stop_emulator(process)
        stderr = process.stderr.read() if process.stderr else ""
        raise RuntimeError(f"emulator did not print its URL (got {line!r}); stderr: {stderr}")
    return line


def stop_emulator(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
    for stream in (process.stdout, process.stderr):
        if stream is not None:
            stream.close()


@pytest.fixture(scope="session")
def emulator_url() -> Iterator[str]:
    """URL of one in-memory emulator shared by the whole test session."""
    with running_emulator() as url:
        yield url


def make_schemas_client(endpoint_url: str) -> Any:
    """Create a boto3 `schemas` client for `endpoint_url` with fake credentials."""
    import boto3
    from botocore.config import Config

    return boto3.client(
        "schemas",
        region_name="us-east-1",
        endpoint_url=endpoint_url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"mode": "standard", "total_max_attempts": 1}),
    )


@pytest.fixture
def schemas_client(emulator_url: str) -> Any:
    """A boto3 `schemas` client pointed at the session emulator."""
    return make_schemas_client(emulator_url)


@pytest.fixture
def registry_name(schemas_client: Any, request: pytest.FixtureRequest) -> str:
    """A new empty registry, named after the test, in the session emulator."""
    name = "test-" + "".join(c if c.isalnum() else "-" for c in request.node.name)[:60]
    schemas_client.create_registry(RegistryName=name)
    return name


def emulator_requests(url: str) -> dict[str, int]:
    """Return the emulator's request counts per operation since the last reset."""
    with urllib.request.urlopen(f"{url}/_emulator/requests", timeout=10) as response:
        counts: dict[str, int] = json.loads(response.read())["requests"]
    return counts


def emulator_max_in_flight(url: str) -> int:
    """Return the most requests the emulator served at once since the last reset."""
    with urllib.request.urlopen(f"{url}/_emulator/requests", timeout=10) as response:
        return int(json.loads(response.read())["max_in_flight"])


def reset_emulator_requests(url: str) -> None:
    request = urllib.request.Request(f"{url}/_emulator/requests", method="DELETE")
    with urllib.request.urlopen(request, timeout=10):
        pass


@contextmanager
def serving_emulator(*faults: str, latency_ms: int = 0, slow_ms: int = 5000) -> Iterator[str]:
    """Serve an in-memory emulator with faults on a thread of this process; yield its URL."""
    import threading

    from schemagate.emulator.faults import build_middlewares, parse_fault
    from schemagate.emulator.server import create_server

    middlewares = build_middlewares(
        [parse_fault(text) for text in faults], latency_ms=latency_ms, slow_ms=slow_ms
    )
    server, store = create_server(middlewares=middlewares)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.url
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
        if any(text.startswith("slow") for text in faults):
            # Replies the client gave up on are still sleeping; let them end first.
            time.sleep(slow_ms / 1000 + 0.2)
        store.close()
