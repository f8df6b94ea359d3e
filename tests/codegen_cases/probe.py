"""Import one generated module in a fresh interpreter and validate events with it.

Run as `python probe.py PACKAGE_PARENT PACKAGE MODULE SCHEMA` with a JSON object
`{"valid": [...], "invalid": [...]}` on standard input. Prints one JSON object. For each
event it records whether the schema's model accepted it, with the error if not, and whether
dumping by alias gives the input back. For each valid event it also records the schema
that `parse_event` chose.
"""

from __future__ import annotations

import importlib
import json
import sys
from typing import Any


def main() -> None:
    parent, package_name, module_name, schema = sys.argv[1:5]
    sys.path.insert(0, parent)
    module = importlib.import_module(f"{package_name}.{module_name}")
    package = importlib.import_module(package_name)
    events = json.load(sys.stdin)
    model = package.MODELS[schema]
    report: dict[str, Any] = {
        "model": f"{model.__module__}.{model.__name__}",
        "module_has_model": getattr(module, model.__name__, None) is model,
        "valid": [check(model, event) for event in events["valid"]],
        "invalid": [check(model, event) for event in events["invalid"]],
        "routed": [route(package, event) for event in events["valid"]],
    }
    json.dump(report, sys.stdout)


def check(model: Any, event: Any) -> dict[str, Any]:
    from pydantic import ValidationError

    try:
        instance = model.model_validate(event)
    except ValidationError as exc:
        return {"ok": False, "error": str(exc).splitlines()[0]}
    dumped = instance.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return {"ok": True, "round_trip": dumped == event, "dumped": dumped}


def route(package: Any, event: Any) -> str | None:
    try:
        instance = package.parse_event(event)
    except package.UnknownEventError:
        return None
    for name, model in package.MODELS.items():
        if type(instance) is model:
            return str(name)
    return "?"


if __name__ == "__main__":
    main()
