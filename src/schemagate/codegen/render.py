"""Generate one module's source with datamodel-code-generator, in this process.

datamodel-code-generator is imported here only, so commands other than `codegen` never
pay for it. The version is pinned exactly in the `codegen` extra because its output
and option set change between releases.
"""

from __future__ import annotations

import json
import logging
import warnings
from functools import cache
from typing import Any

from schemagate.codegen.prepare import PreparedSchema
from schemagate.errors import InputError

logger = logging.getLogger(__name__)

GENERATOR = "datamodel-code-generator"
GENERATOR_VERSION = "0.97.0"


@cache
def _options() -> dict[str, Any]:
    try:
        from datamodel_code_generator._format_types import (
            DatetimeClassType,
            Formatter,
            PythonVersion,
        )
        from datamodel_code_generator._shared_types import LiteralType
        from datamodel_code_generator._version import __version__
        from datamodel_code_generator.enums import DataModelType, StrictTypes
    except ImportError as exc:
        raise InputError(
            f"codegen needs {GENERATOR} ({exc.name} is missing); "
            "install it with `pip install 'schemagate[codegen]'`"
        ) from None
    if __version__ != GENERATOR_VERSION:
        raise InputError(
            f"codegen needs {GENERATOR}=={GENERATOR_VERSION}, found {__version__}; "
            "install it with `pip install 'schemagate[codegen]'`"
        )
    return {
        "output_model_type": DataModelType.PydanticV2BaseModel,
        "target_python_version": PythonVersion.PY_311,
        "disable_timestamp": True,
        # Tolerant reader: ignore unknown properties, even under `additionalProperties: false`.
        "extra_fields": "ignore",
        "allow_population_by_field_name": True,
        "snake_case_field": True,
        # A required `nullable: true` property accepts null only with this.
        "strict_nullable": True,
        "output_datetime_class": DatetimeClassType.Datetime,
        "enum_field_as_literal": LiteralType.All,
        # pydantic's lax mode would accept "42" for an integer and "yes" for a boolean.
        # NOTE: a `datetime` field still accepts a number (Unix time) in lax mode.
        "strict_types": [StrictTypes.str, StrictTypes.int, StrictTypes.float, StrictTypes.bool],
        "use_annotated": True,
        "use_union_operator": True,
        "use_standard_collections": True,
        "use_double_quotes": True,
        # Reads no file or URL but the input and rejects the keywords that name imports.
        "untrusted_input": True,
        # Inline objects are named after their parent class and property. A component
        # added later then keeps its own name and leaves the inline class names alone.
        "parent_scoped_naming": True,
        "formatters": [Formatter.BUILTIN],
        "aliases": None,
    }


def generator_version() -> str:
    return GENERATOR_VERSION


def render_module(prepared: PreparedSchema, header: str, source: str) -> str:
    """Return the module source for one prepared document, starting with `header`."""
    from datamodel_code_generator import Error, InputFileType

    options = dict(_options())
    options["aliases"] = _protected_field_aliases(prepared.data)
    kind = InputFileType.OpenAPI if prepared.openapi else InputFileType.JsonSchema
    if not prepared.openapi:
        options["class_name"] = prepared.root_class
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            code = generate_code(prepared.data, kind, header, options)
        except Error as exc:
            message = f"{source}: {GENERATOR} rejected the schema: {_first_line(exc)}"
            raise InputError(message) from None
    for warning in caught:
        logger.debug("%s: %s: %s", source, GENERATOR, warning.message)
    return code


def generate_code(data: dict[str, Any], kind: Any, header: str, options: dict[str, Any]) -> str:
    from datamodel_code_generator import generate

    result = generate(data, input_file_type=kind, custom_file_header=header, **options)
    if not isinstance(result, str):
        raise TypeError(f"{GENERATOR} returned {type(result).__name__}, expected one module")
    return result if result.endswith("\n") else result + "\n"


# pydantic warns about, or rejects, fields that start with these names.
_PROTECTED_PREFIXES = ("model_dump", "model_validate")


def _protected_field_aliases(data: dict[str, Any]) -> dict[str, str] | None:
    """Map property names that would become protected pydantic names to `field_<name>`."""
    aliases: dict[str, str] = {}
    for name in sorted(_property_names(data)):
        snake = name.replace("-", "_")
        if snake.startswith(_PROTECTED_PREFIXES):
            aliases[name] = "field_" + "".join(c if c.isalnum() else "_" for c in snake)
    return aliases or None


def _property_names(value: Any) -> set[str]:
    names: set[str] = set()
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            properties = node.get("properties")
            if isinstance(properties, dict):
                names.update(properties)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return names


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def header_comment(lines: list[str]) -> str:
    """Return comment lines whose values are JSON-escaped ASCII, so none can end the comment."""
    return "\n".join("# " + line for line in lines)


def quoted(value: str | None) -> str:
    """Return a string as a double-quoted ASCII literal, valid both in JSON and in Python.

    Every character outside printable ASCII is escaped, so the literal spans one line
    and cannot end a comment or a string early. None becomes `None`.
    """
    return "None" if value is None else json.dumps(value, ensure_ascii=True)
