"""Whole-process timings of the commands a developer and a pre-commit hook run.

Run by hand from the repository root, in an environment where schemagate and
check-jsonschema are installed (check-jsonschema is the comparison, not a dependency):

    python -m venv /tmp/bench && /tmp/bench/bin/pip install -e . check-jsonschema
    /tmp/bench/bin/python bench/cold_start.py [--runs 15]

Each command runs `--runs` times as a new process. The table shows medians and the
ratio to check-jsonschema validating the same ten files against their metaschema.
schemagate remembers documents that passed its metaschema check in its cache folder
(here a temporary one). Rows marked "first sight" empty that folder before each run, as
a CI job without a cache meets every document; the others run after a first run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, versions

ROOT = Path(__file__).resolve().parent.parent


def ten_file_project(folder: Path) -> None:
    """Write ten local schemas and a snapshot holding an earlier version of each."""
    from schemagate.registry.base import SchemaVersion
    from schemagate.registry.snapshot import write_snapshot

    base = json.loads((ROOT / "examples/registered/OrderShipped.v1.json").read_text())
    (folder / "schemas").mkdir()
    registered = []
    for index in range(10):
        old = json.loads(json.dumps(base))
        new = json.loads(json.dumps(base))
        new["definitions"]["OrderShipped"]["properties"][f"note{index}"] = {"type": "string"}
        (folder / "schemas" / f"Event{index}.json").write_text(json.dumps(new, indent=2))
        registered.append(
            SchemaVersion(f"Event{index}", "1", "JSONSchemaDraft4", json.dumps(old, indent=2))
        )
    write_snapshot(folder / "snapshot", "bench", registered)


def median_run(argv: list[str], runs: int, cwd: Path, expected: int, cache: Path | None) -> float:
    """Return the median wall time of `argv`; with `cache`, empty that folder before each run."""
    times = []
    for _ in range(runs):
        if cache is not None:
            shutil.rmtree(cache, ignore_errors=True)
        start = time.perf_counter()
        completed = subprocess.run(argv, cwd=cwd, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
        if completed.returncode != expected:
            raise SystemExit(f"{argv} exited {completed.returncode}: {completed.stderr!r}")
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    schemagate = shutil.which("schemagate") or str(Path(sys.executable).parent / "schemagate")
    checker = shutil.which("check-jsonschema") or str(
        Path(sys.executable).parent / "check-jsonschema"
    )
    with tempfile.TemporaryDirectory() as temp:
        project = Path(temp) / "project"
        project.mkdir()
        cache = Path(temp) / "cache"
        os.environ["SCHEMAGATE_CACHE_DIR"] = str(cache)
        ten_file_project(project)
        files = sorted(str(p) for p in (project / "schemas").glob("*.json"))
        compatible = [
            schemagate,
            "diff",
            str(ROOT / "examples/registered/OrderPlaced.v2.json"),
            str(ROOT / "schemas/OrderPlaced.json"),
        ]
        check = [schemagate, "check", *files, "--registry", f"dir:{project / 'snapshot'}"]
        cases = [
            ("schemagate diff, compatible, first sight", compatible, 0, cache),
            ("schemagate diff, compatible", compatible, 0, None),
            (
                "schemagate diff, breaking (proves witnesses)",
                [
                    schemagate,
                    "diff",
                    str(ROOT / "examples/breaking/OrderPlaced.old.json"),
                    str(ROOT / "examples/breaking/OrderPlaced.new.json"),
                ],
                1,
                None,
            ),
            ("schemagate check, 10 files against a snapshot, first sight", check, 0, cache),
            ("schemagate check, 10 files against a snapshot", check, 0, None),
            (
                "check-jsonschema --check-metaschema, same 10 files",
                [checker, "--check-metaschema", *files],
                0,
                None,
            ),
            ("python -c pass (interpreter start)", [sys.executable, "-c", "pass"], 0, None),
        ]
        results = {
            name: median_run(argv, args.runs, project, code, emptied)
            for name, argv, code, emptied in cases
        }
    print(f"machine: {machine()}")
    print(f"versions: {versions('schemagate', 'jsonschema', 'click', 'check-jsonschema')}")
    print(f"command: python bench/cold_start.py --runs {args.runs}")
    reference = results["check-jsonschema --check-metaschema, same 10 files"]
    print("| command | median ms | ratio to check-jsonschema |")
    print("|---|---|---|")
    for name, seconds in results.items():
        print(f"| {name} | {seconds * 1000:.0f} | {seconds / reference:.2f} |")


if __name__ == "__main__":
    main()
