"""Measure what line numbers cost: the position index against loading and diffing.

Run by hand: `python bench/positions.py --runs 7`. Each case times three things in one
process. The first is loading the new file. The second is building its position index,
which is the work a reporter with line numbers adds. The third is a whole `diff`, in
the JSON format (no line numbers) and in the text format (a line for every finding).
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
from contextlib import redirect_stdout
from pathlib import Path

from ruamel.yaml import YAML

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, median_seconds, versions, wide_schema

from schemagate.cli import main
from schemagate.load import load_file, positions


def write(path: Path, data: dict[str, object]) -> Path:
    if path.suffix == ".json":
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    else:
        with path.open("w", encoding="utf-8") as stream:
            YAML().dump(data, stream)
    return path


def diff_seconds(old: Path, new: Path, output_format: str, runs: int) -> float:
    def run() -> None:
        positions._line_index.cache_clear()
        with redirect_stdout(io.StringIO()):
            main(["diff", "--format", output_format, str(old), str(new)])

    return median_seconds(run, runs)


def measure(folder: Path, properties: int, suffix: str, runs: int) -> str:
    old = write(folder / f"old{properties}{suffix}", wide_schema(properties))
    new = write(folder / f"new{properties}{suffix}", wide_schema(properties, retyped=1))

    def index() -> None:
        positions._line_index.cache_clear()
        positions.locate(new, "/properties/field1")

    load = median_seconds(lambda: load_file(new), runs)
    build = median_seconds(index, runs)
    as_json = diff_seconds(old, new, "json", runs)
    as_text = diff_seconds(old, new, "text", runs)
    return (
        f"| {properties} properties, {suffix[1:].upper()} | {load * 1000:.1f} ms | "
        f"{build * 1000:.1f} ms | {as_json * 1000:.0f} ms | {as_text * 1000:.0f} ms |"
    )


def main_() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    print(f"versions: {versions('schemagate', 'json-source-map', 'ruamel.yaml')}")
    print("| case | load | position index | diff --format json | diff --format text |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for properties in (50, 1000):
            for suffix in (".json", ".yaml"):
                print(measure(Path(folder), properties, suffix, args.runs))


if __name__ == "__main__":
    main_()
