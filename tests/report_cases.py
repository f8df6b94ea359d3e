"""A breaking schema pair written as JSON and YAML, with the lines each finding sits on."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML

OLD = {
    "$schema": "http://json-schema.org/draft-04/schema#",
    "type": "object",
    "required": ["total"],
    "properties": {
        "total": {"type": "number"},
        "currency": {"type": "string", "enum": ["EUR", "GBP"]},
    },
}
NEW = {
    "$schema": "http://json-schema.org/draft-04/schema#",
    "type": "object",
    "required": ["total"],
    "properties": {
        "total": {"type": "string"},
        "currency": {"type": "string", "enum": ["EUR"]},
    },
}
# Expected findings: rule ID, JSON pointer, and the keyword the line must point at.
EXPECTED = [
    ("enum-value-removed", "/properties/currency", "enum"),
    ("type-changed", "/properties/total", "type"),
]


@dataclass(frozen=True)
class Pair:
    old: Path
    new: Path

    def line_of(self, pointer: str, keyword: str) -> int:
        """Find a keyword's line by reading the file's text, apart from the product."""
        lines = self.new.read_text(encoding="utf-8").splitlines()
        name = pointer.rsplit("/", 1)[-1]
        start = next(
            i
            for i, line in enumerate(lines)
            if line.strip().startswith(f'"{name}"') or line.strip().startswith(f"{name}:")
        )
        for index in range(start, len(lines)):
            stripped = lines[index].strip()
            if stripped.startswith((f'"{keyword}"', f"{keyword}:")):
                return index + 1
        raise AssertionError(f"{keyword} not found under {pointer}")


def write_pair(folder: Path, suffix: str) -> Pair:
    folder.mkdir(parents=True, exist_ok=True)
    old = folder / f"Order.old{suffix}"
    new = folder / f"Order{suffix}"
    for path, data in ((old, OLD), (new, NEW)):
        if suffix == ".json":
            path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        else:
            yaml = YAML()
            yaml.default_flow_style = False
            with path.open("w", encoding="utf-8") as stream:
                yaml.dump(data, stream)
    return Pair(old, new)
