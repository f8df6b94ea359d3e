"""A `codegen` run killed part way leaves every module whole: the old version or the new."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from schemagate.cli import main

ROOT = Path(__file__).resolve().parent.parent
RUN_CLI = "from schemagate.cli import run; run()"


def _package(out: Path) -> dict[str, bytes]:
    """Read the package's files, leaving out hidden staging folders."""
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(out).parts)
    }


def test_killed_codegen_leaves_whole_modules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    schemas = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", schemas)
    old_package = tmp_path / "old-package"
    assert main(["codegen", "schemas", "--out", str(old_package)]) == 0
    for path in schemas.glob("*.json"):
        document = json.loads(path.read_text(encoding="utf-8"))
        document["description"] = "Regenerated after a change."
        path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    new_package = tmp_path / "new-package"
    assert main(["codegen", "schemas", "--out", str(new_package)]) == 0
    old, new = _package(old_package), _package(new_package)
    assert old != new

    out = tmp_path / "bindings"
    for delay in (0.2, 0.5, 0.9, 1.4, 2.0):
        if out.exists():
            shutil.rmtree(out)
        shutil.copytree(old_package, out)
        process = subprocess.Popen(
            [sys.executable, "-c", RUN_CLI, "codegen", "schemas", "--out", str(out)],
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
        process.wait()
        present = _package(out)
        assert set(present) <= set(old) | set(new)
        for name, content in present.items():
            assert content in (old.get(name), new.get(name)), f"{name} is half written"
        # A later run completes the interrupted one.
        assert main(["codegen", "schemas", "--out", str(out)]) == 0
        assert _package(out) == new
