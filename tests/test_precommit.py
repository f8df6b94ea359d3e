"""The pre-commit hooks, run for real by pre-commit in a temporary git repository.

Each run builds a fresh hook environment from this checkout (with uv, through
pre-commit-uv), which downloads the dependencies from the package index on a cold
cache.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.report_cases import NEW, OLD

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / ".pre-commit-hooks.yaml"
GIT_IDENTITY = ["-c", "user.name=test", "-c", "user.email=test@example.invalid"]


def git(folder: Path, *args: str) -> None:
    subprocess.run(["git", *GIT_IDENTITY, *args], cwd=folder, check=True, capture_output=True)


def pre_commit(folder: Path, *args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    env.pop("SCHEMAGATE_TRACEBACK", None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args, "--color", "never"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A producer repository with one committed schema, changed in a breaking way and staged."""
    folder = tmp_path / "project"
    (folder / "schemas").mkdir(parents=True)
    git(folder, "init", "-q", "-b", "main")
    schema = folder / "schemas" / "Order.json"
    schema.write_text(json.dumps(OLD, indent=2), encoding="utf-8")
    (folder / "README.md").write_text("orders\n", encoding="utf-8")
    git(folder, "add", ".")
    git(folder, "commit", "-q", "-m", "Add Order")
    schema.write_text(json.dumps(NEW, indent=2), encoding="utf-8")
    git(folder, "add", ".")
    return folder


def test_manifest_is_valid() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", str(MANIFEST)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_hook_blocks_breaking_commit(project: Path, tmp_path: Path) -> None:
    result = pre_commit(
        project,
        "try-repo",
        str(ROOT),
        "schemagate-check",
        "--files",
        "schemas/Order.json",
        "README.md",
        home=tmp_path / "pre-commit-home",
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "schemagate check" in result.stdout
    assert "- hook id: schemagate-check" in result.stdout
    assert "/properties/total: error: type changed from number to string" in result.stdout
    assert "[enum-value-removed]" in result.stdout
    assert "registry git:HEAD" in result.stdout
    assert "README.md" not in result.stdout


def test_codegen_hook_flags_stale_bindings(project: Path, tmp_path: Path) -> None:
    # `try-repo` cannot pass hook arguments, so this run names the checkout's HEAD commit
    # in a config file: uncommitted changes to the hooks are not part of it.
    git(project, "stash", "-q")
    generate = subprocess.run(
        [sys.executable, "-m", "schemagate", "codegen", "schemas", "--out", "bindings"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert generate.returncode == 0, generate.stderr
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "Generate bindings")
    git(project, "stash", "pop", "-q")
    git(project, "add", ".")
    revision = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    config = tmp_path / "pre-commit-config.yaml"
    config.write_text(
        "repos:\n"
        f"-   repo: {ROOT}\n"
        f"    rev: {revision}\n"
        "    hooks:\n"
        "    -   id: schemagate-codegen-check\n"
        "        args: [schemas, --out, bindings]\n",
        encoding="utf-8",
    )
    result = pre_commit(
        project,
        "run",
        "--config",
        str(config),
        "--files",
        "schemas/Order.json",
        home=tmp_path / "pre-commit-home",
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "- hook id: schemagate-codegen-check" in result.stdout
    assert "out of date" in result.stdout
