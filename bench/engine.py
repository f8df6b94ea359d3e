"""Time the compatibility engine on wide, nested, union and pathological pairs.

Run by hand: `python bench/engine.py --runs 7`. Each case compares two in-memory
documents with `diff_documents` under FULL mode and prints the median wall time and
the units of comparison work spent (see `schemagate.diff.budget`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, median_seconds, versions, wide_schema

from schemagate.diff import engine
from schemagate.diff.budget import WorkBudget
from schemagate.load.document import load_text
from schemagate.modes import Mode, Policy

spent: list[WorkBudget] = []


class RecordedBudget(WorkBudget):
    """A work budget that remembers itself, so the benchmark can read what was spent."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        spent.append(self)


def nested_one_of(depth: int, width: int, leaf: dict[str, Any]) -> dict[str, Any]:
    definitions: dict[str, Any] = {}
    for level in range(depth):
        inner = {"$ref": f"#/definitions/d{level + 1}"} if level + 1 < depth else leaf
        branches = [{"type": "object", "properties": {f"p{i}": inner}} for i in range(width)]
        definitions[f"d{level}"] = {"oneOf": branches}
    return {"definitions": definitions, "$ref": "#/definitions/d0"}


def reversed_branches(schema: dict[str, Any]) -> dict[str, Any]:
    choice = schema["properties"]["choice"]
    properties = {**schema["properties"], "choice": {"oneOf": choice["oneOf"][::-1]}}
    return {**schema, "properties": properties}


CASES: list[tuple[str, dict[str, Any], dict[str, Any], Policy]] = [
    ("200 properties, unchanged", wide_schema(200), wide_schema(200), Policy.TOLERANT),
    ("200 properties, one retyped", wide_schema(200), wide_schema(200, retyped=7),
     Policy.TOLERANT),
    ("200 properties, one retyped, strict", wide_schema(200), wide_schema(200, retyped=7),
     Policy.STRICT),
    ("200 properties, nested 3 deep", wide_schema(200, nested=3),
     wide_schema(200, nested=3, retyped=20), Policy.TOLERANT),
    ("oneOf of 20 branches, reordered", wide_schema(10, one_of=20),
     reversed_branches(wide_schema(10, one_of=20)), Policy.TOLERANT),
    ("nested oneOf 8 deep x 4 wide (pathological)",
     nested_one_of(8, 4, {"type": "string"}), nested_one_of(8, 4, {"type": "integer"}),
     Policy.STRICT),
]  # fmt: skip


def run_case(old: dict[str, Any], new: dict[str, Any], policy: Policy) -> None:
    old_document = load_text(json.dumps(old), "old.json")
    new_document = load_text(json.dumps(new), "new.json")
    engine.diff_documents(old_document, new_document, Mode.FULL, policy)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    engine.WorkBudget = RecordedBudget  # type: ignore[misc]
    print(machine())
    print(versions("schemagate", "jsonschema", "rstr"))
    print(f"median of {runs} runs, FULL mode")
    for name, old, new, policy in CASES:
        spent.clear()
        seconds = median_seconds(lambda o=old, n=new, p=policy: run_case(o, n, p), runs)
        # Identical documents return before any budget is made: no work is spent.
        units = spent[-1].spent if spent else 0
        print(f"{name:<45} {seconds * 1000:9.2f} ms  {units:6d} units")


if __name__ == "__main__":
    main()
