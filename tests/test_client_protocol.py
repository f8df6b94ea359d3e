"""The SchemasClient protocol matches both the boto3 client and its typed stub class."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mypy import api as mypy_api

from schemagate.registry.schemas_client import SchemasClient
from tests.conftest import make_schemas_client

# Checked by mypy in the test below: the boto3-stubs client class must be assignable.
STATIC_CHECK = """
from mypy_boto3_schemas.client import SchemasClient as StubClient
from schemagate.registry.schemas_client import SchemasClient


def accept(client: StubClient) -> SchemasClient:
    return client
"""


def test_emulator_client_satisfies_protocol(emulator_url: str) -> None:
    client = make_schemas_client(emulator_url)

    assert isinstance(client, SchemasClient)


def test_protocol_rejects_other_objects() -> None:
    class PartialClient:
        def describe_registry(self, **kwargs: Any) -> dict[str, Any]:
            return {}

    assert not isinstance(PartialClient(), SchemasClient)


def test_stub_client_class_satisfies_protocol(tmp_path: Path) -> None:
    source = tmp_path / "check_client.py"
    source.write_text(STATIC_CHECK, encoding="utf-8")
    project_root = Path(__file__).resolve().parents[1]

    stdout, stderr, status = mypy_api.run(
        [
            "--strict",
            "--no-incremental",
            "--config-file",
            str(project_root / "pyproject.toml"),
            str(source),
        ]
    )

    assert status == 0, stdout + stderr
