"""Cost of the contract stage of `schemagate check`, in process.

Run by hand from the repository root:

    python bench/contracts.py [--runs 5]

Ten local schemas (draft 4, 200 properties each, one optional property removed) are
checked against a folder snapshot of their previous versions, with 0, 10 and 100
consumer contracts. Each contract reads 10 fields of every schema, one of them the
removed property. Prints the median wall time of `check_schemas` per case; the
difference from the case without contracts is the cost of the contract stage.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, median_seconds, versions, wide_schema

from schemagate.contracts.gate import ContractReview
from schemagate.contracts.model import Contract, ContractField, EventNeeds
from schemagate.contracts.paths import parse_field_path
from schemagate.gate import check_schemas
from schemagate.modes import Mode, Policy
from schemagate.registry.base import SchemaVersion
from schemagate.registry.snapshot import SnapshotRegistry, write_snapshot

SCHEMAS = 10
PROPERTIES = 200
FIELDS_PER_SCHEMA = 10
# An optional member of `wide_schema` (odd indexes are not required).
REMOVED = "field1"


def build(folder: Path) -> tuple[list[Path], SnapshotRegistry]:
    old = wide_schema(PROPERTIES)
    new = copy.deepcopy(old)
    del new["properties"][REMOVED]
    versions_ = []
    files = []
    (folder / "schemas").mkdir()
    for index in range(SCHEMAS):
        name = f"Event{index}"
        versions_.append(SchemaVersion(name, "1", "JSONSchemaDraft4", json.dumps(old)))
        path = folder / "schemas" / f"{name}.json"
        path.write_text(json.dumps(new), encoding="utf-8")
        files.append(path)
    write_snapshot(folder / "snapshot", "bench", versions_)
    return files, SnapshotRegistry(folder / "snapshot")


def contracts(count: int) -> tuple[Contract, ...]:
    paths = [f"detail.field{i}" for i in range(1, FIELDS_PER_SCHEMA * 7, 7)]
    fields = tuple(ContractField(parse_field_path(p)) for p in paths)
    events = tuple(EventNeeds(f"Event{i}", fields) for i in range(SCHEMAS))
    return tuple(Contract(f"consumer{n}", events) for n in range(count))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    print(f"versions: {versions('schemagate', 'jsonschema')}")
    with tempfile.TemporaryDirectory() as temp:
        files, registry = build(Path(temp))
        base: dict[str, Any] = {}
        for count in (0, 10, 100):
            review = ContractReview(contracts(count)) if count else None

            def run(review: ContractReview | None = review) -> None:
                check_schemas(files, registry, Mode.FULL, Policy.TOLERANT, review=review)

            seconds = median_seconds(run, args.runs)
            base.setdefault("seconds", seconds)
            extra = seconds - base["seconds"]
            print(
                f"{count:>3} contracts: {seconds * 1000:8.1f} ms median "
                f"({extra * 1000:+.1f} ms for the contract stage), {args.runs} runs"
            )


if __name__ == "__main__":
    main()
