"""`schemagate pull` from the emulator and from snapshot folders."""

from __future__ import annotations

import difflib
import json
import os
import signal
import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from schemagate.cli import main
from schemagate.cli.progress import progress_bar
from schemagate.errors import EXIT_REGISTRY, EXIT_USAGE
from schemagate.registry.snapshot import SnapshotRegistry
from tests.conftest import make_schemas_client, running_emulator

SECRET_KEY = "fakeSecretKeyValue0123456789"

# Schema name, then the (type, content, description) of each version in order.
FIXTURE_SCHEMAS: dict[str, list[tuple[str, str, str | None]]] = {
    "orders@OrderPlaced": [
        ("JSONSchemaDraft4", '{"type": "object"}', "first"),
        ("JSONSchemaDraft4", '{"type": "object", "required": ["id"]}', None),
    ],
    "partner/acme.Event": [("OpenApi3", '{"openapi": "3.0.0"}', None)],
    "many": [("OpenApi3", json.dumps({"n": n}), None) for n in range(1, 12)],
}


def _populate(client: Any, registry: str) -> None:
    for name, versions in FIXTURE_SCHEMAS.items():
        for index, (schema_type, content, description) in enumerate(versions):
            extra = {} if description is None else {"Description": description}
            call = client.create_schema if index == 0 else client.update_schema
            call(
                RegistryName=registry, SchemaName=name, Type=schema_type, Content=content, **extra
            )


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.fixture
def populated_registry(
    schemas_client: Any, registry_name: str, emulator_url: str, monkeypatch: pytest.MonkeyPatch
) -> str:
    """A registry in the emulator holding FIXTURE_SCHEMAS, with boto3 pointed at it."""
    _populate(schemas_client, registry_name)
    monkeypatch.setenv("AWS_ENDPOINT_URL_SCHEMAS", emulator_url)
    return registry_name


def test_pull_round_trips_content(
    populated_registry: str, schemas_client: Any, tmp_path: Path, capsys: Any
) -> None:
    out = tmp_path / "snapshot"

    code = main(["pull", "--registry", f"eventbridge:{populated_registry}", "--out", str(out)])

    assert code == 0
    assert capsys.readouterr().out == (
        f"pulled 3 schema(s) and 14 version(s) from eventbridge:{populated_registry} into {out}\n"
    )
    snapshot = SnapshotRegistry(out)
    assert snapshot.registry_name == populated_registry
    assert [summary.name for summary in snapshot.list_schemas()] == sorted(FIXTURE_SCHEMAS)
    for name, versions in FIXTURE_SCHEMAS.items():
        assert snapshot.list_versions(name) == [str(n) for n in range(1, len(versions) + 1)]
        for number, (schema_type, content, _) in enumerate(versions, start=1):
            pulled = snapshot.get_version(name, str(number))
            registered = schemas_client.describe_schema(
                RegistryName=populated_registry, SchemaName=name, SchemaVersion=str(number)
            )
            assert pulled is not None
            assert pulled.content == content
            assert pulled.type == schema_type
            assert pulled.description == registered.get("Description")
            assert pulled.created is not None


def test_pull_output_is_stable(populated_registry: str, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    uri = f"eventbridge:{populated_registry}"

    assert main(["pull", "--registry", uri, "--out", str(first)]) == 0
    assert main(["pull", "--registry", uri, "--out", str(second)]) == 0

    assert _tree(first) == _tree(second)
    index = json.loads((first / "snapshot.json").read_text(encoding="utf-8"))
    assert list(index["schemas"]) == sorted(FIXTURE_SCHEMAS)
    assert sorted(index["schemas"]["many"]["versions"], key=int) == [str(n) for n in range(1, 12)]


def test_pull_replaces_earlier_snapshot(
    populated_registry: str, schemas_client: Any, tmp_path: Path
) -> None:
    out = tmp_path / "snapshot"
    uri = f"eventbridge:{populated_registry}"
    assert main(["pull", "--registry", uri, "--out", str(out)]) == 0
    schemas_client.update_schema(
        RegistryName=populated_registry, SchemaName="partner/acme.Event", Content="{}"
    )

    assert main(["pull", "--registry", uri, "--out", str(out)]) == 0

    assert SnapshotRegistry(out).list_versions("partner/acme.Event") == ["1", "2"]


def test_pull_json_summary(populated_registry: str, tmp_path: Path, capsys: Any) -> None:
    out = tmp_path / "snapshot"
    uri = f"eventbridge:{populated_registry}"

    code = main(["pull", "--registry", uri, "--out", str(out), "--format", "json"])

    summary = json.loads(capsys.readouterr().out)
    assert code == 0
    assert summary == {"registry": uri, "out": str(out), "schemas": 3, "versions": 14}


def test_pull_copies_dir_snapshot(populated_registry: str, tmp_path: Path) -> None:
    source, copy = tmp_path / "source", tmp_path / "copy"
    main(["pull", "--registry", f"eventbridge:{populated_registry}", "--out", str(source)])

    code = main(["pull", "--registry", f"dir:{source}", "--out", str(copy)])

    assert code == 0
    assert _tree(copy) == _tree(source)


@pytest.mark.parametrize("earlier_snapshot", [False, True], ids=["plain-folder", "snapshot"])
def test_pull_keeps_foreign_file(
    populated_registry: str, tmp_path: Path, capsys: Any, earlier_snapshot: bool
) -> None:
    out = tmp_path / "snapshot"
    uri = f"eventbridge:{populated_registry}"
    if earlier_snapshot:
        assert main(["pull", "--registry", uri, "--out", str(out)]) == 0
    out.mkdir(exist_ok=True)
    foreign = out / "notes.txt"
    foreign.write_text("mine", encoding="utf-8")
    before = _tree(out)
    capsys.readouterr()

    code = main(["pull", "--registry", uri, "--out", str(out)])

    stderr = capsys.readouterr().err
    assert code == EXIT_USAGE
    assert str(out) in stderr
    assert foreign.read_text(encoding="utf-8") == "mine"
    assert _tree(out) == before
    if earlier_snapshot:
        assert "notes.txt" in stderr


def test_pull_unknown_registry_exits_3(
    emulator_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: Any
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_SCHEMAS", emulator_url)
    out = tmp_path / "out"

    code = main(["pull", "--registry", "eventbridge:no-such-registry", "--out", str(out)])

    stderr = capsys.readouterr().err
    assert code == EXIT_REGISTRY
    assert "eventbridge:no-such-registry" in stderr
    assert "ListSchemas failed" in stderr
    assert len(stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_pull_without_credentials_exits_3(
    emulator_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: Any
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_SCHEMAS", emulator_url)
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name)

    code = main(["pull", "--registry", "eventbridge:any", "--out", str(tmp_path / "out")])

    stderr = capsys.readouterr().err
    assert code == EXIT_REGISTRY
    assert "no AWS credentials found" in stderr
    assert "eventbridge:any" in stderr


def test_pull_unreachable_endpoint_exits_3(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: Any
) -> None:
    # Bind and release a port: nothing listens there afterwards, so connections are refused.
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    closed_port_url = f"http://127.0.0.1:{server.server_address[1]}"
    server.server_close()
    monkeypatch.setenv("AWS_ENDPOINT_URL_SCHEMAS", closed_port_url)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)

    started = time.monotonic()
    code = main(["pull", "--registry", "eventbridge:any", "--out", str(tmp_path / "out")])
    elapsed = time.monotonic() - started

    stderr = capsys.readouterr().err
    assert code == EXIT_REGISTRY
    assert f"cannot connect to {closed_port_url} after 3 attempt(s)" in stderr
    assert SECRET_KEY not in stderr
    # A generous bound for three attempts with standard-mode backoff.
    assert elapsed < 15


def test_refresh_diff_is_new_version_only(
    populated_registry: str, schemas_client: Any, tmp_path: Path
) -> None:
    out = tmp_path / "snapshot"
    uri = f"eventbridge:{populated_registry}"
    assert main(["pull", "--registry", uri, "--out", str(out)]) == 0
    before = _tree(out)
    schemas_client.update_schema(
        RegistryName=populated_registry, SchemaName="orders@OrderPlaced", Content='{"v": 3}'
    )

    assert main(["pull", "--registry", uri, "--out", str(out)]) == 0

    after = _tree(out)
    changed = {name for name in before.keys() & after.keys() if before[name] != after[name]}
    assert after.keys() - before.keys() == {"orders@OrderPlaced/3.json"}
    assert before.keys() - after.keys() == set()
    assert changed == {"snapshot.json"}
    assert after["orders@OrderPlaced/3.json"] == b'{"v": 3}'
    old_index = json.loads(before["snapshot.json"])
    new_index = json.loads(after["snapshot.json"])
    added = new_index["schemas"]["orders@OrderPlaced"]["versions"].pop("3")
    assert new_index == old_index
    assert added["file"] == "orders@OrderPlaced/3.json"
    assert added["type"] == "JSONSchemaDraft4"
    # In the text diff only the new entry is added; at most the line closing the entry
    # before it changes, to gain a comma.
    diff = list(
        difflib.unified_diff(
            before["snapshot.json"].decode().splitlines(),
            after["snapshot.json"].decode().splitlines(),
            lineterm="",
            n=0,
        )
    )
    removed = [line for line in diff if line.startswith("-") and not line.startswith("---")]
    assert [line.replace(" ", "") for line in removed] in ([], ["-}"])
    assert list(new_index["schemas"]["many"]["versions"]) == [str(n) for n in range(1, 12)]


def test_killed_pull_keeps_old_snapshot(tmp_path: Path) -> None:
    out = tmp_path / "snapshot"
    with running_emulator("--latency-ms", "20") as url:
        client = make_schemas_client(url)
        client.create_registry(RegistryName="slow")
        for n in range(30):
            client.create_schema(
                RegistryName="slow", SchemaName=f"s{n:02}", Type="OpenApi3", Content="{}"
            )
        env = {**os.environ, "AWS_ENDPOINT_URL_SCHEMAS": url}
        command = [sys.executable, "-m", "schemagate", "pull", "--registry", "eventbridge:slow"]
        subprocess.run([*command, "--out", str(out)], env=env, check=True, timeout=60)
        before = _tree(out)
        # Large new versions, so that writing the staging folder takes a while.
        large = json.dumps({"padding": "x" * 90_000})
        for n in range(30):
            client.update_schema(RegistryName="slow", SchemaName=f"s{n:02}", Content=large)

        # One request at a time with 20 ms each makes the second pull take seconds. The
        # kill lands as soon as its staging folder appears, while it writes 2.7 MB.
        pulling = subprocess.Popen(
            [*command, "--jobs", "1", "--out", str(out)], env=env, stderr=subprocess.DEVNULL
        )
        staged = _wait_for_staging(tmp_path, out.name, seconds=30)
        os.kill(pulling.pid, signal.SIGKILL)
        pulling.wait(timeout=10)

    assert staged
    assert pulling.returncode == -signal.SIGKILL
    assert _tree(out) == before
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(f".{out.name}.")]
    assert all(not name.startswith(f".{out.name}.old.") for name in leftovers)


def _wait_for_staging(parent: Path, name: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if any(p.name.startswith(f".{name}.") for p in parent.iterdir()):
            return True
        time.sleep(0.0005)
    return False


@pytest.mark.parametrize(
    ("terminal", "total", "drawn"), [(True, 40, True), (False, 40, False), (True, 5, False)]
)
def test_progress_bar_only_on_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: Any, terminal: bool, total: int, drawn: bool
) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: terminal)

    with progress_bar(total, "reading versions") as advance:
        for _ in range(total):
            advance(1)

    stderr = capsys.readouterr().err
    assert ("reading versions" in stderr) is drawn
    if drawn:
        assert "100%" in stderr


def test_long_schema_name_gets_short_folder(tmp_path: Path) -> None:
    from schemagate.registry.base import SchemaVersion
    from schemagate.registry.snapshot import MAX_ENCODED_NAME, encode_name, write_snapshot

    long_name = "com.example." + "x" * 290 + "@OrderPlaced"
    other = "com.example." + "x" * 290 + "@OrderShipped"
    versions = [
        SchemaVersion(long_name, "1", "JSONSchemaDraft4", '{"type": "object"}'),
        SchemaVersion(other, "1", "JSONSchemaDraft4", '{"type": "string"}'),
    ]
    write_snapshot(tmp_path / "snap", "events", versions)
    snapshot = SnapshotRegistry(tmp_path / "snap")

    assert len(encode_name(long_name)) <= MAX_ENCODED_NAME
    assert encode_name(long_name) != encode_name(other)
    assert [s.name for s in snapshot.list_schemas()] == sorted([long_name, other])
    found = snapshot.get_version(other)
    assert found is not None
    assert found.content == '{"type": "string"}'


def test_pull_into_unwritable_folder_exits_2(
    populated_registry: str, tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Root writes into read-only folders, so a read-only file system is simulated.
    import tempfile

    def read_only(*args: Any, **kwargs: Any) -> str:
        raise OSError(30, "Read-only file system")

    out = tmp_path / "snapshot"
    monkeypatch.setattr(tempfile, "mkdtemp", read_only)
    code = main(["pull", "--registry", f"eventbridge:{populated_registry}", "--out", str(out)])

    assert code == EXIT_USAGE
    assert capsys.readouterr().err.strip() == (
        f"error: cannot write to {out} (Read-only file system); choose another --out folder"
    )
