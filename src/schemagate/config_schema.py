"""Validate a settings table against the JSON Schema shipped in `data/config.schema.json`."""

from __future__ import annotations

import datetime
import functools
import json
from importlib import resources
from pathlib import Path
from typing import Any

from schemagate import compiled
from schemagate.errors import ConfigError
from schemagate.markers import passed_before, remember_pass


@functools.cache
def config_schema() -> dict[str, Any]:
    """Return the settings' JSON Schema, as shipped with the package."""
    text = resources.files("schemagate").joinpath("data/config.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def validate_table(table: dict[str, Any], path: Path) -> None:
    """Raise ConfigError naming the file, the key and the problem for the first error.

    A table that passed once is remembered in the cache folder by a hash of the table
    and the schema, so later runs skip the check. A new table is checked with
    jsonschema-rs first, and with jsonschema only where it finds an error.
    """
    fingerprint = _fingerprint(table)
    if passed_before("valid-settings", fingerprint):
        return
    if not compiled.accepts(_compiled_validator(), _as_json(table)):
        _validate(table, path)
    remember_pass("valid-settings", fingerprint)


@functools.cache
def _compiled_validator() -> Any:
    return compiled.build(config_schema())


def _fingerprint(table: dict[str, Any]) -> str:
    import hashlib

    text = json.dumps([_as_json(table), config_schema()], sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _validate(table: dict[str, Any], path: Path) -> None:
    import jsonschema

    validator_class = jsonschema.validators.validator_for(config_schema())
    validator = validator_class(config_schema(), format_checker=validator_class.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(_as_json(table)), key=lambda e: list(e.absolute_path))
    if not errors:
        return
    error = errors[0]
    where = _location(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.schema, dict):
        known = sorted(error.schema.get("properties", {}))
        instance = error.instance if isinstance(error.instance, dict) else {}
        extra = sorted(set(instance) - set(known))
        raise ConfigError(
            f"{path}: unknown key {extra[0]!r} in {where}; known keys: {', '.join(known)}"
        )
    hint = ""
    if error.validator == "format" and error.validator_value == "date":
        hint = "; write the date as YYYY-MM-DD, for example 2027-06-30"
    raise ConfigError(f"{path}: {where}: {error.message}{hint}")


def _as_json(value: Any) -> Any:
    """Turn TOML dates and times into ISO 8601 strings, the form the schema describes."""
    if isinstance(value, dict):
        return {key: _as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_json(item) for item in value]
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return value


def _location(parts: Any) -> str:
    text = "the schemagate settings"
    for index, part in enumerate(parts):
        if isinstance(part, int):
            text += f"[{part}]"
        elif index == 0:
            text = str(part)
        else:
            text += f".{part}"
    return text
