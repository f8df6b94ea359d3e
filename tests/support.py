"""Shared test helpers: corpus location and an independent witness check."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema.validators
import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
EVENTBRIDGE = CORPUS / "eventbridge"


def corpus_dir(name: str) -> Path:
    """Return a corpus folder, skipping the test when the shared corpus is not checked out."""
    folder = CORPUS / name
    if not folder.is_dir():
        pytest.skip(f"corpus folder {folder} is absent; it sits beside the checkout in CI")
    return folder


def corpus_params(name: str, pattern: str = "*.json") -> list[Any]:
    """Return the corpus files matching `pattern` as test parameters, or one skipped one.

    A parametrized test over an absent corpus then reports why it skipped, instead of
    pytest's bare "got empty parameter set".
    """
    folder = CORPUS / name
    if not folder.is_dir():
        reason = f"corpus folder {folder} is absent; it sits beside the checkout in CI"
        return [pytest.param(None, marks=pytest.mark.skip(reason=reason), id="corpus-absent")]
    return sorted(folder.glob(pattern))


def reader_validator(
    document: dict[str, Any], tolerant: bool, component: str | None = None
) -> Any:
    """Build a validator for a document's event schema, written apart from the engine.

    OpenAPI documents are validated as draft 4 against their `AWSEvent` component (or
    `component`, or their only component), with `nullable` mapped to a null type. With
    `component` "*", an event is valid when any component accepts it. The tolerant
    view drops `additionalProperties: false`. A format counts where the draft's own
    format checker lists it, and `date-time`, `date` and `time` count under every draft,
    as generated bindings parse them.
    """
    doc = copy.deepcopy(document)
    _rewrite(doc, tolerant, openapi="openapi" in doc)
    if "openapi" in doc:
        components = doc["components"]["schemas"]
        name = "AWSEvent" if "AWSEvent" in components else next(iter(components))
        if "AWSEvent" not in components and doc.get("info", {}).get("title") in components:
            name = doc["info"]["title"]
        name = component if component not in (None, "*") else name
        root = {**doc, "$ref": "#/components/schemas/" + name.replace("/", "~1")}
        if component == "*":
            refs = [{"$ref": "#/components/schemas/" + n.replace("/", "~1")} for n in components]
            root = {**doc, "anyOf": refs}
        return jsonschema.Draft4Validator(
            root, format_checker=_formats(jsonschema.Draft4Validator)
        )
    cls = jsonschema.validators.validator_for(doc, default=jsonschema.Draft4Validator)
    return cls(doc, format_checker=_formats(cls))


def _formats(cls: Any) -> Any:
    # Each draft's own checker, and draft 7's `date-time`, `date` and `time` where the
    # draft lacks them. The table of every format reads `time` as draft 3 does.
    later = jsonschema.Draft7Validator.FORMAT_CHECKER.checkers
    checker = jsonschema.FormatChecker(formats=())
    bindings = {n: later[n] for n in ("date-time", "date", "time") if n in later}
    checker.checkers = {**bindings, **cls.FORMAT_CHECKER.checkers}
    return checker


def _rewrite(node: Any, tolerant: bool, openapi: bool) -> None:
    if isinstance(node, dict):
        if tolerant and node.get("additionalProperties") is False:
            del node["additionalProperties"]
        if openapi and node.get("nullable") is True and isinstance(node.get("type"), str):
            node["type"] = [node["type"], "null"]
        for value in node.values():
            _rewrite(value, tolerant, openapi)
    elif isinstance(node, list):
        for value in node:
            _rewrite(value, tolerant, openapi)


def assert_witnesses_hold(
    old: dict[str, Any], new: dict[str, Any], result: dict[str, Any], tolerant: bool = True
) -> int:
    """Check every witness in a JSON diff result against both documents; return the count."""
    count = 0
    for finding in result["findings"]:
        component = _compared_component(old, new, finding)
        old_validator = reader_validator(old, tolerant, component)
        new_validator = reader_validator(new, tolerant, component)
        for witness in finding["witnesses"]:
            event = witness["instance"]
            shown = json.dumps(event)[:300]
            if witness["direction"] == "backward":
                assert old_validator.is_valid(event), f"old schema rejects {shown}"
                assert not new_validator.is_valid(event), f"new schema accepts {shown}"
            else:
                assert new_validator.is_valid(event), f"new schema rejects {shown}"
                assert not old_validator.is_valid(event), f"old schema accepts {shown}"
            count += 1
    return count


def _compared_component(
    old: dict[str, Any], new: dict[str, Any], finding: dict[str, Any]
) -> str | None:
    """Name the component a finding's witnesses belong to, for documents of components.

    OpenAPI documents with several components and no `AWSEvent` are compared component
    by component. A component on one side only is checked against all of them ("*").
    """
    names = []
    for document in (old, new):
        components = document.get("components", {}).get("schemas", {})
        if "openapi" not in document or "AWSEvent" in components or len(components) < 2:
            return None
        names.append(set(components))
    pointer = finding["new_pointer"] or finding["old_pointer"] or ""
    prefix = "/components/schemas/"
    if not pointer.startswith(prefix):
        return None
    name = pointer[len(prefix) :].split("/", 1)[0].replace("~1", "/").replace("~0", "~")
    return name if name in names[0] & names[1] else "*"


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))
