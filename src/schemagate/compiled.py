"""jsonschema-rs as a fast first check whose "valid" is trusted and whose "invalid" is not.

jsonschema-rs is a compiled validator, hundreds of times faster than jsonschema on a
metaschema. The checks that use it accept what it accepts. Whatever it rejects, or
cannot read, is checked again with jsonschema: its verdict is final, and the message
describes its error. A format or pattern it reads more strictly than jsonschema then
costs time, never a verdict. Its import (about 15 ms) replaces jsonschema's on the
start-up of a run that finds everything valid.
"""

from __future__ import annotations

from typing import Any


def build(schema: Any, formats: dict[str, Any] | None = None) -> Any:
    """Return a jsonschema-rs validator of `schema` that asserts formats, or None where
    none can be built (jsonschema-rs missing or unable to read the schema)."""
    try:
        import jsonschema_rs

        return jsonschema_rs.validator_for(schema, validate_formats=True, formats=formats or {})
    except Exception:
        return None


def accepts(validator: Any, instance: Any) -> bool:
    """Tell whether `validator` (from `build`) finds `instance` valid. Return False when
    it cannot tell, such as for integers past 64 bits."""
    if validator is None:
        return False
    try:
        return bool(validator.is_valid(instance))
    except Exception:
        return False
