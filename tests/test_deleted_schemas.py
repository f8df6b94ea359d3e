"""`check` reports a schema file deleted since the base ref while its schema is registered."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemagate.registry.base import SchemaVersion
from schemagate.registry.snapshot import write_snapshot
from tests.report_cases import OLD
from tests.test_baseline import check, git

SCHEMA_TEXT = json.dumps(OLD, indent=2)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with Order and Refund schemas committed, and Refund deleted since."""
    folder = tmp_path / "repo"
    (folder / "schemas").mkdir(parents=True)
    git(folder, "init", "-q", "-b", "main")
    for name in ("Order", "Refund"):
        (folder / "schemas" / f"{name}.json").write_text(SCHEMA_TEXT, encoding="utf-8")
    git(folder, "add", ".")
    git(folder, "commit", "-q", "-m", "Add schemas")
    (folder / "schemas" / "Refund.json").unlink()
    monkeypatch.chdir(folder)
    return folder


def deleted(report: dict) -> list[dict]:  # type: ignore[type-arg]
    return [
        schema
        for schema in report["schemas"]
        if any(f["rule"] == "schema-deleted" for f in schema["findings"])
    ]


def test_deleted_file_fails_git_baseline(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, report, _ = check(capsys, "--against", "git:main", "schemas")
    assert code == 1
    [schema] = deleted(report)
    assert schema["name"] == "Refund"
    assert schema["path"] == "schemas/Refund.json"
    assert schema["status"] == "breaking"
    [finding] = schema["findings"]
    assert finding["severity"] == "error"
    assert finding["old_pointer"] == ""
    assert "schemas/Refund.json exists at main" in finding["message"]


def test_deleted_file_in_text_report(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from schemagate.cli import main

    code = main(["check", "--against", "git:main"])
    out = capsys.readouterr().out
    assert code == 1
    assert "Refund: breaking" in out
    assert "schema 'Refund' is deleted" in out


@pytest.mark.parametrize("moved", ["schemas/Refund.yaml", "schemas/old/Refund.json"])
def test_renamed_file_is_not_deleted(
    repo: Path, moved: str, capsys: pytest.CaptureFixture[str]
) -> None:
    target = repo / moved
    target.parent.mkdir(exist_ok=True)
    target.write_text(SCHEMA_TEXT, encoding="utf-8")
    code, report, _ = check(capsys, "--against", "git:main", "schemas")
    assert code == 0
    assert deleted(report) == []


def test_named_files_skip_deletions(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Only checked folders count, because a run over named files leaves the others out.
    code, report, _ = check(capsys, "--against", "git:main", "schemas/Order.json")
    assert code == 0
    assert deleted(report) == []


def test_accepted_deletion_passes(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "schemagate.toml").write_text(
        "[[accepted-changes]]\n"
        'rule = "schema-deleted"\n'
        'schema = "Refund"\n'
        'pointer = ""\n'
        'reason = "refunds moved to the payments service"\n'
        "expires = 2099-01-01\n",
        encoding="utf-8",
    )
    code, report, _ = check(capsys, "--against", "git:main", "schemas")
    assert code == 0
    [schema] = deleted(report)
    assert schema["status"] == "compatible"
    assert schema["findings"][0]["accepted"].startswith("refunds moved")


def test_mode_none_reports_deletion_at_info(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report, _ = check(capsys, "--against", "git:main", "--mode", "none", "schemas")
    assert code == 0
    [schema] = deleted(report)
    assert schema["findings"][0]["severity"] == "info"


def snapshot_of(repo: Path, *names: str) -> str:
    versions = [SchemaVersion(name, "3", "JSONSchemaDraft4", SCHEMA_TEXT) for name in names]
    write_snapshot(repo / "snap", "orders", versions)
    return f"dir:{repo / 'snap'}"


def test_registered_deletion_fails_registry_check(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    registry = snapshot_of(repo, "Order", "Refund")
    code, report, _ = check(capsys, "--registry", registry, "--base-ref", "main", "schemas")
    assert code == 1
    [schema] = deleted(report)
    assert schema["registered_version"] == "3"
    assert "has version 3" in schema["findings"][0]["message"]


def test_unregistered_deletion_passes(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A file deleted before it was ever published leaves no consumer behind.
    registry = snapshot_of(repo, "Order")
    code, report, _ = check(capsys, "--registry", registry, "--base-ref", "main", "schemas")
    assert code == 0
    assert deleted(report) == []


def test_registry_check_without_base_ref(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    registry = snapshot_of(repo, "Order", "Refund")
    code, report, _ = check(capsys, "--registry", registry, "schemas")
    assert code == 0
    assert deleted(report) == []


def test_deletion_under_mapped_name(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "schemagate.toml").write_text(
        '[names]\n"Refund" = "com.example@Refund"\n', encoding="utf-8"
    )
    registry = snapshot_of(repo, "Order", "com.example@Refund")
    code, report, _ = check(capsys, "--registry", registry, "--base-ref", "main", "schemas")
    assert code == 1
    assert [s["name"] for s in deleted(report)] == ["com.example@Refund"]


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("no-such-branch", "git ref 'no-such-branch' not found"),
        ("-p", "invalid --base-ref '-p'"),
        ("", "invalid --base-ref ''"),
    ],
)
def test_invalid_base_ref_is_input_error(
    repo: Path, ref: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    registry = snapshot_of(repo, "Order")
    code, _, err = check(capsys, "--registry", registry, "--base-ref", ref, "schemas")
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_base_ref_outside_git_is_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "Order.json").write_text(SCHEMA_TEXT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    registry = snapshot_of(tmp_path, "Order")
    code, _, err = check(capsys, "--registry", registry, "--base-ref", "main", "schemas")
    assert code == 2
    assert "is not inside a git repository" in err


def test_deletion_dropping_its_mapping(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings = repo / "schemagate.toml"
    settings.write_text('[names]\n"Refund" = "com.example@Refund"\n', encoding="utf-8")
    git(repo, "add", "schemagate.toml")
    git(repo, "commit", "-q", "-m", "Name Refund")
    # The change deletes the file and its mapping together.
    settings.write_text("", encoding="utf-8")
    registry = snapshot_of(repo, "Order", "com.example@Refund")
    code, report, _ = check(capsys, "--registry", registry, "--base-ref", "HEAD", "schemas")
    assert code == 1
    assert [s["name"] for s in deleted(report)] == ["com.example@Refund"]


@pytest.mark.parametrize("emptied", ["removed", "empty"])
def test_every_schema_deleted(
    repo: Path, emptied: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "schemas" / "Order.json").unlink()
    if emptied == "removed":
        (repo / "schemas").rmdir()
    code, report, _ = check(capsys, "--against", "git:main")
    assert code == 1
    assert sorted(s["name"] for s in deleted(report)) == ["Order", "Refund"]


def test_missing_folder_without_deletions(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = check(capsys, "--against", "git:main", "elsewhere")
    assert code == 2
    assert "no schema files (.json, .yaml, .yml) in elsewhere" in err


def test_orphan_branch_has_nothing_deleted(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    git(repo, "checkout", "-q", "--orphan", "fresh")
    code, report, _ = check(capsys, "--against", "git:HEAD", "--allow-new", "schemas")
    assert code == 0
    assert [s["status"] for s in report["schemas"]] == ["new"]


def test_folder_named_like_pathspec(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = repo / ":(top)x"
    folder.mkdir()
    (folder / "Magic.json").write_text(SCHEMA_TEXT, encoding="utf-8")
    git(repo, "add", "--", ":(literal):(top)x/Magic.json")
    git(repo, "commit", "-q", "-m", "Add Magic")
    (folder / "Magic.json").unlink()
    code, report, _ = check(capsys, "--against", "git:HEAD", ":(top)x")
    assert code == 1
    assert [s["name"] for s in deleted(report)] == ["Magic"]
