"""Transitive modes and --since, against dir: snapshots and the emulator alike."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from schemagate.cli import main
from schemagate.errors import EXIT_GATE_FAILED, EXIT_OK, EXIT_USAGE
from schemagate.registry.base import SchemaVersion
from schemagate.registry.snapshot import write_snapshot


def _enum_schema(*values: str) -> str:
    return json.dumps(
        {
            "$schema": "http://json-schema.org/draft-04/schema#",
            "type": "object",
            "properties": {"n": {"enum": list(values)}},
        }
    )


# Version 1 accepts "c"; version 2 no longer does. The local schema accepts "a", "b"
# and "d": compatible with version 2 under BACKWARD, but an archived event {"n": "c"}
# written under version 1 no longer validates.
HISTORY = [_enum_schema("a", "b", "c"), _enum_schema("a", "b")]
LOCAL = _enum_schema("a", "b", "d")


def _days_ago(days: int) -> str:
    moment = datetime.now(UTC) - timedelta(days=days)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _snapshot(tmp_path: Path, ages_in_days: list[int], history: list[str]) -> Path:
    out = tmp_path / "snapshot"
    versions = [
        SchemaVersion("s", str(number), "JSONSchemaDraft4", content, _days_ago(age))
        for number, (content, age) in enumerate(zip(history, ages_in_days, strict=True), 1)
    ]
    write_snapshot(out, "orders", versions)
    return out


def _gate(uri: str, tmp_path: Path, capsys: Any, *options: str) -> tuple[int, dict[str, Any]]:
    """Run check with JSON output; standard error stays in capsys for the caller."""
    local = tmp_path / "local"
    local.mkdir(exist_ok=True)
    (local / "s.json").write_text(LOCAL, encoding="utf-8")
    capsys.readouterr()
    code = main(["check", "--registry", uri, "--format", "json", *options, str(local)])
    output = capsys.readouterr()
    print(output.err, end="", file=sys.stderr)
    return code, json.loads(output.out) if output.out else {}


def _rules(report: dict[str, Any]) -> list[str]:
    return [finding["rule"] for finding in report["schemas"][0]["findings"]]


def test_backward_checks_only_latest(tmp_path: Path, capsys: Any) -> None:
    snapshot = _snapshot(tmp_path, [200, 1], HISTORY)

    code, report = _gate(f"dir:{snapshot}", tmp_path, capsys, "--mode", "backward")

    assert code == EXIT_OK
    assert "enum-value-removed" not in _rules(report)


def test_transitive_checks_every_version(tmp_path: Path, capsys: Any) -> None:
    snapshot = _snapshot(tmp_path, [200, 1], HISTORY)

    code, report = _gate(f"dir:{snapshot}", tmp_path, capsys, "--mode", "backward-transitive")

    assert code == EXIT_GATE_FAILED
    assert _rules(report).count("enum-value-removed") == 1
    finding = report["schemas"][0]["findings"][0]
    assert finding["old_pointer"] == "/properties/n"
    assert finding["message"] == 'against version 1: enum values removed: "c"'


@pytest.mark.parametrize(
    ("since", "expected"), [("90d", EXIT_OK), ("12w", EXIT_OK), ("365d", EXIT_GATE_FAILED)]
)
def test_since_limits_versions_by_age(
    tmp_path: Path, capsys: Any, since: str, expected: int
) -> None:
    snapshot = _snapshot(tmp_path, [200, 1], HISTORY)

    code, _ = _gate(
        f"dir:{snapshot}", tmp_path, capsys, "--mode", "backward-transitive", "--since", since
    )

    assert code == expected


def test_since_always_checks_latest(tmp_path: Path, capsys: Any) -> None:
    # Both versions are older than the window. The latest accepts "c", which the local
    # schema drops, so the gate must still fail.
    history = [_enum_schema("a"), _enum_schema("a", "b", "c")]
    snapshot = _snapshot(tmp_path, [300, 200], history)

    code, report = _gate(
        f"dir:{snapshot}", tmp_path, capsys, "--mode", "backward-transitive", "--since", "1d"
    )

    assert code == EXIT_GATE_FAILED
    assert report["schemas"][0]["registered_version"] == "2"
    assert _rules(report).count("enum-value-removed") == 1


@pytest.mark.parametrize("value", ["90", "d", "0d", "1.5d", "-2w", "3y", "90 days"])
def test_since_rejects_invalid_duration(tmp_path: Path, capsys: Any, value: str) -> None:
    snapshot = _snapshot(tmp_path, [1, 1], HISTORY)

    code, _ = _gate(
        f"dir:{snapshot}", tmp_path, capsys, "--mode", "backward-transitive", "--since", value
    )

    stderr = capsys.readouterr().err
    assert code == EXIT_USAGE
    assert f"'{value}' is not a duration" in stderr
    assert len(stderr.strip().splitlines()) == 1


def test_since_needs_transitive_mode(tmp_path: Path, capsys: Any) -> None:
    snapshot = _snapshot(tmp_path, [1, 1], HISTORY)
    local = tmp_path / "local"
    local.mkdir()
    (local / "s.json").write_text(LOCAL, encoding="utf-8")

    code = main(["check", "--registry", f"dir:{snapshot}", "--since", "90d", str(local)])

    stderr = capsys.readouterr().err
    assert code == EXIT_USAGE
    assert "--since needs a transitive mode" in stderr
    assert "--mode full-transitive" in stderr


def test_transitive_against_emulator(
    schemas_client: Any,
    registry_name: str,
    emulator_url: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: Any,
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_SCHEMAS", emulator_url)
    schemas_client.create_schema(
        RegistryName=registry_name, SchemaName="s", Type="JSONSchemaDraft4", Content=HISTORY[0]
    )
    schemas_client.update_schema(RegistryName=registry_name, SchemaName="s", Content=HISTORY[1])
    uri = f"eventbridge:{registry_name}"

    plain, _ = _gate(uri, tmp_path, capsys, "--mode", "backward")
    transitive, report = _gate(uri, tmp_path, capsys, "--mode", "backward-transitive")
    recent, _ = _gate(uri, tmp_path, capsys, "--mode", "backward-transitive", "--since", "1h")

    assert plain == EXIT_OK
    assert transitive == EXIT_GATE_FAILED
    assert _rules(report).count("enum-value-removed") == 1
    assert recent == EXIT_GATE_FAILED


def _unchanged_check(tmp_path: Path, history: list[str]) -> list[str]:
    """Return check arguments for a local schema equal to the last of `history`."""
    snapshot = _snapshot(tmp_path, [30, 10], history)
    local = tmp_path / "unchanged"
    local.mkdir()
    (local / "s.json").write_text(history[-1], encoding="utf-8")
    return ["check", "--registry", f"dir:{snapshot}", "--format", "json", str(local)]


def test_transitive_checks_unchanged_schema_against_history(tmp_path: Path, capsys: Any) -> None:
    # The local schema equals version 2, which dropped "c" from version 1's values.
    argv = _unchanged_check(tmp_path, HISTORY)

    plain = main([*argv, "--mode", "backward"])
    plain_report = json.loads(capsys.readouterr().out)
    transitive = main([*argv, "--mode", "backward-transitive"])
    transitive_report = json.loads(capsys.readouterr().out)

    assert plain == EXIT_OK
    assert plain_report["schemas"][0]["status"] == "unchanged"
    assert transitive == EXIT_GATE_FAILED
    assert transitive_report["schemas"][0]["status"] == "breaking"
    messages = [f["message"] for f in transitive_report["schemas"][0]["findings"]]
    assert any(m.startswith("against version 1:") for m in messages)


def test_transitive_unchanged_schema_with_compatible_history(tmp_path: Path, capsys: Any) -> None:
    argv = _unchanged_check(tmp_path, [_enum_schema("a", "b"), _enum_schema("a", "b", "c")])

    code = main([*argv, "--mode", "backward-transitive"])

    assert code == EXIT_OK
    assert json.loads(capsys.readouterr().out)["schemas"][0]["status"] == "unchanged"
