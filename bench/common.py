"""Helpers shared by the benchmarks: machine description, medians, generated schemas."""

from __future__ import annotations

import importlib.metadata
import os
import platform
import statistics
import sys
from collections.abc import Callable
from typing import Any


def machine() -> str:
    """Describe the machine and interpreter a benchmark ran on."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores, "
        f"Python {sys.version.split()[0]}"
    )


def versions(*packages: str) -> str:
    found = []
    for name in packages:
        try:
            found.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{name} (not installed)")
    return ", ".join(found)


def median_seconds(function: Callable[[], Any], runs: int) -> float:
    """Run `function` `runs` times and return the median wall time in seconds."""
    import time

    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def wide_schema(
    properties: int, *, retyped: int | None = None, nested: int = 0, one_of: int = 0
) -> dict[str, Any]:
    """Build a draft 4 object schema with `properties` members.

    `retyped` turns one member into a string (a break); `nested` wraps every tenth
    member in that many object levels; `one_of` adds a member with that many branches.
    """
    members: dict[str, Any] = {}
    for index in range(properties):
        member: dict[str, Any] = {"type": "integer", "minimum": 0}
        if index % 3 == 1:
            member = {"type": "string", "maxLength": 64}
        if index % 3 == 2:
            member = {"type": "array", "items": {"type": "string"}}
        if index == retyped:
            member = {"type": "string"} if member.get("type") != "string" else {"type": "integer"}
        for _ in range(nested if index % 10 == 0 else 0):
            member = {"type": "object", "properties": {"inner": member}, "required": ["inner"]}
        members[f"field{index}"] = member
    if one_of:
        members["choice"] = {
            "oneOf": [
                {
                    "type": "object",
                    "properties": {"kind": {"enum": [f"k{i}"]}, f"v{i}": {"type": "integer"}},
                    "required": ["kind"],
                }
                for i in range(one_of)
            ]
        }
    return {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "type": "object",
        "properties": members,
        "required": [f"field{i}" for i in range(0, properties, 2)],
    }
