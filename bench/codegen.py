"""Wall time of `schemagate codegen` on the real corpus and on generated documents.

Run by hand from the repository root, in an environment with the codegen extra:

    python -m venv /tmp/bench && /tmp/bench/bin/pip install -e '.[codegen]'
    /tmp/bench/bin/python bench/codegen.py [--runs 5]

Each measurement runs the `schemagate codegen` command in a fresh interpreter, so it
includes interpreter start, imports and datamodel-code-generator's first-call set-up,
as a pre-commit hook or CI job pays them. Cases: the 24 documents of the EventBridge
corpus in one run (read from ../shared/corpus/eventbridge), one OpenAPI document with
an AWSEvent envelope and 250 generated components, and four such documents (1,000
components). Prints the median wall time and the median CPU time (user plus system)
of the child process. On a busy machine the CPU time is the better guide.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, median_seconds, versions

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "eventbridge"


def component_document(count: int) -> dict[str, Any]:
    """Build an OpenAPI document whose detail refers, through a chain, to `count` components."""
    schemas: dict[str, Any] = {
        "AWSEvent": {
            "type": "object",
            "required": ["detail-type", "source", "detail"],
            "x-amazon-events-source": "com.example.bench",
            "x-amazon-events-detail-type": "Bench",
            "properties": {
                "detail": {"$ref": "#/components/schemas/Part0"},
                "detail-type": {"type": "string"},
                "source": {"type": "string"},
                "time": {"type": "string", "format": "date-time"},
            },
        }
    }
    for index in range(count):
        properties: dict[str, Any] = {
            "id": {"type": "string"},
            "amount": {"type": "number", "minimum": 0},
            "state": {"type": "string", "enum": ["open", "closed"]},
            "tags": {"type": "array", "items": {"type": "string"}},
        }
        if index + 1 < count:
            properties["next-part"] = {"$ref": f"#/components/schemas/Part{index + 1}"}
        schemas[f"Part{index}"] = {"type": "object", "required": ["id"], "properties": properties}
    return {
        "openapi": "3.0.0",
        "info": {"title": "Bench", "version": "1.0.0"},
        "paths": {},
        "components": {"schemas": schemas},
    }


def run_codegen(paths: list[Path], out: Path) -> None:
    command = [sys.executable, "-m", "schemagate", "-q", "codegen", *map(str, paths)]
    completed = subprocess.run(
        [*command, "--out", str(out)], capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise SystemExit(f"codegen failed: {completed.stderr.strip()}")


def measure(label: str, paths: list[Path], work: Path, runs: int) -> None:
    counter = iter(range(runs + 1))
    cpu: list[float] = []

    def once() -> None:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        run_codegen(paths, work / f"out{next(counter)}")
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)

    seconds = median_seconds(once, runs)
    print(f"{label:<44} wall {seconds:6.2f} s   cpu {statistics.median(cpu):6.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="Runs per case (default: 5).")
    args = parser.parse_args()
    print(machine())
    print(versions("schemagate", "datamodel-code-generator", "pydantic"))
    print(f"median of {args.runs} runs, fresh interpreter each")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        if CORPUS.is_dir():
            files = sorted(CORPUS.glob("*.json"))
            measure(f"corpus: {len(files)} documents", files, work / "corpus", args.runs)
        else:
            print(f"corpus: skipped, {CORPUS} is absent")
        one = work / "Bench250.json"
        one.write_text(json.dumps(component_document(250)), encoding="utf-8")
        measure("one document, 250 components", [one], work / "250", args.runs)
        # A local file may not exceed the registry's 100,000-character limit, which
        # 1,000 components of this shape pass, so they are split over four documents.
        four = [work / f"Bench250x{index}.json" for index in range(4)]
        for path in four:
            path.write_text(json.dumps(component_document(250)), encoding="utf-8")
        measure("four documents, 1,000 components", four, work / "1000", args.runs)


if __name__ == "__main__":
    main()
