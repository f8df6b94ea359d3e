"""No credential, session token or request signature reaches any output, at any verbosity.

check, pull and publish run as subprocesses with distinctive fake credentials, against a
working registry and three failing ones (unreachable endpoint, throttled, unknown
registry), and everything they print is searched.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import make_schemas_client, serving_emulator

ACCESS_KEY_ID = "AKIASCHEMAGATEFAKE42"
SECRET_KEY = "sEcReT/schemagate+fake+secret+key+0123456789"
SESSION_TOKEN = "FwoGZXIvschemagateFakeSessionToken0123456789"
FORBIDDEN = [
    ACCESS_KEY_ID,
    SECRET_KEY,
    SESSION_TOKEN,
    # Parts of a signed request that must never be printed.
    "authorization",
    "x-amz-security-token",
    "x-amz-signature",
    "signature=",
    "credential=",
]
DOCUMENT = {"$schema": "http://json-schema.org/draft-04/schema#", "type": "object"}
# The local schema adds an optional property, so check passes and publish has work to do.
LOCAL = {**DOCUMENT, "properties": {"note": {"type": "string"}}}


def _run(args: list[str], env: dict[str, str], cwd: Path) -> tuple[int, str]:
    completed = subprocess.run(
        [sys.executable, "-m", "schemagate", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return completed.returncode, completed.stdout + completed.stderr


def _commands(registry: str, tmp_path: Path, verbosity: str) -> list[list[str]]:
    uri = f"eventbridge:{registry}"
    out = tmp_path / f"pulled-{registry}{verbosity}"
    return [
        [verbosity, "check", "--registry", uri, "schemas"],
        [verbosity, "pull", "--registry", uri, "--out", str(out)],
        # Only one run publishes for real, so concurrent runs never race on a version.
        [verbosity, "publish", "--registry", uri, "schemas"]
        + (["--dry-run"] if verbosity == "-vv" else []),
    ]


@pytest.fixture
def local_schemas(tmp_path: Path) -> Path:
    folder = tmp_path / "schemas"
    folder.mkdir()
    (folder / "s.json").write_text(json.dumps(LOCAL), encoding="utf-8")
    return tmp_path


def test_no_secret_in_any_output(local_schemas: Path) -> None:
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": ACCESS_KEY_ID,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        "AWS_SESSION_TOKEN": SESSION_TOKEN,
        "SCHEMAGATE_TRACEBACK": "",
    }
    runs: list[tuple[str, list[str], dict[str, str]]] = []
    with serving_emulator() as healthy, serving_emulator("throttle@ListSchemas") as throttled:
        client = make_schemas_client(healthy)
        client.create_registry(RegistryName="kept")
        client.create_schema(
            RegistryName="kept",
            SchemaName="s",
            Type="JSONSchemaDraft4",
            Content=json.dumps(DOCUMENT),
        )
        scenarios = {
            "working": (healthy, "kept"),
            "unreachable": ("http://127.0.0.1:9", "kept"),
            "throttled": (throttled, "kept"),
            "unknown": (healthy, "no-such-registry"),
        }
        for scenario, (url, registry) in scenarios.items():
            scenario_env = {**env, "AWS_ENDPOINT_URL_SCHEMAS": url}
            # -vv prints everything -v does plus tracebacks, so failing runs use -vv only.
            verbosities = ("-v", "-vv") if scenario == "working" else ("-vv",)
            for verbosity in verbosities:
                for args in _commands(registry, local_schemas, verbosity):
                    runs.append((f"{scenario} {' '.join(args[:2])}", args, scenario_env))
        with ThreadPoolExecutor(4) as pool:
            results = list(pool.map(lambda run: _run(run[1], run[2], local_schemas), runs))

    assert len(runs) == 15
    for (label, _, _), (code, output) in zip(runs, results, strict=True):
        assert code == (0 if label.startswith("working") else 3), f"{label}: {output}"
        lowered = output.lower()
        assert output, label
        for secret in FORBIDDEN:
            assert secret.lower() not in lowered, f"{secret!r} printed by {label}"
