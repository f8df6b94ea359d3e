"""Consumer contracts: the fields a consumer reads from each event type it receives.

A contract file (YAML or JSON) looks like this:

    format_version: 1
    consumer: billing
    events:
      OrderPlaced:                      # schema name, detail-type, source@detail-type,
        fields:                         # source@* or *
          - detail.orderId              # any type
          - path: /detail/total         # JSON pointer or dotted path into the event
            type: number                # string, number, integer, boolean, object,
                                        # array, null, or a list of them

The file is validated against `CONTRACT_FORMAT`, and each error names the offending
value by its path in the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemagate.contracts.paths import FieldPath, parse_field_path
from schemagate.errors import InputError
from schemagate.load.source import decode, parse_text

FORMAT_VERSION = 1
JSON_TYPES = ("string", "number", "integer", "boolean", "object", "array", "null")
# Consumer names become part of a registry schema name, which allows letters, digits,
# `-`, `_`, `.` and `@`. A consumer name has no `@`, because `@` ends the reserved prefix.
CONSUMER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")

_TYPE = {"enum": list(JSON_TYPES)}
CONTRACT_FORMAT: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "required": ["format_version", "consumer", "events"],
    "additionalProperties": False,
    "properties": {
        "format_version": {"const": FORMAT_VERSION},
        "consumer": {"type": "string", "pattern": CONSUMER_NAME.pattern},
        "description": {"type": "string"},
        "events": {
            "type": "object",
            "minProperties": 1,
            "propertyNames": {"minLength": 1},
            "additionalProperties": {
                "type": "object",
                "required": ["fields"],
                "additionalProperties": False,
                "properties": {
                    "fields": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "oneOf": [
                                {"type": "string", "minLength": 1},
                                {
                                    "type": "object",
                                    "required": ["path"],
                                    "additionalProperties": False,
                                    "properties": {
                                        "path": {"type": "string", "minLength": 1},
                                        "type": {
                                            "oneOf": [
                                                _TYPE,
                                                {
                                                    "type": "array",
                                                    "minItems": 1,
                                                    "uniqueItems": True,
                                                    "items": _TYPE,
                                                },
                                            ]
                                        },
                                        "match": {},
                                        "origin": {"type": "string"},
                                    },
                                },
                            ]
                        },
                    },
                },
            },
        },
    },
}


@dataclass(frozen=True)
class ContractField:
    """One field a consumer reads: where it sits, and the JSON types it accepts (None: any).

    `match` keeps the event pattern matcher a routing-derived field came from, and
    `origin` the rule or pipe; both are informational.
    """

    path: FieldPath
    types: frozenset[str] | None = None
    match: Any = None
    origin: str | None = None

    def to_data(self) -> str | dict[str, Any]:
        if self.types is None and self.match is None and self.origin is None:
            return self.path.text
        data: dict[str, Any] = {"path": self.path.text}
        if self.types is not None:
            ordered = [t for t in JSON_TYPES if t in self.types]
            data["type"] = ordered[0] if len(ordered) == 1 else ordered
        if self.match is not None:
            data["match"] = self.match
        if self.origin is not None:
            data["origin"] = self.origin
        return data


@dataclass(frozen=True)
class EventNeeds:
    """The fields a consumer reads from the event types one selector names."""

    selector: str
    fields: tuple[ContractField, ...]


@dataclass(frozen=True)
class Contract:
    consumer: str
    events: tuple[EventNeeds, ...]
    source: str = ""
    description: str | None = None
    version: str | None = field(default=None, compare=False)

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"format_version": FORMAT_VERSION, "consumer": self.consumer}
        if self.description:
            data["description"] = self.description
        data["events"] = {
            needs.selector: {"fields": [f.to_data() for f in needs.fields]}
            for needs in self.events
        }
        return data


def load_contract_file(path: Path) -> Contract:
    """Read and validate a contract file (JSON or YAML)."""
    source = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(
            f"contract file {path} not found; pass the consumer's contract file"
        ) from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read contract file ({exc.strerror})") from None
    yaml_hint = path.suffix.lower() in (".yaml", ".yml")
    json_only = path.suffix.lower() == ".json"
    data = parse_text(decode(raw, source), source, yaml_hint=yaml_hint, json_only=json_only)
    return contract_from_data(data, source)


def contract_from_data(data: Any, source: str, version: str | None = None) -> Contract:
    """Validate parsed contract data and build a Contract; InputError names the bad value."""
    import jsonschema

    validator = jsonschema.Draft7Validator(CONTRACT_FORMAT)
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is not None:
        raise InputError(
            f"{source}: invalid contract at {_where(error.absolute_path)}: {_problem(error)}"
        )
    events = []
    for selector, entry in data["events"].items():
        fields = []
        for index, item in enumerate(entry["fields"]):
            where = f"events.{selector}.fields[{index}]"
            fields.append(_field(item, source, where))
        events.append(EventNeeds(selector, tuple(fields)))
    return Contract(
        consumer=data["consumer"],
        events=tuple(events),
        source=source,
        description=data.get("description"),
        version=version,
    )


def _field(item: str | dict[str, Any], source: str, where: str) -> ContractField:
    text = item if isinstance(item, str) else item["path"]
    try:
        path = parse_field_path(text)
    except ValueError as exc:
        raise InputError(f"{source}: invalid contract at {where}: {exc}") from None
    if isinstance(item, str):
        return ContractField(path)
    declared = item.get("type")
    types = None
    if declared is not None:
        types = frozenset([declared] if isinstance(declared, str) else declared)
    return ContractField(path, types, item.get("match"), item.get("origin"))


def _where(path: Any) -> str:
    text = ""
    for token in path:
        if isinstance(token, int):
            text += f"[{token}]"
        elif text:
            text += f".{token}"
        else:
            text = str(token)
    return text or "the top level"


def _problem(error: Any) -> str:
    if error.validator == "pattern" and list(error.absolute_path) == ["consumer"]:
        return (
            f"consumer name {error.instance!r} is invalid; use 1 to 100 letters, digits, "
            "'.', '_' or '-', starting with a letter or digit"
        )
    if error.validator == "additionalProperties":
        return f"{error.message}; known keys are listed in docs/contracts.md"
    if error.validator == "oneOf" and list(error.absolute_path)[-1:] == ["type"]:
        return (
            f"type {_short(error.instance)} is invalid; use one of {', '.join(JSON_TYPES)}, "
            "or a list of them"
        )
    if error.validator == "oneOf":
        return (
            f"{_short(error.instance)} is not a field; write a path string or "
            "{path: ..., type: ...} with type one of " + ", ".join(JSON_TYPES)
        )
    return str(error.message)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
