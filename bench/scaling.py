"""How the gate's time grows with schema size and with the number of schemas.

Run by hand from the repository root:

    python bench/scaling.py [--runs 5]

Part one times `diff_documents` in process on generated draft 4 pairs of growing size
(compatible: one optional member added; breaking: one member retyped). Part two runs
`schemagate check` as a process on N local schemas against a snapshot of their earlier
versions, and reports wall time and peak resident memory of that process.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, median_seconds, versions, wide_schema

from schemagate.diff.engine import diff_documents
from schemagate.load import load_text
from schemagate.modes import Mode
from schemagate.registry.base import SchemaVersion
from schemagate.registry.snapshot import write_snapshot


def with_added_member(schema: dict[str, object]) -> dict[str, object]:
    copy = json.loads(json.dumps(schema))
    copy["properties"]["addedLater"] = {"type": "string"}
    return copy


def size_table(runs: int) -> None:
    print("| members | compatible pair ms | breaking pair ms | ms per member (breaking) |")
    print("|---|---|---|---|")
    for size in (50, 200, 500, 1000):
        old = json.dumps(wide_schema(size))
        compatible = json.dumps(with_added_member(wide_schema(size)))
        breaking = json.dumps(wide_schema(size, retyped=size // 2))

        def run(new: str, old: str = old) -> None:
            diff_documents(load_text(old, "old.json"), load_text(new, "new.json"), Mode.FULL)

        ok = median_seconds(lambda new=compatible: run(new), runs)
        broken = median_seconds(lambda new=breaking: run(new), runs)
        print(f"| {size} | {ok * 1000:.1f} | {broken * 1000:.1f} | {broken * 1000 / size:.3f} |")


def write_project(folder: Path, count: int) -> list[str]:
    (folder / "schemas").mkdir()
    registered = []
    for index in range(count):
        base = wide_schema(20)
        (folder / "schemas" / f"Event{index}.json").write_text(json.dumps(with_added_member(base)))
        registered.append(
            SchemaVersion(f"Event{index}", "1", "JSONSchemaDraft4", json.dumps(base))
        )
    write_snapshot(folder / "snapshot", "bench", registered)
    return [str(folder / "schemas")]


def count_table(runs: int) -> None:
    print("| schemas | check wall s (median) | peak RSS MiB |")
    print("|---|---|---|")
    for count in (10, 100, 1000):
        with tempfile.TemporaryDirectory() as temp:
            folder = Path(temp)
            paths = write_project(folder, count)
            argv = [
                sys.executable,
                "-m",
                "schemagate",
                "check",
                *paths,
                "--registry",
                f"dir:{folder / 'snapshot'}",
                "--format",
                "json",
            ]
            times = []
            peak = 0.0
            for _ in range(runs):
                before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
                start = time.perf_counter()
                completed = subprocess.run(argv, cwd=folder, capture_output=True, check=False)
                times.append(time.perf_counter() - start)
                if completed.returncode != 0:
                    raise SystemExit(completed.stderr.decode()[:500])
                peak = max(peak, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before)
            print(f"| {count} | {statistics.median(times):.2f} | {peak / 1024:.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    print(f"versions: {versions('schemagate', 'jsonschema')}")
    print(f"command: python bench/scaling.py --runs {args.runs}")
    size_table(args.runs)
    print()
    count_table(max(1, args.runs // 2))


if __name__ == "__main__":
    main()
