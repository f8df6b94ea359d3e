"""`check --against git:REF`: compare with the schema files at a git ref."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from schemagate.cli import main
from tests.report_cases import NEW, OLD

GIT_IDENTITY = ["-c", "user.name=test", "-c", "user.email=test@example.invalid"]


def git(folder: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *GIT_IDENTITY, *args], cwd=folder, capture_output=True, text=True, check=True
    )
    return result.stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose committed Order schema the working tree breaks."""
    folder = tmp_path / "repo"
    (folder / "schemas").mkdir(parents=True)
    git(folder, "init", "-q", "-b", "main")
    schema = folder / "schemas" / "Order.json"
    schema.write_text(json.dumps(OLD, indent=2), encoding="utf-8")
    git(folder, "add", ".")
    git(folder, "commit", "-q", "-m", "Add Order")
    schema.write_text(json.dumps(NEW, indent=2), encoding="utf-8")
    monkeypatch.chdir(folder)
    return folder


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    code = main(["check", "--format", "json", *args])
    captured = capsys.readouterr()
    return code, json.loads(captured.out) if captured.out else {}, captured.err


def test_breaks_against_git_ref_are_found(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, report, _ = check(capsys, "--against", "git:main", "schemas")
    assert code == 1
    assert report["registry"] == "git:main"
    schema = report["schemas"][0]
    assert schema["status"] == "breaking"
    assert schema["registered_version"] == "main"
    found = {(f["rule"], f["new_pointer"]) for f in schema["findings"] if f["severity"] == "error"}
    assert found == {
        ("type-changed", "/properties/total"),
        ("enum-value-removed", "/properties/currency"),
    }


def test_unchanged_file_at_ref_passes(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    git(repo, "checkout", "-q", "--", "schemas/Order.json")
    code, report, _ = check(capsys, "--against", "git:HEAD", "schemas")
    assert code == 0
    assert report["schemas"][0]["status"] == "unchanged"


def test_registry_setting_accepts_git_ref(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "schemagate.toml").write_text('registry = "git:main"\n', encoding="utf-8")
    code, report, _ = check(capsys)
    assert code == 1
    assert report["registry"] == "git:main"


@pytest.mark.parametrize(
    ("option", "code", "status"), [([], 1, "unregistered"), (["--allow-new"], 0, "new")]
)
def test_file_absent_at_ref_is_new(
    repo: Path, option: list[str], code: int, status: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "schemas" / "Fresh.yaml").write_text("type: object\n", encoding="utf-8")
    result, report, _ = check(capsys, "--against", "git:main", *option, "schemas/Fresh.yaml")
    assert result == code
    assert report["schemas"][0]["status"] == status
    assert report["schemas"][0]["findings"][0]["message"].startswith(
        "schema 'Fresh' is not in git:main; register it with `schemagate publish`, or pass "
        "--allow-new"
    )


def test_missing_ref_exits_2(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = check(capsys, "--against", "git:no-such-branch", "schemas")
    assert code == 2
    assert err == (
        "error: git ref 'no-such-branch' not found; fetch it or name an existing branch, "
        "tag or commit\n"
    )


@pytest.mark.parametrize(
    ("ref", "hint"),
    [
        ("HEAD~1", "fetch more history first (git fetch --deepen=50"),
        ("added", "fetch it first (git fetch --depth=1 origin added:added)"),
        ("origin/added", "fetch it first (git fetch --depth=1 origin added:refs/remotes/"),
        ("first", "fetch it first (git fetch --depth=1 origin "),
    ],
    ids=["relative", "branch", "remote-branch", "commit"],
)
def test_shallow_clone_missing_ref_says_how_to_fetch(
    ref: str,
    hint: str,
    repo: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The command in the message, run as written, brings the ref into the clone.
    first = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "branch", "added")
    git(repo, "commit", "-q", "-am", "Break Order")
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow))
    monkeypatch.chdir(shallow)
    ref = first if ref == "first" else ref
    code, _, err = check(capsys, "--against", f"git:{ref}", "schemas")
    assert code == 2
    assert err.startswith(f"error: git ref {ref!r} not found in this shallow clone; {hint}")
    assert "fetch-depth: 0" in err
    command = err.split("(", 1)[1].split(")", 1)[0].split(",", 1)[0]
    git(shallow, *command.split()[1:])
    code, _, err = check(capsys, "--against", f"git:{ref}", "schemas")
    assert code == 1, err


def test_ref_is_never_run_by_a_shell(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = check(capsys, "--against", "git:$(touch injected);touch injected2", "schemas")
    assert code == 2
    assert not (repo / "injected").exists()
    assert not (repo / "injected2").exists()


def test_ref_starting_with_dash_is_rejected(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = check(capsys, "--against", "git:--output=x", "schemas")
    assert code == 2
    assert err.startswith("error: invalid baseline 'git:--output=x'; use git:REF")


def test_folder_outside_git_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "Order.json").write_text(json.dumps(NEW), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    code, _, err = check(capsys, "--against", "git:main", "Order.json")
    assert code == 2
    assert "is not inside a git repository" in err


def test_registry_and_against_together_exit_2(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = check(capsys, "--against", "git:main", "--registry", "dir:x", "schemas")
    assert code == 2
    assert err == "error: pass either --registry or --against, not both\n"


def test_text_report_names_the_ref(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", "--against", "git:main", "schemas"])
    out = capsys.readouterr().out
    assert code == 1
    assert out.startswith("Order: breaking (compared with git:main)\n")


@pytest.fixture
def fresh_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with a staged schema and no commit yet."""
    folder = tmp_path / "fresh"
    (folder / "schemas").mkdir(parents=True)
    git(folder, "init", "-q", "-b", "main")
    (folder / "schemas" / "Order.json").write_text(json.dumps(OLD), encoding="utf-8")
    git(folder, "add", ".")
    monkeypatch.chdir(folder)
    return folder


def test_first_commit_schemas_are_new(
    fresh_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report, err = check(capsys, "--against", "git:HEAD", "--allow-new", "schemas")
    assert code == 0, err
    assert report["schemas"][0]["status"] == "new"


def test_first_commit_other_ref_still_missing(
    fresh_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = check(capsys, "--against", "git:main", "schemas")
    assert code == 2
    assert "git ref 'main' not found" in err


@pytest.mark.parametrize(
    "moved", ["schemas/Order.yaml", "schemas/orders/Order.json"], ids=["to-yaml", "to-folder"]
)
def test_renamed_file_uses_old_path(
    repo: Path, moved: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # A schema keeps its name when its file changes suffix or folder, so the file at
    # its old path is its previous version.
    target = repo / moved
    target.parent.mkdir(parents=True, exist_ok=True)
    (repo / "schemas" / "Order.json").rename(target)

    code, report, _ = check(capsys, "--against", "git:main", "schemas")

    assert code == 1
    assert report["schemas"][0]["status"] == "breaking"
    assert report["schemas"][0]["registered_version"] == "main"


@pytest.mark.parametrize(
    ("copied", "moved", "status"),
    [
        # Of two files of the name, the one in the renamed file's own folder counts.
        ("NEW", "schemas/Order.yaml", "breaking"),
        # Two files of the name elsewhere leave no single previous version.
        ("OLD", "schemas/moved/Order.json", "unregistered"),
    ],
    ids=["prefers-own-folder", "two-elsewhere-is-new"],
)
def test_renamed_file_with_two_old_paths(
    repo: Path, copied: str, moved: str, status: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "other").mkdir()
    content = NEW if copied == "NEW" else OLD
    (repo / "other" / "Order.json").write_text(json.dumps(content), encoding="utf-8")
    git(repo, "add", "other")
    git(repo, "commit", "-q", "-m", "Copy Order")
    (repo / moved).parent.mkdir(parents=True, exist_ok=True)
    (repo / "schemas" / "Order.json").rename(repo / moved)

    code, report, _ = check(capsys, "--against", "git:main", "schemas")

    assert code == 1
    assert report["schemas"][0]["status"] == status
