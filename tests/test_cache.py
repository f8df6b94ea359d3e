"""The on-disk cache of registered versions: which calls it saves and what it never mixes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from schemagate.cli import main
from schemagate.registry.cache import RegistryIdentity
from schemagate.registry.cached import CachedEventBridgeRegistry
from schemagate.registry.eventbridge import EventBridgeRegistry
from tests.conftest import (
    emulator_max_in_flight,
    emulator_requests,
    make_schemas_client,
    reset_emulator_requests,
    serving_emulator,
)


def _document(marker: int) -> dict[str, Any]:
    return {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "type": "object",
        "properties": {"n": {"type": "integer", "enum": [marker]}},
    }


def _register(client: Any, registry: str, name: str, markers: list[int]) -> None:
    for index, marker in enumerate(markers):
        call = client.create_schema if index == 0 else client.update_schema
        call(
            RegistryName=registry,
            SchemaName=name,
            Type="JSONSchemaDraft4",
            Content=json.dumps(_document(marker)),
        )


def _write_local(folder: Path, name: str, marker: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.json").write_text(json.dumps(_document(marker)), encoding="utf-8")


def _check(registry: str, folder: Path, *extra: str) -> int:
    return main(["check", "--registry", f"eventbridge:{registry}", *extra, str(folder)])


@pytest.fixture
def endpoint(emulator_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("AWS_ENDPOINT_URL_SCHEMAS", emulator_url)
    return emulator_url


def test_warm_gate_makes_only_list_calls(
    endpoint: str, schemas_client: Any, registry_name: str, tmp_path: Path
) -> None:
    local = tmp_path / "schemas"
    for n in range(100):
        _register(schemas_client, registry_name, f"s{n:03}", [n])
        _write_local(local, f"s{n:03}", n)

    reset_emulator_requests(endpoint)
    cold_code = _check(registry_name, local)
    cold = emulator_requests(endpoint)
    reset_emulator_requests(endpoint)
    warm_code = _check(registry_name, local)
    warm = emulator_requests(endpoint)

    assert cold_code == 0
    assert warm_code == 0
    assert cold == {"DescribeSchema": 100, "ListSchemas": 1}
    assert warm == {"ListSchemas": 1}


def test_new_version_describes_only_its_schema(
    endpoint: str, schemas_client: Any, registry_name: str, tmp_path: Path
) -> None:
    local = tmp_path / "schemas"
    for n in range(5):
        _register(schemas_client, registry_name, f"s{n}", [n])
        _write_local(local, f"s{n}", n)
    assert _check(registry_name, local) == 0
    schemas_client.update_schema(
        RegistryName=registry_name, SchemaName="s2", Content=json.dumps(_document(22))
    )
    _write_local(local, "s2", 22)

    reset_emulator_requests(endpoint)
    code = _check(registry_name, local, "--mode", "none")

    assert code == 0
    assert emulator_requests(endpoint) == {"DescribeSchema": 1, "ListSchemas": 1}


def test_latest_sorts_versions_as_integers(
    endpoint: str, schemas_client: Any, registry_name: str, tmp_path: Path
) -> None:
    _register(schemas_client, registry_name, "s", list(range(1, 12)))
    remote = EventBridgeRegistry(registry_name, make_schemas_client(endpoint))
    registry = CachedEventBridgeRegistry(remote, cache_root=tmp_path / "cache")

    versions = registry.list_versions("s")
    latest = registry.get_version("s")

    assert versions == [str(n) for n in range(1, 12)]
    assert latest is not None
    assert latest.version == "11"
    assert json.loads(latest.content) == _document(11)


def test_transitive_warm_gate_makes_only_list_calls(
    endpoint: str, schemas_client: Any, registry_name: str, tmp_path: Path
) -> None:
    local = tmp_path / "schemas"
    _register(schemas_client, registry_name, "s", [1, 2, 3])
    _write_local(local, "s", 4)
    _check(registry_name, local, "--mode", "full-transitive")

    reset_emulator_requests(endpoint)
    code = _check(registry_name, local, "--mode", "full-transitive")

    assert code == 1
    assert emulator_requests(endpoint) == {"ListSchemas": 1}


def test_registries_never_share_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    local = tmp_path / "schemas"
    _write_local(local, "s", 1)
    # Two endpoints that each hold a registry named "same", with different content. The
    # local file matches only the first, so a shared cache entry would show up as a
    # wrong "unchanged" or "compatible" status.
    with serving_emulator() as first, serving_emulator() as second:
        for url, marker in ((first, 1), (second, 2)):
            client = make_schemas_client(url)
            client.create_registry(RegistryName="same")
            _register(client, "same", "s", [marker])
        statuses = []
        for url in (first, second, first, second):
            monkeypatch.setenv("AWS_ENDPOINT_URL_SCHEMAS", url)
            capsys.readouterr()
            assert _check("same", local, "--mode", "none", "--format", "json") == 0
            statuses.append(json.loads(capsys.readouterr().out)["schemas"][0]["status"])

    assert statuses == ["unchanged", "compatible", "unchanged", "compatible"]
    cache_root = tmp_path / "schemagate-cache" / "eventbridge"
    identities = [
        json.loads((folder / "registry.json").read_text(encoding="utf-8"))
        for folder in sorted(cache_root.iterdir())
    ]
    assert sorted(identity["endpoint"] for identity in identities) == sorted([first, second])
    assert {identity["account"] for identity in identities} == {"123456789012"}


def test_identity_key_covers_every_field() -> None:
    base = RegistryIdentity("http://a", "us-east-1", "111111111111", "orders")
    variants = [
        RegistryIdentity("http://b", "us-east-1", "111111111111", "orders"),
        RegistryIdentity("http://a", "eu-west-1", "111111111111", "orders"),
        RegistryIdentity("http://a", "us-east-1", "222222222222", "orders"),
        RegistryIdentity("http://a", "us-east-1", "111111111111", "payments"),
    ]

    assert len({base.key, *(variant.key for variant in variants)}) == 5


def test_damaged_cache_file_is_read_again(
    endpoint: str, schemas_client: Any, registry_name: str, tmp_path: Path
) -> None:
    local = tmp_path / "schemas"
    _register(schemas_client, registry_name, "s", [1])
    _write_local(local, "s", 1)
    assert _check(registry_name, local) == 0
    (version_file,) = (tmp_path / "schemagate-cache").rglob("1.json")
    version_file.write_text('{"cache_format": 1, "type": "JSONSch', encoding="utf-8")

    reset_emulator_requests(endpoint)
    code = _check(registry_name, local)

    assert code == 0
    assert emulator_requests(endpoint) == {"DescribeSchema": 1, "ListSchemas": 1}
    assert json.loads(version_file.read_text(encoding="utf-8"))["type"] == "JSONSchemaDraft4"


def test_cache_dir_option_and_concurrent_runs(
    endpoint: str, schemas_client: Any, registry_name: str, tmp_path: Path
) -> None:
    for n in range(10):
        _register(schemas_client, registry_name, f"s{n}", [n, n + 100])
    cache = tmp_path / "shared-cache"
    command = [
        sys.executable,
        "-m",
        "schemagate",
        "pull",
        "--registry",
        f"eventbridge:{registry_name}",
        "--cache-dir",
        str(cache),
    ]
    runs = [
        subprocess.Popen([*command, "--out", str(tmp_path / f"out{i}")], stderr=subprocess.PIPE)
        for i in range(2)
    ]
    errors = [run.communicate(timeout=60)[1] for run in runs]

    assert [run.returncode for run in runs] == [0, 0], errors
    cached = [p for p in cache.rglob("*.json") if p.name != "registry.json"]
    # 10 listings and 20 versions, each complete JSON.
    assert len(cached) == 30
    for path in cached:
        assert json.loads(path.read_text(encoding="utf-8"))["cache_format"] == 1
    assert not [p for p in cache.rglob(".*") if p.is_file()]


def test_pull_lists_versions_only_after_gaps(
    endpoint: str, schemas_client: Any, registry_name: str, tmp_path: Path
) -> None:
    _register(schemas_client, registry_name, "complete", [1, 2, 3])
    _register(schemas_client, registry_name, "gapped", [1, 2, 3])
    schemas_client.delete_schema_version(
        RegistryName=registry_name, SchemaName="gapped", SchemaVersion="2"
    )
    uri = f"eventbridge:{registry_name}"

    reset_emulator_requests(endpoint)
    cold_code = main(["pull", "--registry", uri, "--out", str(tmp_path / "cold")])
    cold = emulator_requests(endpoint)
    reset_emulator_requests(endpoint)
    warm_code = main(["pull", "--registry", uri, "--out", str(tmp_path / "warm")])
    warm = emulator_requests(endpoint)

    assert cold_code == 0
    assert warm_code == 0
    # "complete" has versions 1 to 3, so its latest number proves the list; "gapped"
    # has 1 and 3, which only ListSchemaVersions can show.
    assert cold == {"DescribeSchema": 5, "ListSchemaVersions": 1, "ListSchemas": 1}
    assert warm == {"ListSchemas": 1}
    index = json.loads((tmp_path / "warm" / "snapshot.json").read_text(encoding="utf-8"))
    assert list(index["schemas"]["gapped"]["versions"]) == ["1", "3"]
    assert list(index["schemas"]["complete"]["versions"]) == ["1", "2", "3"]


@pytest.mark.parametrize("jobs", [1, 3])
def test_pull_runs_at_most_jobs_requests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    with serving_emulator(latency_ms=20) as url:
        client = make_schemas_client(url)
        client.create_registry(RegistryName="pooled")
        for n in range(12):
            _register(client, "pooled", f"s{n}", [n])
        monkeypatch.setenv("AWS_ENDPOINT_URL_SCHEMAS", url)
        reset_emulator_requests(url)
        code = main(
            [
                "pull",
                "--registry",
                "eventbridge:pooled",
                "--jobs",
                str(jobs),
                "--out",
                str(tmp_path / "out"),
            ]
        )
        busiest = emulator_max_in_flight(url)

    assert code == 0
    if jobs == 1:
        assert busiest == 1
    else:
        # Twelve describes of 20 ms each on three threads overlap at least once.
        assert 2 <= busiest <= jobs
