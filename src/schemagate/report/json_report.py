"""Machine-readable output: one JSON object with a format version."""

from __future__ import annotations

import json

from schemagate.report.model import CheckResult, DiffResult


def render_diff(result: DiffResult, source: str, color: bool) -> str:
    return json.dumps(result.to_json(), indent=2, ensure_ascii=False) + "\n"


def render_check(result: CheckResult, color: bool) -> str:
    return json.dumps(result.to_json(), indent=2, ensure_ascii=False) + "\n"
